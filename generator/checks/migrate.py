"""Convert an elizaOS 0.x (or 2.x-alpha) character to the 1.x schema, noting every change.

What cannot be converted raises `MigrationError`; in tests/data/characters that is a JSON array
of characters (three-characters.json: one file, one character) and a custom schema that only
shares `name` with elizaOS (roast-battle.json: no bio or lore to build the required `bio` from).
Nothing is dropped silently: values the migration cannot fix are left for the final check, which
turns them into a `MigrationError`. Secrets never survive: `settings.secrets`, top-level `secrets`,
filled secret-named settings and key-shaped strings in settings are removed, and the notes say so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.checks.character import FIELDS, UUID_GRAMMAR, json_kind
from generator.checks.character_issues import check_character
from generator.checks.load import MAX_CHARACTER_BYTES, SourceError, load_json, read_text
from generator.checks.secrets import scan

Data = dict[str, Any]

# 0.x client names with a 1.x plugin of the same role (published with 1.x versions on npm).
CLIENT_PLUGINS = {
    "discord": "@elizaos/plugin-discord",
    "telegram": "@elizaos/plugin-telegram",
    "twitter": "@elizaos/plugin-twitter",
}
# 0.x modelProvider values whose provider ships a 1.x model plugin.
MODEL_PLUGINS = {
    "anthropic": "@elizaos/plugin-anthropic",
    "google": "@elizaos/plugin-google-genai",
    "groq": "@elizaos/plugin-groq",
    "ollama": "@elizaos/plugin-ollama",
    "openai": "@elizaos/plugin-openai",
    "openrouter": "@elizaos/plugin-openrouter",
}
# 0.x model keys with no 1.x counterpart: the model plugin's own settings replace them.
MODEL_KEYS = ("imageModelProvider", "imageVisionModelProvider", "modelEndpointOverride")
SECRET_NAME = re.compile(
    r"api[_-]?key|secret|passw(or)?d|private[_-]?key|mnemonic|seed[_-]?phrase|(^|_)token$"
    r"|(access|auth|bot|bearer)[_-]?token",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MigrationResult:
    """The 1.x character and one note per change made to get there."""

    character: Data
    notes: list[str] = field(default_factory=list)


class MigrationError(Exception):
    """The input cannot become a 1.x character; the message says why, on one line."""


def migrate(data: object) -> MigrationResult:
    """The 1.x form of a 0.x, 2.x-alpha or 1.x character; raises MigrationError if impossible."""
    character = _copy(_refuse_non_character(data))
    notes: list[str] = []
    for step in _STEPS:
        step(character, notes)
    issues = check_character(character)
    if issues:
        raise MigrationError(f"cannot convert automatically: {issues[0].message}")
    return MigrationResult(character, notes)


def migrate_source(src: Path) -> tuple[MigrationResult, str]:
    """Migrate the character in `src`; the result and the 1.x character as pretty JSON text."""
    try:
        data = load_json(read_text(src, MAX_CHARACTER_BYTES))
    except SourceError as err:
        where = f":{err.line}:{err.col}" if err.line else ""
        raise MigrationError(f"{src}{where}: {err.message}") from None
    result = migrate(data)
    return result, json.dumps(result.character, indent=2, ensure_ascii=False) + "\n"


def migrate_file(src: Path, dest: Path) -> MigrationResult:
    """Migrate the character in `src` and write it as pretty JSON to `dest` (`src` rewrites it)."""
    result, text = migrate_source(src)
    dest.write_text(text, encoding="utf-8")
    return result


def _refuse_non_character(data: object) -> Data:
    if isinstance(data, list):
        what = _count(len(data), "character") if all(isinstance(d, dict) for d in data) else "items"
        raise MigrationError(f"a JSON array of {what}: put each character in a file of its own")
    if not isinstance(data, dict):
        kind = json_kind(data) or type(data).__name__
        raise MigrationError(f"not a character: expected a JSON object, got {kind}")
    if not isinstance(data.get("name"), str) or not data["name"]:
        raise MigrationError('no "name": not an elizaOS character')
    if "bio" not in data and "lore" not in data:
        raise MigrationError('no "bio" or "lore": not an elizaOS character (custom schema?)')
    return data


def _copy(data: Data) -> Data:
    """A deep copy made through JSON, which also refuses what JSON cannot hold."""
    try:
        copied: Data = json.loads(json.dumps(data))
    except RecursionError:
        raise MigrationError("not JSON data: nested too deeply") from None
    except (TypeError, ValueError) as err:
        raise MigrationError(f"not JSON data: {err}") from None
    return copied


def _items(value: object) -> list[Any]:
    """A list as itself, null as [], anything else as a one-item list (left for the checker)."""
    return list(value) if isinstance(value, list) else [] if value is None else [value]


def _bio_and_lore(character: Data, notes: list[str]) -> None:
    """0.x `lore` joins `bio`: bio items first, then lore items."""
    if "lore" not in character:
        return
    lore = _items(character.pop("lore"))
    if not lore:
        notes.append('removed "lore": it was empty')
        return
    character["bio"] = _items(character.get("bio")) + lore
    notes.append(
        f'merged {_count(len(lore), "lore entry", "lore entries")} into "bio" (1.x has no "lore")'
    )


def _plugins(character: Data, notes: list[str]) -> None:
    """0.x `clients` and `modelProvider` become plugins; the 0.x plugin namespace is renamed."""
    before = character.get("plugins")
    plugins = _items(before)
    for i, old in enumerate(plugins):
        if isinstance(old, str) and old.startswith("@elizaos-plugins/"):
            plugins[i] = "@elizaos/" + old.removeprefix("@elizaos-plugins/")
            notes.append(f'renamed plugin "{old}" to "{plugins[i]}" (1.x namespace)')
    if character.get("clients") == []:
        notes.append('removed "clients": it was empty')
    for client in _items(character.pop("clients", None)):
        plugins += _mapped(CLIENT_PLUGINS, str(client), "client", notes)
    if "modelProvider" in character:
        provider = str(character.pop("modelProvider"))
        plugins += _mapped(MODEL_PLUGINS, provider, "modelProvider", notes)
    unique = [p for i, p in enumerate(plugins) if p not in plugins[:i]]
    if unique != before and (unique or before is not None):
        character["plugins"] = unique


def _count(n: int, one: str, many: str = "") -> str:
    """`1 lore entry`, `3 lore entries`: a count with its noun."""
    return f"{n} {one}" if n == 1 else f"{n} {many or one + 's'}"


def _mapped(table: dict[str, str], name: str, what: str, notes: list[str]) -> list[str]:
    plugin = table.get(name.lower())
    if plugin:
        notes.append(f'{what} "{name}" -> plugin "{plugin}"')
        return [plugin]
    notes.append(f'dropped {what} "{name}": no known 1.x plugin; add one to "plugins" by hand')
    return []


def _examples(character: Data, notes: list[str]) -> None:
    """2.x-alpha `{"examples": [...]}` groups become arrays; 0.x `user` becomes `name`."""
    groups = character.get("messageExamples")
    if not isinstance(groups, list):
        return
    alpha = [i for i, group in enumerate(groups) if isinstance(group, dict) and "examples" in group]
    for i in alpha:
        groups[i] = groups[i]["examples"]
    if alpha:
        groups_ = _count(len(alpha), "2.x-alpha example group")
        notes.append(f'unwrapped {groups_} ({{"examples": [...]}}) into arrays')
    messages = [m for g in groups if isinstance(g, list) for m in g if isinstance(m, dict)]
    renamed = sum(_rename_user(message) for message in messages)
    if renamed:
        notes.append(f'renamed "user" to "name" in {_count(renamed, "example message")}')
    actions = sum(_action_to_actions(message.get("content")) for message in messages)
    if actions:
        notes.append(
            f'turned content "action" into "actions" in {_count(actions, "example message")}'
        )


def _rename_user(message: Data) -> bool:
    if "user" not in message or "name" in message:
        return False
    message["name"] = message.pop("user")
    return True


def _action_to_actions(content: object) -> bool:
    if not isinstance(content, dict) or "actions" in content:
        return False
    if not isinstance(content.get("action"), str):
        return False
    content["actions"] = [content.pop("action")]
    return True


def _bad_id(character: Data, notes: list[str]) -> None:
    """A non-UUID id is dropped: the runtime derives the agent id from the name."""
    value = character.get("id")
    if "id" in character and not (isinstance(value, str) and re.fullmatch(UUID_GRAMMAR, value)):
        del character["id"]
        notes.append(f'removed "id" {json.dumps(value)}: not a UUID (the runtime derives one)')


def _unknown_keys(character: Data, notes: list[str]) -> None:
    """Keys 1.x does not know move into `settings`; null, empty and 0.x model keys are dropped."""
    unknown = [k for k in character if k not in FIELDS or character[k] is None]
    for key in sorted(unknown, key=lambda k: character[k] is not None):  # nulls first
        value = character.pop(key)
        if key in MODEL_KEYS:
            notes.append(f'dropped 0.x "{key}": configure the model plugin instead')
        elif value is None or value in ([], {}, ""):
            notes.append(f'dropped "{key}": it was empty')
        elif not isinstance(character.setdefault("settings", {}), dict):
            character[key] = value  # settings is broken; the final check reports both
        elif key in character["settings"]:
            notes.append(f'dropped "{key}": settings already has a "{key}"')
        else:
            character["settings"][key] = value
            notes.append(f'moved "{key}" into settings.{key} (not a 1.x key)')


def _secrets(character: Data, notes: list[str]) -> None:
    """No secret is carried over; the notes name the keys to set in the environment."""
    settings = character.get("settings")
    for where, owner in (("settings.secrets", settings), ("secrets", character)):
        secrets = owner.pop("secrets", None) if isinstance(owner, dict) else None
        if secrets is not None:
            names = ", ".join(sorted(map(str, secrets))) if isinstance(secrets, dict) else ""
            keys = f"; set {names} in the environment instead" if names else ""
            notes.append(f"removed {where}: a published character holds no secrets{keys}")
    if not isinstance(settings, dict):
        return
    for key in [k for k, v in settings.items() if SECRET_NAME.search(k) and _filled(v)]:
        del settings[key]
        notes.append(f"removed settings.{key}: secret-named; set it in the environment instead")
    _blank_key_shaped(settings, "settings", notes)
    for key in [k for k, v in settings.items() if v is None]:
        del settings[key]
        notes.append(f"removed settings.{key}: null is not a 1.x setting value")


def _filled(value: object) -> bool:
    return isinstance(value, str) and value != ""


def _blank_key_shaped(node: object, where: str, notes: list[str]) -> None:
    """Empty every string under `node` that holds something shaped like a key or token."""
    if isinstance(node, dict):
        for key, value in node.items():
            node[key] = _blank(value, f"{where}.{key}", notes)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            node[index] = _blank(value, f"{where}[{index}]", notes)


def _blank(value: object, where: str, notes: list[str]) -> object:
    finding = next(scan(value, where), None) if isinstance(value, str) else None
    if finding:
        notes.append(f"emptied {where}: it held {finding.kind}")
        return ""
    _blank_key_shaped(value, where, notes)
    return value


_STEPS: tuple[Callable[[Data, list[str]], None], ...] = (
    _bio_and_lore,
    _plugins,
    _examples,
    _bad_id,
    _unknown_keys,
    _secrets,
)
