"""What changed between two versions of an agent: plugins, capabilities, key names, platforms.

Shown on version pages, in the Atom feed entry and in the gate's job summary; a version that
gains a money-moving or public-posting capability is called out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.catalog.model import Agent, Catalog, PublishedVersion, plugin_list
from generator.checks.capabilities import Capability, derive, needed_keys


@dataclass(frozen=True)
class Changes:
    """The difference from one version to the next (empty tuples when nothing changed)."""

    plugins_added: tuple[str, ...] = ()
    plugins_removed: tuple[str, ...] = ()
    gained: tuple[Capability, ...] = ()
    lost: tuple[Capability, ...] = ()
    new_keys: tuple[str, ...] = ()

    @property
    def new_platforms(self) -> tuple[Capability, ...]:
        """Gained capabilities that put it on a platform (posting or chatting somewhere)."""
        return tuple(c for c in self.gained if c.id.startswith(("posts-", "chats-")))

    @property
    def alarming(self) -> tuple[Capability, ...]:
        """Gained capabilities that can move money or post in public: called out."""
        return tuple(c for c in self.gained if c.money or c.public)

    def __bool__(self) -> bool:
        return bool(self.plugins_added or self.plugins_removed or self.gained or self.lost)

    def lines(self) -> list[str]:
        """The changes as short plain-text lines (feed entries, job summaries)."""
        out = [f"Now can: {c.label} (new)" for c in self.alarming]
        for label, items in (
            ("plugins added", self.plugins_added),
            ("plugins removed", self.plugins_removed),
            ("capabilities gained", tuple(c.label for c in self.gained)),
            ("capabilities lost", tuple(c.label for c in self.lost)),
            ("new key names", self.new_keys),
        ):
            if items:
                out.append(f"{label}: {', '.join(items)}")
        return out


def between(before: Mapping[str, object] | None, after: Mapping[str, object]) -> Changes:
    """Changes from one character to the next (None: the first version, nothing to compare)."""
    if before is None:
        return Changes()
    old, new = plugin_list(before), plugin_list(after)
    was, now = derive(old), derive(new)
    return Changes(
        plugins_added=tuple(p for p in new if p not in old),
        plugins_removed=tuple(p for p in old if p not in new),
        gained=tuple(c for c in now if c not in was),
        lost=tuple(c for c in was if c not in now),
        new_keys=tuple(k for k in needed_keys(new, after) if k not in needed_keys(old, before)),
    )


def version_changes(agent: Agent, version: PublishedVersion) -> Changes:
    """What `version` changed from the version published before it."""
    at = next((i for i, v in enumerate(agent.versions) if v.version == version.version), 0)
    return between(agent.versions[at - 1].character if at > 0 else None, version.character)


@dataclass(frozen=True)
class Upstream:
    """A fork's parent when it has a newer version than the one forked, with what changed."""

    parent: Agent
    forked: str
    """The parent version the fork started from."""
    changes: Changes


def upstream(agent: Agent, catalog: Catalog) -> Upstream | None:
    """The parent's newer version, when `agent` is a fork and its parent moved on."""
    if agent.manifest.forked_from is None:
        return None
    ref, _, forked = agent.manifest.forked_from.partition("@")
    parent = catalog.by_ref.get(ref)
    if parent is None or parent.manifest.version == forked:
        return None
    start = next((v for v in parent.versions if v.version == forked), None)
    before = start.character if start else None
    return Upstream(parent, forked, between(before, parent.character))
