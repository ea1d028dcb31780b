"""Catalog -> the pages that list agents: home, owners, tags, and the browse page's data.

Listings show only listed agents (not delisted or removed), each with its marker when flagged or
deprecated. Owner and tag pages show names, summaries and markers, not versions or dates, so
publishing a new version rewrites none of them (the home page and browse data do change: they
are sorted by date, and the home lists show it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from generator.catalog.model import Agent, Catalog
from generator.checks.capabilities import table
from generator.site.render import Renderer, front_matter, page_meta, state

RECENT = 12


def listing_pages(renderer: Renderer) -> dict[str, str]:
    """Home, owner and tag pages and their indexes."""
    catalog = renderer.catalog
    listed = catalog.listed
    pages = {"index.md": home(renderer, listed)}
    owners = people(catalog)
    maintains: dict[str, list[Agent]] = {}
    for agent in listed:
        for login in agent.manifest.maintainers:
            maintains.setdefault(login, []).append(agent)
    for login, owned in owners.items():
        maintained = maintains.get(login, [])
        pages[f"owners/{login}/index.html"] = _page(
            renderer,
            "owner.html",
            login,
            "",  # a lean page: its template holds its title and description
            login=login,
            record=catalog.owner_records.get(login),
            owned=_agents(catalog, owned),
            maintained=maintained,
        )
    pages["owners/index.md"] = _page(
        renderer,
        "index-list.html",
        "Owners",
        "Everyone who publishes agents in the catalog.",
        root="../",
        kind="owners",
        groups=_counts(owners),
    )
    tags = topics(catalog)
    for tag, refs in tags.items():
        pages[f"tags/{tag}/index.md"] = _page(
            renderer,
            "tag.html",
            f"Tag: {tag}",
            f"Agents tagged {tag}.",
            tag=tag,
            agents=_agents(catalog, refs),
        )
    pages["tags/index.md"] = _page(
        renderer,
        "index-list.html",
        "Tags",
        "Agents grouped by tag.",
        root="../",
        kind="tags",
        groups=_counts(tags),
    )
    return pages


def people(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """Every login an agent page links to (owner or maintainer), and every owner with a record
    -> refs of listed agents owned."""
    logins = {a.owner for a in catalog.agents} | set(catalog.owner_records)
    logins |= {m for a in catalog.agents for m in a.manifest.maintainers}
    return {login: catalog.owners.get(login, ()) for login in sorted(logins)}


def topics(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """Every tag an agent page links to -> refs of the listed agents with that tag."""
    names = {t for a in catalog.agents for t in a.manifest.tags}
    return {tag: catalog.tags.get(tag, ()) for tag in sorted(names)}


def home(renderer: Renderer, listed: tuple[Agent, ...]) -> str:
    """The home page: recently updated, newly published, and agents by tag."""
    updated = sorted(listed, key=lambda a: (a.updated, a.ref), reverse=True)[:RECENT]
    created = sorted(listed, key=lambda a: (a.created, a.ref), reverse=True)[:RECENT]
    body = renderer.env.get_template("home.html").render(
        site=renderer.site,
        root="",
        updated=updated,
        created=created,
        total=len(listed),
        tags=_counts({t: r for t, r in renderer.catalog.tags.items()}),
    )
    meta = page_meta(renderer.site.name, "Find, fork and report public elizaOS agents.")
    meta["hide"] = ["toc", "navigation"]
    return front_matter(meta, body)


def browse_data(catalog: Catalog) -> str:
    """The browse page's data: small arrays, names of owners/tags/plugins/licenses interned;
    capabilities by id, with their labels listed once (from data/capabilities.yaml)."""
    listed = catalog.listed
    tags = sorted(catalog.tags)
    plugins = sorted(catalog.plugins)
    licenses = sorted({a.manifest.license for a in listed})
    tag_at = {t: i for i, t in enumerate(tags)}
    plugin_at = {p: i for i, p in enumerate(plugins)}
    license_at = {lic: i for i, lic in enumerate(licenses)}
    rows = [
        [
            a.ref,
            a.manifest.name,
            a.manifest.summary,
            a.manifest.version,
            int(a.updated.timestamp()),
            int(a.created.timestamp()),
            license_at[a.manifest.license],
            sorted(tag_at[t] for t in set(a.manifest.tags)),
            [plugin_at[p] for p in a.plugins],
            state(a),
            [c.id for c in a.capabilities],
        ]
        for a in listed
    ]
    doc = {
        "format": 2,
        "fields": [
            "ref",
            "name",
            "summary",
            "version",
            "updated",
            "created",
            "license",
            "tags",
            "plugins",
            "state",
            "capabilities",
        ],
        "capabilities": [[c.id, c.label] for c in table().capabilities.values()],
        "owners": sorted(catalog.owners),
        "verified": sorted(o for o in catalog.owner_records if catalog.verified(o)),
        "tags": tags,
        "plugins": plugins,
        "licenses": licenses,
        "agents": rows,
    }
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def _page(
    renderer: Renderer,
    template: str,
    title: str,
    description: str,
    root: str = "../../",
    **context: object,
) -> str:
    """A listing page; the last build's text when made from the same agents and values."""
    key = (template, title)
    inputs = (renderer.site, renderer.code, description, root, context)
    hit = _PAGES.get(key)
    if hit is not None and _same(hit[0], inputs):
        return hit[1]
    body = renderer.env.get_template(template).render(site=renderer.site, root=root, **context)
    text = front_matter(page_meta(title, description), body) if description else body
    _PAGES[key] = (inputs, text)
    return text


_PAGES: dict[tuple[str, str], tuple[object, str]] = {}
"""(template, title) -> (inputs, text) of the last build. `catalog serve` re-renders only the
owner and tag pages that list an edited agent: ~130 pages of ~35,000 cards cost 0.7 s at 10,000
agents. Agents compare by identity (see catalog/memo.py), so any change to one re-renders its
pages."""


def _same(a: object, b: object) -> bool:
    """Equal values, with agents compared by identity, inside tuples, lists and dicts."""
    if isinstance(a, Agent) or isinstance(b, Agent):
        return a is b
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def _agents(catalog: Catalog, refs: Iterable[str]) -> list[Agent]:
    """Agents by name (case-insensitive), then ref."""
    agents = [catalog.by_ref[r] for r in refs]
    return sorted(agents, key=lambda a: (a.manifest.name.casefold(), a.ref))


def _counts(groups: dict[str, tuple[str, ...]]) -> list[tuple[str, int]]:
    """(name, count) by count descending, then name."""
    return sorted(((k, len(v)) for k, v in groups.items()), key=lambda kv: (-kv[1], kv[0]))
