"""The per-agent checks' shortcuts (issue 13) answer exactly as the searches they skip: a
prefilter may only skip a text in which the full search finds nothing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.checks.placeholders import _FOUND, PLACEHOLDERS, placeholder_problems

ODD = "\u017f\u0131\u0130KkSsIi\u212a\n\t  "
"""Letters that re.IGNORECASE matches with others (long s, dotless i, Kelvin), and spaces."""


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
        parts.append(draw(st.text(alphabet=st.sampled_from("ab \n\u017f\u0131KSi.X"), max_size=20)))
    return "".join(parts)


def _reference(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in _FOUND.finditer(text)]


@settings(max_examples=600, deadline=None)
@given(_texts())
def test_placeholder_prefilter_never_hides_a_match(text: str) -> None:
    found = list(placeholder_problems("f", text))
    assert len(found) == len(_reference(text))


def test_placeholder_odd_letters_still_match() -> None:
    """Long s and dotless i match s and i under IGNORECASE: the prefilter's words lack both."""
    text = (
        "Say here who \u0131t \u0131\u017f and what \u0131t know\u017f. One line \u017faying what "
    )
    text += "your agent does for people."
    assert len(_reference(text)) == 2
    assert len(list(placeholder_problems("f", text))) == 2
