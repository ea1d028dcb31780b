"""The data of a plain manifest without the YAML parser: a line-level reader for the shape almost
every manifest has, with a full parse on any doubt.

`load.load_yaml` parses with libyaml's events and keeps the position of every value: ~60 us a
manifest, of which libyaml making ~40 event and ~80 position objects is most; the positions are
wanted only when a problem is reported. The reader here accepts block mappings of plain keys
(two levels deep), plain scalars on one line, block sequences of plain scalars or of one-line
flow mappings of them (an owner record's members), one-line flow sequences and mappings of
plain scalars, with comment and blank lines, in printable text; each scalar is typed by the
resolver the full parse uses, and any scalar that is not a string is a doubt. Anything
else (quotes, anchors, tags, block scalars, continued lines, a duplicate key, a tab, odd
indentation) is a doubt too, and `load_yaml` parses the text fully; positions are read by a full
parse when first asked for (`YamlDoc`). tests/test_yaml_quick.py compares the two on every YAML
file of the repository and on generated documents.
"""

from __future__ import annotations

import re
from typing import TypeVar

from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

_STR = "tag:yaml.org,2002:str"
_UNSAFE = re.compile(
    r"[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
"""Anything but printable characters and line feeds (tabs, carriage returns, the byte-order mark,
NEL and the Unicode line and paragraph separators libyaml also breaks lines at)."""
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
"""A plain key."""
_LINES = re.compile(rf"^( *)(?:(- +)|({_KEY.pattern}):(?= |$) *)?(.*)$", re.MULTILINE)
"""Each line: its indent, then a sequence dash or a plain key and its colon, then the rest (no
lazy part: a long line of spaces costs one pass, not one per space)."""
_LEADING = frozenset("-?:,[]{}#&*!|>'\"%@`")
"""Characters that make a scalar something else when they start it (YAML's indicators)."""
_FLOW = frozenset(",[]{}#&*!|>'\"%@`?:")
"""Characters a plain item of a one-line flow sequence may not hold, here."""


_T = TypeVar("_T")

_RESOLVER = Resolver()
_KEYS: dict[str, str] = {}
"""Keys known to be read as themselves (a manifest has a dozen, the same in every one)."""


class Doubt(Exception):
    """The text is not one this reader is sure of: parse it fully."""


Line = tuple[int, bool, str, str, bool]
"""(indent, a sequence dash, the key or "", the rest, whether a blank or comment line is just
above) of a line that is not blank or a comment."""


class _Reader:
    def __init__(self, text: str) -> None:
        self.lines: list[Line] = []
        gap = False
        for indent, dash, key, rest in _LINES.findall(text):
            rest = rest.rstrip(" ")
            if not dash and not key and (not rest or rest[0] == "#"):
                gap = True
                continue
            self.lines.append((len(indent), bool(dash), key, rest, gap))
            gap = False
        self.at = 0
        resolvers = Resolver.yaml_implicit_resolvers
        self.claimed = None if None in resolvers else frozenset(resolvers)

    def peek(self) -> Line | None:
        return self.lines[self.at] if self.at < len(self.lines) else None

    def plain(self, text: str, flow: bool = False) -> str:
        """A plain scalar that the full parse reads as this string, else a doubt."""
        if not text or text[0] in _LEADING or text.endswith(":") or ": " in text or "#" in text:
            raise Doubt
        if flow and not _FLOW.isdisjoint(text):
            raise Doubt
        if self.claimed is None or text[0] in self.claimed:
            tag = _RESOLVER.resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
            if tag != _STR:
                raise Doubt
        return text

    def value(self, rest: str, indent: int) -> object:
        """A key's value written after it: a flow sequence, a quoted or a plain scalar, the
        plain one continued on the lines below that are indented deeper than `indent`."""
        if rest.startswith("[") and rest.endswith("]"):
            inside = rest[1:-1].strip(" ")
            if not inside:
                return []
            return [self.plain(item.strip(" "), flow=True) for item in inside.split(",")]
        if rest.startswith("{") and rest.endswith("}"):
            return self.alone(self.flow_mapping(rest), indent)
        if rest[0] == "'" and rest.endswith("'") and len(rest) > 1:
            inside = rest[1:-1]
            if "'" in inside.replace("''", ""):
                raise Doubt
            return self.alone(inside.replace("''", "'"), indent)
        if rest[0] == '"' and rest.endswith('"') and len(rest) > 1:
            inside = rest[1:-1]
            if '"' in inside or "\\" in inside:
                raise Doubt
            return self.alone(inside, indent)
        words = [self.plain(rest)]
        while (below := self.peek()) is not None and below[0] > indent:
            if below[1] or below[2] or below[4]:
                raise Doubt  # an item, a key, or a line after a blank or comment line
            words.append(below[3])
            self.at += 1
        return self.plain(" ".join(words)) if len(words) > 1 else words[0]

    def alone(self, value: _T, indent: int) -> _T:
        """A quoted scalar or a flow mapping, when no line below continues it."""
        below = self.peek()
        if below is not None and below[0] > indent:
            raise Doubt
        return value

    def key(self, key: str) -> str:
        """A plain key that the full parse reads as this string, else a doubt."""
        if key not in _KEYS:
            self.plain(key)  # a key the resolver types otherwise (`yes`, `null`): a doubt
            if len(_KEYS) < 1024:
                _KEYS[key] = key
        return key

    def flow_mapping(self, text: str) -> dict[str, object]:
        """A one-line flow mapping of plain keys and plain scalars (`{login: a, role: admin}`,
        an owner record's members), else a doubt."""
        result: dict[str, object] = {}
        inside = text[1:-1].strip(" ")
        for part in inside.split(",") if inside else ():
            key, colon, value = part.strip(" ").partition(": ")
            if not colon or not _KEY.fullmatch(key) or key in result:
                raise Doubt
            result[self.key(key)] = self.plain(value.strip(" "), flow=True)
        return result

    def mapping(self, indent: int) -> dict[str, object]:
        result: dict[str, object] = {}
        while (line := self.peek()) is not None and line[0] >= indent:
            at, dash, key, rest, _ = line
            if at != indent or dash or not key or key in result:
                raise Doubt
            self.key(key)
            self.at += 1
            if rest:
                result[key] = self.value(rest, indent)
                continue
            below = self.peek()
            if below is not None and below[1] and below[0] >= indent:
                result[key] = self.sequence(below[0])
            elif below is not None and below[0] > indent and indent == 0:
                result[key] = self.mapping(below[0])
            else:
                raise Doubt  # an empty value (null), or nesting deeper than two levels
        return result

    def sequence(self, indent: int) -> list[object]:
        items: list[object] = []
        while (line := self.peek()) is not None and line[0] == indent and line[1]:
            self.at += 1
            item = line[3]
            if item.startswith("{") and item.endswith("}"):
                items.append(self.flow_mapping(item))
            else:
                items.append(self.plain(item))
        below = self.peek()
        if below is not None and below[0] > indent:
            raise Doubt  # a continued item, or a nested collection
        return items


def quick_data(text: str) -> object:
    """The data the full parse gives `text`, or `Doubt`."""
    if _UNSAFE.search(text):
        raise Doubt
    reader = _Reader(text)
    if reader.peek() is None:
        raise Doubt
    data = reader.mapping(0)
    if reader.peek() is not None:
        raise Doubt
    return data
