"""Hypothesis strategies for hostile agents: mutated manifests, characters, READMEs, moderation
entries and file names, as the bytes a careless author or an attacker could commit.

Values are generated as source text, not as Python objects, so that what no serializer would
write (a 5,000-digit number, `2026-13-45`, a raw control character, a lone surrogate escape, a
BOM, invalid UTF-8) reaches the loader. tests/test_fuzz.py writes them into real catalogs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

import yaml
from hypothesis import strategies as st

from tests.conftest import REPO

SAMPLES = sorted(p.parent for p in (REPO / "agents").glob("*/*/agent.yaml"))
"""The sample agents of the repository: every hostile agent starts as a copy of one."""

# --- YAML values, as source text -------------------------------------------------------------

YAML_LITERALS = [
    "2026-13-45",
    "0000-00-00",
    "9999-12-31T99:00:00",
    "9999-12-31T23:59:59-24:00",
    "2026-01-01T00:00:00+99:99",
    "2026-02-30",
    "0001-01-01 00:00:00 +23:59",
    "1e400",
    "-1e400",
    ".inf",
    "-.inf",
    ".nan",
    "1" * 5000,
    "-" + "9" * 4301,
    "0x" + "f" * 5000,
    "0o" + "7" * 5000,
    "0b" + "1" * 20000,
    "1_" + "0" * 5000,
    "1" + "0" * 5000 + ".5",
    "190:20:30.15",
    "1:2:3:4:5:6:7:8:9:10",
    "~",
    "null",
    "yes",
    "off",
    "true",
    "[]",
    "{}",
    "&a x",
    "*a",
    "!!binary aGk=",
    "!!python/name:os.system",
    "!!python/object/apply:os.system [ls]",
    "!!str 1",
    "!!int '12'",
    "!!timestamp 2026-13-45",
    "!custom x",
    "<<",
    "|\n  a\n  b",
    ">-\n  folded",
    '"\\x00"',
    '"\\0\\a\\e\\N\\_\\L\\P"',
    '"\\ud800"',
    '"\\U0010FFFF"',
    '"\\U00110000"',
    "'it''s'",
    "[a, [b, [c]]]",
    "[" * 40 + "]" * 40,
    "{a: 1, a: 2}",
    '"unterminated',
    "- a\n- b",
    "? complex\n: key",
    "%YAML 1.1",
    "---",
    "...",
    "\t tab",
    "@reserved",
    "`reserved",
    "#comment",
    "key: value: again",
]


@st.composite
def yaml_dates(draw: st.DrawFn) -> str:
    """Date and timestamp shapes with any digits: month 13, hour 99, year 0, offset 99:99."""
    y, m, d = draw(st.integers(0, 9999)), draw(st.integers(0, 99)), draw(st.integers(0, 99))
    text = f"{y:04d}-{m:02d}-{d:02d}"
    if draw(st.booleans()):
        hh, mm, ss = (draw(st.integers(0, 99)) for _ in range(3))
        text += f"{draw(st.sampled_from('Tt '))}{hh:02d}:{mm:02d}:{ss:02d}"
        text += draw(st.sampled_from(["", ".5", ".1234567", "Z", "+99:99", "-23:59", " -5"]))
    return text


def yaml_values() -> st.SearchStrategy[str]:
    """One YAML value as it would be written after `key: `."""
    objects = st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-(2**70), 2**70)
        | st.floats()
        | st.text(max_size=40)
        | st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=12,
    )
    return st.one_of(
        st.sampled_from(YAML_LITERALS),
        yaml_dates(),
        st.integers(1, 6000).map(lambda n: "9" * n),
        st.text(max_size=80),
        st.text(max_size=40).map(lambda s: json.dumps(s, ensure_ascii=False)),
        st.text(st.characters(categories=["Cc", "Cs", "Zl", "Zp", "Cf"]), max_size=20).map(
            json.dumps
        ),
        objects.map(lambda v: yaml.safe_dump(v, default_flow_style=True, width=10**9).strip()),
        st.integers(1, 70_000).map(lambda n: json.dumps("x" * n)),
        st.integers(1, 60).map(lambda n: "[" * n + "]" * n),
    )


MANIFEST_PLACES: list[tuple[str, ...]] = [
    *((key,) for key in ("name", "summary", "description", "owner", "version", "license")),
    *((key,) for key in ("character", "forked_from", "maintainers", "tags", "elizaos", "links")),
    ("deprecated",),
    ("last_updated",),
    ("unknown key",),
    ("tags", "0"),
    ("maintainers", "0"),
    ("links", "repository"),
    ("links", "homepage"),
    ("deprecated", "reason"),
    ("deprecated", "replacement"),
    ("elizaos", "character_schema"),
]


def _write_value(place: tuple[str, ...], raw: str) -> str:
    if len(place) == 1:
        return f"{place[0]}: {raw}\n"
    if place[1] == "0":
        return f"{place[0]}:\n  - {raw}\n"
    return f"{place[0]}:\n  {place[1]}: {raw}\n"


@st.composite
def manifests(draw: st.DrawFn, sample: dict[str, Any]) -> str:
    """A sample manifest with one to three values replaced by hostile YAML source."""
    data = dict(sample)
    written = ""
    for _ in range(draw(st.integers(1, 3))):
        place = draw(st.sampled_from(MANIFEST_PLACES))
        data.pop(place[0], None)
        written += _write_value(place, draw(yaml_values()))
    rest = yaml.safe_dump(data, sort_keys=False, allow_unicode=True) if data else ""
    return rest + written if draw(st.booleans()) else written + rest


# --- JSON values, as source text -------------------------------------------------------------

JSON_LITERALS = [
    "1" * 5000,
    "-" + "9" * 4301,
    "1e400",
    "-1e400",
    "1." + "0" * 5000,
    "NaN",
    "Infinity",
    "-Infinity",
    '"\\u0000"',
    '"\\ud800"',
    '"\\udfff\\ud800"',
    '"a\\ud83d"',
    '"\\u2028\\u2029\\u0085"',
    "true",
    "null",
    "{}",
    "[]",
    '{"__proto__": "x"}',
    '{"\\u0000": 1, "\\n": 2}',
    '{"a": 1, "a": 2}',
    "[" * 40 + "]" * 40,
    "[" * 5000 + "]" * 5000,
    '{"a":' * 100 + "1" + "}" * 100,
    '"unterminated',
    "[1,]",
    "01",
    "'single'",
]
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


def json_values() -> st.SearchStrategy[str]:
    """One JSON value as source text (ASCII escapes carry lone surrogates and controls)."""
    return st.one_of(
        st.sampled_from(JSON_LITERALS),
        st.integers(1, 6000).map(lambda n: "9" * n),
        st.text(max_size=80).map(json.dumps),
        st.text(st.characters(categories=["Cc", "Cs", "Zl", "Zp", "Cf"]), max_size=20).map(
            json.dumps
        ),
        _JSON.map(json.dumps),
        st.integers(1, 300).map(lambda n: "[" * n + "]" * n),
    )


CHARACTER_PLACES: list[tuple[str | int, ...]] = [
    ("name",),
    ("bio",),
    ("bio", 0),
    ("system",),
    ("username",),
    ("id",),
    ("plugins",),
    ("plugins", 0),
    ("topics", 0),
    ("adjectives", 0),
    ("postExamples", 0),
    ("knowledge", 0),
    ("templates", "t"),
    ("settings",),
    ("settings", "model"),
    ("settings", "secrets"),
    ("settings", "secrets", "OPENAI_API_KEY"),
    ("secrets", "KEY"),
    ("style", "all"),
    ("style", "chat", 0),
    ("messageExamples",),
    ("messageExamples", 0),
    ("messageExamples", 0, 0, "name"),
    ("messageExamples", 0, 0, "content"),
    ("messageExamples", 0, 0, "content", "text"),
    ("messageExamples", 0, 0, "content", "inReplyTo"),
    ("messageExamples", 0, 0, "content", "attachments"),
    ("lore",),
    ("unknown",),
]
_HOLE = "\x00HOLE\x00"


def _set(data: Any, place: tuple[str | int, ...]) -> Any:
    """`data` with the value at `place` replaced by the placeholder, creating what is missing."""
    if not place:
        return _HOLE
    head, rest = place[0], place[1:]
    if isinstance(head, int):
        items = list(data) if isinstance(data, list) and data else [None]
        items[0] = _set(items[0], rest)
        return items
    mapping = dict(data) if isinstance(data, dict) else {}
    mapping[head] = _set(mapping.get(head), rest)
    return mapping


@st.composite
def characters(draw: st.DrawFn, sample: dict[str, Any]) -> str:
    """A sample character with one value replaced by hostile JSON source."""
    place = draw(st.sampled_from(CHARACTER_PLACES))
    text = json.dumps(_set(sample, place), indent=draw(st.sampled_from([None, 2])))
    return text.replace(json.dumps(_HOLE), draw(json_values()), 1)


# --- bytes on disk ---------------------------------------------------------------------------


@st.composite
def mutated_bytes(draw: st.DrawFn, text: str) -> bytes:
    """The text as a careless editor saves it: BOM, CRLF, another encoding, stray bytes."""
    how = draw(
        st.sampled_from(
            ["utf-8", "bom", "crlf", "cr", "utf-16", "latin-1", "insert", "nul", "cut", "double"]
        )
    )
    raw = text.encode("utf-8", "surrogatepass")
    if how == "bom":
        return b"\xef\xbb\xbf" + raw
    if how in ("crlf", "cr"):
        return raw.replace(b"\n", b"\r\n" if how == "crlf" else b"\r")
    if how == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if how == "latin-1":
        return text.encode("latin-1", "replace")
    if how == "double":
        return raw + b"\n---\n" + raw
    at = draw(st.integers(0, len(raw)))
    if how == "cut":
        return raw[:at]
    stray = b"\x00" if how == "nul" else draw(st.binary(min_size=1, max_size=8))
    return raw[:at] + stray + raw[at:]


MARKDOWN_PIECES = [
    "# Title\n",
    "[" * 200,
    "> " * 60 + "deep\n",
    "- " * 60 + "list\n",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "![i](https://e.example/x.png)",
    "```\ncode\n```\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "&#0; &#xD800; &#1114112;",
    "\x00\x1b[31m\u2028\u202e",
    "*" * 100,
    "`" * 100,
    "\\" * 100,
    "<" * 100,
    "[a]: https://x.example\n" * 5,
]


def readme_texts() -> st.SearchStrategy[str]:
    """README text: arbitrary, or hostile Markdown pieces glued together."""
    return st.text(max_size=400) | st.lists(
        st.sampled_from(MARKDOWN_PIECES) | st.text(max_size=20), max_size=12
    ).map("".join)


def readmes() -> st.SearchStrategy[bytes]:
    """README bytes: arbitrary, or text (lone surrogates encoded as a careless tool would)."""
    return st.binary(max_size=400) | readme_texts().map(
        lambda s: s.encode("utf-8", "surrogatepass")
    )


# --- moderation.yaml -------------------------------------------------------------------------

MODERATION_FIELDS = ("state", "reason", "issue", "date", "extra")


@st.composite
def moderation_files(draw: st.DrawFn, refs: list[str]) -> str:
    """moderation.yaml with entries for real and made-up agents, some values hostile."""
    keys = st.sampled_from(refs) | st.sampled_from(["a/b", "A/B", "x", "a/b/c", "../x", ""])
    keys |= st.text(max_size=20).map(lambda s: json.dumps(s))
    good = {
        "state": "flagged",
        "reason": "Reported for a good reason.",
        "issue": "https://github.com/o/r/issues/1",
        "date": "2026-01-05",
    }
    text = ""
    for _ in range(draw(st.integers(0, 3))):
        text += f"{draw(keys)}:\n"
        if draw(st.integers(0, 5)) == 0:
            text += f"  {draw(yaml_values())}\n"
            continue
        hostile = draw(st.sets(st.sampled_from(MODERATION_FIELDS), max_size=2))
        for field in MODERATION_FIELDS:
            if field in hostile:
                text += f"  {field}: {draw(yaml_values())}\n"
            elif field in good:
                text += f"  {field}: {good[field]}\n"
    return text


# --- file and folder names -------------------------------------------------------------------

NAME_LITERALS = [
    "Acme",
    "ACME",
    "harbor-labs ",
    " harbor-labs",
    "a..b",
    "...",
    "-",
    "a\nb",
    "a\rb",
    "tab\there",
    "new\u2028line",
    "\u202eevil",
    "ünïcödé",
    "名前",
    "x" * 255,
    "é" * 127,
    "with space",
    "a:b",
    "%2e%2e",
    "\\..\\x",
    "con",
    "nul.txt",
    ".hidden",
    "\x1b[31mred",
]


def names() -> st.SearchStrategy[str]:
    """A file or folder name: tricky literals, any text, or bytes that are not UTF-8."""
    text = st.text(min_size=1, max_size=60).filter(
        lambda s: "/" not in s and "\x00" not in s and s not in (".", "..")
    )
    raw = st.binary(min_size=1, max_size=40).filter(
        lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b"..")
    )
    return st.sampled_from(NAME_LITERALS) | text | raw.map(os.fsdecode)


# --- agents that validate, with hostile text wherever text is allowed ------------------------

_ANY = st.characters(exclude_categories=["Cs"])
_LINE = st.characters(exclude_categories=["Cs"], exclude_characters="\r\n")
_WORD = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)


def _one_line(low: int, high: int) -> st.SearchStrategy[str]:
    """A line of `low`-`high` characters, without leading or trailing white space."""
    return (
        st.text(_LINE, min_size=low, max_size=high).map(str.strip).filter(lambda s: len(s) >= low)
    )


_SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, categories=["Cs"])


def _strings() -> st.SearchStrategy[str]:
    """Text a character may hold: anything, and lone surrogates (JSON escapes them; the checks
    refuse them, since no page could hold them)."""
    return (
        st.text(max_size=60)
        | st.text(st.characters(codec=None) | _SURROGATES, max_size=30)
        | st.sampled_from(MARKDOWN_PIECES)
    )


@st.composite
def valid_manifests(draw: st.DrawFn, owner: str, other: str) -> str:
    """A manifest that passes every rule, with hostile text in the free-text fields."""
    data: dict[str, Any] = {
        "name": draw(_one_line(1, 60)),
        "summary": draw(_one_line(10, 160)),
        "owner": owner,
        "version": draw(
            st.from_regex(
                r"(0|[1-9][0-9]{0,3})\.[0-9]\.[0-9](-[a-z0-9.-]{1,20}[a-z0-9])?", fullmatch=True
            )
        ),
        "license": draw(
            st.sampled_from(["MIT", "Apache-2.0", "MIT OR Apache-2.0", "LicenseRef-x"])
        ),
        "tags": draw(
            st.lists(_WORD.filter(lambda w: len(w) >= 2), min_size=1, max_size=10, unique=True)
        ),
    }
    if draw(st.booleans()):
        data["description"] = draw(st.text(_ANY, min_size=1, max_size=400))
    if draw(st.booleans()):
        url = "https://" + draw(st.sampled_from(["a.example", "x-y.example:8443"]))
        path = draw(st.text(st.characters(exclude_categories=["Cs", "Z", "Cc"]), max_size=40))
        data["links"] = {"homepage": url + "/" + path}
    if draw(st.booleans()):
        data["forked_from"] = f"{other}@1.0.0"
    if draw(st.booleans()):
        data["deprecated"] = {"reason": draw(_one_line(3, 280)), "replacement": other}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=draw(st.booleans()))


@st.composite
def valid_characters(draw: st.DrawFn) -> str:
    """A 1.x character the runtime accepts, with hostile text in every string."""
    text = _strings()
    data: dict[str, Any] = {
        "name": draw(text.filter(bool)),
        "bio": draw(text | st.lists(text, max_size=3)),
    }
    for key in ("system", "username"):
        if draw(st.booleans()):
            data[key] = draw(text)
    for key in ("topics", "adjectives", "postExamples", "plugins"):
        if draw(st.booleans()):
            data[key] = draw(st.lists(text, max_size=3))
    if draw(st.booleans()):
        content = st.builds(lambda t, x: {"text": t, "extra": x}, text, text)
        message = st.builds(lambda n, c: {"name": n, "content": c}, text, content)
        data["messageExamples"] = draw(st.lists(st.lists(message, max_size=3), max_size=2))
    if draw(st.booleans()):
        data["settings"] = draw(
            st.dictionaries(text, text | st.integers(-(2**70), 2**70), max_size=3)
        )
    if draw(st.booleans()):
        data["style"] = {"all": draw(st.lists(text, max_size=3))}
    return json.dumps(data, ensure_ascii=True, indent=2)


CHARACTER_PATH_LITERALS = [
    "a\x00.json",
    "x" * 300 + ".json",
    "é" * 200 + ".json",
    "README.md/x.json",
    "agent.yaml/c.json",
    "./character.json",
    "character.json/",
    ".json",
    "//x.json",
    "C:/x.json",
    "a/" * 2000 + "x.json",
    "~/x.json",
    "character.JSON",
    "../character.json",
    "a/../character.json",
    "\\\\server\\x.json",
    "character.json\n",
    " character.json",
]


def character_paths() -> st.SearchStrategy[str]:
    """What `character:` may say: a name, a path of names, or one of the known tricks."""
    return st.one_of(
        st.sampled_from(CHARACTER_PATH_LITERALS),
        st.text(max_size=300),
        names().map(lambda n: n + ".json"),
        st.lists(names(), min_size=1, max_size=4).map(lambda p: "/".join(p) + ".json"),
    )


@st.composite
def valid_moderation(draw: st.DrawFn, ref: str) -> str:
    """A moderation.yaml entry that validates, with hostile text in its reason and link."""
    entry = {
        "state": draw(st.sampled_from(["flagged", "delisted", "removed"])),
        "reason": draw(_one_line(3, 280)),
        "issue": "https://github.com/o/r/issues/"
        + draw(st.text(st.characters(exclude_categories=["Cs", "Z", "Cc"]), max_size=30)),
        "date": draw(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))).isoformat(),
    }
    return yaml.safe_dump({ref: entry}, allow_unicode=draw(st.booleans()))
