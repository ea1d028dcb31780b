"""The elizaOS 1.x character exactly as `@elizaos/core` 1.7.2 `validateCharacter` accepts it.

Each model mirrors one zod object of core's `src/schemas/character.ts`, and `extra` follows zod's
unknown-key mode: strict -> "forbid" (top level only), strip -> "ignore", loose/catchall -> "allow".
Like zod, an optional key may be missing but never null, numbers are finite, types are not coerced,
and records skip a `__proto__` key. tests/test_character_compat.py holds our verdicts equal to the
real runtime's on the corpus and on hundreds of variants of it.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from types import UnionType
from typing import Annotated, Any, Literal, TypeVar, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationError,
)
from pydantic_core import ErrorDetails, PydanticCustomError

T = TypeVar("T")
JsonPath = tuple[str | int, ...]
MIGRATE_HINT = "run: catalog migrate <file>"
ZERO_X_KEYS = ("lore", "clients", "modelProvider")
UUID_GRAMMAR = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


def _not_null(value: object) -> object:
    """zod's `.optional()` allows a missing key, never an explicit null."""
    if value is None:
        raise PydanticCustomError("null_value", "must not be null")
    return value


def _own_keys(value: object) -> object:
    """zod records skip a `__proto__` key (assigning it would replace the prototype)."""
    if isinstance(value, dict) and "__proto__" in value:
        return {k: v for k, v in value.items() if k != "__proto__"}
    return value


def json_kind(value: object) -> str | None:
    """The JSON type of a Python value, or None for what JSON cannot hold."""
    kinds: dict[type | UnionType, str] = {bool: "boolean", str: "string", int | float: "number"}
    kinds |= {list: "array", dict: "object", type(None): "null"}
    return next((name for cls, name in kinds.items() if isinstance(value, cls)), None)


def _tag(value: object) -> str | None:
    kind = json_kind(value)
    return f"<{kind}>" if kind else None


def _knowledge_tag(value: object) -> str | None:
    """zod tries a path string, then {path}, then {directory}; the first plausible one decides."""
    if isinstance(value, dict):
        usable_path = isinstance(value.get("path"), str) or "directory" not in value
        return "<file>" if usable_path else "<directory>"
    return _tag(value)


def _union(choices: str, tagger: Any = _tag) -> Discriminator:
    return Discriminator(tagger, custom_error_type="union_type", custom_error_message=choices)


def _hide_null(schema: dict[str, Any]) -> None:
    """Editors should not offer null where the runtime refuses it."""
    if schema.get("default", 0) is None:
        del schema["default"]
    branches = [s for s in schema.pop("anyOf", []) if s != {"type": "null"}]
    schema.update(branches[0] if len(branches) == 1 else {"anyOf": branches} if branches else {})


_OPTIONAL = (BeforeValidator(_not_null), Field(json_schema_extra=_hide_null))
Opt = Annotated[T | None, *_OPTIONAL]
Record = Annotated[dict[str, T] | None, BeforeValidator(_own_keys), *_OPTIONAL]
Number = Annotated[float, Field(allow_inf_nan=False)]
Uuid = Annotated[str, StringConstraints(pattern=UUID_GRAMMAR)]
Bio = Annotated[
    Annotated[str, Tag("<string>")] | Annotated[list[str], Tag("<array>")],
    _union("expected a string or an array of strings"),
]
Secret = Annotated[
    Annotated[str, Tag("<string>")]
    | Annotated[bool, Tag("<boolean>")]
    | Annotated[Number, Tag("<number>")],
    _union("expected a string, boolean or number"),
]
Setting = Annotated[
    Annotated[str, Tag("<string>")]
    | Annotated[bool, Tag("<boolean>")]
    | Annotated[Number, Tag("<number>")]
    | Annotated[dict[str, Any], Tag("<object>")]
    | Annotated[list[Any], Tag("<array>")],
    _union("expected a string, boolean, number, object or array"),
]
ContentType = Literal["image", "video", "audio", "document", "link"]
ChannelType = Literal[
    "SELF", "DM", "GROUP", "VOICE_DM", "VOICE_GROUP", "FEED", "THREAD", "WORLD", "FORUM", "API"
]
_TAGS = frozenset({"<string>", "<boolean>", "<number>", "<object>", "<array>", "<file>"})
_TAGS |= {"<directory>", "<null>"}
_CHOICES = {"channelType": get_args(ChannelType), "contentType": get_args(ContentType)}


def _config(extra: Literal["forbid", "ignore", "allow"]) -> ConfigDict:
    return ConfigDict(extra=extra, frozen=True, strict=True, use_attribute_docstrings=True)


class Media(BaseModel):
    """A media attachment (zod `mediaSchema`, loose: unknown keys pass)."""

    model_config = _config("allow")
    id: str
    """Unique identifier for the media."""
    url: str
    """URL of the media file."""
    title: Opt[str] = None
    """Media title."""
    source: Opt[str] = None
    """Media source."""
    description: Opt[str] = None
    """Media description."""
    text: Opt[str] = None
    """Text content associated with the media."""
    contentType: Opt[ContentType] = None
    """Type of media content."""


class Content(BaseModel):
    """The content of one example message (zod `contentSchema`, catchall: unknown keys pass)."""

    model_config = _config("allow")
    text: Opt[str] = None
    """The main text content of the message."""
    thought: Opt[str] = None
    """Internal thought process or reasoning."""
    actions: Opt[list[str]] = None
    """Actions to be taken in response."""
    providers: Opt[list[str]] = None
    """Data providers to use (e.g. KNOWLEDGE)."""
    source: Opt[str] = None
    """Source of the content."""
    target: Opt[str] = None
    """Target of the content."""
    url: Opt[str] = None
    """Related URL."""
    inReplyTo: Opt[Uuid] = None
    """UUID of the message this one replies to."""
    attachments: Opt[list[Media]] = None
    """Media attachments (images, videos, documents...)."""
    channelType: Opt[ChannelType] = None
    """Type of channel this content is for."""


class MessageExample(BaseModel):
    """One message of an example conversation (zod strips unknown keys such as 0.x `user`)."""

    model_config = _config("ignore")
    name: str
    """Speaker's name; `{{name1}}` and similar placeholders are allowed."""
    content: Content
    """What the speaker says."""


class KnowledgeFile(BaseModel):
    """A knowledge file given as an object."""

    model_config = _config("ignore")
    path: str
    """Path to a knowledge file."""
    shared: Opt[bool] = None
    """Whether this knowledge is shared across characters."""


class KnowledgeDirectory(BaseModel):
    """A directory of knowledge files."""

    model_config = _config("ignore")
    directory: str
    """Path to a directory containing knowledge files."""
    shared: Opt[bool] = None
    """Whether this knowledge is shared across characters."""


Knowledge = Annotated[
    Annotated[str, Tag("<string>")]
    | Annotated[KnowledgeFile, Tag("<file>")]
    | Annotated[KnowledgeDirectory, Tag("<directory>")],
    _union('expected a file path, {"path": ...} or {"directory": ...}', _knowledge_tag),
]


class Style(BaseModel):
    """How the character writes, per context."""

    model_config = _config("ignore")
    all: Opt[list[str]] = None
    """Style guidelines for every kind of response."""
    chat: Opt[list[str]] = None
    """Style guidelines for chat replies."""
    post: Opt[list[str]] = None
    """Style guidelines for social media posts."""


class Character(BaseModel):
    """An elizaOS 1.x character file (zod `characterSchema`, strict: unknown keys are errors)."""

    model_config = _config("forbid")
    id: Opt[Uuid] = None
    """Unique identifier for the character, a UUID."""
    name: Annotated[str, StringConstraints(min_length=1)]
    """The name of the character, e.g. "Eliza"."""
    username: Opt[str] = None
    """Username for the character on various platforms."""
    system: Opt[str] = None
    """System prompt that defines the character's core behavior and response style."""
    templates: Record[str] = None
    """Custom prompt templates by name (functions are allowed in code, not in JSON)."""
    bio: Bio
    """Biography: a string or an array of biographical points."""
    messageExamples: Opt[list[list[MessageExample]]] = None
    """Example conversations, each an array of messages."""
    postExamples: Opt[list[str]] = None
    """Example social media posts in the character's voice."""
    topics: Opt[list[str]] = None
    """Topics the character knows about and engages with."""
    adjectives: Opt[list[str]] = None
    """Adjectives that describe the character's personality."""
    knowledge: Opt[list[Knowledge]] = None
    """Knowledge sources: file paths, {path} or {directory} objects."""
    plugins: Opt[list[str]] = None
    """Plugin package names to load, e.g. "@elizaos/plugin-sql"."""
    settings: Record[Setting] = None
    """Character-specific settings: strings, booleans, numbers, objects or arrays."""
    secrets: Record[Secret] = None
    """Secret values; never published in the catalog (set them in the environment)."""
    style: Opt[Style] = None
    """Style guidelines: all, chat and post."""


FIELDS = tuple(Character.model_fields)


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
        return "expected one of " + ", ".join(f'"{c}"' for c in _CHOICES.get(str(path[-1]), ()))
    return _EXPECTED.get(error["type"], error["msg"])


def _hint(error: ErrorDetails, value: object, generation: str, path: JsonPath) -> str:
    if generation == "2.x-alpha" and path[:1] == ("messageExamples",):
        return f'2.x-alpha example groups ({{"examples": [...]}}) are not 1.x; {MIGRATE_HINT}'
    if error["type"] == "null_value":
        return "remove the key or give it a value"
    if error["type"] == "string_too_short":
        return "give the agent a display name"
    if error["type"] == "literal_error" and isinstance(value, str):
        return _did_you_mean(value, _CHOICES.get(str(path[-1]), ()))
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
        if found or part not in _TAGS:
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
    """`"dm"` for a short string, its JSON type otherwise."""
    if isinstance(value, str):
        shown = json.dumps(value[:40], ensure_ascii=False)
        return shown if len(value) <= 40 else shown[:-1] + '…"'
    return json_kind(value) or type(value).__name__
