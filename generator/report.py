"""The "Report" link on every agent page: GitHub's new-issue page with the report form prefilled.

GitHub fills an issue form's fields from URL parameters named by the fields' ids
(`.github/ISSUE_TEMPLATE/report-agent.yml`: `agent`, `version`). The labels are set in the form
itself: a `labels=` parameter makes GitHub answer 404 to visitors without triage rights.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from .catalog import Agent, PublishedVersion, Site

REPORT_FORM = "report-agent.yml"
MAX_URL = 2000
"""Longest URL we emit; browsers and proxies are safe below this."""


def report_url(site: Site, agent: Agent, version: PublishedVersion) -> str:
    """The prefilled report form for `agent` at `version`."""
    params = {
        "template": REPORT_FORM,
        "title": f"Report: {agent.ref}@{version.version}",
        "agent": agent.ref,
        "version": version.version,
    }
    return f"{site.repo_url.rstrip('/')}/issues/new?{urlencode(params, quote_via=quote)}"
