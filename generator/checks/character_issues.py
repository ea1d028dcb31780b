"""Why the runtime would reject a character: located issues with a hint, for `check_character`.

The model is `character.py`; this module turns pydantic's errors on it into one line per issue,
with the JSON path, the 0.x signs that call for `catalog migrate`, and a "did you mean".
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

from pydantic import (
    ValidationError,
)
from pydantic_core import ErrorDetails

from generator.checks.character import (
    ENUM_CHOICES,
    FIELDS,
    MIGRATE_HINT,
    TYPE_TAGS,
    ZERO_X_KEYS,
    Character,
    JsonPath,
    json_kind,
)


@dataclass(frozen=True)
class CharacterIssue:
    """One reason the runtime would reject a character."""

    path: JsonPath
    """JSON path inside the character, () for the top level."""
    rule: str
    """"character-invalid", "character-0x" or "character-not-object"."""
    message: str
    """What is wrong, naming the key or value, on one line."""
    hint: str
    """How to fix it, on one line ("" if there is no fix to give)."""


def detect_generation(data: object) -> str:
    """Which character schema the data was written for: "1.x", "0.x", "2.x-alpha" or "unknown"."""
    if not isinstance(data, dict):
        return "unknown"
    groups = data.get("messageExamples")
    groups = groups if isinstance(groups, list) else []
    if _zero_x_signs(data):
        return "0.x" if "bio" in data or "lore" in data else "unknown"
    if any(isinstance(group, dict) and "examples" in group for group in groups):
        return "2.x-alpha"
    return "1.x" if "name" in data and "bio" in data else "unknown"


def _zero_x_signs(data: dict[Any, Any]) -> list[str]:
    """The 0.x keys in use, quoted, plus the `user` speaker key of 0.x messages."""
    signs = [f'"{key}"' for key in ZERO_X_KEYS if key in data]
    groups = data.get("messageExamples")
    groups = groups if isinstance(groups, list) else []
    messages = [m for group in groups if isinstance(group, list) for m in group]
    if any(isinstance(m, dict) and "user" in m and "name" not in m for m in messages):
        signs.append('"user" in messageExamples')
    return signs


def check_character(data: object) -> list[CharacterIssue]:
    """Every reason `validateCharacter` of @elizaos/core 1.7.2 rejects the data; [] when valid."""
    try:
        Character.model_validate(data)
        return []
    except ValidationError as err:
        errors = err.errors(include_url=False, include_input=False)
    except RecursionError:
        return [CharacterIssue((), "character-invalid", "nested too deeply to check", "")]
    if not isinstance(data, dict):
        return [_not_object(data)]
    generation = detect_generation(data)
    if generation == "0.x":
        found = ", ".join(_zero_x_signs(data))
        message = f"elizaOS 0.x character (uses {found}); the 1.x runtime rejects it"
        return [CharacterIssue((), "character-0x", message, MIGRATE_HINT)]
    return [_issue(data, error, generation) for error in errors]


def _not_object(data: object) -> CharacterIssue:
    hint = (
        "a file holds one character: split the array into one file each"
        if isinstance(data, list)
        else ""
    )
    message = f"a character must be a JSON object, got {_describe(data)}"
    return CharacterIssue((), "character-not-object", message, hint)


def _issue(data: dict[Any, Any], error: ErrorDetails, generation: str) -> CharacterIssue:
    """A readable issue for one pydantic error, at the JSON path of the offending value."""
    path = _json_path(data, error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(path[-1])
        hint = _did_you_mean(key, FIELDS) or 'remove it, or move it into "settings"'
        return CharacterIssue(path, "character-invalid", f'unknown top-level key "{key}"', hint)
    found, value = _walk(data, path)
    if kind == "missing":
        parent = _walk(data, path[:-1])[1]
        message = f'{_prefix(path[:-1])}missing required key "{path[-1]}"'
        return CharacterIssue(path, "character-invalid", message, _missing_hint(parent, path[-1]))
    message = f"{format_path(path)}: {_expected(error, path)}"
    if found and kind not in ("null_value", "string_too_short"):
        message += f", got {_describe(value)}"
    return CharacterIssue(path, "character-invalid", message, _hint(error, value, generation, path))


_EXPECTED = {
    "string_type": "expected a string",
    "list_type": "expected an array",
    "dict_type": "expected an object",
    "model_type": "expected an object",
    "bool_type": "expected true or false",
    "float_type": "expected a finite number",
    "finite_number": "expected a finite number",
    "string_too_short": "must not be empty",
    "string_pattern_mismatch": "expected a UUID like 123e4567-e89b-12d3-a456-426614174000",
}


def _expected(error: ErrorDetails, path: JsonPath) -> str:
    if error["type"] == "literal_error":
        return "expected one of " + ", ".join(f'"{c}"' for c in ENUM_CHOICES.get(str(path[-1]), ()))
    return _EXPECTED.get(error["type"], error["msg"])


def _hint(error: ErrorDetails, value: object, generation: str, path: JsonPath) -> str:
    if generation == "2.x-alpha" and path[:1] == ("messageExamples",):
        return f'2.x-alpha example groups ({{"examples": [...]}}) are not 1.x; {MIGRATE_HINT}'
    if error["type"] == "null_value":
        return "remove the key or give it a value"
    if error["type"] == "string_too_short":
        return "give the agent a display name"
    if error["type"] == "literal_error" and isinstance(value, str):
        return _did_you_mean(value, ENUM_CHOICES.get(str(path[-1]), ()))
    if error["type"] == "string_pattern_mismatch":
        return "remove it (the runtime derives the id from the name) or use a UUID"
    return ""


def _missing_hint(parent: object, key: str | int) -> str:
    present = [k for k in parent if isinstance(k, str)] if isinstance(parent, dict) else []
    if key == "name" and "user" in present:
        return 'rename "user" to "name" (0.x spelling)'
    close = _did_you_mean(str(key), [k for k in present if k not in FIELDS])
    return f'{close[:-1].replace("did you mean", "rename")} to "{key}"' if close else f'add "{key}"'


def _did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """`did you mean "x"?` for the closest choice (case-insensitive), or ""."""
    folded = {choice.lower(): choice for choice in choices}
    close = difflib.get_close_matches(word.lower(), list(folded), n=1, cutoff=0.75)
    return f'did you mean "{folded[close[0]]}"?' if close else ""


def _json_path(data: object, loc: tuple[str | int, ...]) -> JsonPath:
    """The error location without pydantic's union tags, following the data it points into."""
    path: list[str | int] = []
    node = data
    for part in loc:
        found, child = _child(node, part)
        if found or part not in TYPE_TAGS:
            path.append(part)
            node = child
    return tuple(path)


def _child(node: object, part: str | int) -> tuple[bool, object]:
    """(True, node[part]) when that exists in the JSON data, else (False, None)."""
    if isinstance(node, dict) and part in node:
        return True, node[part]
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return True, node[part]
    return False, None


def _walk(data: object, path: JsonPath) -> tuple[bool, object]:
    """(True, value) at the path, or (False, None) when the path does not exist."""
    found, node = True, data
    for part in path:
        found, node = _child(node, part)
        if not found:
            break
    return found, node


def format_path(path: JsonPath) -> str:
    """`("messageExamples", 0, 1, "content")` -> `messageExamples[0][1].content`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.isidentifier():
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text or "character"


def _prefix(path: JsonPath) -> str:
    return f"{format_path(path)}: " if path else ""


def _describe(value: object) -> str:
    """`"dm"` for a string, whole (a message never cuts a value off), its JSON type otherwise;
    a string too long for one line is described by its length instead."""
    if isinstance(value, str):
        shown = json.dumps(value, ensure_ascii=False)
        return shown if len(shown) <= 120 else f"a string of {len(value):,} characters"
    return json_kind(value) or type(value).__name__
