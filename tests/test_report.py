"""The report link: GitHub's new-issue page with the report form filled in for one agent version."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import yaml

from generator.catalog.model import Agent, PublishedVersion, Site
from generator.checks.manifest import Manifest
from generator.flows.report import MAX_URL, REPORT_FORM, report_url
from tests.conftest import MANIFEST, REPO

SITE = Site("https://agents.example.org/", "https://github.com/example-org/agents-catalog")
FORM = REPO / ".github" / "ISSUE_TEMPLATE" / REPORT_FORM


def agent(owner: str, slug: str, version: str) -> tuple[Agent, PublishedVersion]:
    manifest = Manifest.model_validate({**MANIFEST, "owner": owner, "version": version})
    when = datetime(2026, 1, 1, tzinfo=UTC)
    pinned = PublishedVersion(version, "a" * 40, when, manifest, {}, None)
    return Agent(owner, slug, manifest, {}, None, when, when, "a" * 40, (pinned,)), pinned


def form_ids(path: Path) -> set[str]:
    return {f["id"] for f in yaml.safe_load(path.read_text("utf-8"))["body"] if "id" in f}


def test_report_url_opens_the_form_with_agent_and_version() -> None:
    url = report_url(SITE, *agent("harbor-labs", "harbor-pilot", "1.2.0"))
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://github.com/example-org/agents-catalog/issues/new"
    )
    assert parse_qs(parts.query) == {
        "template": ["report-agent.yml"],
        "title": ["Report: harbor-labs/harbor-pilot@1.2.0"],
        "agent": ["harbor-labs/harbor-pilot"],
        "version": ["1.2.0"],
    }
    assert "labels=" not in url  # GitHub answers 404 to visitors without triage rights


def test_report_url_parameters_are_fields_of_the_form() -> None:
    query = parse_qs(urlsplit(report_url(SITE, *agent("acme", "bot-one", "1.0.0"))).query)
    assert set(query) - {"template", "title"} <= form_ids(FORM)
    assert FORM.is_file()


def test_report_url_stays_short_and_encoded() -> None:
    longest = agent("a" * 39, "b" * 40, "1.0.0-" + "x" * 58)
    url = report_url(SITE, *longest)
    assert len(url) <= MAX_URL
    assert " " not in url and "@" not in urlsplit(url).query


def test_report_url_is_what_urlencode_gives() -> None:
    """The per-agent quoting shortcut changes nothing: same bytes as urlencode of the fields."""
    for site in (SITE, Site("https://x.example/", "https://github.com/o/r/")):
        for version in ("1.0.0", "2.0.0-rc.1+build.7"):
            a, pinned = agent("acme", "bot-one", version)
            fields = {
                "template": REPORT_FORM,
                "title": f"Report: acme/bot-one@{version}",
                "agent": "acme/bot-one",
                "version": version,
            }
            expected = site.repo_url.rstrip("/") + "/issues/new?"
            assert report_url(site, a, pinned) == expected + urlencode(fields, quote_via=quote)
