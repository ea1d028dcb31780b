"""Catalog -> every generated file as `{path under the docs folder: content}`; writes nothing.

An agent's own files (pages, API document, badge) are rendered per agent, so an unchanged agent
can be skipped; catalog-wide files (listings, API listings, feed, departed agents, the search
index of issue 4 when its module is there) are rendered every time.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.catalog.model import Agent, Catalog
from generator.search.browser_index import browser_assets
from generator.site import api, badge, feed, listings, render

Outputs = dict[str, str | bytes]


def agent_files(renderer: render.Renderer, agent: Agent) -> Outputs:
    """An agent's files but its canonical page: version pages, API document, badge."""
    files: Outputs = dict(renderer.version_pages(agent))
    if not removed(agent):
        path, text = api.agent_document(
            renderer.site, agent, renderer.catalog.verified(agent.owner)
        )
        files[path] = text
        path, text = badge.badge(agent)
        files[path] = text
    return files


def agent_page(renderer: render.Renderer, agent: Agent, related: Sequence[str]) -> Outputs:
    """The agent's canonical page (a removed agent's tombstone is among its files)."""
    if removed(agent):
        return {}
    return {f"{agent.path}index.html": renderer.canonical(agent, related)}


def removed(agent: Agent) -> bool:
    """Removed by the maintainers: its URLs answer with tombstones."""
    return agent.moderation is not None and agent.moderation.state == "removed"


def catalog_outputs(renderer: render.Renderer) -> Outputs:
    """Files that depend on the whole catalog: listings, API listings, feed, departed agents."""
    catalog = renderer.catalog
    outputs: Outputs = dict(listings.listing_pages(renderer))
    outputs["browse.json"] = listings.browse_data(catalog)
    outputs.update(api.listing_documents(catalog))
    outputs["feed.xml"] = feed.feed(catalog)
    for gone in catalog.gone:
        if gone.ref not in catalog.by_ref:
            outputs.update(renderer.gone_pages(gone))
    outputs.update(browser_assets(catalog))
    outputs[SITEMAP] = sitemap(catalog)
    return outputs


SITEMAP = ".sitemap.txt"
"""The lean pages search engines may index, for site-config/hooks/sitemap.py (not published)."""


def sitemap(catalog: Catalog) -> str:
    """Listed agents' pages with the day each last changed, then owner pages, one a line."""
    lines = [f"{a.path}\t{render.day(a.updated)}\n" for a in catalog.listed]
    lines += [f"owners/{login}/\t\n" for login in listings.people(catalog)]
    return "".join(lines)
