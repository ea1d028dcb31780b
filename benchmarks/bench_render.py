"""Benchmark untrusted Markdown: the worst inputs found against an ordinary README of the same size.

For each hostile family (the slowest per character among the ~50 of tests/test_markdown.py, plus
deep nesting) at 16 KB, 64 KB and the README limit (256 KB), prints the CPU time of
`markdown_html` (markdown-it-py + nh3), its microseconds per character (flat when time is
linear) and its ratio to an ordinary README (the sample READMEs of agents/ repeated); then the
old pipeline (Python-Markdown + nh3, as generator/site/sanitize.py had it) in a child process
killed after --cap seconds (">cap"), skipped at larger sizes once it went over. Not a test:
nothing here asserts on time.

    python benchmarks/bench_render.py [--sizes 16 64 256] [--repeat 2] [--cap 5]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
from generator.site.sanitize import markdown_html  # noqa: E402

BASE = "https://github.com/o/r/blob/0000000000/agents/o/s/"


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


def _nested_list(n: int) -> str:
    lines, size, depth = [], 0, 0
    while size < n:
        lines.append("  " * depth + f"- item {depth}\n")
        size, depth = size + len(lines[-1]), depth + 1
    return "".join(lines)[:n]


def ordinary(n: int) -> str:
    """The sample READMEs of agents/, one after another, repeated to n characters."""
    text = "\n\n".join(p.read_text("utf-8") for p in sorted(REPO.glob("agents/*/*/README.md")))
    return _repeat(text)(n)


FAMILIES: dict[str, Callable[[int], str]] = {
    "ordinary README": ordinary,
    "image openers on lines `![⏎`": _repeat("![\n"),
    "image openers `![`": _repeat("!["),
    "tables of cells to fill": _repeat("x|" * 181 + "\n" + "-|" * 181 + "\n" + "x\n" * 362 + "\n"),
    "emphasis and brackets `*[`": _repeat("*["),
    "brackets `[` (issue 10)": _repeat("["),
    "reference openers `[a][`": _repeat("[a]["),
    "cdata openers `a <![CDATA[`": _repeat("a <![CDATA["),
    "empty links `[](`": _repeat("[]("),
    "short lines `a⏎`": _repeat("a\n"),
    "mixed emphasis `**_* `": _repeat("**_* "),
    "emphasis around one letter": lambda n: "*" * (n // 2) + "a" + "*" * (n // 2),
    "block quotes `>`": _repeat(">"),
    "nested lists": _nested_list,
}


def _old_pipeline() -> Callable[[str], str]:
    """The pipeline sanitize.py had before issue 10: Python-Markdown, raw HTML off, then nh3."""
    import markdown  # mkdocs' own dependency; the catalog no longer uses it
    import nh3

    from generator.site.sanitize import ATTRIBUTES, SCHEMES, TAGS, plain

    md = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"])
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    cleaner = nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags={"script", "style"},
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        url_schemes=set(SCHEMES),
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )
    return lambda text: cleaner.clean(md.reset().convert(plain(text)))


def cpu(render: Callable[[str], object], text: str, repeat: int) -> float:
    """Best CPU time of `repeat` renders, in ms (CPU time: other processes do not count)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        render(text)
        best = min(best, time.process_time() - started)
    return best * 1000


def old(family: str, size: int, cap: float) -> float | None:
    """The old pipeline's CPU ms in a child process; None when it took longer than `cap` s."""
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--old", family, str(size)],
            capture_output=True,
            text=True,
            timeout=cap + 2,  # the child's start-up (imports) on top of the cap
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise RuntimeError(last)
    ms = float(done.stdout)
    return ms if ms <= cap * 1000 else None


def run(sizes: list[int], repeat: int, cap: float) -> None:
    print("CPU ms of markdown_html; x ordinary = ratio to an ordinary README of the same size")
    print(f"old = Python-Markdown + nh3 in a child process (killed after {cap:g} s)\n")
    print(f"| input | size | ms | µs/char | x ordinary | old ms |\n|{'---|' * 6}")
    stopped: dict[str, str] = {}  # family -> what the old pipeline did at a smaller size
    for size in sizes:
        n = size * 1024
        base = 0.0
        for family, make in FAMILIES.items():  # the ordinary README first: the ratios' base
            ms = cpu(lambda t: markdown_html(t, BASE), make(n), repeat)
            base = base or ms
            was = _old_cell(family, n, cap, stopped)
            print(
                f"| {family} | {size} KB | {ms:,.0f} | {ms * 1000 / n:.1f} | {ms / base:.1f} "
                f"| {was} |",
                flush=True,
            )


def _old_cell(family: str, n: int, cap: float, stopped: dict[str, str]) -> str:
    """The old pipeline's figure: ms, or >cap / the error it stopped with (then at every size)."""
    if family not in stopped:
        try:
            ms = old(family, n, cap)
        except RuntimeError as err:
            stopped[family] = str(err).split(":")[0]
        else:
            if ms is not None:
                return f"{ms:,.0f}"
            stopped[family] = f">{cap:g} s"
    return stopped[family]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[16, 64, 256], help="KB")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--cap", type=float, default=5.0, help="seconds for the old pipeline")
    parser.add_argument("--old", nargs=2, metavar=("FAMILY", "CHARS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.old:
        family, n = args.old[0], int(args.old[1])
        print(cpu(_old_pipeline(), FAMILIES[family](n), 1))
        return
    run(args.sizes, args.repeat, args.cap)


if __name__ == "__main__":
    main()
