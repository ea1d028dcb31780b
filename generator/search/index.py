"""The search index: whoosh, built from the Catalog, queried by `catalog search` (`query`).

This module and `query` are the only ones that import whoosh (whoosh-ng, pinned; whoosh-reloaded
is the fallback, both import as `whoosh`). The index is incremental: each document stores a
digest of its fields, so a build re-indexes only agents whose search document changed and
deletes agents that left the listing (removed, moved, delisted).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.index import Index

from generator.search.browser_index import browser_assets
from generator.search.documents import SearchDoc, plugin_keys, search_docs
from generator.search.query import STEM as _STEM
from generator.search.query import TEXT_FIELDS as _TEXT_FIELDS
from generator.search.query import Hit, SearchResults, search
from generator.search.version import SCHEMA_VERSION

if TYPE_CHECKING:  # the model (pydantic) is not needed to query: ~0.15 s of start-up
    from generator.catalog.model import Catalog

__all__ = ["Hit", "IndexStats", "SearchResults", "browser_assets", "build_index", "search"]

_STORED = ("ref", "owner", "slug", "name", "summary", "version", "url")


def _schema() -> Schema:
    text = {f: TEXT(analyzer=_STEM, stored=f in _STORED) for f in _TEXT_FIELDS}
    return Schema(
        ref=ID(stored=True, unique=True, sortable=True),
        owner_id=ID,
        tag=KEYWORD(commas=True, lowercase=True),
        plugin=KEYWORD(commas=True, lowercase=True),
        spell=TEXT(analyzer=StandardAnalyzer(minsize=2), spelling=True),
        version=STORED,
        url=STORED,
        digest=STORED,
        **text,
    )


@dataclass(frozen=True)
class IndexStats:
    """What a build did to the index."""

    added: int
    updated: int
    removed: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


def build_index(catalog: Catalog, index_dir: Path) -> IndexStats:
    """Create or update the index in `index_dir` so it holds exactly the listed agents."""
    ix = _open_for_writing(index_dir)
    docs = {d.ref: d for d in search_docs(catalog)}
    with ix.searcher() as searcher:
        stored = {f["ref"]: f["digest"] for f in searcher.reader().all_stored_fields()}
    changed = [d for ref, d in docs.items() if stored.get(ref) != d.digest]
    gone = sorted(set(stored) - set(docs))
    if changed or gone:
        writer = ix.writer(limitmb=128)
        for ref in gone:
            writer.delete_by_term("ref", ref)
        for doc in changed:
            writer.update_document(**_fields(doc))
        writer.commit()
    added = sum(d.ref not in stored for d in changed)
    return IndexStats(added, len(changed) - added, len(gone), len(docs) - len(changed))


def _open_for_writing(index_dir: Path) -> Index:
    marker = index_dir / "SCHEMA_VERSION"
    if whoosh_index.exists_in(str(index_dir)) and _read(marker) == SCHEMA_VERSION:
        return whoosh_index.open_dir(str(index_dir))
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(index_dir), _schema())
    marker.write_text(SCHEMA_VERSION, "utf-8")
    return ix


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except OSError:
        return ""


def _fields(doc: SearchDoc) -> dict[str, Any]:
    fields: dict[str, Any] = {f: doc.field_text(f) for f in _TEXT_FIELDS}
    keys = sorted({k for p in doc.plugins for k in plugin_keys(p)})
    spell = [
        doc.name,
        doc.slug,
        doc.owner,
        doc.summary,
        *doc.topics,
        fields["tags"],
        fields["plugins"],
    ]
    return fields | {
        "ref": doc.ref,
        "owner_id": doc.owner,
        "tag": ",".join(doc.tags),
        "plugin": ",".join(keys),
        "spell": " ".join(spell).replace("-", " "),
        "version": doc.version,
        "url": doc.url,
        "digest": doc.digest,
    }
