"""Catalog -> `feed.xml`, an Atom feed (RFC 4287) of the newest published versions.

An entry of a flagged or deprecated agent says so in its title, its summary and a category
(`flagged`, `deprecated`), as every list of the site does.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.catalog.changes import version_changes
from generator.catalog.model import Agent, Catalog, PublishedVersion
from generator.site.api import iso
from generator.site.render import state
from generator.site.sanitize import plain

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50


def feed(catalog: Catalog, limit: int = ENTRIES) -> str:
    """The feed: one entry per published version of a listed agent, newest first."""
    site = catalog.site
    releases = sorted(
        ((v, a) for a in catalog.listed for v in a.versions if v.commit),
        key=lambda va: (va[0].date, va[1].ref, va[0].version),
        reverse=True,
    )[:limit]
    root = ET.Element("feed", xmlns=ATOM)
    _text(root, "id", site.site_url)
    _text(root, "title", f"{site.name}: new versions")
    ET.SubElement(root, "link", rel="self", href=f"{site.site_url}feed.xml")
    ET.SubElement(root, "link", rel="alternate", href=site.site_url)
    newest = releases[0][0].date if releases else catalog.site.build_date
    _text(root, "updated", iso(newest) if newest else "1970-01-01T00:00:00Z")
    _text(ET.SubElement(root, "author"), "name", site.name)
    for version, agent in releases:
        _entry(root, site.site_url, agent, version)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _entry(root: ET.Element, site_url: str, agent: Agent, version: PublishedVersion) -> None:
    url = f"{site_url}{agent.path}{version.version}/"
    entry = ET.SubElement(root, "entry")
    _text(entry, "id", url)
    marker = state(agent)
    label = f" ({marker})" if marker else ""
    _text(entry, "title", f"{version.manifest.name} {version.version}{label}")
    ET.SubElement(entry, "link", rel="alternate", href=url)
    _text(entry, "updated", iso(version.date))
    _text(entry, "published", iso(version.date))
    _text(ET.SubElement(entry, "author"), "name", agent.owner)
    _text(
        entry,
        "summary",
        _notice(agent)
        + f"{agent.ref} {version.version}: {version.manifest.summary}"
        + "".join(f" {line}." for line in version_changes(agent, version).lines()),
    )
    if marker:
        ET.SubElement(entry, "category", term=marker, label=_LABELS.get(marker, marker))
    for tag in version.manifest.tags:
        ET.SubElement(entry, "category", term=tag)


_LABELS = {"flagged": "Flagged by the maintainers", "deprecated": "Deprecated by its owner"}


def _notice(agent: Agent) -> str:
    """What a reader of the feed must know first: the maintainers' flag, a deprecation."""
    m = agent.moderation
    if m is not None and m.state == "flagged":
        return f"Flagged by the maintainers on {m.date}: {m.reason}. "
    if agent.manifest.deprecated:
        return f"Deprecated: {agent.manifest.deprecated.reason} "
    return ""


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = plain(text)
    return element
