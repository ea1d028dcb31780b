"""The browser's search index: small static files the site's search box fetches as it needs them.

Material's built-in search ships one index of every page (~7 MB at 10,000 agents, DESIGN.md), so
it is off. Instead the build writes, under `search/` in the docs folder:

- `index.json`: document count, chunk size, the list of term shards, the prefixes whose shard
  was split and a build hash (a few KB at 10,000 agents);
- `t/<prefix>.json`: the terms starting with one two-character prefix, each with its postings
  `[doc, weight, doc-delta, weight, ...]` (weights: BM25F over the fields of `search_docs`,
  precomputed and rounded to integers, so scoring in the page is a sum of integers); a shard
  past `BUDGET` bytes is split by a longer prefix, recursively (`shard_files`), so the bytes a
  word costs stay bounded as the catalog grows;
- `d/<n>.json`: what a result shows (ref, name unless its slug spells it, summary, and
  "flagged" or "deprecated" when the agent is, then its capabilities as one character each,
  labels in `index.json`'s `can`) for `CHUNK` documents each; no version, so publishing a
  version leaves the search files alone unless the agent's words, state or capabilities
  changed;
- `search.js`, `search.css`: the search box (site-config/search/).

A query fetches `index.json`, one shard per word and the chunks of the results it shows: at
1,000 to 100,000 agents a few KB compressed per word (benchmarks/bench_browser_search.py).
"""

from __future__ import annotations

import hashlib
import json
import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from generator.checks.capabilities import Capability, table
from generator.search.documents import FIELD_BOOSTS, SearchDoc, search_docs, terms

if TYPE_CHECKING:  # the model (pydantic) is not needed to query: ~0.15 s of start-up
    from generator.catalog.model import Catalog

FORMAT = 4
BUDGET = 4096
"""Bytes of a term shard above which it is split by a longer prefix (measured in
benchmarks/bench_browser_search.py)."""
TOP = 256
"""Postings kept per list: the highest weights (see `shard_files`)."""
CHUNK = 2
"""Documents per result chunk. Ten results touch ten chunks, seldom fewer (a document's
neighbours by ref seldom rank with it), so a chunk costs what it holds: compressed, 0.2 KB at 2
against 0.6 KB at 8, which made the rows 80% of a query's bytes (p90 15 KB typed word by word at
10,000 agents, 6.6 KB at 2). One document per chunk (p90 5.0 KB) would double the files, each a
4 KB block on disk (benchmarks/bench_browser_search.py, catalog/performance.md)."""
K1, B = 1.2, 0.75
SCALE = 20
"""Weights are round(BM25F * SCALE): integers keep the JS and Python scores identical."""
CODES = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
"""A capability's code in a result row: the character at its place in data/capabilities.yaml
(search.js: CODES). 15 capabilities cost a row 1-5 bytes; their labels are in index.json once."""
ASSETS = Path(__file__).resolve().parents[2] / "site-config" / "search"
PREFIX = "search"


def shard_key(term: str) -> str:
    """The file stem of the two-character shard of `term` (search.js: shardKey)."""
    return prefix_key(term[:2])


def prefix_key(prefix: str) -> str:
    """The file stem of the shard of a prefix: itself if ASCII letters and digits, else `_` and
    its UTF-8 in hex (search.js: prefixKey)."""
    if prefix.isascii() and prefix.isalnum():
        return prefix
    return "_" + prefix.encode("utf-8").hex()


class Postings:
    """One term's postings by doc id: two arrays of ints, not a list of tuples (~3 million
    postings at 10,000 agents: ~300 MB as tuples of boxed ints, ~25 MB as arrays)."""

    __slots__ = ("docs", "weights")

    def __init__(self, docs: array[int], weights: array[int]) -> None:
        self.docs = docs
        self.weights = weights

    def __len__(self) -> int:
        return len(self.docs)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.docs, self.weights, strict=True)


def weights(docs: list[SearchDoc]) -> dict[str, Postings]:
    """Term -> its postings (doc id, integer weight) by doc id: BM25F over the boosted fields.

    Two passes: the fields' lengths first (for their averages), then each document's counts,
    which are dropped once its postings are appended, so no document's counts outlive its turn."""
    lengths = [[len(terms(d.field_text(f))) for f in FIELD_BOOSTS] for d in docs]
    count = max(1, len(docs))
    avg = [max(1.0, sum(d[i] for d in lengths) / count) for i in range(len(FIELD_BOOSTS))]
    boosts = list(FIELD_BOOSTS.values())
    combined: dict[str, tuple[array[int], array[float]]] = {}
    for doc_id, doc in enumerate(docs):
        tf: dict[str, float] = defaultdict(float)
        for i, f in enumerate(FIELD_BOOSTS):
            norm = 1 - B + B * lengths[doc_id][i] / avg[i]
            for term, n in Counter(terms(doc.field_text(f))).items():
                tf[term] += boosts[i] * n / norm
        for term, value in tf.items():
            found = combined.get(term)
            if found is None:
                found = combined[term] = (array("q"), array("d"))
            found[0].append(doc_id)
            found[1].append(value)
    total = len(docs)
    out: dict[str, Postings] = {}
    for term, (ids, values) in combined.items():
        idf = math.log(1 + (total - len(ids) + 0.5) / (len(ids) + 0.5))
        scaled = array("q", [max(1, round(idf * v * (K1 + 1) / (v + K1) * SCALE)) for v in values])
        out[term] = Postings(ids, scaled)
    return out


def encode(postings: Iterable[tuple[int, int]]) -> list[int]:
    """[(doc, w), ...] -> [doc, w, doc-delta, w, ...]: small numbers compress well."""
    flat: list[int] = []
    last = 0
    for doc, weight in postings:
        flat += [doc - last, weight]
        last = doc
    return flat


def _json(data: object) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def capability_codes(capabilities: Iterable[Capability]) -> str:
    """The codes of an agent's capabilities, in the table's order (most consequential first)."""
    order = list(table().capabilities)
    return "".join(CODES[order.index(c.id)] for c in capabilities)


def capability_labels() -> list[list[str]]:
    """index.json's `can`: [label, "money" | "public" | ""] by code, for the result rows."""
    caps = list(table().capabilities.values())
    assert len(caps) <= len(CODES), "one character per capability"
    return [[c.label, "money" if c.money else "public" if c.public else ""] for c in caps]


def slug_name(slug: str) -> str:
    """The name a slug spells, its words capitalised (`lint-lantern`: "Lint Lantern"); most
    agents are named so (19 of the 20 samples), and their rows leave the name out
    (search.js: slugName)."""
    return " ".join(w[:1].upper() + w[1:] for w in slug.split("-"))


def _row(doc: SearchDoc, state: str, codes: str) -> list[str]:
    """[ref, name, summary], then the state ("" when none) if there is a state or capabilities,
    then the capability codes if any. The name is "" when its slug spells it (`slug_name`)."""
    tail = [state, codes] if codes else [state] if state else []
    slug = doc.ref.rpartition("/")[2]
    spelt = bool(doc.name) and slug.isascii() and doc.name == slug_name(slug)
    return [doc.ref, "" if spelt else doc.name, doc.summary, *tail]


def index_files(
    docs: list[SearchDoc],
    states: Mapping[str, str] | None = None,
    verified: Iterable[str] = (),
    can: Mapping[str, str] | None = None,
    budget: int = BUDGET,
    chunk: int = CHUNK,
    top: int = TOP,
) -> dict[str, bytes]:
    """The data files (paths relative to `search/`) for documents sorted by ref; `states` maps
    a ref to the marker its result shows (flagged, deprecated); results of the `verified`
    owners show the verified mark; `can` maps a ref to its capability codes. Term shards over
    `budget` bytes are split, and posting lists keep their `top` highest weights (`shard_files`)."""
    states = states or {}
    can = can or {}
    found = weights(docs)
    files, split = shard_files(found, budget, top)
    for start in range(0, len(docs), chunk):
        rows = [
            _row(d, states.get(d.ref, ""), can.get(d.ref, "")) for d in docs[start : start + chunk]
        ]
        files[f"d/{start // chunk}.json"] = _json(rows)
    digest = hashlib.sha256()
    for path, blob in sorted(files.items()):
        digest.update(path.encode() + b"\0" + blob + b"\0")
    head = {
        "build": digest.hexdigest()[:16],
        "can": capability_labels(),
        "chunk": chunk,
        "docs": len(docs),
        "format": FORMAT,
        "shards": sorted({shard_key(term) for term in found}),
        "split": split,
        "verified": sorted(verified),
    }
    return {"index.json": _json(head), **dict(sorted(files.items()))}


def shard_files(
    postings: Mapping[str, Postings], budget: int = BUDGET, top: int = TOP
) -> tuple[dict[str, bytes], dict[str, str]]:
    """Term shards: `t/<key>.json` per two-character prefix, split by a longer prefix while
    larger than `budget` bytes. Returns the files and, per split prefix, the next characters
    that have a shard (index.json "split"), so a page finds a term's shard without a miss.

    A split prefix keeps its own shard, holding only what a word typed up to it needs: the
    postings of the prefix as a word (`=`), the best weight per document over the longer words
    (`+`: prefix matches score the best of them, so one list answers exactly like all of
    them), and, at two characters, the longer words with their document counts (`~`), which
    the typo search scans before fetching the postings of the words it picked.

    Every list keeps its `top` highest weights (ties: lower document), so a frequent word costs
    the same at 100,000 agents as at 1,000: a one-word query ranks its first `top` results
    exactly as with whole lists; in a query of several words, a document beyond a frequent
    word's `top` counts as not having that word."""
    heads: dict[str, dict[str, Postings]] = defaultdict(dict)
    for term, found in postings.items():
        heads[term[:2]][term] = found
    files: dict[str, bytes] = {}
    split: dict[str, str] = {}
    stack = sorted(heads.items(), reverse=True)
    encoded: dict[str, list[int]] = {}  # a term's list is the same at every level of splits
    while stack:
        prefix, group = stack.pop()
        for t in group:  # not `group.keys() - encoded.keys()`: that walks every encoded term
            if t not in encoded:  # per prefix (~9 s of CPU a build at 10,000 agents)
                encoded[t] = encode(_strongest(group[t], top))
        flat = {t: encoded[t] for t in sorted(group)}
        blob = _json(flat)
        longer = {t: p for t, p in group.items() if len(t) > len(prefix)}
        if len(blob) <= budget or not longer:
            files[f"t/{prefix_key(prefix)}.json"] = blob
            continue
        node: dict[str, object] = {"+": encode(_strongest(_best_per_doc(longer.values()), top))}
        if prefix in group:
            node["="] = flat[prefix]
        if len(prefix) == 2:
            node["~"] = {t: len(p) for t, p in sorted(longer.items())}
        files[f"t/{prefix_key(prefix)}.json"] = _json(node)
        children: dict[str, dict[str, Postings]] = defaultdict(dict)
        for term, found in longer.items():
            children[prefix + term[len(prefix)]][term] = found
        split[prefix] = "".join(sorted(c[-1] for c in children))
        stack.extend(sorted(children.items(), reverse=True))
    return files, dict(sorted(split.items()))


def _strongest(postings: Postings, top: int) -> Iterable[tuple[int, int]]:
    """The `top` postings of highest weight (ties: lower document), by document (postings come
    by document). numpy: sorting 7 million tuples by a key was ~60% of the index's time."""
    if len(postings) <= top:
        return postings
    import numpy as np  # here: a query never gets here, and pays no import

    docs = np.frombuffer(postings.docs, dtype=np.int64)
    weights = np.frombuffer(postings.weights, dtype=np.int64)
    keep = np.sort(np.lexsort((docs, -weights))[:top])
    return zip(docs[keep].tolist(), weights[keep].tolist(), strict=True)


def _best_per_doc(lists: Iterable[Postings]) -> Postings:
    """Per document, its best weight over `lists`, by document."""
    import numpy as np

    chosen = list(lists)
    docs = np.concatenate([np.frombuffer(p.docs, dtype=np.int64) for p in chosen])
    weights = np.concatenate([np.frombuffer(p.weights, dtype=np.int64) for p in chosen])
    order = np.lexsort((-weights, docs))  # by document, its best weight first
    docs, weights = docs[order], weights[order]
    first = np.ones(len(docs), dtype=np.bool_)
    first[1:] = docs[1:] != docs[:-1]
    return Postings(array("q", docs[first].tolist()), array("q", weights[first].tolist()))


def browser_assets(catalog: Catalog) -> dict[str, bytes]:
    """Every file of the browser search, by path relative to the docs folder (`search/...`)."""
    docs = sorted(search_docs(catalog), key=lambda d: d.ref)
    states = {a.ref: _state(a.moderation, a.manifest.deprecated) for a in catalog.listed}
    marked = [login for login in catalog.owner_records if catalog.verified(login)]
    can = {a.ref: capability_codes(a.capabilities) for a in catalog.listed}
    index = index_files(docs, states, marked, can)
    files = {f"{PREFIX}/{path}": blob for path, blob in index.items()}
    for asset in _static_assets():
        files[f"{PREFIX}/{asset.name}"] = asset.read_bytes()
    return dict(sorted(files.items()))


def _state(moderation: object, deprecated: object) -> str:
    """The marker of a listed agent: flagged (by the maintainers), deprecated, or none."""
    return "flagged" if moderation is not None else "deprecated" if deprecated else ""


def _static_assets() -> Iterable[Path]:
    return sorted(p for p in ASSETS.iterdir() if p.suffix in (".js", ".css"))
