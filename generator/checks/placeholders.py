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
    "|".join(r"\s+".join(map(re.escape, s.split())) for s in PLACEHOLDERS.values()), re.IGNORECASE
)


def _hints(sentence: str) -> tuple[str, ...]:
    """Two of the sentence's longest words, lowercased, made only of letters that match nothing
    but themselves and their capitals under re.IGNORECASE (no i or s: U+0131, U+017F match them)."""
    words = (w.strip(".,").lower() for w in sentence.split())
    safe = [w for w in words if w.isascii() and w.isalpha() and not set(w) & set("is")]
    return tuple(sorted(safe, key=len, reverse=True)[:2])


_HINTS = tuple(_hints(s) for s in PLACEHOLDERS.values())
"""Words every match of a sentence holds in the lowercased text: most files hold none of the
sentences' pairs, and skip the search (~0.2 ms a file, 9% of a full validate; issue 13)."""


def placeholder_problems(path: str, text: str) -> Iterator[Problem]:
    """A `placeholder-text` problem at each placeholder sentence left in a file's text."""
    lowered = text.lower()
    if not any(all(hint in lowered for hint in hints) for hints in _HINTS):
        return
    for match in _FOUND.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        col = match.start() - text.rfind("\n", 0, match.start())
        sentence = " ".join(match.group().split())
        message = f"{sentence!r} is placeholder text from a starter file"
        yield problem("placeholder-text", path, message, None, line, col)
