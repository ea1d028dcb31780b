"""Where a JSON path is written in JSON text: a small tokenizer used only to report errors.

`json` gives no positions, and errors are rare, so the text is simply re-read when one is found.
Malformed text never raises: what can be read is used, and (1, 1) stands for the rest.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

JsonPath = tuple[str | int, ...]
Position = tuple[int, int]

# A string (possibly unterminated at the line end), a punctuation mark, or a bare word/number.
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|[{}\[\]:,]|[^\s\ufeff{}\[\]:,"]+')


def locate(text: str, path: JsonPath, *, key: bool = False) -> Position:
    """1-based (line, col) of the value at `path` (its key with key=True), else of an ancestor."""
    found = _Finder(path)
    for token, where in _tokens(text):
        found.take(token, where)
    for depth in range(len(path), -1, -1):
        if key and depth in found.keys:
            return found.keys[depth]
        if depth in found.values:
            return found.values[depth]
    return (1, 1)


@dataclass
class _Frame:
    """An open object or array: how deep it is, whether it lies on the path, its next member."""

    depth: int
    on_path: bool
    is_object: bool
    index: int = 0
    key: str | None = None
    want_key: bool = True


@dataclass
class _Finder:
    """Reads tokens one by one, keeping where each prefix of `path` starts (by prefix length)."""

    path: JsonPath
    values: dict[int, Position] = field(default_factory=dict)
    keys: dict[int, Position] = field(default_factory=dict)
    stack: list[_Frame] = field(default_factory=list)
    done: bool = False

    def take(self, token: str, where: Position) -> None:
        top = self.stack[-1] if self.stack else None
        if token in ("]", "}"):
            if top:
                self.stack.pop()
            self.done = not self.stack
        elif token == ",":
            if top:
                top.index += 1
                top.want_key = top.is_object
        elif token != ":" and not self.done:
            self.value(token, where, top)

    def value(self, token: str, where: Position, top: _Frame | None) -> None:
        if top and top.is_object and top.want_key:
            top.key, top.want_key = _string(token), False
            if self._follows(top, top.key):
                self.keys[top.depth + 1] = where
            return
        if top is None:
            depth, on_path = 0, True
            self.done = token not in ("{", "[")
        else:
            depth = top.depth + 1
            on_path = self._follows(top, top.key if top.is_object else top.index)
        if on_path:
            self.values[depth] = where
            for table in (self.values, self.keys):  # a repeated key: JSON keeps the last one
                for deeper in [d for d in table if d > depth]:
                    del table[deeper]
        if token in ("{", "["):
            self.stack.append(_Frame(depth, on_path, token == "{"))

    def _follows(self, top: _Frame, member: str | int | None) -> bool:
        """Whether `member` of the open container is the next step of the path."""
        return top.on_path and top.depth < len(self.path) and self.path[top.depth] == member


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
