"""Catalog -> a small SVG badge per agent (`agents/<owner>/<slug>/badge.svg`) for READMEs.

A badge says the version (or the state) and not whose it is: the README that shows it, and the
link around it, say that. So agents at the same version have byte-identical badges, which the
site stores once (site-config/hooks/linked_files.py: 41 MB of 4 KB blocks less at 10,000
agents, catalog/performance.md); each agent's address still answers with its badge.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from generator.catalog.model import Agent

LABEL = "agents catalog"
COLORS = {"ok": "#4051b5", "deprecated": "#e37400", "flagged": "#c62828", "delisted": "#6b6b6b"}
# Verdana 11px averages about 6.5 px a character; badges need not be exact.
CHAR_WIDTH = 6.5
PAD = 10

TEMPLATE = """<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" \
aria-label={aria}>
<title>{title}</title>
<rect width="{left}" height="20" fill="#555"/>
<rect x="{left}" width="{right}" height="20" fill="{color}"/>
<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
<text x="{lx}" y="14">{label}</text>
<text x="{rx}" y="14">{value}</text>
</g>
</svg>
"""


def badge(agent: Agent) -> tuple[str, str]:
    """Path and SVG text of the agent's badge: its version, or its state when not plain."""
    state = _state(agent)
    value = f"v{agent.manifest.version}" if state == "ok" else state
    left = round(len(LABEL) * CHAR_WIDTH) + PAD
    right = round(len(value) * CHAR_WIDTH) + PAD
    title = f"{value} in the {LABEL}"
    svg = TEMPLATE.format(
        width=left + right,
        left=left,
        right=right,
        color=COLORS[state],
        lx=left / 2,
        rx=left + right / 2,
        label=escape(LABEL),
        value=escape(value),
        title=escape(title),
        aria=quoteattr(title),
    )
    return f"{agent.path}badge.svg", svg


def _state(agent: Agent) -> str:
    if agent.moderation and agent.moderation.state in ("flagged", "delisted"):
        return agent.moderation.state
    return "deprecated" if agent.manifest.deprecated else "ok"
