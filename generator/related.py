"""Related agents: for each listed agent, the listed agents most like it by shared tags, plugins
and words (name, summary, character topics and bio), for the whole catalog at once.

whoosh's `more_like_this` costs ~15 ms per agent (~150 s at 10,000, DESIGN.md). Here each agent
is a TF-IDF vector, L2-normalised (a tag weighs most, then a word, then a plugin; words cut to
the agent's KEYWORDS best), and the similarity is the cosine between every pair, in blocks of
rows: features in more than `cap` agents (vocabulary tags, usual plugins) form a small dense
matrix (one product per block), rarer ones an inverted index (accumulated with `bincount`).

A score is the cosine rounded to 9 decimals, ties going to the smaller ref. A float sum depends
on its order (dense/rare split, block, BLAS kernel), so the score is defined as the exact sum of
the products (`math.fsum`) rounded: the fast sum is a few ulps from it, and the rare pairs where
that could tip the rounding are summed again with fsum. A score thus depends on the two vectors
only, never on how or beside which rows it was computed -- what makes the cache below exact.

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

import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from .catalog import Catalog
from .search_docs import SearchDoc, search_docs, terms

WEIGHTS = {"t": 3.0, "w": 1.0, "p": 0.5}
"""Feature kinds: tags, words, plugins. A shared tag says more than a shared word."""
KEYWORDS = 12
"""Words kept per agent, its most distinctive: a long bio adds noise and, through mid-frequency
words, most of the work (rich text at 10,000 agents: 7.3 s with every word, 2.8 s with 12)."""
BLOCK = 1 << 19
"""Scores computed at once (4 MB: 52 rows at 10,000 agents): blocks that stay in cache score 2-3x
faster than 256-row blocks (20 MB)."""
FULL = 0.5
"""`RelatedCache` recomputes everything when more than this share of the vectors changed."""
FLOOR = 3e-10
"""Below this a score rounds to 0 whatever its summation order."""

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]
Vector = dict[str, float]
Cut = tuple[float, str] | None
"""The value and name of an agent's weakest kept word, when some words were cut."""
Vecs = Sequence[Vector]
Raw = Counter[str]
Top = Mapping[str, tuple[str, ...]]


def features(doc: SearchDoc) -> Counter[str]:
    """Raw feature counts of one agent: t:<tag>, p:<plugin>, w:<term>."""
    found: Counter[str] = Counter(f"t:{t}" for t in doc.tags)
    found.update(f"p:{p}" for p in doc.plugins)
    found.update(terms(" . ".join([doc.name, doc.summary, *doc.topics, doc.bio])))
    return Counter({(k if ":" in k else f"w:{k}"): v for k, v in found.items()})


def _value(f: str, count: int, n: int, df: int) -> float:
    return WEIGHTS[f[0]] * (1 + math.log(count)) * math.log(1 + n / df)


def vector(raw: Counter[str], df: Mapping[str, int], n: int, unit: Vector) -> tuple[Vector, Cut]:
    """The TF-IDF vector of one agent, L2-normalised, words cut to its KEYWORDS best; `unit`
    holds each feature's value at count 1 (most counts)."""
    vec = {f: unit[f] if c == 1 else _value(f, c, n, df[f]) for f, c in raw.items()}
    words = [f for f in vec if f[0] == "w"]
    cut: Cut = None
    if len(words) > KEYWORDS:
        words.sort()
        words.sort(key=vec.__getitem__, reverse=True)  # stable: best value, then name
        cut = (vec[words[KEYWORDS - 1]], words[KEYWORDS - 1])
        for f in words[KEYWORDS:]:
            del vec[f]
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {f: v / norm for f, v in sorted(vec.items())}, cut


def vectors(docs: Sequence[SearchDoc]) -> list[Vector]:
    """The vectors of a catalog's documents."""
    raw = [features(d) for d in docs]
    df: Counter[str] = Counter(f for r in raw for f in r)
    unit = {f: _value(f, 1, len(docs), d) for f, d in df.items()}
    return [vector(r, df, len(docs), unit)[0] for r in raw]


@dataclass(frozen=True)
class Matrix:
    """Vectors as a dense part (common features: N x C) and an inverted index of the others:
    row r has entries row_ptr[r]:row_ptr[r+1] of feat/weight, feature f is in rows
    col_rows[col_ptr[f]:col_ptr[f+1]] (with col_weight)."""

    dense: Floats
    row_ptr: Ints
    feat: Ints
    weight: Floats
    col_ptr: Ints
    col_rows: Ints
    col_weight: Floats


def matrix(ids: Sequence[Ints], weights: Sequence[Floats], n_features: int, cap: int) -> Matrix:
    """Rows of (feature id, weight) as a Matrix; features in more than `cap` rows go dense."""
    lengths = np.array([len(i) for i in ids], dtype=np.int64)
    feat, weight = np.concatenate([*ids, _INTS]), np.concatenate([*weights, _FLOATS])
    owner = np.repeat(np.arange(len(ids), dtype=np.int64), lengths)
    df = np.bincount(feat, minlength=n_features)
    common, in_dense = df > cap, (df > cap)[feat]
    dense = np.zeros((len(ids), int(common.sum())))
    dense[owner[in_dense], (np.cumsum(common) - 1)[feat[in_dense]]] = weight[in_dense]
    rare = ~in_dense & (df[feat] > 1)  # a feature of one row adds to no pair
    feat, weight, owner = feat[rare], weight[rare], owner[rare]
    row_ptr = np.concatenate(([0], np.cumsum(np.bincount(owner, minlength=len(ids)))))
    col_ptr = np.concatenate(([0], np.cumsum(np.bincount(feat, minlength=n_features))))
    order = np.argsort(feat, kind="stable")
    return Matrix(dense, row_ptr, feat, weight, col_ptr, owner[order], weight[order])


_INTS: Ints = np.zeros(0, dtype=np.int64)
_FLOATS: Floats = np.zeros(0)


def _ranges(starts: Ints, lengths: Ints) -> Ints:
    ends = np.cumsum(lengths)
    return np.arange(ends[-1] if len(ends) else 0) + np.repeat(starts - ends + lengths, lengths)


def raw_scores(m: Matrix, rows: Ints) -> Floats:
    """Unrounded cosines of `rows` against every row (self-similarity set to 0)."""
    n = m.dense.shape[0]
    scores: Floats = m.dense[rows] @ m.dense.T
    lengths = m.row_ptr[rows + 1] - m.row_ptr[rows]
    entries = _ranges(m.row_ptr[rows], lengths)
    feats = m.feat[entries]
    per = m.col_ptr[feats + 1] - m.col_ptr[feats]
    src = _ranges(m.col_ptr[feats], per)
    keys = np.repeat(np.repeat(np.arange(len(rows)), lengths), per) * n + m.col_rows[src]
    values = np.repeat(m.weight[entries], per) * m.col_weight[src]
    scores += np.bincount(keys, values, minlength=len(rows) * n).reshape(len(rows), n)
    scores[np.arange(len(rows)), rows] = 0.0
    return scores


def rounded(s: Floats, rows: Ints, cols: Ints, vecs: Vecs, tol: float) -> Floats:
    """Scores s of pairs (rows, cols) rounded to 9 decimals as their exact sum rounds: where s is
    within `tol` (in units of 1e-9: more than its float error) of a rounding boundary, the pair
    is summed again with fsum."""
    out: Floats = np.round(s, 9)
    scaled = s * 1e9
    for k in np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) <= tol):
        a, b = vecs[rows[k]], vecs[cols[k]]
        out[k] = np.round(math.fsum(w * b[f] for f, w in a.items() if f in b), 9)
    return out


def nonzero(mask: Bools) -> tuple[Ints, Ints]:
    """np.nonzero of a 2-D mask, ten times faster."""
    i, j = np.divmod(np.flatnonzero(mask), mask.shape[1])
    return i, j


def best(s: Floats, rows: Ints, k: int, vecs: Vecs, tol: float) -> tuple[Ints, Ints, Floats, Bools]:
    """The entries (row, column, rounded score) of score rows s that may be among the k best of
    their row, and per row whether they include every positive score."""
    n = s.shape[1]
    groups = min(4 * k, n)  # k groups with maxima >= kth hold k entries >= kth
    peaks = np.maximum.reduceat(s, np.arange(groups) * n // groups, axis=1)
    kth = np.partition(peaks, groups - k, axis=1)[:, groups - k] if k < groups else 0 * s[:, 0]
    lower = np.maximum(kth - 3e-9, FLOOR)  # rounding moves a score by less than 1e-9
    i, col = nonzero(s >= lower[:, None])
    val = rounded(s[i, col], rows[i], col, vecs, tol)
    pos = val > 0
    return rows[i][pos], col[pos], val[pos], lower == FLOOR


def within(
    s: Floats, rows: Ints, last: tuple[Floats, Ints], everything: Bools, vecs: Vecs, tol: float
) -> tuple[Ints, Ints, Floats]:
    """The entries (column x, row, rounded score) of score rows s that rank at or before x's
    last stored (score, column), or anywhere if x's list holds `everything`."""
    last_val, last_col = last
    i, x = nonzero(s >= np.where(everything, FLOOR, np.maximum(last_val - 1e-9, FLOOR)))
    val = rounded(s[i, x], rows[i], x, vecs, tol)
    before = (val > last_val[x]) | ((val == last_val[x]) & (rows[i] < last_col[x]))
    ok = (val > 0) & (everything[x] | before)
    return x[ok], rows[i][ok], val[ok]


def blocks(rows: Ints, n: int) -> Iterator[Ints]:
    """`rows` in blocks of about BLOCK scores against n columns."""
    step = max(1, BLOCK // max(1, n))
    return (rows[i : i + step] for i in range(0, len(rows), step))


def ranked(x: Ints, col: Ints, val: Floats) -> tuple[Ints, Ints, Floats, Ints]:
    """Entries (row x, column, score) sorted by row, then best score, then column; and the rank
    of each within its row."""
    order = np.lexsort((col, -val, x))
    x, col, val = x[order], col[order], val[order]
    return x, col, val, np.arange(len(x)) - np.searchsorted(x, x)


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
        self.where: dict[str, list[int]] = {}  # rows having each feature
        self.vecs: list[Vector] = []
        self.cuts: list[Cut] = []
        self.vocab: dict[str, int] = {}  # feature ids of the matrix
        self.ids: list[Ints] = []  # each vector's feature ids and weights
        self.weights: list[Floats] = []
        self.top_col: Ints = np.zeros((0, 0), dtype=np.int64)
        """Best columns of each row, best first, -1 past top_len: a prefix of the row's ranking,
        all its positive scores if `complete`."""
        self.top_val: Floats = np.zeros((0, 0))
        self.top_len: Ints = _INTS
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
        n, self.raw, self.df, self.where = len(raw), raw, Counter(), {}
        for i, r in enumerate(raw):
            self.df.update(r.keys())
            for f in r:
                self.where.setdefault(f, []).append(i)
        self.unit = {f: _value(f, 1, n, d) for f, d in self.df.items()}
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

    def _update(self, raw: list[Raw], cap: int) -> None:
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
                self.unit[f] = _value(f, 1, n, self.df[f])
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
                value = unit if c == 1 else _value(f, c, n, df)
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
        found = [(_INTS, _INTS, _FLOATS)]
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
