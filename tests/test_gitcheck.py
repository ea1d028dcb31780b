"""`--base` and `--author`: pull-request rules, checked in real git repositories."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import Cli, GitRepo, write_agent

M = "agents/acme/harbor-bot/agent.yaml"


@pytest.fixture
def published(repo: GitRepo) -> str:
    """A catalog whose main holds acme/harbor-bot 1.2.0 (maintained by bob) and zed/tide-clock."""
    write_agent(repo.root, version="1.0.0", maintainers=["bob"])
    write_agent(repo.root, owner="zed", slug="tide-clock", name="Tide Clock")
    repo.commit("Publish harbor-bot 1.0.0")
    write_agent(repo.root, version="1.2.0", maintainers=["bob"])
    return repo.commit("Publish harbor-bot 1.2.0")


def _lines(cli: Cli, *args: str) -> tuple[int, list[str]]:
    result = cli("validate", *args)
    return result.exit_code, result.stdout.splitlines()


def test_unchanged_catalog_passes(cli: Cli, published: str) -> None:
    code, lines = _lines(cli, "--base", published, "--author", "mallory")
    assert (code, lines) == (0, ["0 agents valid"])


def test_change_without_bump(cli: Cli, published: str) -> None:
    write_agent(cli.root, version="1.2.0", maintainers=["bob"], summary="A brand new summary here.")
    code, lines = _lines(cli, "--base", published)
    assert code == 1
    assert lines == [
        f"{M}:4:10: error[version-not-bumped]: the agent changed but version 1.2.0 is still "
        "1.2.0; set version: 1.2.1 or higher",
        "1 error in 1 of 1 agent",
    ]


def test_readme_change_needs_bump_too(cli: Cli, published: str) -> None:
    (cli.root / "agents/acme/harbor-bot/README.md").write_text("# Changed\n")
    code, lines = _lines(cli, "--base", published)
    assert code == 1
    assert "[version-not-bumped]" in lines[0]


def test_version_downgrade(cli: Cli, published: str) -> None:
    write_agent(cli.root, version="1.1.9", maintainers=["bob"])
    code, lines = _lines(cli, "--base", published)
    assert code == 1
    assert lines[0] == (
        f"{M}:4:10: error[version-downgrade]: the agent changed but version 1.1.9 is lower than "
        "the published 1.2.0; set version: 1.2.1 or higher"
    )


def test_bump_passes_for_maintainer(cli: Cli, published: str) -> None:
    write_agent(cli.root, version="1.3.0", maintainers=["bob"])
    code, lines = _lines(cli, "--base", published, "--author", "Bob")
    assert (code, lines) == (0, ["1 agent valid"])


def test_stranger_cannot_change(cli: Cli, published: str) -> None:
    write_agent(cli.root, version="1.3.0", maintainers=["bob"])
    code, lines = _lines(cli, "--base", published, "--author", "mallory")
    assert code == 1
    assert lines[0] == (
        "agents/acme/harbor-bot: error[author-not-allowed]: mallory is neither the owner nor a "
        "maintainer of acme/harbor-bot; ask the owner to add you to maintainers first, or submit "
        "under agents/<your-login>/"
    )


def test_maintainer_cannot_add_himself_by_changing_maintainers(cli: Cli, published: str) -> None:
    write_agent(cli.root, version="1.3.0", maintainers=["bob", "mallory"])
    code, lines = _lines(cli, "--base", published, "--author", "mallory")
    assert code == 1
    assert "[author-not-allowed]" in lines[0]


def test_new_agent_only_under_own_login(cli: Cli, published: str) -> None:
    write_agent(cli.root, owner="acme", slug="second-bot", name="Second Bot")
    code, lines = _lines(cli, "--base", published, "--author", "mallory")
    assert code == 1
    assert lines[0] == (
        "agents/acme/second-bot: error[author-not-allowed]: mallory cannot add an agent under "
        "agents/acme/; submit it as agents/mallory/second-bot/"
    )
    code, lines = _lines(cli, "--base", published, "--author", "acme")
    assert (code, lines) == (0, ["1 agent valid"])


def test_owner_cannot_change(cli: Cli, published: str) -> None:
    write_agent(cli.root, version="1.3.0", maintainers=["bob"], owner="acme")
    text = (cli.root / M).read_text().replace("owner: acme", "owner: bob")
    (cli.root / M).write_text(text)
    code, lines = _lines(cli, "--base", published)
    assert code == 1
    assert (
        f"{M}:3:8: error[owner-changed]: owner changed from 'acme' to 'bob'; keep the owner; "
        "ownership transfers go through the maintainers" in lines
    )


def test_only_owner_deletes(cli: Cli, published: str) -> None:
    shutil.rmtree(cli.root / "agents/acme/harbor-bot")
    code, lines = _lines(cli, "--base", published, "--author", "bob")
    assert code == 1
    assert lines[0] == (
        "agents/acme/harbor-bot: error[delete-not-owner]: bob deleted acme/harbor-bot, which "
        "only acme may remove; only the owner may remove an agent; ask a maintainer to report it "
        "instead"
    )
    code, lines = _lines(cli, "--base", published, "--author", "acme")
    assert (code, lines) == (0, ["0 agents valid"])


def test_recreated_agent_cannot_reuse_a_published_version(
    cli: Cli, repo: GitRepo, published: str
) -> None:
    shutil.rmtree(cli.root / "agents/acme/harbor-bot")
    base = repo.commit("Remove harbor-bot")
    write_agent(cli.root, version="1.0.0", summary="Entirely different agent, same place.")
    code, lines = _lines(cli, "--base", base)
    assert code == 1
    assert lines[0] == (
        f"{M}:4:10: error[version-republished]: version 1.0.0 was already published with other "
        "content; choose a version that was never published"
    )


def test_usage_errors_exit_2(cli: Cli, published: str) -> None:
    result = cli("validate", "--base", "no-such-rev")
    assert result.exit_code == 2
    assert "--base no-such-rev: unknown revision" in result.output
    result = cli("validate", "--author", "bob")
    assert result.exit_code == 2
    assert "--author needs --base" in result.output


def test_base_outside_git_is_a_usage_error(cli: Cli) -> None:
    write_agent(cli.root)
    result = cli("validate", "--base", "main")
    assert result.exit_code == 2
    assert "--base needs a git repository" in result.output
