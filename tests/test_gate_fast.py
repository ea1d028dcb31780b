"""The gate's fast path (a proven-green base, a change inside agent folders) against its full
path: for every change, the same verdict and the same errors, in real git repositories.

The fast path judges only what a change touches (generator/gate.py); the full path loads and
renders the whole catalog as the build does. Each test proves the base green with a full gate
of its clean tree, makes a change, then runs both paths on the same tree and compares them:
verdict, error lines, and that every line of the fast path is one of the full path's (the full
path also prints the warnings of agents the change does not touch).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.synth import copy_site_sources
from generator.checks.change import open_repo, read_changes
from generator.checks.problems import Problem
from generator.gate import Verdict, judge
from generator.gate import read_changes as read_changes_side_by_side
from generator.history.reader import read_history
from generator.history.slice import read_slice
from generator.site import green
from tests.conftest import CHARACTER, REPO, Cli, GitRepo, new_catalog, write_agent

Change = Callable[[Path], None]
RECORD = "kind: org\nname: Harbor Labs\nmembers: [{login: acme, role: admin}]\n"


def _seed(root: Path) -> GitRepo:
    """A base catalog: a forked agent, an org namespace, a record-only org; committed."""
    repo = GitRepo(new_catalog(root))
    repo.git("init", "--quiet", "--initial-branch=main")
    write_agent(root)
    write_agent(
        root,
        owner="zed",
        slug="tide-clock",
        name="Tide Clock",
        forked_from="acme/harbor-bot@1.0.0",
    )
    write_agent(root, owner="harbor-labs", slug="quay-guide", name="Quay Guide")
    (root / "owners").mkdir()
    (root / "owners/harbor-labs.yaml").write_text(RECORD, "utf-8")
    (root / "owners/reef-labs.yaml").write_text(RECORD.replace("Harbor", "Reef"), "utf-8")
    repo.commit("Seed the catalog")
    write_agent(root, version="1.0.1", summary="Answers harbor questions, and tides.")
    repo.commit("Harbor Bot 1.0.1")
    return repo


def _prove(repo: GitRepo) -> str:
    """Prove HEAD green the way a user does: the full gate of its clean tree."""
    head = repo.git("rev-parse", "HEAD")
    verdict = judge(repo.root, head, None)
    assert verdict.report.ok, verdict.report.problems
    assert verdict.proof is None  # nothing proven yet: the full path judged, and proved HEAD
    assert green.proven(repo.root, head) is not None
    return head


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One proven base, copied for each test (a proof travels with its git folder)."""
    root = tmp_path_factory.mktemp("seeded") / "catalog"
    _prove(_seed(root))
    return root


def _copy(seeded: Path, to: Path) -> GitRepo:
    shutil.copytree(seeded, to, symlinks=True)
    repo = GitRepo(to)
    repo.day = 5
    return repo


def _errors(verdict: Verdict) -> list[Problem]:
    return sorted(p for p in verdict.report.problems if p.severity == "error")


def _both(
    root: Path, author: str | None = "acme", base: str = "main", maintainer: bool = False
) -> tuple[Verdict, Verdict]:
    """The fast and the full path on the same tree; they must agree."""
    fast = judge(root, base, author, maintainer=maintainer)
    full = judge(root, base, author, maintainer=maintainer, fast=False)
    assert fast.report.ok == full.report.ok
    assert _errors(fast) == _errors(full)
    assert set(fast.report.problems) <= set(full.report.problems)
    return fast, full


def _bump(root: Path) -> None:
    write_agent(root, version="1.1.0", summary="Answers harbor questions, now faster.")


def _add(name: str = "Reef Reader", slug: str = "reef-reader", **changes: object) -> Change:
    def change(root: Path) -> None:
        character = {**CHARACTER, "name": name}
        write_agent(root, slug=slug, name=name, character=character, **changes)

    return change


def _readme(root: Path) -> None:
    hostile = "[" * 4_096 + "\n\n" + "![\n" * 1_000 + ">" * 1_000 + " deep\n\n" + "*a " * 1_000
    (root / "agents/acme/harbor-bot/README.md").write_text(hostile, "utf-8")
    write_agent(root, version="1.1.0", readme=None)


def _secret(root: Path) -> None:
    leaked = {**CHARACTER, "settings": {"secrets": {"OPENAI_API_KEY": "sk-" + "Ab3" * 16}}}
    write_agent(root, version="1.1.0", character=leaked)


def _delete(ref: str) -> Change:
    return lambda root: shutil.rmtree(root / "agents" / ref)


def _quay(root: Path) -> None:
    write_agent(root, owner="harbor-labs", slug="quay-guide", name="Quay Guide", version="1.1.0")


def _record(root: Path) -> None:
    (root / "owners/harbor-labs.yaml").write_text(RECORD.replace("Labs", "Labs Ltd"), "utf-8")


def _moderation(root: Path) -> None:
    entry = "state: flagged\n  reason: Reported.\n  issue: https://example.org/1\n"
    (root / "moderation.yaml").write_text(f"acme/harbor-bot:\n  {entry}  date: 2026-01-02\n")


FAST: dict[str, Change] = {
    "bump": _bump,
    "add": _add(),
    "rename": lambda root: write_agent(root, version="1.1.0", name="Harbor Helper"),
    "lookalike": _add("Tide Clocks", "tide-clocks"),
    "readme": _readme,
    "org agent": _quay,
    "delete unreferenced": _delete("harbor-labs/quay-guide"),
}
"""Changes inside agent folders that pass the change's own rules: the fast path judges them."""
REFUSED: dict[str, Change] = {
    "confusable": _add("Tide C1ock", "tide-c1ock"),
    "duplicate": _add("Tide Clock", "tide-copy"),
    "secret": _secret,
    "same version": lambda root: write_agent(root, version="1.0.1", summary="Other words."),
    "delete a forked agent": _delete("acme/harbor-bot"),
    "fork an unpublished version": _add(forked_from="zed/tide-clock@2.0.0"),
}
"""Changes the change's own rules refuse: both paths stop there, with the same lines."""
ELSEWHERE: dict[str, Change] = {"owner record": _record, "moderation": _moderation}
"""Changes outside agent folders: the fast path declines, the full path judges."""


@pytest.mark.parametrize("name", sorted(FAST))
def test_a_change_inside_agent_folders_takes_the_fast_path_with_the_full_verdict(
    seeded: Path, tmp_path: Path, name: str
) -> None:
    repo = _copy(seeded, tmp_path / "catalog")
    FAST[name](repo.root)
    fast, full = _both(repo.root)
    assert fast.proof is not None, fast.why
    assert full.proof is None
    assert fast.report.ok, fast.report.problems


def test_a_lookalike_warns_on_the_change_alone_on_the_fast_path(
    seeded: Path, tmp_path: Path
) -> None:
    """The full path also warns on the agent the new name looks like (unchanged, and a warning:
    the verdicts and errors agree, the fast path judges what the change touches)."""
    repo = _copy(seeded, tmp_path / "catalog")
    FAST["lookalike"](repo.root)
    fast, full = _both(repo.root)
    rules = {(p.path, p.rule) for p in fast.report.problems}
    assert ("agents/acme/tide-clocks/agent.yaml", "name-lookalike") in rules
    others = {(p.path, p.rule) for p in full.report.problems} - rules
    assert others == {("agents/zed/tide-clock/agent.yaml", "name-lookalike")}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_refused_change_gives_the_same_errors_on_both_paths(
    seeded: Path, tmp_path: Path, name: str
) -> None:
    repo = _copy(seeded, tmp_path / "catalog")
    REFUSED[name](repo.root)
    fast, _ = _both(repo.root)
    assert not fast.report.ok


@pytest.mark.parametrize("name", sorted(ELSEWHERE))
def test_a_change_outside_agent_folders_takes_the_full_path(
    seeded: Path, tmp_path: Path, name: str
) -> None:
    repo = _copy(seeded, tmp_path / "catalog")
    ELSEWHERE[name](repo.root)
    fast, _ = _both(repo.root, maintainer=True)  # a maintainer's change: notices, no errors
    assert fast.proof is None
    assert "is outside agent folders" in fast.why


def test_a_new_namespace_that_looks_like_a_record_only_org_is_refused_on_both_paths(
    seeded: Path, tmp_path: Path
) -> None:
    """`reef-1abs` publishes its first agent: the record of `reef-labs` (an org without agents)
    now looks like a publishing namespace, an error the full path finds on owners/reef-labs.yaml;
    the fast path judges the records that look like a touched owner."""
    repo = _copy(seeded, tmp_path / "catalog")
    write_agent(repo.root, owner="reef-1abs", slug="reef-reader", name="Reef Reader")
    fast, _ = _both(repo.root, author="reef-1abs")
    assert any(
        p.path == "owners/reef-labs.yaml" and p.rule == "owner-confusable" for p in _errors(fast)
    ), fast.report.problems


def test_an_unproven_base_takes_the_full_path_and_a_clean_tree_proves_its_head(
    tmp_path: Path,
) -> None:
    repo = _seed(tmp_path / "catalog")
    _bump(repo.root)
    verdict = judge(repo.root, "main", "acme")
    assert verdict.proof is None and "not proven green" in verdict.why
    assert green.proven(repo.root, repo.git("rev-parse", "HEAD")) is None  # uncommitted change
    head = repo.commit("Harbor Bot 1.1.0")
    assert judge(repo.root, "main", "acme").proof is None  # the full path proved HEAD...
    assert green.proven(repo.root, head) is not None
    write_agent(repo.root, version="1.2.0")
    assert judge(repo.root, "main", "acme").proof is not None  # ...so the next change is fast


def test_a_build_of_a_committed_tree_proves_its_head_green(tmp_path: Path) -> None:
    """`catalog build` loads and renders the whole catalog: when it made a site from a tree
    with nothing uncommitted, the next pull request on that commit is judged fast."""
    root = tmp_path / "catalog"
    (root / "agents").mkdir(parents=True)
    repo = GitRepo(root)
    repo.git("init", "--quiet", "--initial-branch=main")
    copy_site_sources(root)
    shutil.copyfile(REPO / ".gitignore", root / ".gitignore")  # the build's output is ignored
    write_agent(root)
    write_agent(root, version="1.0.1", summary="Answers harbor questions, and tides.")
    head = repo.commit("Harbor Bot")
    _bump(root)
    built = Cli(root)("build")
    assert built.exit_code == 0, built.output
    assert green.proven(root, head) is None  # built from an uncommitted change: no proof
    repo.git("checkout", "--quiet", "--", "agents")
    built = Cli(root)("build")
    assert built.exit_code == 0, built.output
    assert green.proven(root, head) is not None
    _bump(root)
    fast, _ = _both(root, base=head)
    assert fast.proof is not None, fast.why


def test_a_proof_from_another_generator_or_a_corrupt_one_proves_nothing(
    seeded: Path, tmp_path: Path
) -> None:
    repo = _copy(seeded, tmp_path / "catalog")
    head = repo.git("rev-parse", "HEAD")
    proof = green.proven(repo.root, head)
    assert proof is not None
    stamp = json.loads(proof.read_text("utf-8"))
    proof.write_text(json.dumps({**stamp, "key": "another generator"}), "utf-8")
    _bump(repo.root)
    assert judge(repo.root, "main", "acme").proof is None
    proof.write_text("{not json", "utf-8")
    assert judge(repo.root, "main", "acme").proof is None


def test_the_cli_says_which_path_judged(seeded: Path, tmp_path: Path) -> None:
    repo = _copy(seeded, tmp_path / "catalog")
    _bump(repo.root)
    done = Cli(repo.root)("validate", "--base", "main", "--author", "acme")
    assert done.exit_code == 0, done.output
    head = repo.git("rev-parse", "HEAD")
    assert f"gate: base {head[:12]} is proven green (" in done.stderr
    assert done.stderr.splitlines()[0].endswith("): judged what the change touches")


def _merge(repo: GitRepo, branch: str, *changes: Change) -> str:
    """A pull request of one commit per change, checked out as its merge into main (what the
    validate workflow judges); returns main's sha."""
    base = repo.git("rev-parse", "main")
    repo.git("checkout", "--quiet", "-b", branch)
    for change in changes:
        change(repo.root)
        repo.commit(branch)
    repo.git("checkout", "--quiet", "--detach", "main")
    repo.git("merge", "--quiet", "--no-ff", "--no-edit", branch)
    return base


def test_a_merge_commit_is_judged_on_the_fast_path_with_its_history(
    seeded: Path, tmp_path: Path
) -> None:
    """The workflow's case: HEAD is the merge, the base its first parent; the touched agent's
    history (its versions, the notice of what its new version changes) comes from its folder's
    log alone."""
    repo = _copy(seeded, tmp_path / "catalog")
    evm = {**CHARACTER, "plugins": [*CHARACTER["plugins"], "@elizaos/plugin-evm"]}
    financial = {"actions": ["swap"], "custody": "none"}
    base = _merge(
        repo,
        "evm",
        lambda root: write_agent(root, version="1.1.0", character=evm, financial=financial),
        _add(),
    )
    fast, full = _both(repo.root, base=base)
    assert fast.proof is not None and fast.report.ok
    notices = [p for p in fast.report.problems if p.rule == "capability-change"]
    assert notices == [p for p in full.report.problems if p.rule == "capability-change"]
    assert "plugins added: @elizaos/plugin-evm" in notices[0].message


def test_a_moved_agent_takes_the_full_path(seeded: Path, tmp_path: Path) -> None:
    """A folder git saw moved carries a history the folder's own log does not hold."""
    repo = _copy(seeded, tmp_path / "catalog")
    repo.git("mv", "agents/harbor-labs/quay-guide", "agents/harbor-labs/quay-pilot")
    base = repo.git("rev-parse", "HEAD")
    repo.commit("Move quay-guide")
    head = repo.git("rev-parse", "HEAD")
    assert read_slice(repo.root, ["harbor-labs/quay-pilot"]) is None
    judge(repo.root, base, "acme", fast=False)  # proves the move's commit green
    write_agent(
        repo.root, owner="harbor-labs", slug="quay-pilot", name="Quay Guide", version="1.1.0"
    )
    fast, _ = _both(repo.root, base=head)
    assert fast.proof is None and "moved" in fast.why


def test_the_history_of_a_few_folders_is_the_whole_history_s(seeded: Path) -> None:
    """`read_slice` gives each folder the dates, versions and files `read_history` gives it."""
    whole = read_history(seeded)
    for ref in ("acme/harbor-bot", "zed/tide-clock", "harbor-labs/quay-guide"):
        part = read_slice(seeded, [ref])
        assert part is not None
        assert part.agents == {ref: whole.agents[ref]}
        assert part.head == whole.head and part.head_date == whole.head_date


OPERATIONS = {**FAST, **REFUSED, **ELSEWHERE}


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    names=st.lists(st.sampled_from(sorted(OPERATIONS)), min_size=1, max_size=3, unique=True),
    maintainer=st.booleans(),
)
def test_any_mix_of_changes_gets_the_same_verdict_and_errors_on_both_paths(
    seeded: Path, tmp_path_factory: pytest.TempPathFactory, names: list[str], maintainer: bool
) -> None:
    repo = _copy(seeded, tmp_path_factory.mktemp("mix") / "catalog")
    for name in names:
        if name.startswith("delete") and not (repo.root / "agents").exists():
            continue
        try:
            OPERATIONS[name](repo.root)
        except FileNotFoundError:  # an earlier operation deleted that agent
            continue
    _both(repo.root, maintainer=maintainer)


def test_changes_read_side_by_side_are_the_checks_own(tmp_path: Path) -> None:
    """The gate reads what changed with its three git commands at once: the same paths and
    modes as `checks.change.read_changes`, here for a catalog in a subfolder of its
    repository, with staged, unstaged, deleted, untracked and linked files in and outside it."""
    top = tmp_path / "top"
    root = new_catalog(top / "catalog")
    repo = GitRepo(top)
    repo.git("init", "--quiet", "--initial-branch=main")
    write_agent(root)
    write_agent(root, owner="zed", slug="tide-clock", name="Tide Clock")
    base = repo.commit("Two agents")
    write_agent(root, version="1.1.0")
    repo.git("add", "-A")
    (root / "agents/acme/harbor-bot/README.md").write_text("# Changed again\n", "utf-8")
    (root / "agents/zed/tide-clock/README.md").unlink()
    (root / "agents/zed/tide-clock/notes.txt").write_text("x", "utf-8")
    (root / "agents/acme/harbor-bot/link.json").symlink_to("character.json")
    (root / "moderation.yaml").write_text("agents: {}\n", "utf-8")
    (top / "outside.txt").write_text("x", "utf-8")
    git_repo, sha = open_repo(root, base)
    theirs = read_changes(git_repo, root, sha)
    assert read_changes_side_by_side(top, root, sha) == theirs
    assert {c.path for c in theirs} >= {
        "agents/acme/harbor-bot/agent.yaml",
        "agents/acme/harbor-bot/README.md",
        "agents/acme/harbor-bot/link.json",
        "agents/zed/tide-clock/README.md",
        "agents/zed/tide-clock/notes.txt",
        "moderation.yaml",
        "../outside.txt",
    }


def test_the_gate_stops_on_the_builds_failures() -> None:
    """The gate names the build's failure types without importing the build (numpy)."""
    from generator import gate
    from generator.site import build

    assert gate.FAILURES == build.FAILURES
