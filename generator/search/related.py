"""Related agents: for each listed agent, the listed agents most like it by shared tags, plugins
and words (name, summary, character topics and bio), for the whole catalog at once.

`RelatedCache` (`catalog serve`) keeps per row its best 2 x limit columns, a prefix of its
ranking. When agents change but not the set of refs, the features whose document frequency
moved (F) give the rows whose vectors changed (R: edited rows, rows keeping a feature of F, rows
a word of F now enters past their KEYWORDS cut). R's rows are scored afresh. Any other row x
only changed against R (scores are symmetric: R's rows give them): its new prefix is its old
one without R, merged with R's new scores that rank before the old prefix's last entry; a row
left with fewer than `limit` sure columns is scored afresh. Added or removed agents (every IDF
moves), another limit, or R over half the rows: everything is recomputed.

"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from types import MappingProxyType

import numpy as np

from generator.catalog.model import Catalog
from generator.search.documents import SearchDoc, search_docs
from generator.search.similarity import (
    NO_FLOATS,
    NO_INTS,
    Bools,
    Cut,
    Floats,
    Ints,
    Matrix,
    Raw,
    Top,
    Vector,
    best,
    blocks,
    feature_value,
    features,
    matrix,
    nonzero,
    ranked,
    raw_scores,
    vector,
    within,
)

FULL = 0.5
"""`RelatedCache` recomputes everything when more than this share of the vectors changed."""


class RelatedCache:
    """What a long-running build keeps between calls, in memory: per ref its doc and features,
    document frequencies and postings, vectors, and per row its best 2 x limit columns."""

    def __init__(self, full: float = FULL) -> None:
        self.full = full
        """Recompute everything when more than this share of the vectors changed."""
        self.last_rows_recomputed = 0
        """Score rows the last call computed: N on a full run, 0 when no vector changed."""
        self.limit = -1
        self.refs: list[str] = []
        self.docs: dict[str, tuple[SearchDoc, Raw]] = {}  # by ref: the doc and its features
        self.raw: list[Raw] = []  # by row (docs sorted by ref), as are the lists below
        self.df: Counter[str] = Counter()
        self.unit: Vector = {}  # each feature's value at count 1
        self.where: dict[str, list[int]] = {}  # rows having each feature, once `indexed`
        self.indexed = False
        self.vecs: list[Vector] = []
        self.cuts: list[Cut] = []
        self.vocab: dict[str, int] = {}  # feature ids of the matrix
        self.ids: list[Ints] = []  # each vector's feature ids and weights
        self.weights: list[Floats] = []
        self.top_col: Ints = np.zeros((0, 0), dtype=np.int64)
        """Best columns of each row, best first, -1 past top_len: a prefix of the row's ranking,
        all its positive scores if `complete`."""
        self.top_val: Floats = np.zeros((0, 0))
        self.top_len: Ints = NO_INTS
        self.complete: Bools = np.zeros(0, dtype=np.bool_)
        self.result: Top = MappingProxyType({})

    def update(self, docs: Sequence[SearchDoc], limit: int, cap: int) -> Top:
        """ref -> related refs for `docs` (sorted by ref), reusing what the last call computed."""
        try:
            raw = [self._features(d) for d in docs]
            self.docs = {d.ref: (d, r) for d, r in zip(docs, raw, strict=True)}
            if len(self.docs) < len(docs):
                raise ValueError("related agents: two documents have the same ref")
            refs = [d.ref for d in docs]
            if limit == self.limit and refs == self.refs:
                self._update(raw, cap)
            else:
                self.limit, self.refs = limit, refs
                self._full(raw, cap)
            return self.result
        except BaseException:
            self.limit = -1  # half-updated: the next call starts afresh
            raise

    def _full(self, raw: list[Raw], cap: int) -> None:
        n, self.raw, self.df, self.where, self.indexed = len(raw), raw, Counter(), {}, False
        for r in raw:
            self.df.update(r.keys())
        self.unit = {f: feature_value(f, 1, n, d) for f, d in self.df.items()}
        pairs = [vector(r, self.df, n, self.unit) for r in raw]
        self.vecs, self.cuts, self.vocab = [v for v, _ in pairs], [c for _, c in pairs], {}
        ids = [self.vocab.setdefault(f, len(self.vocab)) for v in self.vecs for f in v]
        weights = [w for v in self.vecs for w in v.values()]
        ends = np.cumsum([len(v) for v in self.vecs]).tolist()
        spans = list(zip([0, *ends], ends, strict=False))
        self.ids = [a[i:j] for a in [np.array(ids, np.int64)] for i, j in spans]
        self.weights = [a[i:j] for a in [np.array(weights, np.float64)] for i, j in spans]
        self._score_all(cap)

    def _features(self, doc: SearchDoc) -> Raw:
        old, raw = self.docs.get(doc.ref, (doc, None))
        return raw if raw is not None and _read(old) == _read(doc) else features(doc)

    def _score_all(self, cap: int) -> None:
        n, k = len(self.refs), 2 * self.limit
        self.top_col, self.top_val = np.full((n, k), -1, dtype=np.int64), np.zeros((n, k))
        self.top_len, self.complete = np.zeros(n, dtype=np.int64), np.ones(n, dtype=np.bool_)
        m, tol, at = *self._matrix(cap), np.arange(n)
        for rows in blocks(at, n):
            self._recompute(rows, m, tol)
        self.result = MappingProxyType(dict(zip(self.refs, self._related(at), strict=True)))
        self.last_rows_recomputed = n

    def _matrix(self, cap: int) -> tuple[Matrix, float]:
        """The matrix, and the tolerance of `rounded`: however summed, the k products of two unit
        vectors are within (3k + 2) x 2^-53 of their exact sum."""
        longest = max((len(v) for v in self.vecs), default=0)
        tol = 1e9 * (4 * longest + 4) * 2.0**-53 + 1e-6  # 1e-6: scaling by 1e9 rounds too
        return matrix(self.ids, self.weights, len(self.vocab), cap), tol

    def _recompute(self, rows: Ints, m: Matrix, tol: float, s: Floats | None = None) -> None:
        s = raw_scores(m, rows) if s is None else s
        self._store(rows, *best(s, rows, self.top_col.shape[1], self.vecs, tol))

    def _store(self, rows: Ints, x: Ints, col: Ints, val: Floats, exhaustive: Bools) -> Ints:
        """Set the best columns of `rows` from their entries (x, col, val); their counts."""
        x, col, val, rank = ranked(x, col, val)
        k = self.top_col.shape[1]
        count = np.bincount(x, minlength=len(self.refs))[rows]
        self.top_col[rows], self.top_val[rows] = -1, 0.0
        sure = rank < k
        self.top_col[x[sure], rank[sure]] = col[sure]
        self.top_val[x[sure], rank[sure]] = val[sure]
        self.top_len[rows] = np.minimum(count, k)
        self.complete[rows] = exhaustive & (count <= k)
        return count

    def _related(self, rows: Ints) -> list[tuple[str, ...]]:
        tops: list[list[int]] = self.top_col[rows, : self.limit].tolist()
        return [tuple(self.refs[c] for c in top if c >= 0) for top in tops]

    def _index(self) -> None:
        """`where`, from the rows' features: made by the first update, not by a full run, which
        a one-shot build never follows with an update (~3 million row numbers at 10,000 agents)."""
        if not self.indexed:
            for i, r in enumerate(self.raw):
                for f in r:
                    self.where.setdefault(f, []).append(i)
            self.indexed = True

    def _update(self, raw: list[Raw], cap: int) -> None:
        self._index()
        old, self.raw, n = self.raw, raw, len(raw)
        edited = [i for i, (a, b) in enumerate(zip(raw, old, strict=True)) if a is not b and a != b]
        moved: Counter[str] = Counter()
        for i in edited:
            for f in old[i].keys() - raw[i].keys():
                moved[f] -= 1
                self.where[f].remove(i)
            for f in raw[i].keys() - old[i].keys():
                moved[f] += 1
                self.where.setdefault(f, []).append(i)
        for f in [f for f, d in moved.items() if d]:
            self.df[f] += moved[f]
            if self.df[f]:
                self.unit[f] = feature_value(f, 1, n, self.df[f])
            else:
                del self.df[f], self.unit[f], self.where[f]
        changed = self._changed(edited, {f: d for f, d in moved.items() if d})
        self.last_rows_recomputed = len(changed)
        if len(changed) > self.full * n:
            self._score_all(cap)
        elif len(changed):
            self._rescore(changed, cap)

    def _changed(self, edited: list[int], moved: dict[str, int]) -> Ints:
        """R: the rows whose vector changed, with their vectors updated."""
        n, suspects = len(self.raw), set(edited)
        for f, d in moved.items():
            rows = self.where.get(f, [])
            if d > 0 or f[0] != "w":  # a word less valuable, or a tag or plugin (always kept)
                suspects.update(i for i in rows if f in self.vecs[i])
                continue
            unit, df = self.unit.get(f, 0.0), self.df[f]  # a word worth more: may pass a cut
            for i in rows:
                c, cut = self.raw[i][f], self.cuts[i]
                value = unit if c == 1 else feature_value(f, c, n, df)
                if f in self.vecs[i] or (cut is not None and value >= cut[0]):
                    suspects.add(i)
        changed = []
        for i in sorted(suspects):
            vec, self.cuts[i] = vector(self.raw[i], self.df, n, self.unit)
            if vec != self.vecs[i]:
                ids = (self.vocab.setdefault(f, len(self.vocab)) for f in vec)
                self.ids[i] = np.fromiter(ids, np.int64, len(vec))
                self.weights[i] = np.fromiter(vec.values(), np.float64, len(vec))
                self.vecs[i] = vec
                changed.append(i)
        return np.array(changed, dtype=np.int64)

    def _rescore(self, changed: Ints, cap: int) -> None:
        """Score R's rows afresh; merge R's new scores into the stored best of the others."""
        n, (m, tol) = len(self.refs), self._matrix(cap)
        before = self.top_col[:, : self.limit].copy()
        at, end = np.arange(n), np.maximum(self.top_len - 1, 0)
        last = self.top_val[at, end], self.top_col[at, end]
        complete, everything = self.complete.copy(), self.complete.copy()
        last[0][changed], everything[changed] = np.inf, False  # R's rows are scored afresh
        found = [(NO_INTS, NO_INTS, NO_FLOATS)]
        for rows in blocks(changed, n):
            s = raw_scores(m, rows)
            self._recompute(rows, m, tol, s)
            found.append(within(s, rows, last, everything, self.vecs, tol))
        in_r = np.zeros(n, dtype=np.bool_)
        in_r[changed] = True
        stale = (self.top_col >= 0) & in_r[self.top_col]
        new_x, new_col, new_val = (np.concatenate(a) for a in zip(*found, strict=True))
        hit = np.count_nonzero(stale, axis=1) > 0
        hit[new_x], hit[changed] = True, False
        rows = np.flatnonzero(hit)
        i, j = nonzero((self.top_col[rows] >= 0) & ~stale[rows])
        x = np.concatenate((rows[i], new_x))
        col = np.concatenate((self.top_col[rows][i, j], new_col))
        val = np.concatenate((self.top_val[rows][i, j], new_val))
        count = self._store(rows, x, col, val, complete[rows])
        redo = rows[~complete[rows] & (count < self.limit)]  # too few sure columns left
        for part in blocks(redo, n):
            self._recompute(part, m, tol)
        self.last_rows_recomputed += len(redo)
        result = dict(self.result)
        moved = np.flatnonzero((before != self.top_col[:, : self.limit]).any(axis=1))
        result.update(zip([self.refs[r] for r in moved], self._related(moved), strict=True))
        self.result = MappingProxyType(result)


def _read(d: SearchDoc) -> tuple[object, ...]:
    """What `features` reads of a doc."""
    return d.bio, d.summary, d.name, d.tags, d.plugins, d.topics


def related_for_docs(
    docs: Sequence[SearchDoc],
    limit: int = 5,
    cap: int | None = None,
    cache: RelatedCache | None = None,
) -> Top:
    """ref -> refs of up to `limit` related docs, most related first (docs sorted by unique ref);
    features in more than `cap` docs are scored dense, which never changes the result."""
    if limit < 1:
        return MappingProxyType({d.ref: () for d in docs})
    cap = cap if cap is not None else max(50, len(docs) // 10)
    return (cache if cache is not None else RelatedCache()).update(docs, limit, cap)


def related_agents(
    catalog: Catalog,
    limit: int = 5,
    common_cap: int | None = None,
    cache: RelatedCache | None = None,
) -> Top:
    """ref -> refs of up to `limit` related listed agents, most related first. Pass the same
    `cache` on every build of a long-running process to recompute only what an edit changed."""
    docs = sorted(search_docs(catalog), key=lambda d: d.ref)
    return related_for_docs(docs, limit, common_cap, cache)
