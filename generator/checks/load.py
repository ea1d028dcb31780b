"""Read agent files safely: size, encoding, symlink and path checks, YAML and JSON with positions.

Everything here raises `SourceError` for bad input; callers turn it into a `Problem`.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

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
from yaml.resolver import Resolver

MANIFEST = "agent.yaml"
README = "README.md"
MAX_MANIFEST_BYTES = 64 * 1024
MAX_CHARACTER_BYTES = 1024 * 1024
MAX_README_BYTES = 256 * 1024
MAX_OTHER_BYTES = 256 * 1024
MAX_DEPTH = 32
# libyaml's C parser when the wheel has it (about 5x faster on 10,000 manifests).
_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

JsonPath = tuple[str | int, ...]
Position = tuple[int, int]


@dataclass
class SourceError(Exception):
    """Bad input in one file, ready to become a Problem."""

    rule: str
    message: str
    hint: str = ""
    line: int = 0
    col: int = 0


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML document with the 1-based position of every value and mapping key."""

    data: object
    values: dict[JsonPath, Position] = field(default_factory=dict)
    keys: dict[JsonPath, Position] = field(default_factory=dict)

    def position(self, path: JsonPath, *, key: bool = False) -> Position:
        """Where `path` is written, or its nearest written ancestor."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))


def read_text(path: Path, limit: int) -> str:
    """Read a regular file as UTF-8, refusing symlinks, non-files, big files and other encodings."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        raise SourceError("file-missing", "file not found") from None
    if stat.S_ISLNK(info.st_mode):
        raise SourceError(
            "symlink", "is a symbolic link", "commit the file itself; links are not followed"
        )
    if not stat.S_ISREG(info.st_mode):
        raise SourceError("file-type", "is not a regular file", "replace it with a regular file")
    if info.st_size > limit:
        raise SourceError(
            "file-too-large",
            f"is {info.st_size:,} bytes, over the {limit:,}-byte limit",
            "shorten it",
        )
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise SourceError(
            "not-utf8",
            f"byte 0x{raw[err.start]:02x} is not valid UTF-8",
            "save the file as UTF-8",
            line,
            col,
        ) from None


def inside(folder: Path, relative: str) -> Path:
    """Resolve `relative` under `folder`, refusing absolute paths and paths that leave it."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or "\\" in relative or (relative[1:2] == ":"):
        raise SourceError(
            "path-outside-agent",
            f"path {relative!r} is absolute",
            "use a file name inside the agent folder, e.g. character.json",
        )
    if ".." in pure.parts:
        raise SourceError(
            "path-outside-agent",
            f"path {relative!r} leaves the agent folder",
            "use a file name inside the agent folder, e.g. character.json",
        )
    target = folder.joinpath(*pure.parts)
    for parent in [folder.joinpath(*pure.parts[:i]) for i in range(1, len(pure.parts))]:
        if parent.is_symlink():
            raise SourceError(
                "symlink", f"path {relative!r} goes through a symbolic link", "commit real folders"
            )
    return target


def load_yaml(text: str) -> YamlDoc:
    """Parse one YAML document into plain data; refuse anchors, aliases, tags, merges, dup keys."""
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
    return _Builder(events).build()


def _yaml_hint(problem: str) -> str:
    if "tab" in problem:
        return "indent with spaces, not tabs"
    if "mapping values" in problem:
        return "quote values that contain ': '"
    return "check indentation and quoting near this position"


class _Builder:
    """Turns a YAML event stream into Python data plus value and key positions."""

    def __init__(self, events: list[Event]) -> None:
        self.events = events
        self.index = 0
        self.values: dict[JsonPath, Position] = {}
        self.keys: dict[JsonPath, Position] = {}
        self.resolver = Resolver()
        self.constructor = SafeConstructor()

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
            return YamlDoc(None)
        self.index = starts[0] + 1
        if isinstance(self.events[self.index], yaml.DocumentEndEvent):
            return YamlDoc(None)
        data = self.node((), 0)
        return YamlDoc(data, self.values, self.keys)

    def next(self) -> Event:
        event = self.events[self.index]
        self.index += 1
        return event

    def node(self, path: JsonPath, depth: int) -> object:
        event = self.next()
        where = _where(event)
        self.values[path] = where
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
        node = ScalarNode(tag, event.value, None, None, event.style)
        try:
            return self.constructor.construct_object(node)
        except (ConstructorError, ValueError) as err:
            reason = err.problem if isinstance(err, ConstructorError) else str(err)
            raise SourceError(
                "yaml-syntax", f"bad value {event.value!r}: {reason}", "quote it", *where
            ) from None


def _where(event: Event) -> Position:
    """1-based line and column where an event starts."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def load_json(text: str) -> object:
    """Parse JSON, refusing duplicate keys, NaN/Infinity and nesting deeper than the limit."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_pairs, parse_constant=_no_constant)
    except json.JSONDecodeError as err:
        raise _json_syntax(err) from None
    except RecursionError:
        raise SourceError(
            "too-deep", f"data nested deeper than {MAX_DEPTH} levels", "flatten it"
        ) from None
    except _DuplicateKey as dup:
        raise SourceError(
            "duplicate-key", f"key {dup.key!r} appears twice in one object", "keep one of them"
        ) from None
    if _depth(data) > MAX_DEPTH:
        raise SourceError("too-deep", f"data nested deeper than {MAX_DEPTH} levels", "flatten it")
    return data


def _json_syntax(err: json.JSONDecodeError) -> SourceError:
    """The decoder's error, except that a trailing comma is named and located at the comma (the
    decoder points at the bracket after it, "Expecting value")."""
    before = err.doc[: err.pos].rstrip(" \t\r\n")
    closer = err.doc[err.pos : err.pos + 1]
    if not (before.endswith(",") and closer in ("]", "}")):
        return SourceError(
            "json-syntax", f"invalid JSON: {err.msg}", "fix the JSON syntax", err.lineno, err.colno
        )
    comma = len(before) - 1
    line = err.doc.count("\n", 0, comma) + 1
    col = comma - err.doc.rfind("\n", 0, comma)
    return SourceError(
        "json-syntax",
        f"invalid JSON: trailing comma before '{closer}'",
        "remove the comma (JSON allows none after the last item)",
        line,
        col,
    )


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _no_constant(name: str) -> object:
    raise json.JSONDecodeError(f"{name} is not valid JSON", name, 0)


def _depth(data: object) -> int:
    """Nesting depth of lists and dicts, iteratively (no recursion limit to hit)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in item)
    return deepest


def list_folder(folder: Path) -> list[os.DirEntry[str]]:
    """Entries of a folder, sorted by name."""
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda e: e.name)
