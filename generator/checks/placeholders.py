"""The sentences `catalog new` writes for its author to replace, and the check that they were.

`catalog new` scaffolds an agent that validates, so its author starts from a working folder; its
placeholder sentences are a warning in `catalog validate` and an error at the pull-request gate
(generator/gate.py), so the catalog never publishes them (issue 12). flows/new.py writes these
exact sentences, so the check and the scaffold cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.checks.problems import Problem
from generator.checks.rules import problem

PLACEHOLDERS = {
    "bio": "Say here who it is and what it knows.",
    "summary": "Replace this line with what the agent does for people.",
    "system": "Describe here how the agent behaves and what it never does.",
    "answer": "Replace this with a typical answer.",
    "environment": "List here the environment variables the agent needs",
    "starter": "One line saying what your agent does for people.",  # the submit page's starter
}
"""What each placeholder stands for, and its sentence."""
# Any run of white space between words: YAML may fold a long summary onto a second line.
_FOUND = re.compile(
    "|".join(r"\s+".join(map(re.escape, s.lower().split())) for s in PLACEHOLDERS.values())
)
"""The sentences in lowercase, searched case-sensitively in the folded text: 3x faster than an
IGNORECASE search of the text, which was 9% of a full validate (issue 13)."""
_FOLD = {0x130: "i", 0x131: "i", 0x17F: "s"}
"""The letters IGNORECASE matches with i or s whose lowercase is no i or s (and U+0130's is
two characters). A text folded by this table then lowercased keeps its length, and each of its
characters is a sentence's letter exactly when IGNORECASE matches that letter with the text's:
tests/test_check_shortcuts.py checks every code point."""


def fold(text: str) -> str:
    """The text as `_FOUND` searches it, of the same length. `_FOLD`'s three letters are
    replaced one by one: `str.translate` with a table looks up every character of a text past
    ASCII (~140 µs a character file, 7% of a full validate of realistic agents), a `str.replace`
    of a letter the text lacks is one fast search."""
    if text.isascii():
        return text.lower()
    for point, letter in _FOLD.items():
        text = text.replace(chr(point), letter)
    return text.lower()


_WITNESSES = frozenset({"knows.", "people.", "behaves", "typical", "variables"})
"""A word of each sentence that ordinary text rarely holds (none of 9,000 realistic agent files
holds one, while 488 held a sentence's longest word, and each of those paid the search):
folded text holding none of them holds no sentence, and five substring tests cost a fraction
of the search. tests/test_check_shortcuts.py compares the problems with the search's."""


def placeholder_problems(path: str, text: str) -> Iterator[Problem]:
    """A `placeholder-text` problem at each placeholder sentence left in a file's text."""
    folded = fold(text)
    if not any(word in folded for word in _WITNESSES):
        return
    for match in _FOUND.finditer(folded):
        line = text.count("\n", 0, match.start()) + 1
        col = match.start() - text.rfind("\n", 0, match.start())
        sentence = " ".join(text[match.start() : match.end()].split())
        message = f"{sentence!r} is placeholder text from a starter file"
        yield problem("placeholder-text", path, message, None, line, col)
