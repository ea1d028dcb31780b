"""Benchmark the secret scanner (checks/secrets.py) on what validation feeds it.

Inputs: every file of the sample agents (agents/), a 256 KB README of ordinary prose (the sample
READMEs repeated: the largest README the validator reads), and a 256 KB README made of what
makes the scanner work hardest (escapes, entities, base64-like runs, hex values after key words,
runs of seed-phrase words). Prints milliseconds per input (best of --repeat) and, for the same
inputs, the scanner of a given revision (default: the one before seed phrases and decoding,
read with `git show`), so the cost of the new checks is measured, not guessed. Not a test.

With `--catalog ROOT` it measures instead what `catalog validate` pays per agent: the CPU time of
`scan_file` over every agent's three files (parsed first, as validation parses them), one
process, best of --repeat, the kept looks at runs emptied before each (issue 13;
`benchmarks/.work/realistic-1000`).

    python benchmarks/bench_secrets.py [--repeat 5] [--old REV]
    python benchmarks/bench_secrets.py --catalog benchmarks/.work/realistic-1000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.checks import decode, jsonpos, secrets  # noqa: E402
from generator.checks.load import load_yaml  # noqa: E402
from generator.checks.secrets import Path as Path_  # noqa: E402
from generator.checks.secrets import scan_file  # noqa: E402

LIMIT = 256 * 1024


def inputs() -> dict[str, list[tuple[str, str]]]:
    """(kind, text) lists: the sample agents, a large plain README, a large hostile README."""
    samples = []
    for path in sorted((ROOT / "agents").rglob("*")):
        if path.is_file():
            kind = {"agent.yaml": "manifest", ".json": "character"}.get(
                path.name, {".json": "character"}.get(path.suffix, "readme")
            )
            samples.append((kind, path.read_text("utf-8")))
    prose = "\n\n".join(t for k, t in samples if k == "readme")
    big = (prose * (LIMIT // len(prose) + 1))[:LIMIT]
    hostile_line = (
        "key \\u0041\\u0042 &#65;&amp; %41 \\- QUJDREVGR0hJSktMTU5PUFFSU1RVVldY "
        "private key 0x" + "ab" * 32 + " abandon ability able about above absent absorb "
        "abstract absurd abuse access accident account\n"
    )
    hostile = (hostile_line * (LIMIT // len(hostile_line) + 1))[:LIMIT]
    return {
        f"sample agents ({len(samples)} files)": samples,
        "README, 256 KB of prose": [("readme", big)],
        "README, 256 KB of hostile lines": [("readme", hostile)],
    }


def parsed(kind: str, text: str) -> tuple[object, Callable[[Path_], tuple[int, int]] | None]:
    """What validation has parsed already: the data and where its values are written."""
    if kind == "character":
        return json.loads(text), lambda at: jsonpos.locate(text, at)
    if kind == "manifest":
        doc = load_yaml(text)
        return doc.data, doc.position
    return None, None


def old_scanner(rev: str) -> Callable[[str, str], object]:
    """The scanner of revision `rev` (its raw-text `scan`), loaded from git."""
    source = subprocess.run(
        ["git", "show", f"{rev}:generator/checks/secrets.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType("old_secrets")
    sys.modules["old_secrets"] = module  # dataclasses look their module up
    exec(compile(source, f"{rev}:secrets.py", "exec"), module.__dict__)
    return lambda _kind, text: list(module.scan(text))


def best(run: Callable[..., object], files: list[tuple[object, ...]], repeat: int) -> float:
    """Milliseconds of the fastest of `repeat` runs over every input."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for args in files:
            run(*args)
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def per_agent(root: Path, repeat: int) -> None:
    """Milliseconds of CPU the scanner spends per agent of the catalog at `root`, and what it
    found."""
    folders = sorted(p.parent for p in root.glob("agents/*/*/agent.yaml"))
    kinds = {"agent.yaml": "manifest", "character.json": "character", "README.md": "readme"}
    ready = [
        (text, *parsed(kind, text))
        for folder in folders
        for name, kind in kinds.items()
        if (folder / name).is_file()
        for text in [(folder / name).read_text("utf-8")]
    ]
    scan_file("warm up the word lists")
    found = sum(len(scan_file(*args)) for args in ready)
    kept = [f for f in (secrets._kept_look, decode._hidden) if hasattr(f, "cache_clear")]
    times = []
    for _ in range(repeat):
        for cache in kept:  # each agent's runs seen once, as in a validate
            cache.cache_clear()
        start = time.process_time()
        for args in ready:
            scan_file(*args)
        times.append(time.process_time() - start)
    cost = min(times) * 1000 / max(1, len(folders))
    print(f"{len(folders)} agents, {len(ready)} files, {found} findings: {cost:.3f} ms per agent")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--old", default="cafd960")
    parser.add_argument("--catalog", type=Path, help="CPU per agent over this catalog's agents")
    args = parser.parse_args()
    if args.catalog:
        per_agent(args.catalog, args.repeat)
        return
    old = old_scanner(args.old)
    scan_file("warm up the word lists")
    print(f"| input | this scanner | scanner of {args.old} |")
    print("|---|---|---|")
    for name, files in inputs().items():
        ready = [(text, *parsed(kind, text)) for kind, text in files]
        now = best(scan_file, ready, args.repeat)
        before = best(old, [(kind, text) for kind, text in files], args.repeat)
        print(f"| {name} | {now:.1f} ms | {before:.1f} ms |")


if __name__ == "__main__":
    main()
