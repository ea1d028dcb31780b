"""What a build must re-render: digests of each agent's inputs, compared with the last build's.

An agent has two parts. Its files (version pages, API document, badge) depend only on the agent,
the names and markers (flagged, deprecated) of the agents it links to, the templates and the
code. Its canonical page also shows related agents, which change with the rest of the catalog,
so it has a digest of its own.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.catalog.memo import ByAgent
from generator.catalog.model import Agent, Catalog
from generator.checks.capabilities import TABLE
from generator.checks.plugins import REGISTRY_DIR
from generator.site import render

CODE = (
    "site/outputs.py",
    "site/render.py",
    "site/listings.py",
    "site/sanitize.py",
    "site/api.py",
    "site/feed.py",
    "site/badge.py",
    "flows/fork.py",
    "flows/report.py",
    "search/related.py",
    "search/similarity.py",
    "search/browser_index.py",
    "search/documents.py",
    "catalog/memo.py",
)
"""Generator modules (under generator/) whose code shapes the output; a change to one re-renders
every agent."""
FILES, PAGE = "files", "page"
"""The two parts of an agent: its files but the canonical page, and the canonical page (the only
one that shows related agents, which change with the rest of the catalog)."""


class Plan:
    """Which parts of which agents to render, from what the last build remembered."""

    def __init__(self, docs: Path, before: dict[str, Any]) -> None:
        self.docs = docs
        self.before = before
        self.entries: dict[str, dict[str, Any]] = {}
        self.rendered: set[str] = set()

    def todo(self, ref: str, kind: str, mark: str) -> bool:
        """Whether this part must be rendered; remembers it as kept otherwise."""
        entry = self.before.get(ref)
        old = entry.get(kind) if isinstance(entry, dict) else None
        if (
            isinstance(old, list)
            and len(old) == 2
            and old[0] == mark
            and (not old[1] or still_there(self.docs, old[1]))
        ):
            self.entries.setdefault(ref, {})[kind] = old
            return False
        self.rendered.add(ref)
        return True

    def remember(self, ref: str, kind: str, mark: str, paths: list[str]) -> None:
        self.entries.setdefault(ref, {})[kind] = [mark, paths]

    def paths(self) -> set[str]:
        return {p for parts in self.entries.values() for _, paths in parts.values() for p in paths}


def fingerprint(agent: Agent, catalog: Catalog) -> str:
    """A digest of everything an agent's own files depend on (not the whole catalog)."""
    linked = list(agent.forks)
    if agent.manifest.deprecated and agent.manifest.deprecated.replacement:
        linked.append(agent.manifest.deprecated.replacement)
    names: list[object] = [_shown(r, catalog) for r in linked]
    if agent.manifest.forked_from:  # the fork's page says when its parent has a newer version
        parent = catalog.by_ref.get(agent.manifest.forked_from.partition("@")[0])
        names.append(parent.manifest.version if parent else "")
    if not names:
        return _own_digest(agent)
    return hashlib.sha256(f"{_own_digest(agent)}\0{names!r}".encode()).hexdigest()[:32]


def _digest(agent: Agent) -> str:
    """A digest of the agent's own content and history."""
    parts = [
        agent.manifest.model_dump_json(),
        json.dumps(agent.character, sort_keys=True, default=str),
        agent.readme or "",
        repr((agent.created, agent.updated, agent.updated_commit, agent.moderation)),
        repr([(v.version, v.commit, v.date) for v in agent.versions]),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


_own_digest = ByAgent(_digest)


def page_mark(mark: str, agent: Agent, catalog: Catalog, related: Mapping[str, Any]) -> str:
    """The canonical page's digest: the agent's, plus its related agents and their names."""
    refs = related.get(agent.ref, ())
    names = [_shown(r, catalog) for r in refs]
    return hashlib.sha256(f"{mark}\0{names!r}".encode()).hexdigest()[:32]


def _shown(ref: str, catalog: Catalog) -> tuple[str, str, str]:
    """What a page shows of another agent it links to: ref, name and marker (flagged...)."""
    other = catalog.by_ref.get(ref)
    return (ref, other.manifest.name, render.state(other)) if other else (ref, "", "")


def still_there(docs: Path, paths: object) -> bool:
    """Whether an agent's files are still on disk, judged by its first file (one stat, not 8).

    Generated folders are nobody's to edit; `catalog build --clean` recovers from hand edits.
    """
    first = paths[0] if isinstance(paths, list) and paths else None
    return isinstance(first, str) and os.path.exists(os.path.join(docs, first))


def code_hash(root: Path, catalog: Catalog) -> str:
    """Digest of the templates, the rendering code and the site settings."""
    site = catalog.site
    digest = hashlib.sha256(f"{site.site_url}\0{site.repo_url}\0{site.name}\0".encode())
    here = Path(__file__).parents[1]
    sources = [here / name for name in CODE] + sorted((root / render.TEMPLATES).glob("*"))
    # The capability table and registry snapshot feed every agent page's blocks and links.
    sources += [TABLE, REGISTRY_DIR / "generated-registry.json"]
    # Owner records show on every page of their agents (the verified mark) and change rarely:
    # a changed record re-renders everything, as a changed template does.
    records = {k: r.model_dump(mode="json") for k, r in catalog.owner_records.items()}
    digest.update(json.dumps(records, sort_keys=True).encode() + b"\0")
    for path in sources:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]
