"""Plugins an agent names, looked up in the repository's copy of the elizaOS plugin registry.

`data/elizaos-plugin-registry/` holds the registry's `generated-registry.json` (dated, with its
source in SOURCE.md). A plugin the registry does not list, one listed with no npm release, or one
with no release for elizaOS 1.x (the only line the catalog accepts) is a problem for its author.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from generator.checks.problems import Problem
from generator.checks.rules import problem

REGISTRY_DIR = Path(__file__).resolve().parents[2] / "data" / "elizaos-plugin-registry"
"""The dated registry snapshot kept in the repository (refreshed by a pull request)."""

REGISTRY_URL = "https://github.com/elizaos-plugins/registry"

Status = Literal["ok", "unknown", "unpublished", "no-1x"]


@dataclass(frozen=True)
class PluginInfo:
    """What the registry says about one plugin (absent fields are empty)."""

    name: str
    status: Status
    repo: str = ""
    """GitHub owner/name of its source, as the registry records it."""
    npm: str = ""
    """npm package name, when the registry lists one."""
    version: str = ""
    """Its latest 1.x release on npm."""
    description: str = ""

    @property
    def npm_url(self) -> str:
        return f"https://www.npmjs.com/package/{self.npm}" if self.npm else ""

    @property
    def registry_url(self) -> str:
        """The plugin's entry in the registry's list (index.json names it and its source)."""
        return f"{REGISTRY_URL}/blob/main/index.json" if self.repo else ""

    @property
    def source_url(self) -> str:
        """Its GitHub page; `owner/name#branch:path` (how the registry names a plugin inside a
        monorepo) is that folder on that branch. Anything else gives no link: registry data is
        not ours to trust."""
        match = _REPO.fullmatch(self.repo)
        if not match:
            return ""
        repo, branch, path = match.group("repo", "branch", "path")
        tail = f"/tree/{quote(branch)}/{quote(path.strip('/'))}" if branch else ""
        return f"https://github.com/{repo}{tail}"


_REPO = re.compile(
    r"(?P<repo>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)(?:#(?P<branch>[\w./-]+):(?P<path>[\w./-]*))?"
)


@cache
def registry() -> Mapping[str, Mapping[str, object]]:
    """The snapshot's per-plugin entries, read once per process (324 KiB of JSON)."""
    data = json.loads((REGISTRY_DIR / "generated-registry.json").read_text(encoding="utf-8"))
    entries = data.get("registry", {}) if isinstance(data, dict) else {}
    return entries if isinstance(entries, dict) else {}


def _field(entry: Mapping[str, object], outer: str, inner: str) -> str:
    part = entry.get(outer)
    value = part.get(inner) if isinstance(part, dict) else None
    return value if isinstance(value, str) else ""


@cache
def lookup(name: str) -> PluginInfo:
    """The registry's word on one plugin name."""
    return info_from(name, registry().get(name))


def info_from(name: str, entry: object) -> PluginInfo:
    """What one registry entry (None when absent) says about a plugin; `catalog registry-update`
    compares it before and after a refresh."""
    if not isinstance(entry, dict):
        return PluginInfo(name, "unknown")
    supports = entry.get("supports")
    v0 = isinstance(supports, dict) and supports.get("v0") is True
    v1 = isinstance(supports, dict) and supports.get("v1") is True
    npm = entry.get("npm")
    released = isinstance(npm, dict) and any(npm.get(k) for k in ("v0", "v1", "alpha"))
    status: Status = "ok" if v1 else ("no-1x" if v0 and released else "unpublished")
    description = entry.get("description")
    return PluginInfo(
        name,
        status,
        repo=_field(entry, "git", "repo"),
        npm=_field(entry, "npm", "repo"),
        version=_field(entry, "npm", "v1"),
        description=description if isinstance(description, str) else "",
    )


def plugin_names(character: object) -> list[tuple[int, str]]:
    """(index, name) of each string in the character's `plugins` list."""
    raw = character.get("plugins") if isinstance(character, dict) else None
    if not isinstance(raw, list):
        return []
    return [(i, p) for i, p in enumerate(raw) if isinstance(p, str)]


def plugin_problems(
    path: str, character: object, locate: Callable[[tuple[str | int, ...]], tuple[int, int]]
) -> list[Problem]:
    """One problem per plugin the registry does not know, never released, or only has for 0.x."""
    found: list[Problem] = []
    for index, name in plugin_names(character):
        info = lookup(name)
        if info.status == "ok" or name.startswith((".", "/")):
            continue
        where = locate(("plugins", index))
        if info.status == "unknown":
            found.append(
                problem(
                    "plugin-unknown",
                    path,
                    f"plugin {name!r} is not in the elizaOS plugin registry",
                    "check the name on npm, or publish the plugin and add it to the registry "
                    "(github.com/elizaos-plugins/registry)",
                    *where,
                )
            )
        elif info.status == "unpublished":
            found.append(
                problem(
                    "plugin-unpublished",
                    path,
                    f"plugin {name!r} is listed in the registry but has no release for elizaOS 1.x",
                    "use a published plugin, or install this one from its source and say so in "
                    "the README",
                    *where,
                )
            )
        else:
            found.append(
                problem(
                    "plugin-0x-only",
                    path,
                    f"plugin {name!r} is released for elizaOS 0.x only; a 1.x agent cannot load it",
                    "use its 1.x successor or remove it from plugins",
                    *where,
                )
            )
    return found
