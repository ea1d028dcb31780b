"""Read agent files safely: size, encoding, symlink and path checks, YAML with positions.

Everything here raises `SourceError` for bad input; callers turn it into a `Problem`. Files are
read by `files` (`read_text`, `inside`, `list_folder`) and JSON by `jsonload` (`load_json`),
re-exported here with `SourceError` for the readers above.
"""

from __future__ import annotations

from typing import Any, TypeGuard

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    Event,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode
from yaml.reader import ReaderError
from yaml.resolver import Resolver

from generator.checks.files import inside as inside
from generator.checks.files import list_folder as list_folder
from generator.checks.files import read_text as read_text
from generator.checks.jsonload import load_json as load_json
from generator.checks.source import MAX_DEPTH, short, too_large
from generator.checks.source import SourceError as SourceError
from generator.checks.yaml_quick import Doubt, quick_data

MANIFEST = "agent.yaml"
README = "README.md"
MAX_MANIFEST_BYTES = 64 * 1024
MAX_CHARACTER_BYTES = 1024 * 1024
MAX_README_BYTES = 256 * 1024
MAX_OTHER_BYTES = 256 * 1024
# libyaml's C parser when the wheel has it (about 5x faster on 10,000 manifests).
_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
JsonPath = tuple[str | int, ...]
Position = tuple[int, int]


class YamlDoc:
    """A parsed YAML document with the 1-based position of every value and mapping key.

    Pickled (forked checks send their agents back, `checks/loading.py`) as its data and text:
    the positions are read again from the text when first asked for, which a cross-agent rule
    does only when it reports. Unpickling ~30 path tuples per manifest was ~40% of unpickling a
    checked agent; 10,000 of them took ~0.6 s of the main process."""

    __slots__ = ("_keys", "_values", "data", "text")

    def __init__(
        self,
        data: object,
        values: dict[JsonPath, Position] | None = None,
        keys: dict[JsonPath, Position] | None = None,
        text: str | None = None,
    ) -> None:
        self.data = data
        self._values = values if values is not None or text is not None else {}
        self._keys = keys if keys is not None or text is not None else {}
        self.text = text
        """The document's text, when known: the positions can be read again from it."""

    @property
    def values(self) -> dict[JsonPath, Position]:
        if self._values is None:
            self._read_positions()
        assert self._values is not None
        return self._values

    @property
    def keys(self) -> dict[JsonPath, Position]:
        if self._keys is None:
            self._read_positions()
        assert self._keys is not None
        return self._keys

    def _read_positions(self) -> None:
        again = load_yaml(self.text or "", positions=True)  # parsed once already: no error
        self._values, self._keys = again.values, again.keys

    def __reduce__(self) -> tuple[object, ...]:
        if self.text is None:
            return (YamlDoc, (self.data, self.values, self.keys))
        return (YamlDoc, (self.data, None, None, self.text))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, YamlDoc):
            return NotImplemented
        return (self.data, self.values, self.keys) == (other.data, other.values, other.keys)

    __hash__ = None  # type: ignore[assignment]  # mutable data, as the dataclass it was

    def __repr__(self) -> str:
        return f"YamlDoc(data={self.data!r}, values={self.values!r}, keys={self.keys!r})"

    def position(self, path: JsonPath, *, key: bool = False) -> Position:
        """Where `path` is written, or its nearest written ancestor."""
        values = self.values
        table = self.keys if key else values
        while path:
            if path in table:
                return table[path]
            if path in values:
                return values[path]
            path = path[:-1]
        return values.get((), (1, 1))


def load_yaml(text: str, positions: bool = False) -> YamlDoc:
    """Parse one YAML document into plain data; refuse anchors, aliases, tags, merges, dup keys.
    A plain manifest's data comes from `yaml_quick` (~4x faster), its positions from a full
    parse when first asked for; with `positions`, or on any doubt, the text is parsed fully."""
    if not positions:
        try:
            return YamlDoc(quick_data(text), None, None, text)
        except Doubt:
            pass
    try:
        events = list(yaml.parse(text, Loader=_Parser))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        reason = str(err.problem or "")
        if mark and "tab" not in reason and text[mark.index : mark.index + 1] == "\t":
            reason = "found a tab character where YAML allows only spaces"  # not "cannot start"
        message = f"invalid YAML: {reason or err}"
        raise SourceError("yaml-syntax", message, _yaml_hint(reason), line, col) from None
    except ReaderError as err:
        raise _unacceptable(text, chr(err.character)) from None
    return _Builder(events, text).build()


def _unacceptable(text: str, char: str) -> SourceError:
    """YAML refuses unprintable characters anywhere, even inside quotes; the reader reports
    them without a line (libyaml gives a byte offset), so the first one is found here."""
    at = max(text.find(char), 0)
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    escape = f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    return SourceError(
        "yaml-syntax",
        f"invalid YAML: unprintable character U+{ord(char):04X} is not allowed",
        f'remove it, or write it as "{escape}" inside double quotes',
        line,
        col,
    )


def _yaml_hint(problem: str) -> str:
    if "tab" in problem:
        return "indent with spaces, not tabs"
    if "mapping values" in problem:
        return "quote values that contain ': '"
    return "check indentation and quoting near this position"


class _Builder:
    """Turns a YAML event stream into Python data plus value and key positions."""

    def __init__(self, events: list[Event], text: str) -> None:
        self.events = events
        self.text = text
        self.index = 0
        self.values: dict[JsonPath, Position] = {}
        self.keys: dict[JsonPath, Position] = {}
        self.resolver = Resolver()
        self.constructor = SafeConstructor()
        resolvers = self.resolver.yaml_implicit_resolvers
        self.claimed = None if None in resolvers else frozenset(resolvers)
        """First characters an implicit resolver looks at (None: one looks at every value)."""

    def build(self) -> YamlDoc:
        starts = [i for i, e in enumerate(self.events) if isinstance(e, yaml.DocumentStartEvent)]
        if len(starts) > 1:
            line = _where(self.events[starts[1]])[0]
            raise SourceError(
                "yaml-syntax",
                "more than one YAML document",
                "remove the second '---'",
                line,
                1,
            )
        if not starts:
            return YamlDoc(None, {}, {}, self.text)
        self.index = starts[0] + 1
        if isinstance(self.events[self.index], yaml.DocumentEndEvent):
            return YamlDoc(None, {}, {}, self.text)
        data = self.node((), 0)
        return YamlDoc(data, self.values, self.keys, self.text)

    def next(self) -> Event:
        event = self.events[self.index]
        self.index += 1
        return event

    def own(self, event: Event, depth: int) -> TypeGuard[ScalarEvent]:
        """Whether `event` is a string that `refuse` passes and `scalar` reads as its own text
        (Resolver.resolve: no resolver for its first character): most of a manifest, at a third
        of the cost."""
        return (
            type(event) is ScalarEvent
            and event.tag is None
            and event.anchor is None
            and depth <= MAX_DEPTH
            and self.claimed is not None
            and (not event.implicit[0] or bool(event.value and event.value[0] not in self.claimed))
        )

    def node(self, path: JsonPath, depth: int) -> object:
        event = self.next()
        mark = event.start_mark
        where = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        self.values[path] = where
        if self.own(event, depth):
            return event.value
        self.refuse(event, where, depth)
        if isinstance(event, ScalarEvent):
            return self.scalar(event, where)
        if isinstance(event, SequenceStartEvent):
            items: list[object] = []
            while not isinstance(self.events[self.index], SequenceEndEvent):
                items.append(self.node((*path, len(items)), depth + 1))
            self.index += 1
            return items
        return self.mapping(path, depth)

    def mapping(self, path: JsonPath, depth: int) -> dict[str, object]:
        result: dict[str, object] = {}
        while not isinstance(self.events[self.index], MappingEndEvent):
            key_event = self.events[self.index]
            where = _where(key_event)
            if self.own(key_event, depth + 1):  # a plain key: no position kept, none asked
                self.index += 1
                key: object = key_event.value
            else:
                key = self.node((*path, "\0key"), depth + 1)
            if not isinstance(key, str):
                raise SourceError(
                    "yaml-key", f"key {key!r} is not a string", "quote the key", *where
                )
            if key in result:
                first = self.keys[(*path, key)]
                raise SourceError(
                    "duplicate-key",
                    f"key {key!r} appears twice (first on line {first[0]})",
                    "keep one of them",
                    *where,
                )
            self.keys[(*path, key)] = where
            result[key] = self.node((*path, key), depth + 1)
        self.index += 1
        self.values.pop((*path, "\0key"), None)
        return result

    def refuse(self, event: Event, where: Position, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise SourceError(
                "too-deep", f"data nested deeper than {MAX_DEPTH} levels", "flatten it", *where
            )
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
            raise SourceError(
                "yaml-alias",
                "YAML anchors and aliases (&, *) are not allowed",
                "write the value out in full",
                *where,
            )
        tag = getattr(event, "tag", None)
        explicit = isinstance(event, CollectionStartEvent) and not event.implicit
        if isinstance(event, ScalarEvent):
            explicit = not (event.implicit[0] or event.implicit[1])
        if tag and explicit and tag != "!":
            raise SourceError(
                "yaml-tag", f"YAML tag {tag!r} is not allowed", "remove the tag", *where
            )

    def scalar(self, event: ScalarEvent, where: Position) -> object:
        # Resolver.resolve is untyped in types-PyYAML.
        tag = self.resolver.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        if tag == "tag:yaml.org,2002:merge":
            raise SourceError(
                "yaml-alias", "merge keys (<<) are not allowed", "write the keys out", *where
            )
        if tag == _STR:
            return event.value  # what SafeConstructor makes of a string, at a third of the cost
        node = ScalarNode(tag, event.value, None, None, event.style)
        try:
            value = self.constructor.construct_object(node)
            if isinstance(value, int):
                str(value)  # a 0x... number can hold more digits than Python prints
        except (ConstructorError, ValueError) as err:
            if tag == "tag:yaml.org,2002:int":
                raise too_large(event.value, *where) from None
            reason = err.problem if isinstance(err, ConstructorError) else str(err)
            raise SourceError(
                "yaml-syntax", f"bad value {short(event.value)}: {reason}", "quote it", *where
            ) from None
        return value


def _where(event: Event) -> Position:
    """1-based line and column where an event starts."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
