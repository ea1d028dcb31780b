"""Look-alike names: an agent name or an owner that a reader could take for another one, and names
that claim a reserved word (`elizaos`, `official`, `admin`...). Impersonation feeds on confusion
(DESIGN.md, safety rails), so the validator flags them, naming what they resemble.

Two names are *confusable* when their skeletons are equal. A skeleton follows Unicode TR39: NFKD,
accents dropped, each character mapped to its prototype in the Unicode confusables table (shipped
by the `confusable-homoglyphs` package: Cyrillic U+0430 -> `a`, `0` -> `o`, `1`/`I` -> `l`,
`m` -> `rn`), case folded, separators removed. They are *look-alikes* when their skeletons are
one letter apart (an added, dropped, changed or swapped letter) and at least five characters
long, unless only digits differ (`bot-2` is not `bot-3`); an owner's own agents are never
compared, and agents under moderation (moderation.yaml) are left out.

Names are bucketed by skeleton and by every skeleton with one character deleted (two strings one
edit apart share such a key), never N^2 comparisons; what depends on one name alone (skeleton,
reserved word) is computed in the forked checks (`name_facts`), ~0.2 s left at 10,000 agents.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

RESERVED = frozenset(
    {"admin", "administrator", "ai16z", "catalog", "eliza", "elizaos", "help", "helpdesk"}
    | {"maintainer", "maintainers", "moderator", "moderators", "official", "root", "staff"}
    | {"support", "system", "team", "verified"}
)
"""Names nobody may take whole: the framework's and the catalog's own, and roles of authority."""
AUTHORITY = ("elizaos", "ai16z", "official", "verified")
"""Words that claim authority wherever they appear in a name (`ElizaOS Helper`, `official-bot`)."""
MIN_NEAR = 5
"""Skeletons shorter than this are not compared for one-letter differences (`mira`, `mina`)."""
SCANS = 8
"""Look-alike queries answered by a scan before the deletion index is built (~5 ms each at
10,000 names, against ~0.15 s to build the index)."""
_TOKENS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+|[^\W\d_]+")


@functools.cache
def _prototypes() -> dict[str, str]:
    """Character -> its lowercase ASCII prototype, from the Unicode confusables table."""
    from confusable_homoglyphs.confusables import confusables_data

    data: dict[str, list[dict[str, str]]] = confusables_data
    table: dict[str, str] = {}
    for char, glyphs in sorted(data.items()):
        if len(char) != 1:
            continue
        targets = [g["c"] for g in glyphs if g["c"].isascii() and g["c"].isalnum()]
        if char.isascii():  # only the table's own direction: I -> l, 1 -> l, 0 -> O, m -> rn
            targets = [t for t in targets if t.isalpha() and (t.islower() or not char.isalpha())]
        if targets:
            best = min(targets, key=lambda t: (not t.islower(), not t.isalpha(), len(t), t))
            table[char] = best
    return {
        c: "".join(table.get(x, x) if x.isascii() else x for x in t).lower()
        for c, t in table.items()
    }


Skeleton = tuple[str, str, int]


def skeleton_version() -> str:
    """What `_skeleton` depends on (this module's code, the confusables table's version): a
    stored skeleton made under another one is computed again."""
    from confusable_homoglyphs import __version__

    return hashlib.sha256(Path(__file__).read_bytes() + __version__.encode()).hexdigest()


def _skeleton(text: str) -> Skeleton:
    """The skeleton, the skeleton of the text's letters only (digits left out), and how many
    characters of the text it comes from (`m` is one character, though its skeleton is `rn`)."""
    if text.isascii():  # most names: three str.translate calls instead of a loop per character
        table = _ascii_table()
        chars = _NOT_ALNUM.sub("", text.translate(table))
        letters = _NOT_ALNUM.sub("", _DIGITS.sub("", text).translate(table))
        return chars, letters, len(_NOT_ALNUM.sub("", text))
    return _skeleton_any(text)


name_skeleton = _skeleton
"""`_skeleton`, for callers that store skeletons between runs (checks/facts.py)."""
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")
_DIGITS = re.compile(r"[0-9]+")


_ASCII: list[dict[int, str]] = []


def _ascii_table() -> dict[int, str]:
    """ASCII character -> its casefolded prototype (itself when it has none); made once from
    the confusables table (~0.15 s to load), or given by `use_ascii_table`."""
    if not _ASCII:
        table = _prototypes()
        _ASCII.append({i: table.get(chr(i), chr(i)).casefold() for i in range(128)})
    return _ASCII[0]


def ascii_table(stored: dict[int, str] | None = None) -> dict[int, str]:
    """`_ascii_table`, to store with skeletons (checks/facts.py); `stored`, one made under the
    same `skeleton_version()`, is taken instead of loading the confusables table."""
    if stored is not None and not _ASCII:
        _ASCII.append(dict(stored))
    return dict(_ascii_table())


def _skeleton_any(text: str) -> tuple[str, str, int]:
    """`_skeleton` for any text: NFKD, marks dropped, each character to its prototype."""
    table = _prototypes()
    chars: list[str] = []
    letters: list[str] = []
    size = 0
    for c in unicodedata.normalize("NFKD", text):
        if unicodedata.category(c).startswith("M"):
            continue
        size += c.isalnum()
        for out in table.get(c, c).casefold():
            if out.isalnum():
                chars.append(out)
                if not c.isdigit():
                    letters.append(out)
    return "".join(chars), "".join(letters), size


@functools.lru_cache(maxsize=1 << 16)
def skeleton(text: str) -> str:
    """TR39-style skeleton: what a reader sees, whatever the code points, case and separators.

    Cached: names repeat words, and 10,000 agents ask for ~150,000 word skeletons."""
    return _skeleton(text)[0]


def one_letter_apart(a: str, b: str) -> bool:
    """True when a and b differ by exactly one inserted, deleted, changed or swapped character.

    Lengths first, and no slices: a one-agent check compares its name with ~6,000 others."""
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    shorter = min(la, lb)
    p = 0
    while p < shorter and a[p] == b[p]:
        p += 1
    s = 0
    while s < shorter - p and a[-1 - s] == b[-1 - s]:
        s += 1
    ra, rb = la - p - s, lb - p - s
    if (ra, rb) in ((0, 1), (1, 0), (1, 1)):
        return True
    return ra == rb == 2 and a[p] == b[p + 1] and a[p + 1] == b[p]


@dataclass
class Lookalikes:
    """Names by skeleton and by one-deletion keys; `group` keeps an owner's agents apart."""

    values: dict[str, str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    skeletons: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    """key -> (skeleton, skeleton of its letters only, length of the name in characters)."""
    exact: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    near: dict[str, set[str]] | None = None
    """Key -> keys sharing a one-deletion variant, built at the SCANS+1th `lookalike` call: a
    one-agent check asks once, and a scan costs less than indexing every deletion (issue 13)."""
    scans: int = 0

    @classmethod
    def of(
        cls,
        values: Mapping[str, str],
        groups: Mapping[str, str],
        known: Mapping[str, Skeleton] | None = None,
    ) -> Lookalikes:
        """Index `key -> value` (ref -> name, or owner -> owner), `key -> group` (its owner);
        `known` holds skeletons already computed (value -> `_skeleton(value)`)."""
        index = cls(dict(values), dict(groups))
        known = known or {}
        for key, value in sorted(values.items()):
            sk = known.get(value)
            sk = index.skeletons[key] = sk if sk is not None else _skeleton(value)
            index.exact[sk[0]].append(key)
        return index

    def _near(self, key: str) -> Iterable[str]:
        """Keys whose skeleton may be one letter from `key`'s: a scan, or the deletion index."""
        sk = self.skeletons[key][0]
        if self.near is None and self.scans < SCANS:
            self.scans += 1
            return [k for k, o in self.skeletons.items() if abs(len(o[0]) - len(sk)) <= 1]
        self.near = self._neighbours() if self.near is None else self.near
        return self.near.get(key, ())

    def _neighbours(self) -> dict[str, set[str]]:
        """Key -> the keys sharing one of its one-deletion variants, in one pass. A variant's
        bucket is its key, a list once a second comes (0.12 -> 0.08 s at 10,000; issue 13)."""
        buckets: dict[str, str | list[str]] = {}
        for k, (sk, _, size) in self.skeletons.items():
            if size >= MIN_NEAR - 1:
                for variant in {sk, *[sk[:i] + sk[i + 1 :] for i in range(len(sk))]}:
                    held = buckets.setdefault(variant, k)
                    if isinstance(held, list):
                        held.append(k)
                    elif held != k:
                        buckets[variant] = [held, k]
        near: dict[str, set[str]] = {}
        for keys in buckets.values():
            if isinstance(keys, list):
                for k in keys:
                    near.setdefault(k, set()).update(keys)
        return near

    def confusable(self, key: str) -> list[str]:
        """Keys of other groups whose value looks the same (same skeleton, different spelling)."""
        value = self.values[key].casefold()
        return [
            k
            for k in self.exact[self.skeletons[key][0]]
            if self.groups[k] != self.groups[key] and self.values[k].casefold() != value
        ]

    def lookalike(self, key: str) -> list[str]:
        """Keys of other groups whose skeleton is one letter away."""
        sk, letters, size = self.skeletons[key]
        if size < MIN_NEAR:
            return []
        return sorted(
            k
            for k in set(self._near(key))
            if self.groups[k] != self.groups[key]
            and self.skeletons[k][2] >= MIN_NEAR
            and letters != self.skeletons[k][1]  # not only digits differ; first, as it is cheap
            and one_letter_apart(sk, self.skeletons[k][0])
        )


Facts = dict[str, tuple[Skeleton, str | None]]
"""Text -> its skeleton and the reserved word it claims: what the rules ask of a name alone."""


def name_facts(texts: Iterable[str]) -> Facts:
    """`_skeleton` and `reserved` of each text, computed by the forked checks for their agents'
    slugs, names and owners: ~0.3 s less in the process that compares names (issue 13)."""
    return {text: (_skeleton(text), reserved(text)) for text in texts}


def reserved(text: str) -> str | None:
    """The reserved word `text` is, or the authority word it claims, if any."""
    reserved_words = _reserved_skeletons()[0]
    whole = skeleton(text)
    if whole in reserved_words:
        return reserved_words[whole]
    plain = unicodedata.normalize("NFKD", text)
    words = [skeleton(w) for w in [*_TOKENS.findall(plain), *re.split(r"[\W_]+", plain)] if w]
    pairs = [a + b for a, b in itertools.pairwise(words)]
    for word in [*words, *pairs]:
        claimed = _claim(word)
        if claimed:
            return claimed
    return None


@functools.lru_cache(maxsize=1 << 16)
def _claim(word: str) -> str | None:
    """The authority word that a word's skeleton is, or is one letter away from."""
    for claim, claim_word in _reserved_skeletons()[1].items():
        if word == claim or (len(word) >= MIN_NEAR and one_letter_apart(word, claim)):
            return claim_word
    return None


@functools.cache
def _reserved_skeletons() -> tuple[dict[str, str], dict[str, str]]:
    """Skeleton -> word, for the reserved words and for the authority words."""
    return ({skeleton(w): w for w in sorted(RESERVED)}, {skeleton(w): w for w in AUTHORITY})


def describe(keys: Iterable[str], values: Mapping[str, str], refs: bool) -> str:
    """`'Harbor Bot' (acme/harbor-bot)` or `'harbor-labs'`, for the keys a name resembles."""
    keys = list(keys)
    first = values[keys[0]]
    if not refs:
        return ", ".join(repr(values[k]) for k in keys)
    return f"{first!r} ({', '.join(keys)})"
