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

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

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
    words = [w.lower() for w in _PARTS.findall(before[-120:])][-_CONTEXT_WORDS:]
    for at in range(len(words) - 1, -1, -1):  # the nearest word that tells decides
        if words[at] in _ID_WORDS:
            return False
        if words[at] in _KEY_WORDS:
            return at == 0 or words[at - 1] not in _ID_WORDS  # not a "public key"
    return False


def _before(text: str, match: re.Match[str]) -> str:
    """The text on the line before a match, or the line above when this one has no word."""
    start = text.rfind("\n", 0, match.start()) + 1
    if not _PARTS.search(text, start, match.start()) and start:
        start = text.rfind("\n", 0, start - 1) + 1
    return text[start : match.start()]


def _matches(text: str, context: str) -> Iterator[tuple[int, int, Pattern]]:
    """(start, end, pattern) of every plausible match in `text`."""
    for pattern in PATTERNS:
        if pattern.hints and not any(hint in text for hint in pattern.hints):
            continue
        for m in pattern.regex.finditer(text):
            if not plausible(pattern, m.group()):
                continue
            if pattern.needs_context and not _is_key_context(context + " " + _before(text, m)):
                continue
            yield m.start(), m.end(), pattern


def _raw(text: str, context: str) -> list[tuple[int, int, str]]:
    """(start, end, description) of secrets written as they are, overlaps removed."""
    found = sorted(
        [(s, -e, p.description) for s, e, p in _matches(text, context)]
        + [(s.start, -s.end, f"a {s.words}-word seed phrase") for s in find_seeds(text)]
    )
    kept, covered = [], 0
    for start, neg_end, what in found:
        if start >= covered:
            kept.append((start, -neg_end, what))
            covered = -neg_end
    return kept


def scan(text: str, context: str = "") -> Iterator[Finding]:
    """Every secret in `text`, as written or as a reader decodes it, in order.

    `context` is what names the text (the keys above a JSON or YAML value): words there can make
    a wallet-shaped value a key."""
    seen: set[str] = set()
    at: set[int] = set()
    results: list[Finding] = []

    def add(offset: int, value: str, what: str) -> None:
        if value in seen or offset in at:
            return
        seen.add(value)
        at.add(offset)
        line_start = text.rfind("\n", 0, offset) + 1
        line = text.count("\n", 0, offset) + 1
        results.append(Finding(what, line, offset - line_start + 1, value[:6] + "…", value))

    for start, end, what in _raw(text, context):
        add(start, text[start:end], what)
    for base, line in encoded_lines(text):
        view = reader_view(line)
        if view is not None:
            shown, offsets = view
            for start, end, what in _raw(shown, context):
                add(base + offsets[start], shown[start:end], what)
        for offset, hidden in base64_texts(line):
            for start, end, what in _raw(hidden, context + " " + line[:offset]):
                add(base + offset, hidden[start:end], f"{what}, base64-encoded")
    results.sort(key=lambda f: (f.line, f.col))
    yield from results


Path = tuple[str | int, ...]


def scan_data(data: object) -> Iterator[tuple[Path, Finding]]:
    """Secrets in the decoded strings (and keys) of parsed JSON or YAML, with each one's path;
    the keys above a value are its context."""
    stack: list[tuple[Path, object]] = [((), data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, str):
            context = " ".join(str(p) for p in path if isinstance(p, str))
            for found in scan(node, context):
                yield path, found
        elif isinstance(node, dict):
            for key, value in reversed(node.items()):
                stack.append(((*path, str(key)), value))
                if isinstance(key, str) and len(key) >= 20:
                    stack.append(((*path, str(key)), key))
        elif isinstance(node, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(node))))


_WALLET_SHAPE = re.compile(r"[0-9a-fA-F]{64}|[1-9A-HJ-NP-Za-km-z]{50}")


def scan_file(
    text: str, data: object = None, locate: Callable[[Path], tuple[int, int]] | None = None
) -> list[Finding]:
    """Secrets in a published file: its text, then (when the parser may have decoded something,
    or a wallet-shaped value may have its key word on another line) the strings of its parsed
    `data`, placed by `locate`."""
    found = list(scan(text))
    if data is None or locate is None or ("\\" not in text and not _WALLET_SHAPE.search(text)):
        return found
    values = [f.value for f in found]
    for path, hit in scan_data(data):
        if any(hit.value in v or v in hit.value for v in values):
            continue
        values.append(hit.value)
        line, col = locate(path)
        found.append(Finding(hit.kind, line, col, hit.preview, hit.value))
    return sorted(found, key=lambda f: (f.line, f.col))
