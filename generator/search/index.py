"""The search index: whoosh, built from the Catalog, queried by `catalog search`.

This is the only module that imports whoosh (whoosh-ng, pinned; whoosh-reloaded is the fallback,
both import as `whoosh`). The index is incremental: each document stores a digest of its fields,
so a build re-indexes only agents whose search document changed and deletes agents that left
the listing (removed, moved, delisted).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index
from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.index import EmptyIndexError, Index
from whoosh.query import And, Every, NullQuery, Or, Query, Term
from whoosh.searching import Searcher

from generator.search.browser_index import browser_assets
from generator.search.documents import FIELD_BOOSTS, SearchDoc, plugin_keys, search_docs
from generator.search.version import SCHEMA_VERSION

if TYPE_CHECKING:  # the model (pydantic) is not needed to query: ~0.15 s of start-up
    from generator.catalog.model import Catalog

__all__ = ["Hit", "IndexStats", "SearchResults", "browser_assets", "build_index", "search"]

_STEM = StemmingAnalyzer()
_TEXT_FIELDS = tuple(FIELD_BOOSTS)
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


@dataclass(frozen=True)
class Hit:
    """One ranked result."""

    ref: str
    name: str
    version: str
    summary: str
    url: str
    score: float


@dataclass(frozen=True)
class SearchResults:
    """Ranked hits (best first, ties by ref), the number of matches, and a correction."""

    query: str
    hits: tuple[Hit, ...]
    total: int
    did_you_mean: str | None = None
    """The query with misspelt words replaced by indexed words, when any word was unknown."""


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


def search(
    index_dir: Path,
    query: str,
    tag: str | None = None,
    plugin: str | None = None,
    owner: str | None = None,
    limit: int = 10,
) -> SearchResults:
    """Ranked listed agents matching `query` (any word; misspelt words match their nearest
    indexed words), optionally only those with a tag, a plugin or an owner."""
    with _searcher(index_dir) as searcher:
        words = [t.text for t in StandardAnalyzer(minsize=1)(query)]
        parts, fixed = _word_queries(searcher, words)
        main: Query = Or(parts) if parts else Every() if not words else NullQuery
        found = searcher.search(main, limit=None, filter=_filters(tag, plugin, owner))
        hits = tuple(
            _hit(searcher, score, docnum) for score, docnum in _ranked(searcher, found.top_n, limit)
        )
        return SearchResults(
            query, hits, len(found.top_n), " ".join(fixed) if fixed != words else None
        )


def _ranked(
    searcher: Searcher, top: list[tuple[float, int]], limit: int
) -> list[tuple[float, int]]:
    """Best first; equal scores by ref, so results never depend on the index's history."""
    refs = searcher.reader().column_reader("ref")
    return sorted(top, key=lambda sd: (-round(sd[0], 6), refs[sd[1]]))[: max(limit, 0)]


def _hit(searcher: Searcher, score: float, docnum: int) -> Hit:
    f = searcher.stored_fields(docnum)
    return Hit(f["ref"], f["name"], f["version"], f["summary"], f["url"], round(score, 4))


@contextmanager
def _searcher(index_dir: Path) -> Iterator[Searcher]:
    try:
        ix = whoosh_index.open_dir(str(index_dir))
    except (EmptyIndexError, OSError):
        raise FileNotFoundError(f"no search index in {index_dir}") from None
    with ix.searcher() as searcher:
        yield searcher


def _word_queries(searcher: Searcher, words: list[str]) -> tuple[list[Query], list[str]]:
    """One query per word over every field; an unknown word becomes its nearest known words."""
    parts: list[Query] = []
    fixed: list[str] = []
    for word in words:
        if _known(searcher, word):
            parts.append(_word_query(word))
            fixed.append(word)
            continue
        near = _corrections(searcher, word)
        parts.extend(_word_query(n, 0.6) for n in near)
        fixed.append(near[0] if near else word)
    return parts, fixed


def _word_query(word: str, weight: float = 1.0) -> Query:
    stems = [t.text for t in _STEM(word)]
    if not stems:
        return NullQuery
    per_field = [Term(f, s, boost=FIELD_BOOSTS[f] * weight) for f in _TEXT_FIELDS for s in stems]
    return Or(per_field)


def _known(searcher: Searcher, word: str) -> bool:
    stems = [t.text for t in _STEM(word)]
    reader = searcher.reader()
    return not stems or any((f, s) in reader for f in _TEXT_FIELDS for s in stems)


def _corrections(searcher: Searcher, word: str) -> list[str]:
    """Indexed words the word begins (a word typed partly), else the words within one edit or
    one swap of neighbouring letters (two edits for words of eight letters or more), most
    frequent first. A swap is two edits for whoosh, so `discrod` once found nothing."""
    if len(word) < 3:
        return []
    reader = searcher.reader()
    begun = [w for w in map(_text, islice(reader.expand_prefix("spell", word), 100)) if w != word]
    if begun:
        return sorted(begun, key=lambda w: (-reader.doc_frequency("spell", w), w))[:3]
    swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    swapped = {w for w in swaps if ("spell", w) in reader}
    for maxdist in (1, 2) if len(word) >= 8 else (1,):
        # Per segment: a segment reader walks its word list with an automaton, while the
        # multi-segment reader left by an incremental build would scan every word (~20x slower).
        near = swapped | {
            _text(w)
            for leaf, _ in reader.leaf_readers()
            for w in leaf.terms_within("spell", word, maxdist)
        } - {word}
        if near:
            return sorted(near, key=lambda w: (-reader.doc_frequency("spell", w), w))[:3]
    return []


def _text(term: str | bytes) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


def _filters(tag: str | None, plugin: str | None, owner: str | None) -> Query | None:
    terms: list[Query] = []
    if tag:
        terms.append(Term("tag", tag.lower()))
    if plugin:
        terms.append(Term("plugin", plugin.lower()))
    if owner:
        terms.append(Term("owner_id", owner.lower()))
    return And(terms) if terms else None
