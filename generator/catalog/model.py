"""The catalog stage: a pure, immutable, sorted model of the whole catalog.

Everything after this stage (pages, API, feed, search index) reads only a `Catalog`; nothing
after it reads agent files or runs git. `build_catalog` is a pure function of the validated
agents, their git history, the moderation file and the site settings.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING

from generator.checks.capabilities import Capability, derive, needed_keys
from generator.checks.manifest import Manifest

# Moderation decisions are read (and judged) by checks; the model carries them.
from generator.checks.moderation import Moderation as Moderation
from generator.checks.moderation import ModerationState as ModerationState
from generator.checks.owners import OwnerRecord


class Derived:
    """What a character's plugins make of an agent or a version: never typed by the author."""

    if TYPE_CHECKING:

        @property
        def character(self) -> Mapping[str, object]: ...

    @property
    def plugins(self) -> tuple[str, ...]:
        return plugin_list(self.character)

    @property
    def capabilities(self) -> tuple[Capability, ...]:
        """What it can do, derived from its plugins (data/capabilities.yaml)."""
        return derive(self.plugins)

    @property
    def keys(self) -> tuple[str, ...]:
        """Names of the keys it expects (its plugins' and its character's)."""
        return needed_keys(self.plugins, self.character)


def plugin_list(character: Mapping[str, object]) -> tuple[str, ...]:
    """The character's plugin names, sorted and unique."""
    raw = character.get("plugins")
    return tuple(sorted({p for p in raw if isinstance(p, str)})) if isinstance(raw, list) else ()


@dataclass(frozen=True)
class PublishedVersion(Derived):
    """One published version: the commit where this version value first appeared on the branch."""

    version: str
    commit: str
    date: datetime
    manifest: Manifest
    """The manifest as it was at that commit."""
    character: Mapping[str, object]
    """The character as it was at that commit."""
    readme: str | None


@dataclass(frozen=True)
class Agent(Derived):
    """One listed (or delisted/flagged) agent at its latest version, with its history."""

    owner: str
    slug: str
    manifest: Manifest
    character: Mapping[str, object]
    readme: str | None
    created: datetime
    """Date of the first commit that added the agent's folder."""
    updated: datetime
    """Date of the last commit that touched the agent's folder."""
    updated_commit: str
    versions: tuple[PublishedVersion, ...]
    """Every published version, oldest first; the last one is the current version."""
    forks: tuple[str, ...] = ()
    """owner/slug of the catalog agents whose forked_from names this agent."""
    moderation: Moderation | None = None

    @functools.cached_property
    def ref(self) -> str:
        """owner/slug, made once: the catalog's indexes hold it ~10 times per agent."""
        return f"{self.owner}/{self.slug}"

    @property
    def path(self) -> str:
        """URL path of the canonical page, relative to the site root, with a trailing slash."""
        return f"agents/{self.owner}/{self.slug}/"

    @property
    def listed(self) -> bool:
        """Shown in listings, search, the API listing and the feed (not delisted or removed)."""
        return self.moderation is None or self.moderation.state == "flagged"


@dataclass(frozen=True)
class Gone:
    """An agent URL that must keep answering: a removed agent (tombstone) or a moved one."""

    owner: str
    slug: str
    date: datetime
    commit: str
    last_version: str | None
    reason: str
    moved_to: str | None = None
    """owner/slug of the new place when the agent was moved (a redirect), else a tombstone."""
    versions: tuple[str, ...] = ()
    """Versions that were published at the old place, so their URLs keep answering too."""

    @property
    def ref(self) -> str:
        return f"{self.owner}/{self.slug}"


@dataclass(frozen=True)
class Site:
    """Site settings read from mkdocs.yml (one source of truth)."""

    site_url: str
    """Absolute URL of the site root, with a trailing slash (may include a subpath)."""
    repo_url: str
    """https URL of the catalog's git repository (GitHub)."""
    name: str = "Public Agents Catalog"
    build_date: datetime | None = None
    """From SOURCE_DATE_EPOCH or the head commit; never now()."""


@dataclass(frozen=True)
class Catalog:
    """The whole catalog, sorted by owner/slug; indexes are read-only mappings."""

    site: Site
    agents: tuple[Agent, ...]
    gone: tuple[Gone, ...] = ()
    head_commit: str = ""
    by_ref: Mapping[str, Agent] = field(default_factory=lambda: MappingProxyType({}))
    owners: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """owner -> refs of the listed agents they own."""
    tags: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """tag -> refs of listed agents with that tag."""
    plugins: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """plugin -> refs of listed agents using it."""
    owner_records: Mapping[str, OwnerRecord] = field(default_factory=lambda: MappingProxyType({}))
    """login -> its owner record (owners/<login>.yaml), for the namespaces that have one."""

    def verified(self, login: str) -> bool:
        """True when the owner's record carries a verification (the verified mark)."""
        record = self.owner_records.get(login)
        return record is not None and record.verified

    @property
    def listed(self) -> tuple[Agent, ...]:
        return tuple(a for a in self.agents if a.listed)


def build_catalog(
    site: Site,
    agents: list[Agent],
    gone: list[Gone],
    head_commit: str,
    owner_records: Mapping[str, OwnerRecord] | None = None,
) -> Catalog:
    """Sort agents, link forks to their parents and index owners, tags and plugins."""
    forks: dict[str, list[str]] = {}
    for agent in agents:
        if agent.manifest.forked_from:
            parent = agent.manifest.forked_from.partition("@")[0]
            forks.setdefault(parent, []).append(agent.ref)
    linked = sorted(
        (_with_forks(a, tuple(sorted(forks.get(a.ref, ())))) for a in agents),
        key=lambda a: (a.owner, a.slug),
    )
    listed = [a for a in linked if a.listed]
    return Catalog(
        site=site,
        agents=tuple(linked),
        gone=tuple(sorted(gone, key=lambda g: (g.owner, g.slug))),
        head_commit=head_commit,
        by_ref=MappingProxyType({a.ref: a for a in linked}),
        owners=_group(listed, lambda a: [a.owner]),
        tags=_group(listed, lambda a: list(a.manifest.tags)),
        plugins=_group(listed, lambda a: list(a.plugins)),
        owner_records=MappingProxyType(dict(sorted((owner_records or {}).items()))),
    )


def _with_forks(agent: Agent, forks: tuple[str, ...]) -> Agent:
    return replace(agent, forks=forks) if forks != agent.forks else agent


def _group(
    agents: list[Agent], keys: Callable[[Agent], list[str]]
) -> Mapping[str, tuple[str, ...]]:
    groups: dict[str, list[str]] = {}
    for agent in agents:
        for key in keys(agent):
            groups.setdefault(key, []).append(agent.ref)
    return MappingProxyType({k: tuple(sorted(v)) for k, v in sorted(groups.items())})
