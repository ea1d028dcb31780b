"""The gate reads a pull request's commits: an earlier commit must publish nothing once merged by
rebase or fast-forward, and no commit may add a key (checks/commits.py), in real repositories."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.checks.commits import commit_problems
from generator.history.reader import read_history
from tests.conftest import CHARACTER, Cli, GitRepo, write_agent

M = "agents/acme/harbor-bot/agent.yaml"
KEY = "sk-" + "ant-" + "0" * 24  # key-shaped, built at run time so no scanner trips on it
SECRET_CHARACTER = {**CHARACTER, "adjectives": [f"uses {KEY}"]}


@pytest.fixture
def base(repo: GitRepo) -> str:
    """main holds acme/harbor-bot 1.0.0 and zed/tide-clock; the pull request branch starts."""
    write_agent(repo.root, version="1.0.0")
    write_agent(repo.root, owner="zed", slug="tide-clock", name="Tide Clock")
    sha = repo.commit("harbor-bot 1.0.0, tide-clock 1.0.0")
    repo.git("checkout", "--quiet", "-b", "pr")
    return sha


def short(repo: GitRepo, rev: str = "HEAD") -> str:
    return repo.git("rev-parse", "--short=12", rev)


def gate(cli: Cli, base: str, *paths: str) -> tuple[int, list[str]]:
    result = cli("validate", "--base", base, "--author", "acme", *paths)
    return result.exit_code, result.stdout.splitlines()


def test_a_version_only_an_earlier_commit_holds_is_refused(
    repo: GitRepo, cli: Cli, base: str
) -> None:
    write_agent(repo.root, version="1.0.1", name="Harbor Bot Official")
    first = repo.commit("1.0.1, with a name that claims authority")
    write_agent(repo.root, version="1.1.0")
    repo.commit("1.1.0 after review")
    assert gate(cli, base) == (
        1,
        [
            f"{M}:4:10: error[version-intermediate]: commit {short(repo, first)} sets version "
            "1.0.1, which this pull request does not publish in the end: merged by rebase or "
            "fast-forward, 1.0.1 would be published with files no check saw; squash the commits "
            "that set it, or set only the final version",
            "1 error in 1 of 1 agent",
        ],
    )


def test_the_gate_names_what_a_fast_forward_would_publish(repo: GitRepo, base: str) -> None:
    """Merged anyway, the history publishes exactly the commit the gate named; squashed, not."""
    write_agent(repo.root, version="1.0.1", name="Harbor Bot Official")
    first = repo.commit("1.0.1")
    write_agent(repo.root, version="1.1.0")
    repo.commit("1.1.0")
    assert [p.message[:19] for p in commit_problems(repo.root, base)] == [f"commit {first[:12]}"]
    repo.git("checkout", "--quiet", "main")
    repo.git("merge", "--quiet", "--ff-only", "pr")
    releases = read_history(repo.root).agents["acme/harbor-bot"].releases
    assert [(r.version, r.commit) for r in releases][:2] == [("1.0.0", base), ("1.0.1", first)]
    repo.git("reset", "--quiet", "--hard", base)
    repo.git("merge", "--quiet", "--squash", "pr")
    repo.commit("harbor-bot 1.1.0 (#1)")
    releases = read_history(repo.root).agents["acme/harbor-bot"].releases
    assert [r.version for r in releases] == ["1.0.0", "1.1.0"]


def test_a_version_only_yaml_reads_is_found(repo: GitRepo, base: str) -> None:
    """A manifest written as a flow mapping has no `version:` line; the history parses it."""
    write_agent(repo.root, manifest='{"name": "Harbor Bot", "owner": "acme", "version": "1.0.1"}')
    first = repo.commit("1.0.1 as JSON")
    write_agent(repo.root, version="1.1.0")
    repo.commit("1.1.0")
    assert [p.message[:45] for p in commit_problems(repo.root, base)] == [
        f"commit {first[:12]} sets version 1.0.1, which"
    ]


def test_a_published_version_with_other_files_in_an_earlier_commit_is_refused(
    repo: GitRepo, cli: Cli, base: str
) -> None:
    write_agent(repo.root, version="1.0.0", readme="# Harbor Bot\n\nUnreviewed.\n")
    first = repo.commit("README first, same version")
    write_agent(repo.root, version="1.1.0", readme="# Harbor Bot\n\nReviewed.\n")
    repo.commit("1.1.0")
    assert gate(cli, base) == (
        1,
        [
            f"{M}:4:10: error[version-intermediate]: commit {short(repo, first)} changes the agent "
            "but keeps version 1.0.0, already published: merged by rebase or fast-forward, 1.0.0 "
            "would point at files no check saw; squash the commits, or set version 1.1.0 in the "
            "first commit that changes the agent",
            "1 error in 1 of 1 agent",
        ],
    )


def test_a_removal_in_an_earlier_commit_is_refused(repo: GitRepo, cli: Cli, base: str) -> None:
    shutil.rmtree(repo.root / "agents/acme/harbor-bot")
    first = repo.commit("start over")
    write_agent(repo.root, version="1.1.0")
    repo.commit("1.1.0")
    code, lines = gate(cli, base)
    assert (code, lines[0]) == (
        1,
        f"{M}:4:10: error[version-intermediate]: commit {short(repo, first)} removes agent.yaml, "
        "which the final state keeps: merged by rebase or fast-forward, the agent's history "
        "would restart and its published versions lose their pages; squash the commits, or keep "
        "agent.yaml in every commit",
    )


def test_a_key_an_earlier_commit_adds_is_refused(repo: GitRepo, cli: Cli, base: str) -> None:
    write_agent(repo.root, version="1.1.0", character=SECRET_CHARACTER)
    first = repo.commit("1.1.0 with a key")
    write_agent(repo.root, version="1.1.0")
    repo.commit("1.1.0 without it")
    assert gate(cli, base) == (
        1,
        [
            "agents/acme/harbor-bot/character.json: error[secret-in-history]: commit "
            f"{short(repo, first)} adds an Anthropic API key (sk-ant…) at line 39: pushed commits "
            "are public, and merged or rebased this one stays in the catalog's history; revoke "
            "the key, then rewrite the branch (git rebase -i) so no commit holds it",
            "1 error in 1 of 1 agent",
        ],
    )


def test_file_names_are_read_whole(repo: GitRepo, base: str) -> None:
    """git quotes such names in its plain output; -z gives them as they are."""
    notes = repo.root / "agents/acme/harbor-bot/notes\tété.md"
    notes.write_text(f"token {KEY}\n", "utf-8")
    first = repo.commit("notes")
    notes.unlink()
    repo.commit("no notes")
    assert [p.text() for p in commit_problems(repo.root, base)] == [
        "agents/acme/harbor-bot/notes\\tété.md: error[secret-in-history]: commit "
        f"{short(repo, first)} adds an Anthropic API key (sk-ant…) at line 1: pushed commits "
        "are public, and merged or rebased this one stays in the catalog's history; revoke the "
        "key, then rewrite the branch (git rebase -i) so no commit holds it"
    ]


def test_a_key_in_a_merge_resolution_is_found(repo: GitRepo, base: str) -> None:
    """A merge's own changes (what differs from every parent) are scanned; what it brings from
    a parent was scanned in that parent's commit."""
    write_agent(repo.root, version="1.1.0")
    repo.commit("1.1.0")
    repo.git("checkout", "--quiet", "main")
    write_agent(repo.root, owner="zed", slug="tide-clock", name="Tide Clock", version="1.0.1")
    repo.commit("tide-clock 1.0.1")
    repo.git("checkout", "--quiet", "pr")
    repo.git("merge", "--quiet", "--no-commit", "main")
    write_agent(repo.root, version="1.1.0", readme=f"# Harbor Bot\n\n{KEY}\n")
    merge = repo.commit("Merge main")
    write_agent(repo.root, version="1.1.0")
    repo.commit("drop the key")
    assert [(p.path, p.rule, p.message[:19]) for p in commit_problems(repo.root, base)] == [
        ("agents/acme/harbor-bot/README.md", "secret-in-history", f"commit {short(repo, merge)}")
    ]


def test_a_pull_request_whose_commits_publish_only_its_final_state_passes(
    repo: GitRepo, cli: Cli, base: str
) -> None:
    write_agent(repo.root, version="1.1.0", summary="Draft summary, fixed in the next commit.")
    repo.commit("1.1.0 draft")
    write_agent(repo.root, version="1.1.0")
    repo.commit("1.1.0")
    shutil.rmtree(repo.root / "agents/zed/tide-clock")
    write_agent(repo.root, owner="zed", slug="tide-clock", name="Tide Clock")
    repo.commit("tide-clock rewritten as it was")
    assert commit_problems(repo.root, base) == []
    assert gate(cli, base) == (0, ["1 agent valid"])


def test_only_the_agents_asked_for(repo: GitRepo, cli: Cli, base: str) -> None:
    write_agent(repo.root, version="1.0.1")
    repo.commit("1.0.1")
    write_agent(repo.root, version="1.1.0")
    write_agent(repo.root, owner="zed", slug="tide-clock", name="Tide Clock", version="1.0.1")
    repo.commit("1.1.0; tide-clock 1.0.1")
    assert [p.rule for p in commit_problems(repo.root, base)] == ["version-intermediate"]
    assert commit_problems(repo.root, base, only=[("zed", "tide-clock")]) == []


@pytest.mark.parametrize("commits", [2, 12])
def test_a_fixed_number_of_git_processes(
    repo: GitRepo, base: str, commits: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(commits):
        write_agent(repo.root, version=f"1.1.{n}", readme=f"# Harbor Bot\n\nDraft {n}.\n")
        write_agent(repo.root, owner="zed", slug="tide-clock", name="Tide Clock", version="1.0.1")
        repo.commit(f"draft {n}")
    trace = tmp_path / "trace.txt"
    monkeypatch.setitem(os.environ, "GIT_TRACE", str(trace))
    found = commit_problems(repo.root, base)
    assert len(found) == commits - 1
    started = [line for line in trace.read_text().splitlines() if "trace: built-in: git" in line]
    assert [line.split("built-in: git ")[1].split()[0] for line in started] == [
        "rev-parse",
        "log",
        "ls-tree",
        "ls-tree",
        "cat-file",
    ]


def test_the_merge_result_github_checks_out(repo: GitRepo, cli: Cli, base: str) -> None:
    """The validate workflow checks out the pull request merged into its base (a merge commit
    that is never published): the pull request's own commits are still read."""
    write_agent(repo.root, version="1.0.1")
    first = repo.commit("1.0.1")
    write_agent(repo.root, version="1.1.0")
    repo.commit("1.1.0")
    repo.git("checkout", "--quiet", "main")
    write_agent(repo.root, owner="zed", slug="tide-clock", name="Tide Clock", version="1.0.1")
    merged_base = repo.commit("tide-clock 1.0.1, merged meanwhile")
    repo.git("checkout", "--quiet", "--detach")
    repo.git("merge", "--quiet", "--no-ff", "-m", "Merge pr into main", "pr")
    assert [(p.path, p.line, p.message[:19]) for p in commit_problems(repo.root, merged_base)] == [
        (M, 4, f"commit {short(repo, first)}")
    ]


def test_a_catalog_in_a_subfolder(tmp_path: Path) -> None:
    """Paths are the catalog root's, as every other problem's."""
    top = GitRepo(tmp_path / "top")
    (top.root / "catalog").mkdir(parents=True)
    top.git("init", "--quiet", "--initial-branch=main")
    write_agent(top.root / "catalog", version="1.0.0")
    base = top.commit("1.0.0")
    write_agent(top.root / "catalog", version="1.0.1")
    top.commit("1.0.1")
    write_agent(top.root / "catalog", version="1.1.0")
    top.commit("1.1.0")
    assert [(p.path, p.line, p.col) for p in commit_problems(top.root / "catalog", base)] == [
        (M, 4, 10)
    ]
