"""The "Submit an agent" page: its new-file link opens GitHub's editor on a starter manifest that
becomes valid once the placeholders are replaced, and stays under 2,000 characters."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml

from generator.catalog.model import Site
from generator.flows.submit import MAX_URL, STARTER_PATH, new_file_url, pages, submit_page
from tests.conftest import Cli

SITE = Site("https://agents.example.org/catalog/", "https://github.com/example-org/agents-catalog")


def test_new_file_link_opens_the_starter_manifest() -> None:
    url = new_file_url(SITE)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://github.com/example-org/agents-catalog/new/main"
    )
    query = parse_qs(parts.query)
    assert query["filename"] == [STARTER_PATH] == ["agents/YOUR-LOGIN/your-agent/agent.yaml"]
    starter = query["value"][0]
    assert starter.splitlines()[0].startswith("# yaml-language-server: $schema=")
    assert "https://agents.example.org/catalog/reference/manifest/" in starter
    assert 0 < len(url) <= MAX_URL


def test_the_starter_validates_once_placed(cli: Cli) -> None:
    starter = parse_qs(urlsplit(new_file_url(SITE)).query)["value"][0]
    folder = cli.root / "agents/your-login/your-agent"
    folder.mkdir(parents=True)
    (folder / "agent.yaml").write_text(starter, "utf-8")
    (folder / "character.json").write_text('{"name": "Your Agent", "bio": ["Helps."]}', "utf-8")
    (folder / "README.md").write_text("# Your Agent\n", "utf-8")
    assert yaml.safe_load(starter)["owner"] == "your-login"
    result = cli("validate")  # valid; its summary is a placeholder (an error at the gate)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "agents/your-login/your-agent/agent.yaml:5:10: warning[placeholder-text]: 'One line "
        "saying what your agent does for people.' is placeholder text from a starter file; "
        "replace it with your own words",
        "1 warning in 1 of 1 agent",
    ]


def test_submit_page_links_the_reference_the_policy_and_github() -> None:
    page = submit_page(SITE)
    assert f"]({new_file_url(SITE)})" in page
    for link in ("](reference/manifest.md)", "](reference/rules.md)", "](policy.md)"):
        assert link in page
    assert "catalog new" in page and "catalog fork" in page
    assert "uploadpack.allowFilter" in page


def test_page_is_generated_only_when_mkdocs_names_the_site(tmp_path: Path) -> None:
    assert pages(tmp_path) == {}
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Test\nsite_url: https://agents.example.org/catalog/\n"
        "repo_url: https://github.com/example-org/agents-catalog\n",
        "utf-8",
    )
    assert pages(tmp_path) == {"catalog/submit.md": submit_page(SITE)}
