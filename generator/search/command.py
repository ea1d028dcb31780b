"""`catalog search`: keep a checkout's search index fresh in a git-ignored cache, query it, and
print the results for people or, with --json, for scripts.

The index lives in `.cache/search/` under the catalog root. A fingerprint of the inputs decides
whether it is stale (`staleness`: HEAD and what git sees changed, vouched for by a stamp of the
times of every folder and watched file while nothing moved); only then is the catalog loaded
(validation and git history) and the index updated, incrementally.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from generator.search.staleness import CACHE, Staleness

if TYPE_CHECKING:  # whoosh is imported only to query or build (~0.1 s of start-up)
    from generator.search.query import SearchResults

__all__ = ["CACHE", "STAMP", "SearchError", "ensure_index", "fingerprint", "run_search"]

STAMP = "FINGERPRINT"


class SearchError(Exception):
    """The catalog cannot be searched (invalid catalog, missing settings...)."""


def fingerprint(root: Path) -> str:
    """A hash of what the index is built from (`staleness`)."""
    return Staleness(root, root / CACHE).fingerprint()


def ensure_index(root: Path, started: Staleness | None = None) -> Path:
    """The index directory of `root`, built or refreshed when its inputs changed. The loader
    (validation, history, the pydantic model: ~1.9 s of imports on a loaded 2-core machine) is
    imported only when the index is stale."""
    index_dir = root / CACHE
    check = started or Staleness(root, index_dir)
    built = _built(index_dir)
    if not check.unchanged(built):  # also without a fingerprint: its git and child end here
        _refresh(root, index_dir, check, built)
    return index_dir


def _built(index_dir: Path) -> str:
    """The fingerprint of the inputs the index was last built from ("" when none)."""
    try:
        return (index_dir / STAMP).read_text("utf-8")
    except OSError:
        return ""


def _refresh(root: Path, index_dir: Path, check: Staleness, built: str) -> None:
    """Build or update the index unless the full fingerprint equals `built`; record the stamp."""
    stamp = index_dir / STAMP
    current = check.fingerprint()
    if built != current:
        _build(root, index_dir)
        stamp.write_text(current, "utf-8")
    check.record()


def _build(root: Path, index_dir: Path) -> None:
    """Load the catalog (validation and git history) and update the index from it, with the
    garbage collector on (the console's search turns it off to answer from a fresh index)."""
    import gc

    gc.enable()
    from generator.catalog.assemble import load_catalog
    from generator.catalog.settings import SettingsError
    from generator.history.reader import HistoryError
    from generator.search.index import build_index

    try:
        catalog, report = load_catalog(root)
    except (HistoryError, SettingsError) as err:
        raise SearchError(str(err)) from None
    if catalog is None:
        errors = sum(p.severity == "error" for p in report.problems)
        raise SearchError(
            f"the catalog has {errors} validation error{'s' * (errors != 1)}; run: catalog validate"
        )
    build_index(catalog, index_dir)


def run_search(
    root: Path,
    query: str,
    tag: str | None,
    plugin: str | None,
    owner: str | None,
    limit: int,
    as_json: bool,
    started: Staleness | None = None,
) -> str:
    """Refresh the index if needed, search it, and format the results. `started`: the checks
    of the index, when the caller started them (`cli.quick`, before this module's imports)."""
    if not (root / "agents").is_dir():
        from generator.checks.problems import UsageError

        raise UsageError(f"no agents/ folder in {root}")
    index_dir = root / CACHE
    check = started or Staleness(root, index_dir)  # git runs while whoosh is imported
    from generator.search.query import search

    def answer() -> SearchResults:
        return search(index_dir, query, tag=tag, plugin=plugin, owner=owner, limit=limit)

    built = _built(index_dir)
    early = _early(answer) if built and check.quick else None
    if not check.unchanged(built):  # also without a fingerprint: its git and child end here
        _refresh(root, index_dir, check, built)
        early = None
    results = early if early is not None else answer()
    filters = {"tag": tag, "plugin": plugin, "owner": owner}
    return to_json(results, filters) if as_json else to_text(results)


def _early(answer: Callable[[], SearchResults]) -> SearchResults | None:
    """The query on the index as it is, while the stamp's checks run in other processes (10-30
    ms of CPU at 10,000 agents, beside their ~120 ms); kept only if they find nothing changed
    since the index was built. None when it fails: the index is refreshed or queried again."""
    try:
        return answer()
    except Exception:
        return None


def to_text(results: SearchResults) -> str:
    """Numbered results: name, ref and version, summary, canonical URL; then the count."""
    lines: list[str] = []
    for n, hit in enumerate(results.hits, 1):
        lines += [
            f"{n:>2}. {hit.name}  {hit.ref} {hit.version}",
            f"    {hit.summary}",
            f"    {hit.url}",
        ]
    if results.did_you_mean:
        lines.append(f"did you mean: {results.did_you_mean}")
    if not results.hits:
        lines.append(f"no agents match {results.query!r}")
    else:
        lines.append(f"{len(results.hits)} of {results.total} matching agents")
    return "\n".join(lines)


def to_json(results: SearchResults, filters: dict[str, str | None]) -> str:
    """The results as one JSON document (sorted keys) for scripts."""
    from dataclasses import asdict  # imported by whoosh by now

    doc = {
        "query": results.query,
        "filters": {k: v for k, v in filters.items() if v},
        "total": results.total,
        "did_you_mean": results.did_you_mean,
        "results": [asdict(h) for h in results.hits],
    }
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)
