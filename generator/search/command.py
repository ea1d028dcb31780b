"""`catalog search`: keep a checkout's search index fresh in a git-ignored cache, query it, and
print the results for people or, with --json, for scripts.

The index lives in `.cache/search/` under the catalog root. A fingerprint of the inputs decides
whether it is stale; only then is the catalog loaded (validation and git history) and the index
updated, incrementally. In a git checkout the fingerprint is HEAD plus `git status` of the
inputs and the size and time of each changed file (one git call); elsewhere it is the paths,
sizes and times of every file under agents/, which cost ~1.1 s of a 1.7 s search at 10,000
agents (issue 13).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from dataclasses import asdict
from pathlib import Path
from subprocess import DEVNULL, PIPE
from typing import TYPE_CHECKING

from generator.search.version import SCHEMA_VERSION

if TYPE_CHECKING:  # whoosh is imported only to query or build (~0.1 s of start-up)
    from generator.search.index import SearchResults

CACHE = Path(".cache") / "search"
INPUTS = ("moderation.yaml", "mkdocs.yml")
STAMP = "FINGERPRINT"


class SearchError(Exception):
    """The catalog cannot be searched (invalid catalog, missing settings...)."""


def fingerprint(root: Path) -> str:
    """A hash of what the index is built from, cheap enough to check on every search."""
    return _Fingerprint(root).result()


class _Fingerprint:
    """The fingerprint, its git processes started at once and in parallel, so their ~0.2 s of
    CPU on 10,000 agents overlaps the imports of the query path (whoosh) in this process."""

    def __init__(self, root: Path) -> None:
        self.root = root
        status = [*_STATUS, "--", "agents", *INPUTS]
        try:
            self.running = [
                subprocess.Popen(a, cwd=root, stdout=PIPE, stderr=DEVNULL) for a in (_HEAD, status)
            ]
        except OSError:
            self.running = []

    def result(self) -> str:
        lines = [SCHEMA_VERSION, *self._git_state()]
        if len(lines) > 1:
            return hashlib.sha256("\n".join(lines).encode()).hexdigest()
        for folder, dirs, files in os.walk(self.root / "agents"):
            dirs.sort()
            lines += [_stat(Path(folder, name), self.root) for name in sorted(files)]
        lines += [_stat(self.root / name, self.root) for name in INPUTS]
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()

    def _git_state(self) -> list[str]:
        """HEAD, and each input git does not vouch for (changed, new, ignored) with its size
        and time (status prints paths from the top of the repository); [] outside a git
        checkout."""
        outputs = [(p.communicate()[0], p.returncode) for p in self.running]
        if len(outputs) != 2 or any(code for _, code in outputs):
            return []
        (head, _), (changed, _) = outputs
        entries = iter(changed.decode("utf-8", "surrogateescape").split("\0"))
        paths: set[str] = set()
        for entry in entries:
            paths.add(entry[3:])
            if entry[:1] in ("R", "C"):  # `XY new`, then the old path in the next entry
                paths.add(next(entries, ""))
        paths.discard("")
        top, _, commit = head.decode("utf-8", "surrogateescape").strip().partition("\n")
        return [commit, *(_stat(Path(top, p), Path(top)) for p in sorted(paths))]


_HEAD = ["git", "rev-parse", "--show-toplevel", "HEAD"]
_STATUS = ["git", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=matching"]


def _stat(path: Path, root: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return ""
    return f"{path.relative_to(root).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}"


def ensure_index(root: Path, started: _Fingerprint | None = None) -> Path:
    """The index directory of `root`, built or refreshed when its inputs changed. The loader
    (validation, history, the pydantic model: ~1.9 s of imports on a loaded 2-core machine) is
    imported only when the index is stale."""
    index_dir = root / CACHE
    current = (started or _Fingerprint(root)).result()
    stamp = index_dir / STAMP
    if stamp.is_file() and stamp.read_text("utf-8") == current:
        return index_dir
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
    stamp.write_text(current, "utf-8")
    return index_dir


def run_search(
    root: Path,
    query: str,
    tag: str | None,
    plugin: str | None,
    owner: str | None,
    limit: int,
    as_json: bool,
) -> str:
    """Refresh the index if needed, search it, and format the results."""
    from generator.checks.problems import UsageError

    if not (root / "agents").is_dir():
        raise UsageError(f"no agents/ folder in {root}")
    started = _Fingerprint(root)  # git runs while whoosh is imported
    from generator.search.index import search

    index_dir = ensure_index(root, started)
    results = search(index_dir, query, tag=tag, plugin=plugin, owner=owner, limit=limit)
    filters = {"tag": tag, "plugin": plugin, "owner": owner}
    return to_json(results, filters) if as_json else to_text(results)


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
    doc = {
        "query": results.query,
        "filters": {k: v for k, v in filters.items() if v},
        "total": results.total,
        "did_you_mean": results.did_you_mean,
        "results": [asdict(h) for h in results.hits],
    }
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)
