"""Search quality on the sample catalog: MRR and recall@5 over the judged queries
(tests/search_judgments.yaml) for `catalog search` (whoosh) and for the browser search.

The browser figures come from `generator.search.browser_query`, the Python port of search.js;
tests/test_search_browser.py runs the real search.js in Chromium on the same judged queries
and checks it ranks exactly like the port. Targets (issue 4): MRR >= 0.8, recall@5 >= 0.95.

    python benchmarks/search_quality.py [--root .] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from generator.catalog.assemble import load_catalog  # noqa: E402
from generator.catalog.model import Catalog, Site  # noqa: E402
from generator.search.browser_index import index_files  # noqa: E402
from generator.search.browser_query import BrowserIndex  # noqa: E402
from generator.search.documents import search_docs  # noqa: E402
from generator.search.index import build_index, search  # noqa: E402

JUDGMENTS = ROOT / "tests" / "search_judgments.yaml"
SITE = Site("https://example.org/catalog/", "https://github.com/example/catalog")


@dataclass(frozen=True)
class Judged:
    kind: str
    query: str
    relevant: tuple[str, ...]


@dataclass(frozen=True)
class Score:
    mrr: float
    recall5: float
    misses: tuple[tuple[str, tuple[str, ...]], ...]
    """(query, top five) of the queries whose first relevant result is not first."""


def judgments(path: Path = JUDGMENTS) -> list[Judged]:
    rows = yaml.safe_load(path.read_text("utf-8"))
    return [Judged(r["kind"], str(r["query"]), tuple(r["relevant"])) for r in rows]


def sample_catalog(root: Path = ROOT) -> Catalog:
    """The catalog of `root`, as the build assembles it (validation, git history)."""
    catalog, report = load_catalog(root, SITE)
    if catalog is None:
        raise SystemExit(f"{root}: the catalog does not validate ({len(report.problems)} problems)")
    return catalog


def evaluate(run: Callable[[str], Sequence[str]], judged: list[Judged]) -> Score:
    """Mean reciprocal rank of the first relevant result, and mean recall in the top five."""
    rr, recall, misses = 0.0, 0.0, []
    for j in judged:
        ranked = list(run(j.query))
        first = next((i for i, ref in enumerate(ranked) if ref in j.relevant), None)
        rr += 1 / (first + 1) if first is not None else 0.0
        recall += len(set(ranked[:5]) & set(j.relevant)) / min(5, len(j.relevant))
        if first != 0:
            misses.append((j.query, tuple(ranked[:5])))
    n = max(1, len(judged))
    return Score(rr / n, recall / n, tuple(misses))


def cli_runner(catalog: Catalog, index_dir: Path) -> Callable[[str], Sequence[str]]:
    build_index(catalog, index_dir)
    return lambda q: [h.ref for h in search(index_dir, q, limit=10).hits]


def browser_runner(catalog: Catalog) -> Callable[[str], Sequence[str]]:
    index = BrowserIndex(index_files(sorted(search_docs(catalog), key=lambda d: d.ref)))
    return lambda q: index.query(q, limit=10).refs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--verbose", action="store_true", help="print the queries not ranked 1st")
    args = parser.parse_args()
    catalog, judged = sample_catalog(args.root), judgments()
    with tempfile.TemporaryDirectory() as tmp:
        runners = {"cli": cli_runner(catalog, Path(tmp)), "browser": browser_runner(catalog)}
        print(f"{len(judged)} judged queries, {len(catalog.listed)} agents")
        print(f"{'search':<8} {'MRR':>6} {'recall@5':>9}")
        for name, run in runners.items():
            score = evaluate(run, judged)
            print(f"{name:<8} {score.mrr:>6.3f} {score.recall5:>9.3f}")
            for query, top in score.misses if args.verbose else ():
                print(f"    {query!r}: {', '.join(top)}")


if __name__ == "__main__":
    main()
