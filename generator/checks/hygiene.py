"""Text hygiene: displayed fields hold no bidi controls and no invisible characters.

A name with U+202E (RIGHT-TO-LEFT OVERRIDE) shows its letters in another order than they are
written; one with a zero-width space, a Hangul filler or a tag character looks like a name it is
not, or carries text no reader sees. Both are found by Unicode properties, not a hand list:
Bidi_Control and Default_Ignorable_Code_Point (the `regex` package has them; the standard
library's unicodedata does not). What stays allowed is what emoji and joining scripts need:
a variation selector after an emoji, a zero-width joiner inside an emoji sequence or between
letters of a script that joins (Arabic, Devanagari...), and the tag characters of a
subdivision flag (U+1F3F4 ... U+E007F).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import regex

from generator.checks.decode import past_ascii
from generator.checks.problems import Problem
from generator.checks.rules import problem

JsonPath = tuple[str | int, ...]
_HIDDEN = regex.compile(r"[\p{Bidi_Control}\p{Default_Ignorable_Code_Point}]")
_BIDI = regex.compile(r"\p{Bidi_Control}")
_EMOJI = regex.compile(r"[\p{Emoji}\p{Emoji_Modifier}\p{Emoji_Component}]")
_PICTURE = regex.compile(r"\p{Extended_Pictographic}")
_JOINING_LETTER = regex.compile(
    r"[\p{L}\p{M}--\p{Script=Latin}--\p{Script=Greek}--\p{Script=Cyrillic}--\p{Script=Common}]",
    regex.V1,
)
_FLAG_TAGS = regex.compile(r"\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F")
_SELECTORS = regex.compile(r"[\uFE00-\uFE0F\U000E0100-\U000E01EF]")

MANIFEST_FIELDS: tuple[JsonPath, ...] = (
    ("name",),
    ("summary",),
    ("description",),
    ("owner",),
    ("tags",),
    ("maintainers",),
    ("deprecated", "reason"),
)
CHARACTER_FIELDS: tuple[JsonPath, ...] = (
    ("name",),
    ("username",),
    ("bio",),
    ("topics",),
    ("adjectives",),
)


@dataclass(frozen=True)
class Hidden:
    """The first disallowed character of a string: its index, the character and its rule."""

    index: int
    char: str
    rule: str
    count: int


def _allowed(text: str, i: int, flags: set[int]) -> bool:
    """Whether the ignorable character at `i` does a visible job where it stands."""
    char = text[i]
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if i in flags:
        return True
    if _SELECTORS.match(char):
        return bool(before) and bool(_EMOJI.match(before))
    if char == "\u200d" and before and after and _PICTURE.match(after):
        return bool(_EMOJI.match(before) or _SELECTORS.match(before))
    if char in "\u200c\u200d" and before and after:
        return bool(_JOINING_LETTER.match(before) and _JOINING_LETTER.match(after))
    return False


def first_hidden(text: str) -> Hidden | None:
    """The first bidi control or invisible character in `text` that no script or emoji needs."""
    if not _HIDDEN.search(text):
        return None
    flags = {i for m in _FLAG_TAGS.finditer(text) for i in range(m.start(), m.end())}
    bad = [m.start() for m in _HIDDEN.finditer(text) if not _allowed(text, m.start(), flags)]
    if not bad:
        return None
    char = text[bad[0]]
    rule = "bidi-control" if _BIDI.match(char) else "invisible-character"
    return Hidden(bad[0], char, rule, len(bad))


def _strings(node: object, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _strings(item, (*path, index))


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}{' ' + name if name else ''}"


def hygiene_problems(
    path: str,
    text: str,
    data: object,
    fields: Iterable[JsonPath],
    locate: Callable[[JsonPath], tuple[int, int]],
) -> list[Problem]:
    """One problem per displayed string holding a bidi control or an invisible character, at the
    character itself when the file writes it as is, else at the string."""
    if "\\" not in text and (text.isascii() or not any(map(_HIDDEN.match, past_ascii(text)))):
        return []  # no escape: every string's characters are the file's, none of them hidden
    found = []
    for field_path in fields:
        node = data
        for part in field_path:
            node = node.get(part) if isinstance(node, dict) else None
        for where, value in _strings(node, field_path):
            hidden = first_hidden(value)
            if hidden is None:
                continue
            line, col = _exact(text, locate(where), hidden.char)
            shown = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where)[1:]
            more = f" (and {hidden.count - 1} more)" if hidden.count > 1 else ""
            what = (
                "a bidi control: it reorders what readers see"
                if hidden.rule == "bidi-control"
                else "an invisible character: readers cannot see it"
            )
            message = (
                f"{shown} holds {_describe(hidden.char)} at character {hidden.index + 1}{more}, "
                f"{what}"
            )
            found.append(problem(hidden.rule, path, message, line=line, col=col))
    return found


def _exact(text: str, where: tuple[int, int], char: str) -> tuple[int, int]:
    """The position of the first `char` written from `where` on, else `where` itself."""
    line, col = where
    offset = 0
    for _ in range(line - 1):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return where
    at = text.find(char, offset + col - 1)
    if at < 0:
        return where
    start = text.rfind("\n", 0, at) + 1
    return text.count("\n", 0, at) + 1, at - start + 1
