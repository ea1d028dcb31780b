"""Catalog -> `feed.xml`, an Atom feed (RFC 4287) of the newest published versions."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.catalog.model import Agent, Catalog, PublishedVersion
from generator.site.api import iso
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
    _text(entry, "title", f"{version.manifest.name} {version.version}")
    ET.SubElement(entry, "link", rel="alternate", href=url)
    _text(entry, "updated", iso(version.date))
    _text(entry, "published", iso(version.date))
    _text(ET.SubElement(entry, "author"), "name", agent.owner)
    _text(entry, "summary", f"{agent.ref} {version.version}: {version.manifest.summary}")
    for tag in version.manifest.tags:
        ET.SubElement(entry, "category", term=tag)


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = plain(text)
    return element
