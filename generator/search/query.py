"""Queries of the whoosh index for `catalog search`, apart from `index` (the build) so that a
query imports whoosh's reading side and nothing of the catalog: `index` brings the browser index,
the capabilities table and YAML (~0.1 s of a search's start-up, issue 13).
"""

from __future__ import annotations

import gc
import heapq
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from generator.deferred import deferred
from generator.search.version import FIELD_BOOSTS

DEFERRED: dict[str, tuple[str, ...]] = {
    "asyncio": (),  # whoosh.index's async API, `cached_property`: with ssl and socket ~45 ms
    "whoosh.lang.morph_en": ("variations",),  # the Variations query's word table: ~5 ms
    "calendar": (),  # whoosh.util.times, for date fields: ~3 ms
    "html": ("escape",),  # highlighting: ~1.5 ms
    "tempfile": (),  # whoosh.filedb.filestore, for temporary storage: ~0.5 ms
    "shutil": ("copyfileobj",),  # whoosh.filedb.compound, to write; with bz2 and lzma ~2 ms
    "random": (),  # whoosh.util, for random file names: ~1 ms
    "inspect": (),  # dataclasses, for the signature of a class without a docstring: ~9 ms
}
"""What whoosh imports for what a query never runs, and the functions it takes from them at
import time (CPU with `python -X importtime` on this machine)."""

_COLLECTING = gc.isenabled()
gc.disable()  # whoosh's imports make ~8,400 objects that live as long as the process: the
# collections they set off (~3% of a search's CPU under `perf`) would find nothing to free
try:
    with deferred(*DEFERRED, functions=DEFERRED):
        from dataclasses import dataclass

        from whoosh import index as whoosh_index
        from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer
        from whoosh.codec import whoosh3  # noqa: F401  (imported by the first open, else)
        from whoosh.filedb import compound
        from whoosh.filedb.structfile import BufferFile
        from whoosh.index import EmptyIndexError
        from whoosh.matching.binary import UnionMatcher
        from whoosh.query import And, Every, NullQuery, Or, Query, Term
        from whoosh.searching import Searcher
finally:
    if _COLLECTING:
        gc.enable()

__all__ = ["STEM", "TEXT_FIELDS", "Hit", "SearchResults", "search"]


class _View:
    """The reading side of a file object over a memoryview, without copying it: what whoosh's
    `StructFile` and pickle call (read, readline, seek, tell)."""

    def __init__(self, buf: memoryview) -> None:
        self._buf = buf
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._buf) if size is None or size < 0 else start + size
        data = bytes(self._buf[start:end])
        self._pos = start + len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        start = self._pos
        limit = len(self._buf) if size is None or size < 0 else min(len(self._buf), start + size)
        end = start
        while end < limit:
            chunk = bytes(self._buf[end : min(end + 256, limit)])
            newline = chunk.find(b"\n")
            if newline >= 0:
                end += newline + 1
                break
            end += len(chunk)
        self._pos = end
        return bytes(self._buf[start:end])

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._buf))[whence]
        if base + offset < 0:
            raise ValueError(f"negative seek position {base + offset}")
        self._pos = base + offset
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._buf = memoryview(b"")


class _SegmentPart(BufferFile):  # type: ignore[misc]
    """A file inside a segment, read from the segment's memory map as whoosh's `BufferFile`
    reads it, but streamed from the map (`_View`) where `BufferFile` copies it into a `BytesIO`:
    opening the index copied the 18 MB of its term and posting files at 10,000 agents (~8-15 ms
    of a search) to read a few hundred headers from them."""

    def __init__(self, buf: memoryview, name: str | None = None, onclose: Any = None) -> None:
        self._buf = buf
        self._name = name
        self.file = _View(buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False


compound.BufferFile = _SegmentPart

STEM = StemmingAnalyzer()
"""The analyzer of the text fields, shared by the build (`index`) and the queries."""
TEXT_FIELDS = tuple(FIELD_BOOSTS)


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
        found = _matches(searcher, main, _filters(tag, plugin, owner))
        hits = tuple(
            _hit(searcher, score, docnum) for score, docnum in _ranked(searcher, found, limit)
        )
        return SearchResults(query, hits, len(found), " ".join(fixed) if fixed != words else None)


def _matches(searcher: Searcher, main: Query, only: Query | None) -> list[tuple[float, int]]:
    """Every match of `main` (among those of `only`) and its score, as whoosh's unlimited
    search gives them (the same matchers, built in the same context, each document's score the
    same sum in the same order), in any order. A union of two matchers is merged here from the
    scores of each side, where whoosh stepped the whole tree of unions in Python for every
    document: ~2x faster at 10,000 agents (`support`, 4,400 matches: 35 ms before)."""
    allow = set(searcher.docs_for_query(only)) if only is not None else None
    context = searcher.context()
    found: list[tuple[float, int]] = []
    for leaf, offset in searcher.leaf_searchers():
        for docnum, score in _scores(main.matcher(leaf, context)).items():
            if allow is None or docnum + offset in allow:
                found.append((score, docnum + offset))
    return found


def _scores(matcher: Any) -> dict[int, float]:
    """The documents `matcher` matches and their scores. A union's score is its first side's
    plus its second's where both match (`UnionMatcher.score`), else the one that matches; any
    other matcher is stepped through with its own methods, as whoosh's collector does."""
    if type(matcher) is UnionMatcher:
        first, second = _scores(matcher.a), _scores(matcher.b)
        merged = second | first
        for docnum in first.keys() & second.keys():
            merged[docnum] = first[docnum] + second[docnum]
        return merged
    scores: dict[int, float] = {}
    while matcher.is_active():
        scores[matcher.id()] = matcher.score()
        matcher.next()
    return scores


def _ranked(
    searcher: Searcher, top: list[tuple[float, int]], limit: int
) -> list[tuple[float, int]]:
    """Best first; equal scores by ref, so results never depend on the index's history. Only
    the matches scoring at least the `limit`-th best have their ref read (each read was ~2 µs:
    ~10 ms for 4,000 matches), as UTF-8 bytes, whose order is that of the text; when they are
    many (every agent for an empty query), the whole column is read in one pass."""
    if limit <= 0:
        return []
    scored = [(-round(score, 6), score, docnum) for score, docnum in top]
    if len(scored) > limit:
        cut = heapq.nsmallest(limit, [key for key, _, _ in scored])[-1]
        scored = [entry for entry in scored if entry[0] <= cut]
    reader = searcher.reader()
    refs = reader.column_reader("ref", translate=False)
    if len(scored) * 4 > reader.doc_count_all():
        refs = list(refs)
    best = heapq.nsmallest(
        limit, [(key, refs[docnum], score, docnum) for key, score, docnum in scored]
    )
    return [(score, docnum) for _, _, score, docnum in best]


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
    stems = [t.text for t in STEM(word)]
    if not stems:
        return NullQuery
    per_field = [Term(f, s, boost=FIELD_BOOSTS[f] * weight) for f in TEXT_FIELDS for s in stems]
    return Or(per_field)


def _known(searcher: Searcher, word: str) -> bool:
    stems = [t.text for t in STEM(word)]
    reader = searcher.reader()
    return not stems or any((f, s) in reader for f in TEXT_FIELDS for s in stems)


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
