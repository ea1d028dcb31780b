"""A Catalog of a few agents: the ones a pull request touches, assembled as the build assembles
them, from their checked folders and a history of their folders alone (`history.slice`).

The pull-request gate's fast path renders these agents' pages, and the catalog-wide files over
this small catalog, instead of loading the whole catalog (see generator/gate.py). Owner records
are those of the agents' owners and maintainers: the ones their pages and listings show.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.catalog import model
from generator.catalog.assemble import _agent, _gone, build_date
from generator.catalog.settings import read_site
from generator.checks.agent import Agent as Checked
from generator.checks.moderation import load_moderation
from generator.checks.owners import OwnerRecord, owner_logins, read_record
from generator.history.reader import History


def partial_catalog(root: Path, checked: Sequence[Checked], history: History) -> model.Catalog:
    """The Catalog of `checked` (valid agents) with `history` (covering at least their folders)."""
    moderation = load_moderation(root)[0]
    built = build_date(history)
    site = read_site(root)
    site = model.Site(site.site_url, site.repo_url, site.name, built)
    agents = [
        _agent(a, history, history.manifests, built, moderation.get(a.ref))
        for a in checked
        if a.manifest is not None
    ]
    gone = [_gone(ref, d) for ref, d in history.departures.items()]
    return model.build_catalog(site, agents, gone, history.head, _records(root, agents))


def _records(root: Path, agents: Sequence[model.Agent]) -> dict[str, OwnerRecord]:
    """The valid owner records of the agents' owners and maintainers."""
    logins = {a.owner for a in agents} | {m for a in agents for m in a.manifest.maintainers}
    listed = set(owner_logins(root)[0])
    found = {login: read_record(root, login).record for login in sorted(logins & listed)}
    return {login: record for login, record in found.items() if record is not None}
