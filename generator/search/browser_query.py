"""The browser search's ranking, in Python: a line-for-line port of `site-config/search/search.js`.

The quality script scores the browser search with it, the benchmark counts the bytes a query
fetches with it, and a real-browser test checks that the page ranks the judged queries exactly
as this port does. Scores are integers (weights x match factor x matched words), so both
languages rank identically, ties going to the lower document id (= ref order).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.search.browser_index import CODES, prefix_key, shard_key, slug_name
from generator.search.documents import terms

EXACT, PREFIX, FUZZY = 10, 6, 4
"""Match factors: a word as typed, a word it begins (type-ahead), a word one typo away."""


@dataclass(frozen=True)
class Result:
    """Ranked refs, the correction used for misspelt words, and the files the query fetched."""

    refs: tuple[str, ...]
    scores: tuple[int, ...]
    corrected: str | None
    fetched: tuple[str, ...]
    can: tuple[tuple[str, ...], ...] = ()
    """Per result, the labels of its capabilities (search.js: can)."""
    names: tuple[str, ...] = ()
    """Per result, the name it shows (search.js: rows[i][1])."""


@dataclass
class BrowserIndex:
    """Queries the files of `browser_index.index_files` the way the page does."""

    files: Mapping[str, bytes]
    fetched: dict[str, object] = field(default_factory=dict)

    def _get(self, path: str) -> object:
        if path not in self.fetched:
            self.fetched[path] = json.loads(self.files[path])
        return self.fetched[path]

    @property
    def head(self) -> dict[str, object]:
        head = self._get("index.json")
        assert isinstance(head, dict)
        return head

    def shard(self, term: str) -> tuple[str, dict[str, object]] | None:
        """The deepest shard whose prefix `term` starts with (index.json "split" says how deep
        each prefix goes) and its content; None when no indexed word starts like `term`."""
        shards, split = self.head["shards"], self.head.get("split", {})
        assert isinstance(shards, list) and isinstance(split, dict)
        if shard_key(term) not in shards:
            return None
        prefix = term[:2]
        while prefix in split and len(term) > len(prefix):
            if term[len(prefix)] not in split[prefix]:
                return None
            prefix += term[len(prefix)]
        found = self._get(f"t/{prefix_key(prefix)}.json")
        assert isinstance(found, dict)
        return prefix, found

    def postings(self, term: str) -> list[int]:
        """The postings of an indexed word, from its shard (`=` when the shard was split)."""
        prefix, found = self.shard(term) or ("", {})
        return _flat(found["="] if prefix == term and "+" in found else found[term])

    def vocabulary(self, head: str) -> dict[str, int]:
        """Every indexed word starting with the two characters `head`, with its document count."""
        prefix, found = self.shard(head) or ("", {})
        if "+" not in found:
            return {t: len(p) // 2 for t, p in found.items() if isinstance(p, list)}
        longer = found["~"]
        assert isinstance(longer, dict)
        own = found.get("=")
        return {**longer, prefix: len(own) // 2} if isinstance(own, list) else dict(longer)

    def query(self, text: str, limit: int = 10) -> Result:
        """Rank documents for `text`; fetches and shows the top `limit` like the page."""
        self.fetched.clear()
        self._get("index.json")
        tokens = list(dict.fromkeys(terms(text)))
        scores: dict[int, int] = {}
        matched: dict[int, int] = {}
        corrected: list[str] = []
        for token in tokens:
            candidates, fixed = self.candidates(token)
            corrected.append(fixed)
            for doc, value in _best(candidates).items():
                scores[doc] = scores.get(doc, 0) + value
                matched[doc] = matched.get(doc, 0) + 1
        ranked = sorted(scores, key=lambda d: (-scores[d] * matched[d], d))[:limit]
        refs = tuple(self.ref(d) for d in ranked)
        fix = " ".join(corrected) if corrected != tokens else None
        scored = tuple(scores[d] * matched[d] for d in ranked)
        can = tuple(self.can(d) for d in ranked)
        names = tuple(self.row(d)[1] for d in ranked)
        return Result(refs, scored, fix, tuple(sorted(self.fetched)), can, names)

    def candidates(self, token: str) -> tuple[list[tuple[list[int], int]], str]:
        """(postings, factor) for the indexed words the token matches, and its correction."""
        _, own = self.shard(token) or ("", {})
        if "+" in own:  # a split prefix typed as it is: its own postings and its longer words'
            exact = [(_flat(own["="]), EXACT)] if "=" in own else []
            return [*exact, (_flat(own["+"]), PREFIX)], token
        near = [(_flat(own[t]), PREFIX) for t in sorted(own) if t != token and t.startswith(token)]
        if token in own or near:
            exact = [(_flat(own[token]), EXACT)] if token in own else []
            return exact + near, token
        limit = max_typos(token)
        if not limit:
            return [], token
        heads = {shard_key(h): h for h in [*_variant_heads(token), token[:2]]}
        key = shard_key(token)
        for k in [key, *sorted(k for k in heads if k != key)]:
            words = self.vocabulary(heads[k])
            fuzzy = _fuzzy(token, words, limit)
            if fuzzy:
                best = min(fuzzy, key=lambda t: (fuzzy[t], -words[t], t))
                return [(self.postings(t), FUZZY) for t in sorted(fuzzy)], best
        return [], token

    def row(self, doc: int) -> list[str]:
        """What a result shows: [ref, name, summary, ...], the name spelt from the slug when
        the row leaves it out (search.js: row)."""
        chunk = self.head["chunk"]
        assert isinstance(chunk, int)
        rows = self._get(f"d/{doc // chunk}.json")
        assert isinstance(rows, list)
        found = [str(v) for v in rows[doc % chunk]]
        if not found[1]:
            found[1] = slug_name(found[0].rpartition("/")[2])
        return found

    def ref(self, doc: int) -> str:
        return str(self.row(doc)[0])

    def can(self, doc: int) -> tuple[str, ...]:
        """The labels of a result's capabilities: its codes looked up in index.json's `can`."""
        labels = self.head.get("can", [])
        assert isinstance(labels, list)
        row = self.row(doc)
        codes = row[4] if len(row) > 4 else ""
        found = (CODES.find(c) for c in codes)
        return tuple(str(labels[i][0]) for i in found if 0 <= i < len(labels))


def _flat(postings: object) -> list[int]:
    assert isinstance(postings, list)
    return postings


def _best(candidates: list[tuple[list[int], int]]) -> dict[int, int]:
    """Per document, the best weight x factor over the token's candidate postings."""
    best: dict[int, int] = {}
    for flat, factor in candidates:
        doc = 0
        for i in range(0, len(flat), 2):
            doc += flat[i]
            value = flat[i + 1] * factor
            if value > best.get(doc, 0):
                best[doc] = value
    return best


def max_typos(token: str) -> int:
    """Edits forgiven in a word: none under four letters, one, two from eight letters."""
    return 0 if len(token) < 4 else 1 if len(token) < 8 else 2


def _variant_heads(token: str) -> list[str]:
    """Where a typo in the first two letters sends a word: swapped, or first letter extra."""
    return [token[1] + token[0], token[1:3]]


def _fuzzy(token: str, words: Mapping[str, int], limit: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for term in words:
        if abs(len(term) - len(token)) <= limit:
            d = distance(token, term, limit)
            if d <= limit:
                found[term] = d
    return found


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a transposition is one edit), capped at limit + 1."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        prev2, prev = prev, row
    return min(prev[len(b)], limit + 1)
