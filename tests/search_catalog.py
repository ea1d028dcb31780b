"""Catalog objects built in memory for the search, related-agents and look-alike tests.

The sample catalog goes through the real build path (`load_catalog`); small cases are built here
directly from the `Catalog` model, with pinned dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from generator.catalog.model import (
    Agent,
    Catalog,
    Moderation,
    PublishedVersion,
    Site,
    build_catalog,
)
from generator.checks.manifest import Manifest

SITE = Site("https://example.org/catalog/", "https://github.com/example/catalog")
DATE = datetime(2026, 1, 1, tzinfo=UTC)


def agent(
    ref: str,
    name: str,
    summary: str = "An agent that helps people with their questions.",
    tags: Sequence[str] = ("assistant",),
    plugins: Sequence[str] = ("@elizaos/plugin-sql",),
    topics: Sequence[str] = (),
    bio: Sequence[str] = ("A helpful agent.",),
    readme: str | None = "# Agent\n",
    version: str = "1.0.0",
    moderation: str | None = None,
) -> Agent:
    """A listed agent (or a moderated one, with `moderation` = flagged/delisted/removed)."""
    owner, slug = ref.split("/")
    manifest = Manifest.model_validate(
        {
            "name": name,
            "summary": summary,
            "owner": owner,
            "version": version,
            "license": "MIT",
            "tags": list(tags),
        }
    )
    character: dict[str, Any] = {
        "name": name,
        "bio": list(bio),
        "topics": list(topics),
        "plugins": list(plugins),
    }
    published = PublishedVersion(version, "0" * 40, DATE, manifest, character, readme)
    state = (
        Moderation(
            moderation,
            "reported",
            "https://example.org/issues/1",  # type: ignore[arg-type]
            "2026-01-02",
        )
        if moderation
        else None
    )
    return Agent(
        owner,
        slug,
        manifest,
        character,
        readme,
        DATE,
        DATE,
        "0" * 40,
        (published,),
        moderation=state,
    )


def catalog(*agents: Agent) -> Catalog:
    return build_catalog(SITE, list(agents), [], "0" * 40)
