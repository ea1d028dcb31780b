"""The per-agent checks' shortcuts (issue 13) answer exactly as the searches they replace."""

from __future__ import annotations

import json
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.checks.jsonload import _depth, load_json
from generator.checks.placeholders import PLACEHOLDERS, fold, placeholder_problems
from generator.checks.source import MAX_DEPTH, SourceError

REFERENCE = re.compile(
    "|".join(r"\s+".join(map(re.escape, s.split())) for s in PLACEHOLDERS.values()), re.IGNORECASE
)
"""The search the placeholder check ran before: the sentences as written, IGNORECASE."""
ODD = "\u017f\u0131\u0130KkSsIi\u212a\u00df\u1e9e\n\t\u00a0\u2028  "
"""Letters that re.IGNORECASE matches with others (long s, dotless i, Kelvin), and spaces."""


def _reference(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in REFERENCE.finditer(text)]


def _found(text: str) -> list[tuple[int, int]]:
    return [(p.line, p.col) for p in placeholder_problems("f", text)]


def _at(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(text.count("\n", 0, s) + 1, s - text.rfind("\n", 0, s)) for s, _ in spans]


def test_every_code_point_folds_as_ignorecase_matches() -> None:
    """For each character of the sentences (letters, '.', white space) and each code point:
    IGNORECASE matches them exactly when the folded code point is that character."""
    used = sorted({ch for s in PLACEHOLDERS.values() for ch in s.lower()} - {" "})
    points = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    for ch in used:
        pattern = re.compile(re.escape(ch), re.IGNORECASE)
        assert [p for p in points if bool(pattern.fullmatch(p)) != (fold(p) == ch)] == [], ch
    space = re.compile(r"\s")
    assert [p for p in points if bool(space.fullmatch(p)) != bool(space.fullmatch(fold(p)))] == []
    assert [p for p in points if len(fold(p)) != 1] == []


@st.composite
def _texts(draw: st.DrawFn) -> str:
    """Prose around placeholder sentences whose letters are recased, swapped for look-alikes
    that IGNORECASE matches or not, and whose spaces are other white space."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        sentence = draw(st.sampled_from(sorted(PLACEHOLDERS.values())))
        chars = []
        for ch in sentence:
            how = draw(st.sampled_from(["same", "upper", "odd", "same", "same"]))
            chars.append(
                ch.upper() if how == "upper" else draw(st.sampled_from(ODD)) if how == "odd" else ch
            )
        parts.append("".join(chars))
        parts.append(draw(st.text(alphabet=st.sampled_from(ODD + "ab.X"), max_size=20)))
    return "".join(parts)


@settings(max_examples=600, deadline=None)
@given(_texts())
def test_placeholders_found_where_the_ignorecase_search_finds_them(text: str) -> None:
    assert _found(text) == _at(text, _reference(text))


def test_placeholder_odd_letters_still_match() -> None:
    """Long s and dotless i match s and i under IGNORECASE, and still do."""
    text = "Say here who \u0131t \u0131\u017f and what \u0131t know\u017f.\n\u0130 One line "
    text += "\u017faying what your agent does for people."
    assert len(_reference(text)) == 2
    assert _found(text) == _at(text, _reference(text))


@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, MAX_DEPTH + 2])
@pytest.mark.parametrize("padding", ['"[[[{{{"', '"]]]}}}"', "[]", ""])
def test_json_depth_is_walked_whenever_it_may_pass_the_limit(depth: int, padding: str) -> None:
    """The walk is skipped only when the text has no more brackets than the limit allows:
    brackets inside strings or empty containers beside the deep one change nothing."""
    text = "[" * (depth - 1) + "{" + f'"a": [{padding}]' * (padding != "") + "}" + "]" * (depth - 1)
    data = json.loads(text)
    if _depth(data) > MAX_DEPTH:  # the walk the shortcut skips
        with pytest.raises(SourceError, match="nested deeper"):
            load_json(text)
    else:
        assert load_json(text) == data
