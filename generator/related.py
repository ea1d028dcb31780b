"""Related agents: for each listed agent, the listed agents most like it by shared tags, plugins
and words (name, summary, character topics and bio), for the whole catalog at once.

whoosh's `more_like_this` costs ~15 ms per agent (~150 s at 10,000, DESIGN.md). Here each agent
is a TF-IDF vector, L2-normalised (a tag weighs most, then a word, then a plugin), and the
similarity is the exact cosine between every pair, computed in blocks of rows with numpy:

- features shared by many agents (more than a tenth of the catalog: vocabulary tags, the usual
  plugins) form a small dense matrix -- at most ten times the features of one agent, whatever
  the catalog size -- and their part of the scores is one matrix product per block;
- rarer features go through an inverted index, accumulated with `bincount`.

Scores are rounded to 9 decimals and ties go to the smaller ref, so output is deterministic.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
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
BLOCK = 256
"""Rows scored at once: a block of scores is BLOCK x N floats (20 MB at 10,000 agents)."""

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


def features(doc: SearchDoc) -> Counter[str]:
    """Raw feature counts of one agent: t:<tag>, p:<plugin>, w:<term>."""
    found: Counter[str] = Counter(f"t:{t}" for t in doc.tags)
    found.update(f"p:{p}" for p in doc.plugins)
    found.update(terms(" . ".join([doc.name, doc.summary, *doc.topics, doc.bio])))
    return Counter({(k if ":" in k else f"w:{k}"): v for k, v in found.items()})


@dataclass(frozen=True)
class Matrix:
    """The TF-IDF matrix split into a dense part (common features) and an inverted index."""

    dense: Floats
    """N x C weights of the common features."""
    row_ptr: Ints
    """Rare features of row r are entries row_ptr[r]:row_ptr[r+1] of feat/weight."""
    feat: Ints
    weight: Floats
    col_ptr: Ints
    """Rows having rare feature f are col_rows[col_ptr[f]:col_ptr[f+1]] (with col_weight)."""
    col_rows: Ints
    col_weight: Floats


def vectors(docs: Sequence[SearchDoc]) -> list[dict[str, float]]:
    """TF-IDF vectors, L2-normalised, with the words cut to each agent's KEYWORDS best."""
    raw = [features(d) for d in docs]
    df: Counter[str] = Counter(f for r in raw for f in r)
    out: list[dict[str, float]] = []
    for counts in raw:
        vec = {
            f: WEIGHTS[f[0]] * (1 + math.log(c)) * math.log(1 + len(docs) / df[f])
            for f, c in counts.items()
        }
        words = sorted((f for f in vec if f.startswith("w:")), key=lambda f: (-vec[f], f))
        for f in words[KEYWORDS:]:
            del vec[f]
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({f: v / norm for f, v in sorted(vec.items())})
    return out


def matrix(docs: Sequence[SearchDoc], cap: int) -> Matrix:
    """The vectors as a matrix; features in more than `cap` documents go dense."""
    vecs = vectors(docs)
    df: Counter[str] = Counter(f for v in vecs for f in v)
    common = sorted(f for f, n in df.items() if n > cap)
    rare = sorted(f for f, n in df.items() if 1 < n <= cap)
    col = {f: i for i, f in enumerate(common)} | {f: i for i, f in enumerate(rare)}
    dense = np.zeros((len(docs), len(common)))
    rows: list[list[tuple[int, float]]] = []
    for r, vec in enumerate(vecs):
        for f in common:
            if f in vec:
                dense[r, col[f]] = vec[f]
        rows.append(sorted((col[f], v) for f, v in vec.items() if 1 < df[f] <= cap))
    return _with_index(dense, rows, len(rare))


def _with_index(dense: Floats, rows: list[list[tuple[int, float]]], n_rare: int) -> Matrix:
    lengths = np.array([len(r) for r in rows], dtype=np.int64)
    row_ptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    feat = np.array([f for r in rows for f, _ in r], dtype=np.int64)
    weight = np.array([w for r in rows for _, w in r], dtype=np.float64)
    owner = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
    order = np.argsort(feat, kind="stable")
    counts = np.bincount(feat, minlength=n_rare)
    col_ptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    return Matrix(dense, row_ptr, feat, weight, col_ptr, owner[order], weight[order])


def block_scores(m: Matrix, start: int, stop: int) -> Floats:
    """Cosine of rows start:stop against every row (self-similarity set to 0)."""
    n = m.dense.shape[0]
    scores = m.dense[start:stop] @ m.dense.T
    lo, hi = m.row_ptr[start], m.row_ptr[stop]
    feats, weights = m.feat[lo:hi], m.weight[lo:hi]
    rows = np.repeat(np.arange(stop - start), np.diff(m.row_ptr[start : stop + 1]))
    lengths = m.col_ptr[feats + 1] - m.col_ptr[feats]
    if lengths.sum():
        offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        src = np.repeat(m.col_ptr[feats], lengths) + offsets
        keys = np.repeat(rows, lengths) * n + m.col_rows[src]
        values = np.repeat(weights, lengths) * m.col_weight[src]
        scores += np.bincount(keys, weights=values, minlength=(stop - start) * n).reshape(-1, n)
    scores[np.arange(stop - start), np.arange(start, stop)] = 0.0
    return np.round(scores, 9)


def top(scores: Floats, limit: int) -> list[list[int]]:
    """Per row, the columns of the `limit` best positive scores, ties by column."""
    n = scores.shape[1]
    k = min(limit, n)
    if k == 0:
        return [[] for _ in range(scores.shape[0])]
    threshold = np.partition(scores, n - k, axis=1)[:, n - k]
    best: list[list[int]] = []
    for row, cut in zip(scores, threshold, strict=True):
        cols = np.flatnonzero((row >= cut) & (row > 0))
        order = np.lexsort((cols, -row[cols]))
        best.append([int(c) for c in cols[order][:limit]])
    return best


def related_agents(
    catalog: Catalog, limit: int = 5, common_cap: int | None = None
) -> Mapping[str, tuple[str, ...]]:
    """ref -> refs of up to `limit` related listed agents, most related first."""
    docs = sorted(search_docs(catalog), key=lambda d: d.ref)
    cap = common_cap if common_cap is not None else max(50, len(docs) // 10)
    m = matrix(docs, cap)
    related: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(docs), BLOCK):
        stop = min(len(docs), start + BLOCK)
        for offset, cols in enumerate(top(block_scores(m, start, stop), limit)):
            related[docs[start + offset].ref] = tuple(docs[c].ref for c in cols)
    return MappingProxyType(related)
