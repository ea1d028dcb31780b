"""Find secrets in what the catalog publishes: keys, tokens, private and wallet keys, seed phrases.

`scan` reads a text three ways: as written, as a reader sees each line (JSON `\\u` escapes, HTML
entities, Markdown escapes, percent-encoding and invisible characters undone; module `decode`),
and inside base64 runs that decode to text. `scan_data` reads the decoded value of every string
of a parsed JSON or YAML file, with the keys above it as context, which catches what only the
parser joins (a YAML line continuation, a key word on the line above).

The expressions are in `secret_patterns` (ours and detect-secrets' provider plugins), seed
phrases in `seeds` (the BIP-39 word lists). Wallet keys have the shapes of hashes, transaction
ids and public keys, so they count only when a key word (`private`, `secret`, `seed`, `wallet`,
`signer`, `key`, `pk`...) is the nearest telling word of the four before them, not an id word
(`hash`, `tx`, `address`, `public`...); words are whole identifier parts (`privateKey`,
`WALLET_PRIVATE_KEY`), so `monkey` and `keyboard` are not `key`. The labelled set in
tests/data/secrets/ measures all this.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from generator.checks.decode import base64_texts, encoded_lines, reader_view
from generator.checks.secret_patterns import PATTERNS, Pattern, plausible
from generator.checks.seeds import find_seeds

_KEY_WORDS = frozenset(
    {
        *("priv", "private", "privkey", "privatekey", "secret", "secretkey", "seed", "mnemonic"),
        *("phrase", "wallet", "signer", "signing", "key", "keys", "keypair", "pk", "sk"),
    }
)
_ID_WORDS = frozenset(
    {
        *("public", "pub", "pubkey", "publickey", "hash", "txhash", "tx", "txid", "txn"),
        *("transaction", "block", "blockhash", "signature", "sig", "sha", "sha256", "digest"),
        *("checksum", "commit", "address", "addr", "root", "id", "contract", "token", "mint"),
    }
)
_PARTS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_CONTEXT_WORDS = 4
_NEWLINE = re.compile("\n")


@dataclass(frozen=True)
class Finding:
    """A secret: what it looks like and where it starts (1-based); `value` is never shown."""

    kind: str
    line: int
    col: int
    preview: str
    value: str = field(default="", repr=False, compare=False)


def _is_key_context(before: str) -> bool:
    """Whether the words just before a wallet-shaped value name a private key."""
    words = [w.lower() for w in _PARTS.findall(before)][-_CONTEXT_WORDS:]
    for at in range(len(words) - 1, -1, -1):  # the nearest word that tells decides
        if words[at] in _ID_WORDS:
            return False
        if words[at] in _KEY_WORDS:
            return at == 0 or words[at - 1] not in _ID_WORDS  # not a "public key"
    return False


_WINDOW = 200
"""How far before a wallet-shaped value its key word is looked for: a bounded window keeps a
256 KB line of 4,000 hashes linear (reading each one's whole line took 147 s)."""


def _before(text: str, offset: int) -> str:
    """The text before an offset on its line, or from the line above when this one has no word
    before it; at most `_WINDOW` characters of each."""
    floor = max(0, offset - _WINDOW)
    start = (text.rfind("\n", floor, offset) + 1) or floor
    if start and text[start - 1] == "\n" and not _PARTS.search(text, start, offset):
        floor = max(0, start - 1 - _WINDOW)
        start = (text.rfind("\n", floor, start - 1) + 1) or floor
    return text[start:offset]


_CANDIDATE = re.compile(
    r"[A-Za-z0-9_+/=.:%-]{20,}"  # every key and token is such a run, or holds one
    r"|-----BEGIN [A-Z0-9 ]{0,40}-----|\[\s*(?:[0-9]{1,3}\s*,\s*){63}[0-9]{1,3}\s*\]"
)
"""Where a secret can be: runs of key characters, private key headers, 64-byte arrays. Patterns
run over these runs alone, joined by line breaks: ordinary text has few, so the ~40 expressions
scan a few hundred characters instead of the whole file (the AWS secret key pattern, which needs
the words around the key, reads the whole text)."""
_KEY_CHARS = bytes(
    ord("k") if chr(c).isascii() and (chr(c).isalnum() or chr(c) in "_+/=.:%-") else ord(" ")
    for c in range(256)
)
"""A byte table: every ASCII character that can be in a run of `_CANDIDATE` made `k`, every other
byte a space. Text encoded to ASCII with `?` for each other character keeps its offsets: a run is
20 or more `k` in a row."""
_RUN_START = b"k" * 20
_BEGIN = "-----BEGIN "
_BYTES = re.compile(_CANDIDATE.pattern.rpartition("|")[2])
"""The other two shapes `_CANDIDATE` finds: a private key header, a 64-byte array."""


def _candidate_runs(text: str) -> list[tuple[int, int]]:
    """The spans `_CANDIDATE` finds in `text`. In text with no key header and no byte array
    they are the runs of key characters alone: `bytes.find` of 20 of them in the masked text,
    then of the space that ends the run (~7x faster than cutting the text into words, which was
    ~4x faster than the search; tests/test_scan_shortcuts.py). A byte array starts with `[`
    (a file without one is not searched for it), and `-----BEGIN` is found faster than the
    header with its space, whose last character is common."""
    if ("-----BEGIN" in text and _BEGIN in text) or ("[" in text and _BYTES.search(text)):
        return [m.span() for m in _CANDIDATE.finditer(text)]
    masked = text.encode("ascii", "replace").translate(_KEY_CHARS)
    runs = []
    start = masked.find(_RUN_START)
    while start >= 0:  # from a run's end, the first 20 in a row start the next run
        end = masked.find(b" ", start + 20)
        end = len(masked) if end < 0 else end
        runs.append((start, end))
        start = masked.find(_RUN_START, end)
    return runs


_WHOLE_TEXT = frozenset({"ds-AWSKeyDetector-1"})
_ALL_HINTS = sorted({h for p in PATTERNS for h in p.hints}, key=lambda h: (-len(h), h))
_HINT_SEARCH = re.compile("(?=(" + "|".join(map(re.escape, _ALL_HINTS)) + "))")
"""Every hint in the runs, in one pass (a lookahead, so hints that overlap are all seen); the
reference of `_hints`."""
_BY_HINT = {h: tuple(p for p in PATTERNS if any(mine in h for mine in p.hints)) for h in _ALL_HINTS}
"""The patterns a found hint wakes up: where `sk-ant-` is, `sk-` is too."""
_UNHINTED = tuple(p for p in PATTERNS if not p.hints)
_WALLET_RUN = re.compile(r"[0-9A-Za-z]{50}")
"""Every wallet key (the patterns without a hint) holds 50 letters and digits in a row."""
_ORDER = {p.kind: n for n, p in enumerate(PATTERNS)}


def _hints(joined: str) -> list[str]:
    """The hints `joined` holds, each looked for by `str.__contains__` (~45 fast substring
    searches instead of an expression tried at every position: 8x faster on the runs of
    realistic agents). They wake the patterns `_HINT_SEARCH.findall` wakes: a hint it leaves
    out starts where a longer one starts, which holds it (tests/test_scan_shortcuts.py)."""
    return [h for h in _ALL_HINTS if h in joined]


_SPANNING = frozenset({"ds-AWSKeyDetector-1", "ds-NpmDetector-0", "solana-keypair-bytes"})
"""The patterns whose match may leave a run: the AWS secret key reads the whole text, the npm
token and the byte array may cross a line break (`\\s`). No other can match a line break
(tests/test_scan_shortcuts.py reads every expression), so each of their matches in the runs
joined by line breaks lies in one run, and matches there alone."""


class _Look(NamedTuple):
    """What a candidate run holds, whatever text it is in."""

    patterns: tuple[Pattern, ...]
    """The patterns its hints wake (or its 50 letters and digits in a row) that match in it,
    or whose match may leave it."""
    hidden: tuple[tuple[int, str], ...]
    """`base64_texts` of the run."""
    wallet: bool
    """Whether it holds a wallet-shaped value."""


_KEPT_RUN = 512
"""Runs up to this long are kept with their look (links, plugin names, the schema line); a
longer one is looked at each time, so 8,192 kept looks hold ~4 MB of runs at most, whatever a
hostile catalog's files hold."""


def _look(run: str) -> _Look:
    """The look at one candidate run, kept per short run: the same runs (plugin names, the
    schema line, links) come back in agent after agent, and a run's `.` or `:` no longer wakes
    the Discord and Telegram expressions for the whole file when they cannot match in it."""
    return _kept_look(run) if len(run) <= _KEPT_RUN else _look_at(run)


def _look_at(run: str) -> _Look:
    woken = {p.kind: p for h in _hints(run) for p in _BY_HINT[h]}
    if _WALLET_RUN.search(run):
        woken.update((p.kind, p) for p in _UNHINTED)
    patterns = tuple(p for p in woken.values() if p.kind in _SPANNING or p.regex.search(run))
    return _Look(patterns, tuple(base64_texts(run)), _WALLET_SHAPE.search(run) is not None)


_kept_look = functools.lru_cache(maxsize=8192)(_look_at)


def _looks(text: str, runs: list[tuple[int, int]]) -> list[_Look]:
    return [_look(text[s:e]) for s, e in runs]


_HIDDEN = operator.attrgetter("hidden")
_WALLET = operator.attrgetter("wallet")


def _matches(
    text: str, context: str, runs: list[tuple[int, int]], woken: dict[str, Pattern]
) -> Iterator[tuple[int, int, Pattern]]:
    """(start, end, pattern) of every plausible match in `text`, whose candidate runs are
    `runs`, of the patterns their looks `woken`. Each runs over the runs joined by line breaks,
    as if every pattern their hints wake ran: the others find nothing there."""
    joined = "\n".join(text[s:e] for s, e in runs)
    starts = list(itertools.accumulate((e - s + 1 for s, e in runs[:-1]), initial=0))
    for pattern in sorted(woken.values(), key=lambda p: _ORDER[p.kind]):
        whole = pattern.kind in _WHOLE_TEXT
        for m in pattern.regex.finditer(text if whole else joined):
            if not plausible(pattern, m.group()):
                continue
            start = m.start()
            if not whole:
                run = bisect.bisect_right(starts, start) - 1
                start += runs[run][0] - starts[run]
            if pattern.needs_context and not _is_key_context(context + " " + _before(text, start)):
                continue
            yield start, start + len(m.group()), pattern


def _raw(
    text: str,
    context: str,
    runs: list[tuple[int, int]] | None = None,
    looks: list[_Look] | None = None,
) -> list[tuple[int, int, str]]:
    """(start, end, description) of secrets written as they are, overlaps removed."""
    if runs is None:
        runs = _candidate_runs(text)
    if looks is None:
        looks = _looks(text, runs)
    woken = {p.kind: p for look in looks for p in look.patterns}
    found = (
        [(s, -e, p.description) for s, e, p in _matches(text, context, runs, woken)]
        if woken
        else []
    )
    found.extend((s.start, -s.end, f"a {s.words}-word seed phrase") for s in find_seeds(text))
    if not found:
        return []
    kept, covered = [], 0
    for start, neg_end, what in sorted(found):
        if start >= covered:
            kept.append((start, -neg_end, what))
            covered = -neg_end
    return kept


def scan(text: str, context: str = "") -> Iterator[Finding]:
    """Every secret in `text`, as written or as a reader decodes it, in order.

    `context` is what names the text (the keys above a JSON or YAML value): words there can make
    a wallet-shaped value a key."""
    runs = _candidate_runs(text)
    yield from _scan(text, context, runs, _looks(text, runs))


def _scan(
    text: str, context: str, runs: list[tuple[int, int]], looks: list[_Look]
) -> list[Finding]:
    """`scan`, given the candidate runs of `text` and their looks."""
    raw = _raw(text, context, runs, looks)
    encoded = not text.isascii() or "\\" in text or "&" in text or "%" in text
    if not raw and not encoded and not any(map(_HIDDEN, looks)):
        return []  # what most files come to: nothing written, decoded or hidden
    seen: set[str] = set()
    at: set[int] = set()
    results: list[Finding] = []
    line_starts: list[int] = []

    def add(offset: int, value: str, what: str) -> None:
        if value in seen or offset in at:
            return
        seen.add(value)
        at.add(offset)
        if not line_starts:  # once, when the first secret is found: thousands stay linear
            line_starts.extend([0, *(m.end() for m in _NEWLINE.finditer(text))])
        line = bisect.bisect_right(line_starts, offset)
        col = offset - line_starts[line - 1] + 1
        results.append(Finding(what, line, col, value[:6] + "…", value))

    for start, end, what in raw:
        add(start, text[start:end], what)
    for base, line in encoded_lines(text) if encoded else ():
        view = reader_view(line)
        if view is not None:
            shown, offsets = view
            for start, end, what in _raw(shown, context):
                add(base + offsets[start], shown[start:end], what)
    for (run_start, _), look in zip(runs, looks, strict=True):  # base64 is in a candidate run
        for offset, hidden in look.hidden:
            where = run_start + offset
            for start, end, what in _raw(hidden, f"{context} {_before(text, where)}"):
                add(where, hidden[start:end], f"{what}, base64-encoded")
    results.sort(key=lambda f: (f.line, f.col))
    return results


Path = tuple[str | int, ...]


def scan_data(
    data: object, text: str = "", json_text: bool = False
) -> Iterator[tuple[Path, Finding]]:
    """Secrets in the decoded strings (and keys) of parsed JSON or YAML, with each one's path;
    the keys above a value are its context. A string written as is in `text` (already scanned)
    is read again only when it holds a wallet-shaped value, whose key word may be its path.
    `json_text` says `data` was parsed from `text` as JSON: then a string none of whose literals
    holds an escape is written as is, without a search of the text for it."""
    escaped = _escaped(text) if json_text else None

    def read(node: object) -> bool:  # whether a node is read: no string written as is
        if not isinstance(node, str):
            return True
        written = (escaped is not None and node not in escaped) or node in text
        return not written or _WALLET_SHAPE.search(node) is not None

    stack: list[tuple[Path, object]] = [((), data)] if read(data) else []
    while stack:  # strings that are not read are never put on it: no path made for them
        path, node = stack.pop()
        if isinstance(node, str):
            context = " ".join(str(p) for p in path if isinstance(p, str))
            for found in scan(node, context):
                yield path, found
        elif isinstance(node, dict):
            for key, value in reversed(node.items()):
                if read(value):
                    stack.append(((*path, str(key)), value))
                if isinstance(key, str) and len(key) >= 20 and read(key):
                    stack.append(((*path, str(key)), key))
        elif isinstance(node, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(node))) if read(v))


_WALLET_SHAPE = re.compile(r"[0-9a-fA-F]{64}|[1-9A-HJ-NP-Za-km-z]{50}")
_LITERAL = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
"""A JSON string literal; read from the start of JSON text, one after the other, they are its
strings (no quote stands outside one)."""


def _escaped(text: str) -> set[str] | None:
    """The strings of JSON `text` that one of their literals writes with an escape (only those
    can be missing from the text as written), or None if one does not decode."""
    try:
        return {json.loads(lit) for lit in _LITERAL.findall(text) if "\\" in lit}
    except ValueError:
        return None


def scan_file(
    text: str,
    data: object = None,
    locate: Callable[[Path], tuple[int, int]] | None = None,
    json_text: bool = False,
) -> list[Finding]:
    """Secrets in a published file: its text, then (when the parser may have decoded something,
    or a wallet-shaped value may have its key word on another line) the strings of its parsed
    `data`, placed by `locate`; `json_text` says `data` is `text` parsed as JSON."""
    runs = _candidate_runs(text)
    looks = _looks(text, runs)
    found = _scan(text, "", runs, looks)
    if (
        data is None
        or locate is None
        or ("\\" not in text and not any(map(_WALLET, looks)))  # a wallet shape is in a run
    ):
        return found
    values = [f.value for f in found]
    for path, hit in scan_data(data, text, json_text):
        if any(hit.value in v or v in hit.value for v in values):
            continue
        values.append(hit.value)
        line, col = locate(path)
        found.append(Finding(hit.kind, line, col, hit.preview, hit.value))
    return sorted(found, key=lambda f: (f.line, f.col))
