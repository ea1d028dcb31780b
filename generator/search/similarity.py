"""Similarity of agents for related agents: TF-IDF vectors and their exact cosine scores.

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
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from generator.search.documents import SearchDoc, terms

WEIGHTS = {"t": 3.0, "w": 1.0, "p": 0.5}
"""Feature kinds: tags, words, plugins. A shared tag says more than a shared word."""
KEYWORDS = 12
"""Words kept per agent, its most distinctive: a long bio adds noise and, through mid-frequency
words, most of the work (rich text at 10,000 agents: 7.3 s with every word, 2.8 s with 12)."""
BLOCK = 1 << 19
"""Scores computed at once (4 MB: 52 rows at 10,000 agents): blocks that stay in cache score 2-3x
faster than 256-row blocks (20 MB)."""
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
    return Counter({(k if ":" in k else _word(k)): v for k, v in found.items()})


_WORDS: dict[str, str] = {}
"""Term -> its feature name `w:<term>`, made once: a string per term of each agent was ~3
million strings at 10,000 agents."""


def _word(term: str) -> str:
    name = _WORDS.get(term)
    if name is None:
        name = _WORDS[term] = f"w:{term}"
    return name


def feature_value(f: str, count: int, n: int, df: int) -> float:
    return WEIGHTS[f[0]] * (1 + math.log(count)) * math.log(1 + n / df)


def vector(raw: Counter[str], df: Mapping[str, int], n: int, unit: Vector) -> tuple[Vector, Cut]:
    """The TF-IDF vector of one agent, L2-normalised, words cut to its KEYWORDS best; `unit`
    holds each feature's value at count 1 (most counts)."""
    vec = {f: unit[f] if c == 1 else feature_value(f, c, n, df[f]) for f, c in raw.items()}
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
    unit = {f: feature_value(f, 1, len(docs), d) for f, d in df.items()}
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
    feat, weight = np.concatenate([*ids, NO_INTS]), np.concatenate([*weights, NO_FLOATS])
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


NO_INTS: Ints = np.zeros(0, dtype=np.int64)
NO_FLOATS: Floats = np.zeros(0)


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
