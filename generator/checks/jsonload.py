"""Parse untrusted JSON: duplicate keys, NaN and Infinity, deep nesting, numbers past Python's
digit limit and lone surrogate escapes are refused with a position where one can be found."""

from __future__ import annotations

import json
import re
from typing import cast

from generator.checks import jsonpos
from generator.checks.jsonpos import JsonPath
from generator.checks.source import MAX_DEPTH, MAX_NUMBER_DIGITS, SourceError, too_large

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""Only text with such an escape can hold a lone surrogate: most characters skip the walk."""


def load_json(text: str) -> object:
    """Parse JSON, refusing duplicate keys, NaN/Infinity, nesting deeper than the limit, numbers
    Python cannot print and strings no UTF-8 page can hold."""
    try:
        data = json.loads(
            text, object_pairs_hook=_unique_pairs, parse_constant=_no_constant, parse_int=_int
        )
    except _TooLarge as big:
        raise too_large(big.digits, *_number_at(text, big.digits)) from None
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
    deep = text.count("[") + text.count("{") > MAX_DEPTH  # each container is one of them
    if deep and _depth(data) > MAX_DEPTH:
        raise SourceError("too-deep", f"data nested deeper than {MAX_DEPTH} levels", "flatten it")
    lone = _lone_surrogate(data) if _SURROGATE_ESCAPE.search(text) else None
    if lone is not None:
        path, key = lone
        raise SourceError(
            "lone-surrogate",
            f"{'a key' if key else 'a string'} holds half of a UTF-16 surrogate pair "
            "(a \\ud800-\\udfff escape without its partner), which no UTF-8 page can hold",
            "remove the escape, or write the character itself",
            *jsonpos.locate(text, path, key=key),
        )
    return data


def _lone_surrogate(data: object) -> tuple[JsonPath, bool] | None:
    """The path of the first string (or key, then True) holding a lone surrogate: `json`
    accepts `"\\ud800"`, and such a string cannot be written to any page (issue 10)."""
    stack: list[tuple[object, JsonPath]] = [(data, ())]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str) and _SURROGATE.search(item):
            return path, False
        if isinstance(item, dict):
            for key, value in reversed(item.items()):
                if _SURROGATE.search(key):
                    return (*path, key), True
                stack.append((value, (*path, key)))
        elif isinstance(item, list):
            stack.extend((value, (*path, i)) for i, value in reversed(list(enumerate(item))))
    return None


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


class _TooLarge(ValueError):
    def __init__(self, digits: str) -> None:
        super().__init__(digits)
        self.digits = digits


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _TooLarge(digits)
    return int(digits)


def _number_at(text: str, digits: str) -> tuple[int, int]:
    """Where a number token is written (json does not say): the first bare token equal to it."""
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[-0-9]+', text):
        if match.group() == digits:
            at = match.start()
            return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
    return 0, 0


def _no_constant(name: str) -> object:
    raise json.JSONDecodeError(f"{name} is not valid JSON", name, 0)


def _depth(data: object) -> int:
    """Nesting depth of lists and dicts, one level at a time (no recursion limit to hit): each
    level's containers are gathered by one list comprehension, with no (item, level) pair per
    container; ~49 -> 26 us on the quarter of realistic characters with over 32 containers."""
    if not isinstance(data, (dict, list)):
        return 0
    depth = 0
    level: list[object] = [data]
    while level:
        depth += 1
        below: list[object] = []
        for item in level:
            values = item.values() if isinstance(item, dict) else cast(list[object], item)
            below += [v for v in values if isinstance(v, (dict, list))]
        level = below
    return depth
