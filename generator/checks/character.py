"""The elizaOS 1.x character exactly as `@elizaos/core` 1.7.2 `validateCharacter` accepts it.

Each model mirrors one zod object of core's `src/schemas/character.ts`, and `extra` follows zod's
unknown-key mode: strict -> "forbid" (top level only), strip -> "ignore", loose/catchall -> "allow".
Like zod, an optional key may be missing but never null, numbers are finite, types are not coerced,
and records skip a `__proto__` key. tests/test_character_compat.py holds our verdicts equal to the
real runtime's on the corpus and on hundreds of variants of it.
"""

from __future__ import annotations

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
)
from pydantic_core import PydanticCustomError

T = TypeVar("T")
JsonPath = tuple[str | int, ...]
MIGRATE_HINT = "run: catalog migrate --in-place <file>"
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
TYPE_TAGS = frozenset({"<string>", "<boolean>", "<number>", "<object>", "<array>", "<file>"})
TYPE_TAGS |= {"<directory>", "<null>"}
ENUM_CHOICES = {"channelType": get_args(ChannelType), "contentType": get_args(ContentType)}


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
