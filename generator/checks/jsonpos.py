"""Where a JSON path is written in JSON text: a small tokenizer used only to report errors.

`json` gives no positions, and errors are rare, so the text is simply re-read when one is found.
Malformed text never raises: what can be read is used, and (1, 1) stands for the rest.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

JsonPath = tuple[str | int, ...]
Position = tuple[int, int]
_DEEPEST = 64
"""Values nested deeper are not recorded (the readers refuse more than 32 levels); they stand
for their ancestor at this depth, and `[[[[...` costs linear time, not quadratic."""

# A string (possibly unterminated at the line end), a punctuation mark, or a bare word/number.
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|[{}\[\]:,]|[^\s\ufeff{}\[\]:,"]+')


def locate(text: str, path: JsonPath, *, key: bool = False) -> Position:
    """1-based (line, col) of the value at `path` (its key with key=True), else of an ancestor."""
    return Positions(text).locate(path, key=key)


@dataclass
class _Frame:
    """An open object or array: its path, and the member the next value belongs to."""

    path: JsonPath
    is_object: bool
    index: int = 0
    key: str = ""
    want_key: bool = True


class Positions:
    """Where every value and key of one JSON text is written, read in one pass.

    A character with thousands of faults is located in one pass too: re-reading the text for
    each fault made 1,000 faults take 5 s, and a 1 MiB file of them hours (issue 10)."""

    def __init__(self, text: str) -> None:
        self.values: dict[JsonPath, tuple[int, Position]] = {}
        self.keys: dict[JsonPath, tuple[int, Position]] = {}
        self.last_key: dict[JsonPath, int] = {}
        """Token number of each key's last occurrence: JSON keeps the last of repeated keys."""
        stack: list[_Frame] = []
        done = False
        for number, (token, where) in enumerate(_tokens(text)):
            top = stack[-1] if stack else None
            if token in ("]", "}"):
                if top:
                    stack.pop()
                done = not stack
            elif token == ",":
                if top:
                    top.index += 1
                    top.want_key = top.is_object
            elif token != ":" and not done:
                done = self._value(token, where, top, stack, number)

    def _value(
        self, token: str, where: Position, top: _Frame | None, stack: list[_Frame], number: int
    ) -> bool:
        """Record one key or value; True once the whole document has been read."""
        deep = len(stack) > _DEEPEST  # kept apart: each path copies its parent's
        if top and top.is_object and top.want_key:
            top.key, top.want_key = _string(token), False
            if not deep:
                self.keys[(*top.path, top.key)] = (number, where)
                self.last_key[(*top.path, top.key)] = number
            return False
        path: JsonPath = () if top is None else (*top.path, top.key if top.is_object else top.index)
        if deep and top:
            path = top.path
        else:
            self.values[path] = (number, where)
        if token in ("{", "["):
            stack.append(_Frame(path, token == "{"))
            return False
        return top is None

    def locate(self, path: JsonPath, *, key: bool = False) -> Position:
        """1-based (line, col) of the value at `path` (its key with key=True), else of an
        ancestor; (1, 1) when nothing of it is written."""
        for depth in range(len(path), -1, -1):
            prefix = path[:depth]
            for table in (self.keys, self.values) if key else (self.values,):
                if prefix in table and self._current(prefix, table[prefix][0]):
                    return table[prefix][1]
        return (1, 1)

    def _current(self, path: JsonPath, number: int) -> bool:
        """False for what was written under an earlier occurrence of a repeated key."""
        return all(
            number >= self.last_key.get(path[:depth], 0) for depth in range(1, len(path) + 1)
        )


def _string(token: str) -> str:
    """The text of a JSON string token; a bare or broken token stands for itself."""
    try:
        value = json.loads(token)
    except ValueError:
        return token.strip('"')
    return value if isinstance(value, str) else token


def _tokens(text: str) -> Iterator[tuple[str, Position]]:
    """Tokens with their 1-based (line, col), counting columns in characters."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for match in _TOKEN.finditer(text):
        line = bisect.bisect_right(starts, match.start())
        yield match.group(), (line, match.start() - starts[line - 1] + 1)
