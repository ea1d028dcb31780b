"""Make agent folders that pass `catalog validate`: `catalog new`, and helpers for `catalog fork`.

A new or forked agent starts at version 0.1.0 (semver's "initial development"): its author says
when it is 1.0.0. The starter text is made of `checks.placeholders` sentences, which validate as
warnings and fail the pull-request gate until the author replaces them. Files that already
exist are never overwritten, so running `catalog new` twice changes nothing and says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from itertools import takewhile
from pathlib import Path
from typing import Any

import yaml

from generator.checks import secrets
from generator.checks.facts import light_index
from generator.checks.load import MAX_CHARACTER_BYTES, SourceError, load_json, read_text
from generator.checks.manifest import NAME_GRAMMAR
from generator.checks.migrate import MigrationError, migrate
from generator.checks.placeholders import PLACEHOLDERS
from generator.checks.validate import discover, names_index

SCHEMA_COMMENT = "# yaml-language-server: $schema=../../../catalog/schema/agent.schema.json"
FIRST_VERSION = "0.1.0"
STARTER_PLUGINS = ["@elizaos/plugin-sql", "@elizaos/plugin-bootstrap"]
_NAME = re.compile(NAME_GRAMMAR)


class UserError(Exception):
    """Bad input to `catalog new` or `catalog fork`: one line saying what is wrong and the fix."""


def parse_ref(text: str) -> tuple[str, str]:
    """`owner/slug` -> (owner, slug), or a UserError naming the grammar that was broken."""
    owner, sep, slug = text.partition("/")
    if not sep or not _NAME.fullmatch(owner) or len(owner) > 39:
        raise UserError(
            f"{text!r}: expected OWNER/SLUG with OWNER a lowercase GitHub login, "
            "e.g. octo-cat/tide-clock"
        )
    if not _NAME.fullmatch(slug) or not 3 <= len(slug) <= 40:
        raise UserError(
            f"{text!r}: the slug must be 3-40 lowercase letters, digits and single "
            "hyphens, e.g. tide-clock"
        )
    return owner, slug


def shown(path: Path) -> str:
    """`path` relative to the working directory when it is inside it (what people typed)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def taken_names(root: Path) -> dict[str, str]:
    """Case-folded name -> owner/slug of every agent in the catalog at `root` (none outside one)."""
    if not (root / "agents").is_dir():
        return {}
    refs, _ = discover(root)
    return {name: refs[0] for name, refs in names_index(light_index(root, refs)).items()}


def unique_name(name: str, owner: str, taken: Mapping[str, str], ref: str) -> str:
    """`name`, or `name (owner)` when another agent uses it: names are unique, ignoring case."""
    name = " ".join(name.split())[:60].strip() or ref.split("/")[1]
    candidate, n = name, 1
    while taken.get(candidate.casefold(), ref) != ref:
        n += 1
        suffix = f" ({owner})" if n == 2 else f" ({owner} {n})"
        candidate = name[: 60 - len(suffix)].rstrip() + suffix
    return candidate


def manifest_text(data: Mapping[str, object], header: str = SCHEMA_COMMENT) -> str:
    """The manifest as YAML under its comment header (which tells editors where the schema is)."""
    body = yaml.safe_dump(
        dict(data), sort_keys=False, allow_unicode=True, width=1000, default_flow_style=None
    )
    return f"{header}\n{body}"


def comment_header(text: str) -> str:
    """The comment lines that open a manifest, always including the schema comment."""
    lines = list(takewhile(lambda line: line.startswith("#"), text.splitlines()))
    if not any("yaml-language-server" in line for line in lines):
        lines.insert(0, SCHEMA_COMMENT)
    return "\n".join(lines)


def json_text(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def strip_secrets(character: dict[str, Any]) -> list[str]:
    """Empty `settings.secrets` and a top-level `secrets`; one note per emptied mapping."""
    notes = []
    settings = character.get("settings")
    for where, holder in (("settings.secrets", settings), ("secrets", character)):
        held = holder.get("secrets") if isinstance(holder, dict) else None
        if isinstance(held, dict) and any(v not in (None, "") for v in held.values()):
            assert isinstance(holder, dict)
            holder["secrets"] = {}
            notes.append(
                f"emptied {where} ({', '.join(sorted(held))}): set them in the environment instead"
            )
    return notes


def refuse_keys(files: Mapping[str, str], label: str) -> None:
    """Raise UserError at the first key-shaped string: a leaked key must never be copied on."""
    for name, text in sorted(files.items()):
        finding = next(secrets.scan(text), None)
        if finding:
            raise UserError(
                f"{label}/{name}:{finding.line}:{finding.col} holds {finding.kind}; "
                "not copying it: remove it (and revoke the key) first"
            )


def write_missing(folder: Path, files: Mapping[str, str]) -> tuple[list[str], bool]:
    """Write the files `folder` lacks; one line per file written or kept, and whether any was."""
    lines, wrote = [], False
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = folder / name
        if path.exists() or path.is_symlink():
            lines.append(f"kept {shown(path)} (already there)")
            continue
        path.write_text(text, encoding="utf-8")
        lines.append(f"wrote {shown(path)}")
        wrote = True
    return lines, wrote


def new_agent(root: Path, spec: str, character_file: Path | None) -> list[str]:
    """`catalog new`: scaffold agents/<owner>/<slug>/ in `root`; return the lines to print."""
    owner, slug = parse_ref(spec)
    if not (root / "agents").is_dir():
        raise UserError(f"no agents/ folder in {shown(root)}: run this at the root of the catalog")
    folder = root / "agents" / owner / slug
    character, notes = _character(character_file, slug)
    name = unique_name(str(character["name"]), owner, taken_names(root), f"{owner}/{slug}")
    files = {
        "agent.yaml": manifest_text(_manifest(name, owner, character)),
        "character.json": json_text(character),
        "README.md": _readme(name, owner, slug, character),
    }
    lines, wrote = write_missing(folder, files)
    if not wrote:
        return [f"nothing to do: {shown(folder)} already has {', '.join(files)}"]
    return [
        *lines,
        *(f"- {note}" for note in notes),
        f"next: edit the files, then run: catalog validate {shown(folder)}",
    ]


def _character(source: Path | None, slug: str) -> tuple[dict[str, Any], list[str]]:
    """The imported character migrated to 1.x (secrets removed), or a starter character."""
    if source is None:
        return _starter(" ".join(w.capitalize() for w in slug.split("-"))), []
    try:
        data = load_json(read_text(source, MAX_CHARACTER_BYTES))
    except SourceError as err:
        where = f":{err.line}:{err.col}" if err.line else ""
        raise UserError(f"{source}{where}: {err.message}; {err.hint or 'fix the file'}") from None
    try:
        result = migrate(data)
    except MigrationError as err:
        raise UserError(f"{source}: {err}") from None
    leak = _key_in(result.character, "")
    if leak:
        raise UserError(
            f"{source}: {leak[0]} holds {leak[1]}; remove it (and revoke the key) first"
        )
    whole = next(iter(secrets.scan(json_text(result.character))), None)  # a list of seed words
    if whole:
        raise UserError(
            f"{source}: the character holds {whole.kind} (line {whole.line} of the character "
            "it would write); remove it (and revoke the key) first"
        )
    return result.character, [f"imported {source}", *result.notes]


def _key_in(node: object, where: str) -> tuple[str, str] | None:
    """The JSON path of the first key-shaped string under `node`, and what it looks like."""
    if isinstance(node, str):
        found = next(secrets.scan(node, where), None)
        return (where or "the file", found.kind) if found else None
    pairs = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in pairs:
        hit = _key_in(
            value, f"{where}.{key}".lstrip(".") if isinstance(node, dict) else f"{where}[{key}]"
        )
        if hit:
            return hit
    return None


def _starter(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "bio": [f"{name} is a new elizaOS agent. {PLACEHOLDERS['bio']}"],
        "system": f"You are {name}. {PLACEHOLDERS['system']}",
        "topics": [],
        "adjectives": ["helpful"],
        "plugins": list(STARTER_PLUGINS),
        "style": {"all": ["plain words, short answers"], "chat": [], "post": []},
        "messageExamples": [
            [
                {"name": "{{name1}}", "content": {"text": "What can you do?"}},
                {"name": name, "content": {"text": PLACEHOLDERS["answer"]}},
            ]
        ],
    }


def _manifest(name: str, owner: str, character: Mapping[str, Any]) -> dict[str, object]:
    return {
        "name": name,
        "summary": _summary(name, character),
        "owner": owner,
        "version": FIRST_VERSION,
        "license": "MIT",
        "tags": ["assistant"],
        "character": "character.json",
    }


def _summary(name: str, character: Mapping[str, Any]) -> str:
    """The first bio line when it fits a summary (10-160 characters), else a placeholder."""
    bio = character.get("bio")
    first = bio[0] if isinstance(bio, list) and bio else bio
    if isinstance(first, str) and 10 <= len(first.strip()) <= 160 and "\n" not in first:
        return first.strip()
    return f"{name}: {PLACEHOLDERS['summary']}"


def _readme(name: str, owner: str, slug: str, character: Mapping[str, Any]) -> str:
    bio = character.get("bio")
    about = "\n".join(bio if isinstance(bio, list) else [str(bio)])
    return (
        f"# {name}\n\n{about}\n\n## Run it\n\n```bash\n"
        f"elizaos start --character agents/{owner}/{slug}/character.json\n```\n\n"
        f"## Environment\n\n{PLACEHOLDERS['environment']} "
        f"(`CHARACTER.{slug.upper().replace('-', '_')}.<KEY>`), never their values.\n"
    )
