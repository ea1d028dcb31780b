"""The "Report" link on every agent page: GitHub's new-issue page with the report form prefilled.

GitHub fills an issue form's fields from URL parameters named by the fields' ids
(`.github/ISSUE_TEMPLATE/report-agent.yml`: `agent`, `version`). The labels are set in the form
itself: a `labels=` parameter makes GitHub answer 404 to visitors without triage rights.
"""

from __future__ import annotations

import functools
from urllib.parse import quote, urlencode

from generator.catalog.model import Agent, PublishedVersion, Site

REPORT_FORM = "report-agent.yml"
MAX_URL = 2000
"""Longest URL we emit; browsers and proxies are safe below this."""


def report_url(site: Site, agent: Agent, version: PublishedVersion) -> str:
    """The prefilled report form for `agent` at `version` (what `urlencode` of the template,
    title, agent and version gives, built from the agent's part quoted once)."""
    v = quote(version.version, safe="")
    head, ref = _quoted(site.repo_url, agent.ref)
    return f"{head}&title=Report%3A%20{ref}%40{v}&agent={ref}&version={v}"


@functools.lru_cache(maxsize=1 << 14)
def _quoted(repo_url: str, ref: str) -> tuple[str, str]:
    head = f"{repo_url.rstrip('/')}/issues/new?{urlencode({'template': REPORT_FORM})}"
    return head, quote(ref, safe="")
