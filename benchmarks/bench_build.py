"""Benchmark `catalog build` on synthetic catalogs (benchmarks/synth.py) of 1,000 and 10,000 agents.

Measures, each phase in its own child process (`wait4`: wall time, CPU time of the process and
its workers, peak RSS):
- generator: load (validate + history + moderation) and render/write into catalog/, from scratch;
- site: the mkdocs-material build of the generated docs folder;
- baseline: mkdocs-material, same theme and config, building plain Markdown pages: as many as all
  of the site's HTML pages (version pages included; the target's baseline), and as many as go
  through mkdocs (how the mkdocs part compares);
- one-agent rebuild: publish a new version of one agent (commit), then one with a new bio line too,
  and rebuild in a fresh process (`catalog build`); then edit that agent's version, then its bio,
  in a warm one (`catalog serve` keeps its caches): files written and time before mkdocs.
Targets at 10,000 agents (2 cores): generator <= 15 s, whole build <= 1.3x baseline, peak <= 1.5
GB, one-agent rebuild <= 10 files and <= 3 s before mkdocs. Prints figures; asserts nothing.

    python benchmarks/bench_build.py [--sizes 1000 10000] [--repeat 2] [--work DIR]
                                     [--skip-all-pages-baseline] [--mode realistic|minimal]

Site builds (ours and the baselines) report the best of --repeat runs. --work puts the synthetic
catalogs elsewhere (default benchmarks/.work), e.g. on tmpfs (/dev/shm) to separate the CPU cost
from a slow disk: the site has ~7 files per agent, and creating files dominates on some disks.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))
from synth import copy_site_sources as site_sources  # noqa: E402
from synth import make_catalog  # noqa: E402

WORK = HERE / ".work"
MODE = "realistic"
"""synth.py's agents: realistic (the default) or minimal (the figures before issue 13)."""
BUMP = "bump one agent"
CHILD = """
import time
T0 = time.perf_counter()
import json, os, re, sys
from pathlib import Path
from generator.site.build import run
from generator.site.build import BuildCache
from generator.site.builder import build_site
root, what = Path(sys.argv[1]), sys.argv[2]
out = {}
t = time.perf_counter()
if what == "site":
    build_site(root, root / "site")
    out["site"] = time.perf_counter() - t
else:  # what `catalog build` runs before mkdocs (site_dir None), with serve's cache
    cache = BuildCache()
    built = run(root, None, clean=(what == "full"), cache=cache)
    g = built.generated
    assert g is not None, built.report.problems[:5]
    out.update(load=built.load_seconds, render=built.generator_seconds - built.load_seconds,
               total=time.perf_counter() - T0,
               written=g.written, files=g.files, pages=g.pages, agents=g.agents,
               versions=g.versions, rendered=g.rendered)
    if what == "warm":  # edits after the first build, in the same process, as `catalog serve`
        manifest = Path(sys.argv[3])
        character = manifest.parent / "character.json"
        saved = {f: f.read_text() for f in (manifest, character)}
        edits = [
            ("version", manifest, lambda t: re.sub("(?m)^version: (.*)$", r"version: \\1-rc.1", t)),
            ("bio", character, lambda t: t.replace('"bio": [', '"bio": ["Reads tides.", ')),
        ]
        for name, path, edit in edits:
            path.write_text(edit(path.read_text()))
            built = run(root, None, cache=cache)
            assert built.generated is not None
            out[name] = [built.generator_seconds, sorted(built.generated.written)]
        for path, text in saved.items():
            path.write_text(text)
print(json.dumps(out), flush=True)
os._exit(0)  # as `catalog build` ends: no teardown of the loaded catalog
"""


@dataclass
class Run:
    """One child process: what it printed, wall and CPU seconds (workers included), peak RSS."""

    out: dict[str, Any]
    wall: float
    cpu: float
    peak_mb: float


def child(*args: str) -> Run:
    """Run CHILD in a fresh interpreter and measure it with wait4."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as a user's Python: bytecode cached
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, *args], stdout=subprocess.PIPE, env=env, cwd=REPO
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"child {args} failed")
    return Run(json.loads(output), wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def site_build(root: Path, repeat: int) -> Run:
    """The best of `repeat` mkdocs builds of `root`, each into an empty site/."""
    runs = []
    for _ in range(repeat):
        shutil.rmtree(root / "site", ignore_errors=True)
        os.sync()
        runs.append(child(str(root), "site"))
    return min(runs, key=lambda r: r.wall)


def catalog(size: int) -> Path:
    """A synthetic catalog with the site sources, made once (git-ignored), reset to main."""
    dest = WORK / f"build-{MODE}-{size}"
    if not (dest / ".git").is_dir():
        make_catalog(dest, size, mode=MODE)
    subprocess.run(["git", "checkout", "--quiet", "--force", "main"], cwd=dest, check=True)
    synthetic = subprocess.run(  # the synthetic history, without an earlier run's bump
        ["git", "log", "-1", "--format=%H", "--invert-grep", f"--grep=^{BUMP}$"],
        cwd=dest,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(["git", "reset", "--quiet", "--hard", synthetic], cwd=dest, check=True)
    shutil.rmtree(dest / "catalog", ignore_errors=True)
    shutil.rmtree(dest / "site", ignore_errors=True)
    site_sources(dest)
    return dest


def baseline(size: int, pages: int, repeat: int) -> Run:
    """mkdocs-material (our mkdocs.yml, nav of the hand-written pages) on `pages` plain pages."""
    dest = WORK / f"baseline-{size}-{pages}"
    if not (dest / "mkdocs.yml").is_file():
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        site_sources(dest)
        for i in range(pages):
            page = dest / "catalog" / "agents" / f"p{i // 100}" / f"{i}.md"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(
                f"# Plain page {i}\n\nA paragraph of plain text about page {i}, "
                "with *emphasis* and a [link](https://example.org/).\n\n"
                "- one item\n- another item\n"
            )
        (dest / "catalog" / "index.md").write_text("# Home\n")
        # the header search's files, which mkdocs.yml lists and `catalog build` writes (the
        # theme_assets hook bundles search.css into the version pages' stylesheet)
        (dest / "catalog" / "search").mkdir(exist_ok=True)
        for name in ("search.css", "search.js"):
            (dest / "catalog" / "search" / name).write_text("")
        for name in ("tags", "owners"):
            (dest / "catalog" / name).mkdir(exist_ok=True)
            (dest / "catalog" / name / "index.md").write_text(f"# {name}\n")
    return site_build(dest, repeat)


def bump(root: Path, bio: bool) -> Path:
    """Publish a new version of one agent as its author would (and a new bio line), commit."""
    manifest = sorted(root.glob("agents/*/*/agent.yaml"))[len(list(root.glob("agents/*"))) // 2]
    text = manifest.read_text("utf-8")
    version = next(
        line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("version:")
    )
    major = int(version.split(".")[0]) + 1
    manifest.write_text(text.replace(f"version: {version}", f"version: {major}.0.0"), "utf-8")
    if bio:
        character = manifest.parent / "character.json"
        doc = json.loads(character.read_text("utf-8"))
        doc["bio"].append("Now with a new trick.")
        character.write_text(json.dumps(doc, indent=2) + "\n", "utf-8")
    subprocess.run(
        ["git", "commit", "--quiet", "-am", BUMP],
        cwd=root,
        check=True,
        env={
            **os.environ,
            "GIT_AUTHOR_DATE": "2026-06-01T00:00:00Z",
            "GIT_COMMITTER_DATE": "2026-06-01T00:00:00Z",
        },
    )
    return manifest


def groups(written: list[str], ref: str) -> str:
    """Written files counted by kind: the changed agent's, other agents', listings, search."""
    own = sum(ref in p for p in written)
    search = sum(p.startswith("search/") for p in written)
    others = sum(p.startswith(("agents/", "api/v1/agents/")) and ref not in p for p in written)
    listings = len(written) - own - search - others
    return f"{own} of the agent, {listings} listings, {search} search index, {others} other agents"


def line(label: str, run: Run, extra: str = "") -> None:
    print(f"{label:<44} {run.wall:7.1f} s wall {run.cpu:7.1f} s cpu {run.peak_mb:6.0f} MB {extra}")


def measure(size: int, all_pages: bool, repeat: int) -> None:
    """The figures for a catalog of `size` agents."""
    root = catalog(size)
    os.sync()
    gen = child(str(root), "full")
    site = site_build(root, repeat)
    md_pages = sum(1 for _ in (root / "catalog").rglob("*.md"))
    html_pages = sum(1 for _ in (root / "site").rglob("*.html"))
    base = baseline(size, md_pages, repeat)
    print(
        f"\n## {size} agents, {gen.out['versions']} versions: {md_pages} mkdocs pages, "
        f"{html_pages} HTML pages, {gen.out['files']} generated files"
    )
    line(
        "generator (load + render + write)",
        gen,
        f"(load {gen.out['load']:.1f} s, render+write {gen.out['render']:.1f} s)",
    )
    line("site (mkdocs-material)", site)
    whole = gen.wall + site.wall
    print(f"{'whole build':<44} {whole:7.1f} s wall {gen.cpu + site.cpu:7.1f} s cpu")
    if all_pages:  # the target's baseline: a plain site as large as ours
        every = baseline(size, html_pages, 1)
        line(
            f"baseline: {html_pages} plain pages (all)",
            every,
            f"-> whole {whole / every.wall:.2f}x (target <= 1.3x)",
        )
    line(
        f"baseline: {md_pages} plain pages (mkdocs')",
        base,
        f"-> site {site.wall / base.wall:.2f}x, whole {whole / base.wall:.2f}x",
    )
    for label, bio in (("a new version", False), ("a new version and bio line", True)):
        manifest = bump(root, bio)
        ref = "/".join(manifest.parent.parts[-2:])
        one = child(str(root), "one")
        line(
            f"fresh process: {label}",
            one,
            f"(load {one.out['load']:.1f} s, render+write {one.out['render']:.2f} s; "
            f"{len(one.out['written'])} files: {groups(one.out['written'], ref)})",
        )
    warm = child(str(root), "warm", str(manifest))
    for edit, label in (("version", "version changed"), ("bio", "bio line added")):
        seconds, written = warm.out[edit]
        print(
            f"{'serve: ' + label:<44} {seconds:7.2f} s "
            f"({len(written)} files: {groups(written, ref)})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--skip-all-pages-baseline", action="store_true")
    parser.add_argument("--repeat", type=int, default=2, help="site builds: best of N")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--mode", choices=["realistic", "minimal"], default="realistic")
    args = parser.parse_args()
    global WORK, MODE
    MODE = args.mode
    if args.work:
        WORK = args.work.resolve()
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, "
        f"max RSS limit {resource.getrlimit(resource.RLIMIT_AS)[0]}"
    )
    for size in args.sizes:
        measure(size, not args.skip_all_pages_baseline, args.repeat)


if __name__ == "__main__":
    main()
