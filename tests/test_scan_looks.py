"""The secret scanner's per-run look (issue 13) finds what the whole scan found before: each
candidate run is looked at once (its hints, the patterns that match in it, its base64, whether
it is wallet-shaped) and a file with nothing written, decoded or hidden stops there. Compared
here, on generated text and on every file of the test data and the sample agents, with a
reference kept in this file: the scan as it was, every pattern its hints woke run over all the
runs joined, and seed phrases found without the first pass.

The generated text mixes keys of every pattern (the labelled positives, filled), the labelled
negatives, near misses of the expressions a stray `.` or `:` used to wake (Discord and Telegram
tokens one character short, with the dots elsewhere), an npm token whose key word ends one run
and whose value starts the next, byte arrays across lines, base64 of keys, seed phrases of every
BIP-39 list, escapes, entities and the text of tests/test_scan_shortcuts.py.
"""

from __future__ import annotations

import base64
import bisect
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mnemonic import Mnemonic

from generator.checks.decode import base64_texts, encoded_lines, reader_view
from generator.checks.placeholders import _WITNESSES, PLACEHOLDERS
from generator.checks.secret_patterns import PATTERNS, Pattern
from generator.checks.secrets import (
    _BY_HINT,
    _CANDIDATE,
    _NEWLINE,
    _SPANNING,
    _UNHINTED,
    _WALLET_RUN,
    _WALLET_SHAPE,
    _WHOLE_TEXT,
    Finding,
    _before,
    _candidate_runs,
    _hints,
    _matches,
    scan,
    scan_data,
    scan_file,
)
from tests.conftest import REPO
from tests.test_scan_shortcuts import TEXTS, seeds_reference
from tests.test_secrets import NEGATIVES, POSITIVES, _case

Runs = list[tuple[int, int]]


def matches_reference(text: str, context: str, runs: Runs) -> Iterator[tuple[int, int, Pattern]]:
    """`secrets._matches` as it was: the hints of all the runs joined wake their patterns (the
    matching itself, given the woken patterns, is the scanner's own)."""
    if not runs:
        return
    joined = "\n".join(text[s:e] for s, e in runs)
    woken = {p.kind: p for h in _hints(joined) for p in _BY_HINT[h]}
    if _WALLET_RUN.search(joined):
        woken.update((p.kind, p) for p in _UNHINTED)
    yield from _matches(text, context, runs, woken)


def raw_reference(text: str, context: str) -> list[tuple[int, int, str]]:
    runs = [m.span() for m in _CANDIDATE.finditer(text)]
    found = sorted(
        [(s, -e, p.description) for s, e, p in matches_reference(text, context, runs)]
        + [(s.start, -s.end, f"a {s.words}-word seed phrase") for s in seeds_reference(text)]
    )
    kept, covered = [], 0
    for start, neg_end, what in found:
        if start >= covered:
            kept.append((start, -neg_end, what))
            covered = -neg_end
    return kept


def scan_reference(text: str, context: str = "") -> list[Finding]:
    """`secrets.scan` as it was: every line with an escape decoded, every run's base64 read."""
    seen: set[str] = set()
    at: set[int] = set()
    results: list[Finding] = []
    line_starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]

    def add(offset: int, value: str, what: str) -> None:
        if value in seen or offset in at:
            return
        seen.add(value)
        at.add(offset)
        line = bisect.bisect_right(line_starts, offset)
        col = offset - line_starts[line - 1] + 1
        results.append(Finding(what, line, col, value[:6] + "…", value))

    for start, end, what in raw_reference(text, context):
        add(start, text[start:end], what)
    for base, line in encoded_lines(text):
        view = reader_view(line)
        if view is not None:
            shown, offsets = view
            for start, end, what in raw_reference(shown, context):
                add(base + offsets[start], shown[start:end], what)
    for match in _CANDIDATE.finditer(text):
        for offset, hidden in base64_texts(match.group()):
            where = match.start() + offset
            for start, end, what in raw_reference(hidden, f"{context} {_before(text, where)}"):
                add(where, hidden[start:end], f"{what}, base64-encoded")
    results.sort(key=lambda f: (f.line, f.col))
    return results


def scan_file_reference(text: str, data: object = None) -> list[tuple[Finding, str]]:
    """`secrets.scan_file` as it was, each finding with its value (which `==` leaves out);
    values found in `data` are placed at (path length, 1)."""
    found = scan_reference(text)
    if data is not None and ("\\" in text or _WALLET_SHAPE.search(text)):
        values = [f.value for f in found]
        for path, hit in scan_data(data, text):
            if any(hit.value in v or v in hit.value for v in values):
                continue
            values.append(hit.value)
            found.append(Finding(hit.kind, len(path), 1, hit.preview, hit.value))
        found.sort(key=lambda f: (f.line, f.col))
    return [(f, f.value) for f in found]


def scanned(text: str, data: object = None) -> list[tuple[Finding, str]]:
    locate = None if data is None else (lambda path: (len(path), 1))
    return [(f, f.value) for f in scan_file(text, data, locate)]


def _pieces() -> list[str]:
    """Keys of every pattern, the labelled negatives and near misses of the patterns that
    the shape of a run now keeps asleep."""
    keys = []
    for case in POSITIVES:
        text, secret, _ = _case(case)
        keys.extend([text, secret])
    rng = random.Random(13)
    b64 = "".join(rng.choice("ABCDEFGHabcdefgh0123456789-_") for _ in range(60))
    near = [
        *(f"M{b64[:n]}.{b64[:6]}.{b64[:k]}" for n in (22, 23, 25, 26) for k in (26, 27, 38, 39)),
        f"O{b64[:24]}:{b64[:6]}.{b64[:27]}",
        f"N{b64[:24]}..{b64[:33]}",
        *(f"{'1234567890'[:n]}:AA{b64[:k]}" for n in (7, 8, 10) for k in (32, 33, 35)),
        f"123456789:{b64[:35]}",
        "//registry.npmjs.org/:_authToken=",
        "npm_" + b64[:36],
        "[" + ",\n".join(str(rng.randrange(256)) for _ in range(64)) + "]",
        "https://github.com/elizaos/eliza.git",
        "yaml-language-server: $schema=../../../catalog/schema/agent.schema.json",
        "elizaos/plugin-google-genai",
        "aws_access_key = '" + b64[:40] + "'",
        base64.b64encode(b"ghp_" + b64[:36].encode()).decode(),
        "0x" + "ab" * 32,
        "private key: " + "ab" * 32,
    ]
    seeds = [
        sep.join(Mnemonic(lang).to_mnemonic(bytes([n]) * 16).split())
        for n, lang in enumerate(sorted(Mnemonic.list_languages()))
        for sep in (" ", "\n", ", ")
    ]
    negatives = [case["text"] for case in NEGATIVES if isinstance(case.get("text"), str)]
    return sorted({*keys, *near, *seeds, *negatives})


PIECES = _pieces()
_SEPARATORS = ["", " ", "\n", "=", ":", ".", '"', "'", ", ", "\\n", "&amp;", "%3A", "\u200b"]
FILES = st.lists(st.sampled_from(PIECES) | TEXTS, min_size=1, max_size=6).flatmap(
    lambda parts: st.lists(
        st.sampled_from(_SEPARATORS), min_size=len(parts), max_size=len(parts)
    ).map(lambda seps: "".join(p + s for p, s in zip(parts, seps, strict=True)))
)
"""Keys, near misses, negatives and generated text, glued or set apart by separators."""


@given(FILES)
@settings(max_examples=1500, deadline=None)
@example("//registry.npmjs.org/:_authToken= npm_" + "a1B2" * 9)  # a match across two runs
@example("schema=../../../catalog/schema/agent.schema.json " + "M" + "a1" * 12 + ".abcdef.")
@example("key " + "M" + "A1" * 12 + "." + "b" * 6 + "." + "C3" * 14)
@example("bot123456789:AA" + "Zz9_" * 9 + " yaml-language-server:")
def test_a_file_gives_what_the_whole_scan_gave(text: str) -> None:
    assert scanned(text) == scan_file_reference(text)
    assert [(f, f.value) for f in scan(text, "wallet key")] == [
        (f, f.value) for f in scan_reference(text, "wallet key")
    ]


@given(st.lists(st.sampled_from(PIECES) | TEXTS, min_size=1, max_size=4))
@settings(max_examples=500, deadline=None)
@example(["private_key", "ab" * 32])
@example(["a\\u002db", "sk-ant-" + "x1Y2" * 6])
def test_a_file_and_its_parsed_strings_give_what_they_gave(items: list[str]) -> None:
    """The parsed strings are read again exactly when they were (a backslash, or a wallet
    shape in a run)."""
    text = json.dumps({"bio": items}, ensure_ascii=False)
    data = json.loads(text)
    assert scanned(text, data) == scan_file_reference(text, data)
    joined = "\n".join(items)
    assert scanned(joined, {"settings": items}) == scan_file_reference(joined, {"settings": items})


@given(
    st.lists(st.sampled_from(PIECES) | TEXTS, min_size=1, max_size=4),
    st.booleans(),
    st.sampled_from([None, 2]),
    st.sampled_from(["", "/", "k", "/k"]),
)
@settings(max_examples=500, deadline=None)
@example(["private_key", "ab" * 32], False, None, "")
@example(["a\\u002db", "sk-ant-" + "x1Y2" * 6], True, 2, "/")
@example(["ghp_" + "k1" * 18, "ghp_" + "k1" * 18], False, None, "k")  # once as is, once escaped
def test_json_strings_written_as_is_are_not_searched_for(
    items: list[str], ascii_only: bool, indent: int | None, escape: str
) -> None:
    """In JSON text, only strings one of whose literals holds an escape are looked for in the
    text: the others are written as is. The strings read again are those the search of the
    text for each string gave, written with escapes of every kind (`\\/`, `\\u006b`)."""
    text = json.dumps(
        {"bio": items, f"{items[0]}{'k' * 20}": items[-1]}, ensure_ascii=ascii_only, indent=indent
    )
    if "/" in escape:
        text = text.replace("/", "\\/")  # only in strings: JSON has no `/` outside one
    if "k" in escape:
        text = text.replace("k", "\\u006b", 1)  # no escape holds a `k`
    data = json.loads(text)
    assert list(scan_data(data, text, json_text=True)) == list(scan_data(data, text))
    locate = lambda path: (len(path), 1)  # noqa: E731
    assert [(f, f.value) for f in scan_file(text, data, locate, json_text=True)] == (
        scan_file_reference(text, data)
    )


def _published_files() -> list[Path]:
    roots = [REPO / "tests" / "data", REPO / "agents"]
    return sorted(
        path
        for root in roots
        if root.is_dir()
        for path in root.rglob("*")
        if path.is_file() and path.suffix in (".json", ".yaml", ".yml", ".md", ".txt")
    )


def test_every_file_of_the_test_data_and_the_samples_gives_what_it_gave() -> None:
    files = _published_files()
    assert len(files) > 20
    differ = []
    for path in files:
        text = path.read_text("utf-8", errors="replace")
        if scanned(text) != scan_file_reference(text):
            differ.append(str(path.relative_to(REPO.parent)))
    assert differ == []


def _accepts_newline(items: object) -> bool:
    """Whether a parsed expression (`re._parser`) can consume a line break; the assertions
    around a match consume nothing and are left out."""
    from re import _constants as c  # type: ignore[attr-defined]

    newline_categories = {c.CATEGORY_SPACE, c.CATEGORY_NOT_DIGIT, c.CATEGORY_NOT_WORD}
    newline_categories |= {c.CATEGORY_LINEBREAK, c.CATEGORY_UNI_LINEBREAK}
    for op, av in items:  # type: ignore[attr-defined]
        if (op is c.LITERAL and av == 10) or (op is c.NOT_LITERAL and av != 10):
            return True
        if op is c.ANY:
            return True  # conservative: DOTALL is not looked at
        if op is c.IN:
            negate = any(o is c.NEGATE for o, _ in av)
            inside = any(
                (o is c.LITERAL and v == 10)
                or (o is c.RANGE and v[0] <= 10 <= v[1])
                or (o is c.CATEGORY and v in newline_categories)
                for o, v in av
            )
            if inside != negate:
                return True
        if op is c.SUBPATTERN and _accepts_newline(av[-1]):
            return True
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and _accepts_newline(av[2]):
            return True
        if op is c.BRANCH and any(_accepts_newline(b) for b in av[1]):
            return True
        if op is c.ATOMIC_GROUP and _accepts_newline(av):
            return True
    return False


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.kind for p in PATTERNS])
def test_only_the_spanning_patterns_can_match_a_line_break(pattern: Pattern) -> None:
    """A pattern outside `_SPANNING` matches within one run of the runs joined by line breaks,
    so a look at each run alone sees all its matches."""
    from re import _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern.regex.pattern, pattern.regex.flags)
    if pattern.kind in _SPANNING:
        assert pattern.kind in _WHOLE_TEXT or _accepts_newline(parsed)
    else:
        assert not _accepts_newline(parsed)


def test_the_newline_reader_sees_what_it_must() -> None:
    """The check above would fail a pattern that can cross a line."""
    from re import _parser  # type: ignore[attr-defined]

    for expression in (r"a\s+b", r"a[^x]b", r"a.b", r"a\Wb", "a\nb", r"(?:a|\n)", r"[\x00-\x7f]"):
        assert _accepts_newline(_parser.parse(expression))
    for expression in (r"a[\w-]+b", r"(?<![\w-])sk-[A-Za-z0-9_-]{20,}", r"a\Sb", r"\d{8}:AA"):
        assert not _accepts_newline(_parser.parse(expression))


_ARRAY_PARTS = st.sampled_from(["[", "]", ",", "0", "12", "255", " ", "\n", "\xa0", "\u3000", "x"])
ARRAYS = st.tuples(
    st.integers(60, 66), st.lists(_ARRAY_PARTS, max_size=3), st.sampled_from([", ", ",\xa0", ","])
).map(lambda t: "".join(t[1]) + "[" + t[2].join(["7"] * t[0]) + "]" + "".join(t[1]))
"""Byte arrays of 60 to 66 bytes, with white space past ASCII, glued to other text."""


@given(st.lists(ARRAYS | TEXTS | _ARRAY_PARTS, max_size=5).map("".join))
@settings(max_examples=500, deadline=None)
@example("[" + ",\u3000".join(["1"] * 64) + "]")
@example("[" + ",".join(["1"] * 64) + "]")
@example("[" + ",".join(["1"] * 63) + "]")
@example("x-----BEGIN RSA PRIVATE KEY-----" + "k" * 30)
@example("-----BEGIN" + "x" * 30)
def test_candidate_runs_of_arrays_and_headers_are_those_the_expression_finds(text: str) -> None:
    assert _candidate_runs(text) == [m.span() for m in _CANDIDATE.finditer(text)]


def test_every_placeholder_sentence_holds_a_witness_word() -> None:
    """The placeholder check reads a file only when one of these words is in it."""
    for sentence in PLACEHOLDERS.values():
        assert _WITNESSES & set(sentence.lower().split()), sentence


def test_long_runs_are_not_kept() -> None:
    """A hostile file's long runs are looked at, not kept: the kept looks stay small."""
    from generator.checks import secrets

    secrets._kept_look.cache_clear()
    long_run = "k" * (secrets._KEPT_RUN + 1)
    text = f"see {long_run} and https://example.org/a"
    assert list(scan(text)) == list(scan(text)) == []
    kept = secrets._kept_look.cache_info().currsize
    assert kept == 1  # the link alone
