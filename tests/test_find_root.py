"""`catalog` run from a subfolder finds the repository root: the nearest folder, from the working
directory up, holding agents/ and mkdocs.yml (issue 12); an explicit --root is taken as given."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli.base import find_root
from tests.conftest import SETTINGS, Cli, write_agent


@pytest.fixture
def repo_root(tmp_path: Path) -> Path:
    root = tmp_path / "catalog repo"
    (root / "agents").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(SETTINGS, "utf-8")
    write_agent(root)
    write_agent(root, owner="zed", slug="tide-clock", name="Tide Clock")
    return root


def test_validate_from_an_agent_folder_checks_the_whole_catalog(repo_root: Path) -> None:
    here = Cli(repo_root / "agents/acme/harbor-bot")
    assert here("validate").stdout == "2 agents valid\n"
    assert here("validate", ".").stdout == "1 agent valid\n"


def test_new_from_a_subfolder_writes_into_the_catalog(repo_root: Path) -> None:
    result = Cli(repo_root / "agents/zed")("new", "octo-cat/harbor-clock")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "next: edit the files, then run: catalog validate ../../agents/octo-cat/harbor-clock"
    )
    assert (repo_root / "agents/octo-cat/harbor-clock/agent.yaml").is_file()


def test_the_generated_agents_pages_are_not_taken_for_the_catalog(repo_root: Path) -> None:
    """catalog/ holds a generated agents/ folder but no mkdocs.yml: the root is one level up."""
    pages = repo_root / "catalog" / "agents" / "acme" / "harbor-bot"
    pages.mkdir(parents=True)
    (pages / "index.md").write_text("# Harbor Bot\n", "utf-8")
    assert find_root(repo_root / "catalog") == Path("..")
    assert Cli(repo_root / "catalog")("validate").stdout == "2 agents valid\n"


def test_outside_any_catalog_the_working_directory_is_the_root(tmp_path: Path) -> None:
    assert find_root(tmp_path) == Path(".")
    result = Cli(tmp_path)("validate")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        "Error: no agents/ folder in .",
    )


def test_an_explicit_root_is_unchanged(repo_root: Path) -> None:
    result = Cli(repo_root / "agents/acme")("validate", "--root", ".")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        "Error: no agents/ folder in .",
    )
    assert Cli(repo_root / "agents/acme")("validate", "--root", "../..").exit_code == 0
