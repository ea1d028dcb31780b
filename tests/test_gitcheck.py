"""`--base` and `--author`: pull-request rules, checked in real git repositories."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

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


# Every path of a pull request (checks/paths.py): opened as a real branch, judged against main.

NOT_MINE = (
    "change only your agents (agents/acme/<slug>/ or agents you maintain); propose changes to "
    "the catalog itself in an issue"
)
REVIEW = "another catalog maintainer (a code owner) reviews and approves the pull request"
GITLINK = (
    "error[gitlink]: is a git submodule entry (gitlink): its files live in another repository, "
    "where no check sees them; commit the files themselves: git rm --cached PATH, then add the "
    "folder's files"
)
GIT_FILE = "take it out of the pull request: restore the base's file, or delete the new one"
ATTRIBUTES = (
    "git attributes change how files are checked out and read (filters, line endings, "
    f"encodings, export-ignore); {GIT_FILE}"
)


def _open_pr(repo: GitRepo) -> None:
    repo.git("checkout", "--quiet", "-b", "pr")


def _bump(root: Path) -> None:
    """acme's own change to harbor-bot, valid on its own."""
    write_agent(root, version="1.3.0", maintainers=["bob"])


def test_file_names_are_read_whole_whatever_they_hold(
    cli: Cli, repo: GitRepo, published: str
) -> None:
    """git quotes such names without -z: the gate used to crash on them with a traceback."""
    _open_pr(repo)
    _bump(cli.root)
    (cli.root / 'agents/acme/harbor-bot/résumé "q"\n.md').write_text("x")
    (cli.root / "notes").mkdir()
    (cli.root / "notes/naïve plan.md").write_text("x")
    repo.commit("Odd names")
    code, lines = _lines(cli, "--base", published, "--author", "acme")
    assert code == 1
    assert lines == [
        'agents/acme/harbor-bot/résumé "q"\\n.md: error[file-type]: unexpected file '
        "'résumé \"q\"\\n.md'; remove the file; only manifest, character, README and LICENSE "
        "are published",
        f"notes/naïve plan.md: error[path-not-allowed]: acme adds a file outside agent folders; "
        f"{NOT_MINE}",
        "2 errors in 1 of 1 agent and notes/naïve plan.md",
    ]
    result = cli("validate", "--base", published, "--author", "acme", "--format", "github")
    assert result.stdout.splitlines()[0] == (
        '::error file=agents/acme/harbor-bot/résumé "q"%0A.md,title=file-type::unexpected file '
        "'résumé \"q\"\\n.md'; remove the file; only manifest, character, README and LICENSE "
        "are published"
    )


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that keeps any bytes")
def test_a_name_that_is_not_utf8_is_shown_escaped(cli: Cli, repo: GitRepo, published: str) -> None:
    _open_pr(repo)
    with open(os.fsencode(cli.root) + b"/n\xffe.txt", "w") as file:
        file.write("x")
    repo.commit("Bytes")
    code, lines = _lines(cli, "--base", published, "--author", "acme")
    assert (code, lines) == (
        1,
        [
            f"n\\xffe.txt: error[path-not-allowed]: acme adds a file outside agent folders; "
            f"{NOT_MINE}",
            "1 error in n\\xffe.txt",
        ],
    )
    doc = json.loads(cli("validate", "--base", published, "--format", "json").stdout)
    assert doc["problems"] == []
    doc = json.loads(
        cli("validate", "--base", published, "--author", "acme", "--format", "json").stdout
    )
    # json keeps the name's undecodable byte as its surrogate escape: os.fsencode gives it back
    assert [p["path"] for p in doc["problems"]] == ["n\udcffe.txt"]


def test_gitlinks_are_refused_anywhere_even_from_a_maintainer(
    cli: Cli, repo: GitRepo, published: str
) -> None:
    _open_pr(repo)
    _bump(cli.root)
    repo.git("add", "-A")
    for path in ("agents/acme/harbor-bot/vendored", "vendor"):
        repo.git("update-index", "--add", "--cacheinfo", f"160000,{published},{path}")
    repo.git("commit", "--quiet", "-m", "Add submodules")  # add -A would drop them again
    code, lines = _lines(cli, "--base", published, "--author", "acme", "--maintainer")
    assert code == 1
    assert lines == [
        f"agents/acme/harbor-bot/vendored: {GITLINK}",
        f"vendor: {GITLINK}",
        "2 errors in 1 of 1 agent and vendor",
    ]


def test_a_nested_repository_is_a_gitlink_before_it_is_added(
    cli: Cli, repo: GitRepo, published: str
) -> None:
    _bump(cli.root)
    nested = cli.root / "agents/acme/harbor-bot/tools"
    nested.mkdir()
    GitRepo(nested).git("init", "--quiet")
    code, lines = _lines(cli, "--base", published)
    assert code == 1
    assert lines == [
        "agents/acme/harbor-bot/tools: error[file-type]: subfolders are not allowed in an agent "
        "folder; remove the file; only manifest, character, README and LICENSE are published",
        f"agents/acme/harbor-bot/tools: {GITLINK}",
        "2 errors in 1 of 1 agent",
    ]


@pytest.mark.parametrize("author", [["--author", "acme"], ["--author", "acme", "--maintainer"]])
def test_git_level_files_are_refused_even_from_a_maintainer(
    cli: Cli, repo: GitRepo, published: str, author: list[str]
) -> None:
    _open_pr(repo)
    _bump(cli.root)
    (cli.root / ".gitattributes").write_text("agents/** filter=lfs\n")
    (cli.root / ".gitmodules").write_text('[submodule "x"]\n\tpath = x\n')
    (cli.root / "agents/acme/harbor-bot/.gitignore").write_text("*.log\n")
    (cli.root / "agents/acme/.gitkeep").write_text("")
    repo.commit("Git settings")
    code, lines = _lines(cli, "--base", published, *author)
    outside = (
        f"notice[needs-maintainer]: acme, a catalog maintainer, adds a file outside agent "
        f"folders; {REVIEW}"
        if "--maintainer" in author
        else f"error[path-not-allowed]: acme adds a file outside agent folders; {NOT_MINE}"
    )
    assert code == 1
    assert lines == [
        f".gitattributes: error[git-file]: this pull request adds .gitattributes: {ATTRIBUTES}",
        ".gitmodules: error[git-file]: this pull request adds .gitmodules: it declares git "
        f"submodules, whose files no check ever sees; {GIT_FILE}",
        f"agents/acme/.gitkeep: {outside}",
        "agents/acme/harbor-bot/.gitignore: error[file-type]: unexpected file '.gitignore'; "
        "remove the file; only manifest, character, README and LICENSE are published",
        "agents/acme/harbor-bot/.gitignore: error[git-file]: this pull request adds .gitignore: "
        f"git reads it (ignore rules and the like), and an agent folder holds only agent files; "
        f"{GIT_FILE}",
        lines[-1],
    ]


def test_deleting_git_attributes_is_refused_too(cli: Cli, repo: GitRepo) -> None:
    write_agent(cli.root)
    (cli.root / ".gitattributes").write_text("* text=auto\n")
    base = repo.commit("Base with attributes")
    (cli.root / ".gitattributes").unlink()
    code, lines = _lines(cli, "--base", base)
    assert (code, lines) == (
        1,
        [
            f".gitattributes: error[git-file]: this pull request deletes .gitattributes: "
            f"{ATTRIBUTES}",
            "1 error in .gitattributes",
        ],
    )


@pytest.mark.parametrize(
    "path", ["moderation.yaml", "generator/cli.py", ".github/CODEOWNERS", "agents/README.md"]
)
def test_outside_agent_folders_an_author_is_refused_and_a_maintainer_reviewed(
    cli: Cli, repo: GitRepo, published: str, path: str
) -> None:
    (cli.root / path).parent.mkdir(parents=True, exist_ok=True)
    (cli.root / path).write_text("")
    base = repo.commit("Base")
    _open_pr(repo)
    (cli.root / path).write_text("# changed\n")
    repo.commit("Change the catalog")
    code, lines = _lines(cli, "--base", base, "--author", "Mallory")
    assert (code, lines) == (
        1,
        [
            f"{path}: error[path-not-allowed]: mallory changes a file outside agent folders; "
            "change only your agents (agents/mallory/<slug>/ or agents you maintain); propose "
            "changes to the catalog itself in an issue",
            f"1 error in {path}",
        ],
    )
    code, lines = _lines(cli, "--base", base, "--author", "alice", "--maintainer")
    assert (code, lines) == (
        0,
        [
            f"{path}: notice[needs-maintainer]: alice, a catalog maintainer, changes a file "
            f"outside agent folders; {REVIEW}",
            "0 agents valid, 1 notice",
        ],
    )
    result = cli(
        "validate", "--base", base, "--author", "alice", "--maintainer", "--format", "github"
    )
    assert result.stdout.splitlines()[0] == (
        f"::notice file={path},title=needs-maintainer::alice, a catalog maintainer, changes a "
        f"file outside agent folders; {REVIEW}"
    )
    doc = json.loads(
        cli(
            "validate", "--base", base, "--author", "alice", "--maintainer", "--format", "json"
        ).stdout
    )
    assert (doc["errors"], doc["warnings"], doc["notices"]) == (0, 0, 1)


def test_without_an_author_only_git_level_paths_are_judged(
    cli: Cli, repo: GitRepo, published: str
) -> None:
    (cli.root / "moderation.yaml").write_text("")
    os.symlink("/etc/passwd", cli.root / "passwd")
    code, lines = _lines(cli, "--base", published)
    assert (code, lines) == (
        1,
        [
            "passwd: error[symlink]: is a symbolic link; commit the file itself; links are "
            "never followed",
            "1 error in passwd",
        ],
    )


def test_a_symlink_in_an_agent_folder_is_reported_once(
    cli: Cli, repo: GitRepo, published: str
) -> None:
    _bump(cli.root)
    os.symlink("/etc/passwd", cli.root / "agents/acme/harbor-bot/LICENSE")
    code, lines = _lines(cli, "--base", published, "--author", "acme", "--maintainer")
    assert (code, lines) == (
        1,
        [
            "agents/acme/harbor-bot/LICENSE: error[symlink]: is a symbolic link; commit the "
            "file itself; links are never followed",
            "1 error in 1 of 1 agent",
        ],
    )


def test_maintainer_needs_author(cli: Cli, published: str) -> None:
    result = cli("validate", "--base", published, "--maintainer")
    assert result.exit_code == 2
    assert "--maintainer needs --author" in result.output


# Catalog-wide rules at pull-request time: what a deleted or moved agent leaves dangling.

FLAG = """acme/harbor-bot:
  state: flagged
  reason: Under review for a report.
  issue: https://github.com/elizaos-community/agents/issues/1
  date: 2026-01-02
"""
TIDE = "agents/zed/tide-clock/agent.yaml:10:14: error[forked-from-unknown]: forked_from "
OLD = "agents/zed/old-clock/agent.yaml:12:16: error[replacement-unknown]: replacement "
GONE = ": this pull request deletes or moves it; deprecate acme/harbor-bot instead of deleting it"
DANGLING = [
    f"{OLD}'acme/harbor-bot' is not an agent of the catalog{GONE}, or ask zed to change the "
    "replacement first",
    f"{TIDE}'acme/harbor-bot' is not an agent of the catalog{GONE}, or ask zed to update "
    "forked_from first",
    "moderation.yaml:1:1: error[moderation-unknown-agent]: acme/harbor-bot has no folder under "
    "agents/: this pull request deletes or moves it; keep the agent (deprecate it instead of "
    "deleting it), or ask a catalog maintainer to remove the acme/harbor-bot entry in the same "
    "pull request",
]


@pytest.fixture
def referenced(repo: GitRepo) -> str:
    """main: acme/harbor-bot, which zed/tide-clock forks, zed/old-clock names as its
    replacement and moderation.yaml flags."""
    write_agent(repo.root)
    write_agent(
        repo.root,
        owner="zed",
        slug="tide-clock",
        name="Tide Clock",
        forked_from="acme/harbor-bot@1.0.0",
    )
    write_agent(
        repo.root,
        owner="zed",
        slug="old-clock",
        name="Old Clock",
        deprecated={"reason": "Superseded by the harbor bot.", "replacement": "acme/harbor-bot"},
    )
    (repo.root / "moderation.yaml").write_text(FLAG)
    return repo.commit("Publish")


def _located(cli: Cli, *args: str) -> list[tuple[str, int, int, str]]:
    doc = json.loads(cli("validate", *args, "--format", "json").stdout)
    return [(p["path"], p["line"], p["col"], p["rule"]) for p in doc["problems"]]


def _merge(repo: GitRepo) -> None:
    repo.git("checkout", "--quiet", "main")
    repo.git("merge", "--quiet", "--no-ff", "-m", "Merge pull request", "pr")


@pytest.mark.parametrize("move", [False, True], ids=["delete", "rename"])
def test_removing_a_referenced_agent_fails_the_gate_as_it_would_fail_main(
    cli: Cli, repo: GitRepo, referenced: str, move: bool
) -> None:
    _open_pr(repo)
    if move:
        repo.git("mv", "agents/acme/harbor-bot", "agents/acme/harbor-pilot")
    else:
        repo.git("rm", "-r", "--quiet", "agents/acme/harbor-bot")
    repo.commit("Move harbor-bot" if move else "Remove harbor-bot")
    code, lines = _lines(cli, "--base", referenced, "--author", "acme")
    checked = 3 if move else 2  # the referencing agents, and harbor-pilot when moved
    assert (code, lines) == (
        1,
        [*DANGLING, f"3 errors in 2 of {checked} agents and moderation.yaml"],
    )
    gate = _located(cli, "--base", referenced, "--author", "acme")
    _merge(repo)
    code, lines = _lines(cli)
    assert code == 1
    assert lines == [
        f"{OLD}'acme/harbor-bot' is not an agent of the catalog; point it at an existing "
        "owner/slug",
        f"{TIDE}'acme/harbor-bot' is not an agent of the catalog; point forked_from at an "
        "existing agent and published version",
        "moderation.yaml:1:1: error[moderation-unknown-agent]: acme/harbor-bot has no folder "
        "under agents/; fix the owner/slug, or remove the entry",
        f"3 errors in 2 of {checked} agents and moderation.yaml",
    ]
    assert _located(cli) == gate


def test_removing_an_agent_with_its_own_fork_passes(cli: Cli, repo: GitRepo) -> None:
    write_agent(cli.root)
    write_agent(
        cli.root, slug="harbor-fork", name="Harbor Fork", forked_from="acme/harbor-bot@1.0.0"
    )
    write_agent(cli.root, owner="zed", slug="tide-clock", name="Tide Clock")
    base = repo.commit("Publish")
    _open_pr(repo)
    repo.git("rm", "-r", "--quiet", "agents/acme")
    repo.commit("Remove both")
    assert _lines(cli, "--base", base, "--author", "acme") == (0, ["0 agents valid"])
    _merge(repo)
    assert cli("validate").stdout == "1 agent valid\n"
