"""What an agent can do: derived from its plugins by the reviewed `data/capabilities.yaml`.

Authors never type capabilities: the table maps each plugin to what it lets an agent do, each
capability with a one-line meaning, and whether it can move money or post in public.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

TABLE = Path(__file__).resolve().parents[2] / "data" / "capabilities.yaml"
"""The reviewed plugin -> capability table."""


@dataclass(frozen=True, order=True)
class Capability:
    """One thing an agent can do, with the sentence a visitor reads."""

    id: str
    label: str
    meaning: str
    money: bool = False
    """Can move funds: the manifest must declare `financial`."""
    public: bool = False
    """Posts in public under an account the operator gives it."""


@dataclass(frozen=True)
class Table:
    """The table as read: capabilities by id, and plugin -> capability ids."""

    capabilities: Mapping[str, Capability]
    plugins: Mapping[str, tuple[str, ...]]
    keys: Mapping[str, tuple[str, ...]]
    """plugin -> names of the settings it reads from the environment."""


@cache
def table() -> Table:
    """Read and check the table once per process; a broken table is a bug in the repository."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~5x faster, before the fork
    raw = yaml.load(TABLE.read_text(encoding="utf-8"), Loader=loader)
    caps = {
        cid: Capability(
            cid,
            str(c["label"]),
            str(c["meaning"]),
            bool(c.get("money", False)),
            bool(c.get("public", False)),
        )
        for cid, c in raw["capabilities"].items()
    }
    plugins = {str(p): tuple(str(c) for c in ids) for p, ids in raw["plugins"].items()}
    unknown = sorted({c for ids in plugins.values() for c in ids} - set(caps))
    if unknown:
        raise ValueError(f"{TABLE}: plugins name unknown capabilities {unknown}")
    keys = {str(p): tuple(str(k) for k in names) for p, names in raw.get("keys", {}).items()}
    return Table(caps, plugins, keys)


def derive(plugins: Iterable[str]) -> tuple[Capability, ...]:
    """The capabilities the plugins give, in the table's order (most consequential first)."""
    t = table()
    ids = {c for p in plugins for c in t.plugins.get(p, ())}
    return tuple(c for cid, c in t.capabilities.items() if cid in ids)


def needed_keys(plugins: Iterable[str], character: Mapping[str, object]) -> tuple[str, ...]:
    """Names (never values) of the keys an agent expects: its plugins' and its character's."""
    names = {k for p in plugins for k in table().keys.get(p, ())}
    settings = character.get("settings")
    for held in (
        character.get("secrets"),
        settings.get("secrets") if isinstance(settings, dict) else None,
    ):
        if isinstance(held, dict):
            names.update(str(k) for k in held)
    return tuple(sorted(names))
