"""Catalog -> the static JSON API under `api/v1/` (documented with its schema in catalog/api.md).

Every document is sorted (`sort_keys`, agents by ref) and dated from git, so the same commit gives
the same bytes. The listing documents hold refs, not versions, where they can: a new version of
one agent then rewrites only that agent's document and `agents.json`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from generator.catalog.model import Agent, Catalog, Gone, Site

PREFIX = "api/v1"
FORMAT = 1


def dump(doc: object) -> str:
    """Deterministic compact JSON: sorted keys, UTF-8 (no indent: the C encoder is 5x faster)."""
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def iso(value: datetime) -> str:
    """ISO 8601 in UTC with a Z."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def listing_documents(catalog: Catalog) -> dict[str, str]:
    """agents.json, owners.json, tags.json and gone.json."""
    site = catalog.site
    listed = catalog.listed
    latest = max((a.updated for a in listed), default=None)
    return {
        f"{PREFIX}/agents.json": dump(
            {
                "format": FORMAT,
                "updated": iso(latest) if latest else None,
                "count": len(listed),
                "agents": [summary(site, a, catalog.verified(a.owner)) for a in listed],
            }
        ),
        f"{PREFIX}/owners.json": dump({"format": FORMAT, "owners": owner_entries(catalog)}),
        f"{PREFIX}/tags.json": dump(
            {
                "format": FORMAT,
                "tags": [
                    {"tag": k, "url": f"{site.site_url}tags/{k}/", "agents": list(v)}
                    for k, v in catalog.tags.items()
                ],
            }
        ),
        f"{PREFIX}/gone.json": dump({"format": FORMAT, "gone": gone_entries(catalog)}),
    }


def owner_entries(catalog: Catalog) -> list[dict[str, Any]]:
    """Every owner with listed agents or a record: kind, name, members, verification, agents."""
    site = catalog.site
    entries = []
    for login in sorted(set(catalog.owners) | set(catalog.owner_records)):
        record = catalog.owner_records.get(login)
        proof = record.verification if record else None
        entries.append(
            {
                "login": login,
                "url": f"{site.site_url}owners/{login}/",
                "agents": list(catalog.owners.get(login, ())),
                "kind": record.kind if record else "user",
                "name": record.name if record else login,
                "record": record is not None,
                "members": [m.model_dump() for m in record.members] if record else [],
                "verified": proof is not None,
                "verification": proof.model_dump(mode="json") if proof else None,
            }
        )
    return entries


def summary(site: Site, agent: Agent, verified: bool = False) -> dict[str, Any]:
    """What a listing says about one agent; `verified`: its owner carries the verified mark."""
    m = agent.manifest
    return {
        "ref": agent.ref,
        "owner": agent.owner,
        "owner_verified": verified,
        "slug": agent.slug,
        "name": m.name,
        "summary": m.summary,
        "version": m.version,
        "license": m.license,
        "tags": list(m.tags),
        "plugins": list(agent.plugins),
        "capabilities": [c.id for c in agent.capabilities],
        "keys": list(agent.keys),
        "created": iso(agent.created),
        "updated": iso(agent.updated),
        "deprecated": m.deprecated is not None,
        "flagged": agent.moderation is not None and agent.moderation.state == "flagged",
        "moderation": _moderation(agent),
        "url": f"{site.site_url}{agent.path}",
        "api": f"{site.site_url}{PREFIX}/agents/{agent.ref}.json",
    }


def agent_document(site: Site, agent: Agent, verified: bool = False) -> tuple[str, str]:
    """Path and text of one agent's full document: manifest, character, README, versions."""
    doc = {
        "format": FORMAT,
        **summary(site, agent, verified),
        "listed": agent.listed,
        "updated_commit": agent.updated_commit,
        "forks": list(agent.forks),
        "manifest": agent.manifest.model_dump(mode="json", exclude_none=True),
        "character": agent.character,
        "readme": agent.readme,
        "versions": [
            {
                "version": v.version,
                "commit": v.commit,
                "date": iso(v.date),
                "url": f"{site.site_url}{agent.path}{v.version}/" if v.commit else None,
            }
            for v in reversed(agent.versions)
        ],
    }
    return f"{PREFIX}/agents/{agent.ref}.json", dump(doc)


def _moderation(agent: Agent) -> dict[str, str] | None:
    m = agent.moderation
    return {"state": m.state, "reason": m.reason, "issue": m.issue, "date": m.date} if m else None


def gone_entries(catalog: Catalog) -> list[dict[str, Any]]:
    """Agents whose URLs stay as tombstones or redirects, by ref."""
    entries = [_gone(catalog.site, g) for g in catalog.gone if g.ref not in catalog.by_ref]
    for agent in catalog.agents:
        if agent.moderation and agent.moderation.state == "removed":
            entries.append(
                {
                    "ref": agent.ref,
                    "state": "removed",
                    "date": agent.moderation.date,
                    "reason": agent.moderation.reason,
                    "moved_to": None,
                    "url": f"{catalog.site.site_url}{agent.path}",
                }
            )
    return sorted(entries, key=lambda e: str(e["ref"]))


def _gone(site: Site, gone: Gone) -> dict[str, Any]:
    return {
        "ref": gone.ref,
        "state": "moved" if gone.moved_to else "removed",
        "date": iso(gone.date),
        "reason": gone.reason,
        "moved_to": gone.moved_to,
        "url": f"{site.site_url}agents/{gone.ref}/",
    }
