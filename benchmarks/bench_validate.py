"""Benchmark `catalog validate` on synthetic catalogs of 1,000 and 10,000 agents.

Measures, in one run and on the same files:
- baseline: only reading every agent's files and parsing them (libyaml + json), no checks;
- full: `catalog validate` of the whole catalog (the real CLI, start-up included);
- one agent: `catalog validate agents/<o>/<s>` (the other agents' facts from the blob-keyed cache,
  filled by the full run before it);
- pull request: `catalog validate --base HEAD --author <owner>` after changing one agent.
Prints seconds (best of --repeat) and the ratio to the baseline. Targets at 10,000 agents on a
2-core machine: full <= 10 s, pull request <= 2 s. Not a test: nothing here asserts on time.

    python benchmarks/bench_validate.py [--sizes 1000 10000] [--repeat 3] [--mode realistic|minimal]
"""

from __future__ import annotations

import argparse
import functools
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from synth import copy_site_sources, make_catalog  # noqa: E402

WORK = HERE / ".work"
MODE = "realistic"
"""synth.py's agents: realistic (the default) or minimal (the figures before issue 13)."""


def catalog(size: int) -> Path:
    """A synthetic catalog of `size` agents, made once and reused (git-ignored)."""
    dest = WORK / f"catalog-{MODE}-{size}"
    if not (dest / ".git").is_dir():
        make_catalog(dest, size, mode=MODE)
    if not (dest / "mkdocs.yml").is_file():  # the gate renders what it judges, as the build would
        copy_site_sources(dest)
        subprocess.run(["git", "add", "-A"], cwd=dest, check=True)
        who = ["-c", "user.name=Bench", "-c", "user.email=bench@example.invalid"]
        subprocess.run(
            ["git", *who, "commit", "--quiet", "-m", "Site sources"], cwd=dest, check=True
        )
    subprocess.run(["git", "checkout", "--quiet", "--force", "main"], cwd=dest, check=True)
    subprocess.run(["git", "clean", "--quiet", "-fdx", "agents"], cwd=dest, check=True)
    if not (dest / "mkdocs.yml").is_file():  # the gate loads the catalog as the build does
        copy_site_sources(dest)
        subprocess.run(["git", "add", "mkdocs.yml", "site-config", "catalog"], cwd=dest, check=True)
        subprocess.run(["git", "commit", "--quiet", "-m", "Site sources"], cwd=dest, check=True)
    return dest


def baseline(root: Path) -> None:
    """Read and parse every file, with no checks: the floor validation cannot go below."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for manifest in sorted(root.glob("agents/*/*/agent.yaml")):
        yaml.load(manifest.read_text("utf-8"), Loader=loader)
        json.loads((manifest.parent / "character.json").read_text("utf-8"))
        (manifest.parent / "README.md").read_text("utf-8")


def cli(root: Path, *args: str) -> float:
    """Wall time of one `catalog validate` run; fails loudly if validation fails."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--root", str(root), *args],
        cwd=HERE.parent,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"validate failed ({done.returncode}):\n{done.stdout[-2000:]}")
    return elapsed


def best(repeat: int, run: Callable[[], object]) -> float:
    """Best wall time of `repeat` runs (a run that returns a float reports its own time)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(result if isinstance(result, float) else time.perf_counter() - started)
    return min(times)


def touch_one(root: Path) -> str:
    """Change one agent and bump its version, as a pull request would; return its owner."""
    manifest = sorted(root.glob("agents/*/*/agent.yaml"))[len(list(root.glob("agents/*"))) // 2]
    text = manifest.read_text("utf-8")
    version = next(
        line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("version:")
    )
    manifest.write_text(text.replace(f"version: {version}", "version: 9.0.0"), "utf-8")
    return manifest.parent.parent.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--mode", choices=["realistic", "minimal"], default="realistic")
    args = parser.parse_args()
    global MODE
    MODE = args.mode
    print(
        f"{'agents':>7} {'baseline s':>11} {'full s':>8} {'ratio':>6} {'one agent s':>12} "
        f"{'PR (1 agent) s':>15}"
    )
    for size in args.sizes:
        root = catalog(size)
        base = best(args.repeat, functools.partial(baseline, root))
        full = best(args.repeat, functools.partial(cli, root))
        agent = sorted(root.glob("agents/*/*"))[size // 2]
        one = best(args.repeat, functools.partial(cli, root, str(agent)))
        owner = touch_one(root)
        pr = best(args.repeat, functools.partial(cli, root, "--base", "HEAD", "--author", owner))
        print(f"{size:>7} {base:>11.2f} {full:>8.2f} {full / base:>5.1f}x {one:>12.2f} {pr:>15.2f}")


if __name__ == "__main__":
    main()
