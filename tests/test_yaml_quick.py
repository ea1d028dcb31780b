"""The line-level manifest reader (`yaml_quick`) gives the full parse's data or doubts: never other
data, never data where the full parse refuses the text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.checks.load import SourceError, YamlDoc, load_yaml
from generator.checks.yaml_quick import Doubt, quick_data

REPO = Path(__file__).resolve().parent.parent


def same(a: object, b: object) -> bool:
    """Equal, with the same types all the way down (`1 == True`, `1 == 1.0` are not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        assert isinstance(b, list)
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def full(text: str) -> object:
    """What the full parse makes of `text`: its data, or the problem it reports."""
    try:
        return load_yaml(text, positions=True).data
    except SourceError as err:
        return err


def agrees(text: str) -> bool:
    """Whether the quick reader doubts, or gives exactly the full parse's data."""
    try:
        quick = quick_data(text)
    except Doubt:
        return True
    expected = full(text)
    assert not isinstance(expected, SourceError), f"quick read a text the parse refuses: {text!r}"
    assert same(quick, expected), f"{text!r}: {quick!r} != {expected!r}"
    return False


def test_every_yaml_file_of_the_repository_reads_the_same() -> None:
    files = [
        p
        for pattern in ("*.yaml", "*.yml")
        for p in REPO.rglob(pattern)
        if not any(  # the repository's own files: no venv, no benchmark catalogs, no built site
            part.startswith(".") or part in ("node_modules", "site")
            for part in p.relative_to(REPO).parts
        )
    ]
    quick = [p for p in files if not agrees(p.read_text("utf-8", "replace"))]
    manifests = [p for p in files if p.name == "agent.yaml" and p.parts[-4] == "agents"]
    plain = [p for p in manifests if ": |" not in p.read_text("utf-8")]  # no block scalar
    assert len(plain) >= len(manifests) - 2 and set(plain) <= set(quick)  # read quickly


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("name: A\ntags: [a, b]\n", {"name": "A", "tags": ["a", "b"]}),
        ("name: A\ntags:\n- a\n- b\nx: y\n", {"name": "A", "tags": ["a", "b"], "x": "y"}),
        (
            "links:\n  home: https://a.io/x\n  b:\n  - c\n",
            {"links": {"home": "https://a.io/x", "b": ["c"]}},
        ),
        (
            "# c\nsummary: one\n  two\n   three\nv: 1.0.0\n",
            {"summary": "one two three", "v": "1.0.0"},
        ),
        ("summary: 'it''s: #1'\n", {"summary": "it's: #1"}),
        ('summary: "say: hi"\n', {"summary": "say: hi"}),
        ("m: []\nn: [ x ]\n", {"m": [], "n": ["x"]}),
        ("a: C++ & Go, [fast]!\n", {"a": "C++ & Go, [fast]!"}),
        (
            "members:\n  - {login: a-b, role: admin}\n  - { login: c }\n  - {}\n",
            {"members": [{"login": "a-b", "role": "admin"}, {"login": "c"}, {}]},
        ),
        ("a: {b: c d, e: f}\ng: {}\n", {"a": {"b": "c d", "e": "f"}, "g": {}}),
    ],
)
def test_plain_manifests_are_read_without_the_parser(text: str, data: object) -> None:
    assert same(quick_data(text), data)
    assert same(full(text), data)


@pytest.mark.parametrize(
    "text",
    [
        "version: 1.0\n",  # a float
        "on: x\n",  # a boolean key
        "a: yes\n",
        "a: 2024-01-01\n",
        "a: ~\n",
        "a:\n",  # null
        "a: x\na: y\n",  # a duplicate key: the parse reports it
        "a: &x b\n",
        "a: *x\n",
        "a: !!str b\n",
        "<<: {a: b}\n",
        "a: |\n  b\n",
        "a: x # comment\n",
        "a: x\n# c\n  y\n",  # a comment line inside a scalar
        "a: x\n\n  y\n",  # a blank line inside a scalar
        "a: 'x\n  y'\n",
        'a: "x\\ty"\n',
        "a: [x, , y]\n",
        "a: [x, y,]\n",
        "a: [x: y]\n",
        "a:\n  b:\n    c: d\n",  # three levels
        "- a\n",
        "a:\tb\n",
        "a: b\r\n",
        "\ufeffa: b\n",
        "a: b\u2028c\n",
        "---\na: b\n",
        "  a: b\n",
        "a: b\n c: d\n",
        "a: x\n  - y\n",
        "a:\n- x\n  - y\n",
        "a: x:\n",
        "a: x: y\n",
        "",
        "# only a comment\n",
        "a:\n- {b: c, b: d}\n",  # a duplicate key
        "a:\n- {on: b}\n",
        "a:\n- {b:c}\n",
        "a:\n- {b: c,}\n",
        "a:\n- {b: {c: d}}\n",
        "a:\n- {b: [c]}\n",
        "a:\n- {b: c: d}\n",
        "a:\n- {'b': c}\n",
        "a:\n- {b: yes}\n",
        "a:\n- {b: c}\n  d\n",
        "a: {b: c} # x\n",
        "a: {b: c}\n  d\n",
    ],
)
def test_doubtful_texts_are_parsed_fully(text: str) -> None:
    with pytest.raises(Doubt):
        quick_data(text)
    assert agrees(text)


_PIECES = [
    "a",
    "b",
    "x1",
    "1",
    "0x1",
    "1.0",
    "1.0.0",
    "yes",
    "no",
    "on",
    "null",
    "~",
    "true",
    "=",
    "2024-01-01",
    "-",
    "--",
    "---",
    "...",
    "?",
    ":",
    ": ",
    "#",
    " #",
    "&a",
    "*a",
    "!t",
    "!!str",
    "|",
    ">",
    "'",
    "''",
    '"',
    "\\",
    "[",
    "]",
    "{",
    "}",
    ",",
    "%",
    "@",
    "`",
    "<<",
    " ",
    "  ",
    "\t",
    "\r",
    "\u00a0",
    "\u2028",
    "\u0085",
    "\ufeff",
    "é",
    "日本",
    "\u200b",
    "http://a.b",
]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=6).map("".join)
_KEY = st.sampled_from(["name", "tags", "a", "b", "on", "null", "x-y", "_k", "1", "'q'", "a b"])
_LINE = st.one_of(
    st.tuples(st.sampled_from(["", " ", "  ", "   ", "    "]), _KEY, _TEXT).map(
        lambda t: f"{t[0]}{t[1]}: {t[2]}"
    ),
    st.tuples(st.sampled_from(["", " ", "  ", "   ", "    "]), _KEY).map(
        lambda t: f"{t[0]}{t[1]}:"
    ),
    st.tuples(st.sampled_from(["", "  ", "    "]), _TEXT).map(lambda t: f"{t[0]}- {t[1]}"),
    st.tuples(st.sampled_from(["", "  "]), _KEY, _TEXT, _KEY, _TEXT).map(
        lambda t: f"{t[0]}- {{{t[1]}: {t[2]}, {t[3]}: {t[4]}}}"
    ),
    st.tuples(_KEY, _TEXT).map(lambda t: f"x: {{{t[0]}: {t[1]}}}"),
    st.tuples(st.sampled_from(["", "  ", "   "]), st.lists(_TEXT, max_size=3)).map(
        lambda t: f"{t[0]}x: [{', '.join(t[1])}]"
    ),
    st.tuples(st.sampled_from(["  ", "   ", "    "]), _TEXT).map("".join),
    st.sampled_from(["", "# c", "  # c", "---", "..."]),
)


_WORDS = st.sampled_from(
    [
        *("alpha", "Beta", "x1", "1.0.0", "https://a.io/x?y=1", "C++", "a,b", "it's", "[x]"),
        *("{y}", "50%", "a&b", "n", "yes", "1", "0.5", "~", "null", "-a", "é", "日本", "a:b", "q?"),
    ]
)
_SCALAR = st.one_of(
    st.lists(_WORDS, min_size=1, max_size=4).map(" ".join),
    st.tuples(st.lists(_WORDS, min_size=1, max_size=3).map(" ".join), st.sampled_from(_PIECES)).map(
        lambda t: t[0] + t[1]
    ),
    st.tuples(st.sampled_from(_PIECES), st.lists(_WORDS, min_size=1, max_size=3).map(" ".join)).map(
        lambda t: t[0] + t[1]
    ),
)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """Mostly what manifests look like, with a tricky piece here and there."""
    keys = draw(
        st.lists(
            st.sampled_from(["name", "summary", "tags", "links", "on", "a"]), min_size=1, max_size=5
        )
    )
    lines = draw(st.sampled_from([[], ["# yaml-language-server: $schema=x.json"]]))
    for key in keys:
        kind = draw(
            st.sampled_from(
                ["plain", "single", "double", "flow", "block", "nested", "more", "members", "map"]
            )
        )
        value = draw(_SCALAR)
        if kind == "plain":
            lines.append(f"{key}: {value}")
        elif kind == "single":
            lines.append(f"{key}: '{value.replace(chr(39), chr(39) * 2)}'")
        elif kind == "double":
            lines.append(f'{key}: "{value}"')
        elif kind == "flow":
            lines.append(f"{key}: [{', '.join(draw(st.lists(_SCALAR, max_size=3)))}]")
        elif kind == "block":
            pad = draw(st.sampled_from(["", "  ", " "]))
            lines += [f"{key}:"] + [
                f"{pad}- {v}" for v in draw(st.lists(_SCALAR, min_size=1, max_size=3))
            ]
        elif kind in ("members", "map"):
            pad = draw(st.sampled_from(["", "  ", " "]))
            items = [
                ", ".join(f"{k}: {draw(_SCALAR)}" for k in draw(st.lists(_KEY, max_size=3)))
                for _ in range(draw(st.integers(1, 3)))
            ]
            if kind == "map":
                lines.append(f"{key}: {{{items[0]}}}")
            else:
                lines += [f"{key}:"] + [f"{pad}- {{{item}}}" for item in items]
        elif kind == "nested":
            pad = draw(st.sampled_from(["  ", "    ", " "]))
            inner = draw(
                st.lists(
                    st.sampled_from(["repository", "home", "yes", "b"]), min_size=1, max_size=3
                )
            )
            lines += [f"{key}:"] + [f"{pad}{k}: {draw(_SCALAR)}" for k in inner]
        else:
            pads = draw(st.lists(st.sampled_from(["  ", " ", "    "]), min_size=1, max_size=3))
            lines += [f"{key}: {value}"] + [f"{pad}{draw(_SCALAR)}" for pad in pads]
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", "# c", "  # c", "  "])))
    return "\n".join(lines) + "\n"


@given(documents())
@settings(max_examples=3000, deadline=None)
def test_manifest_like_documents_read_the_same(text: str) -> None:
    agrees(text)


@given(st.lists(_LINE, min_size=1, max_size=8), st.sampled_from(["\n", ""]))
@settings(max_examples=3000, deadline=None)
@example(["a: b", "  c"], "\n")
@example(["a:", "- b", "- c", "d: e"], "\n")
@example(["a:", "  b: c", "  d:", "  - e"], "")
def test_generated_documents_read_the_same(lines: list[str], end: str) -> None:
    agrees("\n".join(lines) + end)


@given(st.lists(_LINE, min_size=1, max_size=8))
@settings(max_examples=300, deadline=None)
def test_positions_come_from_the_full_parse_when_asked(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    try:
        whole = load_yaml(text, positions=True)
    except SourceError:
        return
    doc = load_yaml(text)
    assert isinstance(doc, YamlDoc)
    assert doc == whole  # data, and every value's and key's position, read again when asked
    assert doc.position(("name",)) == whole.position(("name",))
