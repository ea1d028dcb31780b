"""The per-agent verdict store (issue 13): `catalog validate` takes an agent's problems from
`.git/catalog-verdicts.json` when git vouches for every file of its folder, and its verdicts
and the agents it returns are exactly those of a fresh check."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.checks.agent import load_agent
from generator.checks.validate import Report, discover, validate
from generator.checks.verdicts import STORE, Verdicts
from generator.parallel import cores
from tests.conftest import REPO, GitRepo, new_catalog, sample_repo, write_agent

sys.path.insert(0, str(REPO / "benchmarks"))
from synth import make_catalog


def _seen(report: Report) -> list[object]:
    """Everything a caller of `validate` reads: problems, and each agent's fields."""
    agents = [
        (
            a.ref,
            a.manifest.model_dump() if a.manifest else None,
            (a.doc.data, a.doc.values, a.doc.keys) if a.doc else None,
            json.dumps(a.character, sort_keys=True),
            a.readme,
            a.problems,
            a.persona,
        )
        for a in report.agents
    ]
    return [report.checked, report.problems, agents]


def _store(root: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((root / ".git" / STORE).read_text("utf-8"))
    return data


def _same_with_and_without(root: Path) -> Report:
    """Fresh checks, then a run that fills the store, then one that reads it: all equal."""
    fresh = validate(root, store=False)
    filling = validate(root)
    reading = validate(root)
    assert _seen(filling) == _seen(fresh)
    assert _seen(reading) == _seen(fresh)
    return fresh


def _fake(root: Path, ref: tuple[str, str], message: str) -> None:
    """Put a made-up verdict for `ref` in the store, under its real key."""
    verdicts = Verdicts.open(root)
    assert verdicts is not None
    data = _store(root)
    key = verdicts.keys[ref][0]
    row = [f"agents/{ref[0]}/{ref[1]}", 1, 1, "secret-pattern", message, "", "error"]
    data["verdicts"][key] = [row]  # type: ignore[index]
    (root / ".git" / STORE).write_text(json.dumps(data), "utf-8")


def _messages(report: Report, ref: tuple[str, str]) -> list[str]:
    return [p.message for p in report.problems if p.path.startswith(f"agents/{ref[0]}/{ref[1]}")]


def test_sample_agents_same_verdicts_and_agents_from_the_store(tmp_path: Path) -> None:
    repo = sample_repo(tmp_path)
    fresh = _same_with_and_without(repo.root)
    assert fresh.problems  # the samples include agents with problems: those are stored too
    stored = _store(repo.root)["verdicts"]
    assert len(stored) == len(discover(repo.root)[0])  # type: ignore[arg-type]


def test_test_characters_same_verdicts_from_the_store(tmp_path: Path) -> None:
    """Every character of tests/data/characters (valid, broken, migrated) as an agent."""
    root = new_catalog(tmp_path / "chars")
    for path in sorted((REPO / "tests" / "data" / "characters").glob("*.json")):
        slug = f"{path.stem.lower()}-agent"[:40].strip("-")
        folder = write_agent(root, "lab", slug, name=f"Agent {path.stem}")
        shutil.copy(path, folder / "character.json")
    GitRepo(root).git("init", "--quiet", "--initial-branch=main")
    GitRepo(root).commit("characters")
    fresh = _same_with_and_without(root)
    assert len({p.rule for p in fresh.problems}) > 3


def test_synthetic_catalog_same_verdicts_from_the_store(tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "synth", 60, rounds=1)
    _same_with_and_without(root)


def test_a_stored_verdict_is_what_validate_reports(tmp_path: Path) -> None:
    """The store is really read: a made-up verdict under an agent's key comes back, and a full
    validate keeps only the verdicts of the folders it checked."""
    repo = sample_repo(tmp_path)
    validate(repo.root)
    ref = discover(repo.root)[0][0]
    _fake(repo.root, ref, "made up")
    assert _messages(validate(repo.root), ref) == ["made up"]
    data = _store(repo.root)
    data["verdicts"]["0" * 64] = []  # type: ignore[index]
    (repo.root / ".git" / STORE).write_text(json.dumps(data), "utf-8")
    validate(repo.root)
    assert "0" * 64 not in _store(repo.root)["verdicts"]  # type: ignore[operator]


def test_one_agent_run_keeps_the_other_verdicts(tmp_path: Path) -> None:
    repo = sample_repo(tmp_path)
    validate(repo.root)
    before = _store(repo.root)["verdicts"]
    refs = discover(repo.root)[0]
    assert _seen(validate(repo.root, [refs[1]])) == _seen(
        validate(repo.root, [refs[1]], store=False)
    )
    assert _store(repo.root)["verdicts"] == before
    _fake(repo.root, refs[1], "made up")  # a one-agent check asks git about its folder alone
    assert _messages(validate(repo.root, [refs[1]]), refs[1]) == ["made up"]
    (repo.root / "agents" / refs[1][0] / refs[1][1] / "notes.txt").write_text("notes\n")
    alone = validate(repo.root, [refs[1]])
    assert "made up" not in _messages(alone, refs[1])
    assert _seen(alone) == _seen(validate(repo.root, [refs[1]], store=False))


@pytest.mark.parametrize(
    "change",
    ["edited", "untracked", "ignored", "empty-folder", "deleted", "assume-unchanged", "link"],
)
def test_folders_git_does_not_vouch_for_are_checked_again(tmp_path: Path, change: str) -> None:
    """A made-up verdict in the store never answers for a folder whose files git doubts."""
    repo = sample_repo(tmp_path)
    root = repo.root
    validate(root)
    ref = ("harbor-labs", "harbor-pilot")
    folder = root / "agents" / ref[0] / ref[1]
    _fake(root, ref, "made up")
    if change == "edited":
        readme = folder / "README.md"
        readme.write_text(readme.read_text("utf-8") + "\nSay here who it is and what it knows.\n")
    elif change == "untracked":
        (folder / "notes.txt").write_text("notes\n", "utf-8")
    elif change == "ignored":
        (root / ".gitignore").write_text("*.bak\n", "utf-8")
        (folder / "agent.yaml.bak").write_text("old\n", "utf-8")
    elif change == "empty-folder":
        (folder / "drafts").mkdir()
    elif change == "deleted":
        (folder / "README.md").unlink()
    elif change == "assume-unchanged":
        repo.git("update-index", "--assume-unchanged", f"agents/{ref[0]}/{ref[1]}/README.md")
        (folder / "README.md").write_text(
            "# Harbor Pilot\n\nSay here who it is and what it knows.\n"
        )
    elif change == "link":
        (folder / "LICENSE").symlink_to(folder / "README.md")
    report = validate(root)
    assert "made up" not in _messages(report, ref)
    assert _seen(report) == _seen(validate(root, store=False))
    assert _seen(validate(root)) == _seen(report)  # and again, from the store where it may


@pytest.mark.parametrize(
    "where", ["owner", "owner-committed", "agent-folder", "repository", "user", "user-default"]
)
def test_attributes_over_an_agent_folder_mean_checking_it_again(
    tmp_path: Path, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `.gitattributes` can make git write a folder's blobs out as other bytes (line endings,
    filters): one in the owner's folder, in the agent's, the repository's own (in the git
    folder) or the user's (`core.attributesFile`, else git's default under XDG_CONFIG_HOME) is
    part of what a stored verdict stands for."""
    repo = sample_repo(tmp_path)
    root = repo.root
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    repo.git("config", "core.attributesFile", "../mine/attributes")  # read from the checkout
    if where == "user-default":
        repo.git("config", "--unset", "core.attributesFile")
    validate(root)
    ref = ("harbor-labs", "harbor-pilot")
    _fake(root, ref, "made up")
    assert "made up" in _messages(validate(root), ref)  # the store answers until then
    _fake(root, ref, "made up")
    target = {
        "owner": root / "agents" / ref[0] / ".gitattributes",
        "owner-committed": root / "agents" / ref[0] / ".gitattributes",
        "agent-folder": root / "agents" / ref[0] / ref[1] / ".gitattributes",
        "repository": root / repo.git("rev-parse", "--git-path", "info/attributes"),
        "user": root / ".." / "mine" / "attributes",
        "user-default": tmp_path / "config" / "git" / "attributes",
    }[where]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("* text eol=crlf\n", "utf-8")
    if where == "owner-committed":
        repo.commit("line endings")
    report = validate(root)
    assert "made up" not in _messages(report, ref)
    assert _seen(report) == _seen(validate(root, store=False))
    assert _seen(validate(root)) == _seen(report)


@pytest.mark.parametrize(
    "damage",
    [
        b"\x00\xff not json",
        b'{"format": 1}',
        b'{"format": 99, "environment": "", "verdicts": {}}',
        b"[1, 2]",
        b"{" * 100_000,
        "rows",
        "environment",
    ],
    ids=["bytes", "no-verdicts", "other-format", "list", "deep", "bad-rows", "other-environment"],
)
def test_damaged_or_foreign_store_means_checking_again(tmp_path: Path, damage: object) -> None:
    repo = sample_repo(tmp_path)
    root = repo.root
    fresh = validate(root, store=False)
    validate(root)
    target = root / ".git" / STORE
    if isinstance(damage, bytes):
        target.write_bytes(damage)
    else:
        data = _store(root)
        if damage == "rows":
            for i, key in enumerate(sorted(data["verdicts"])):  # type: ignore[call-overload]
                bad = [["p", "1", 1, "r", "m", "", "error"]], [[1, 2]], {"a": 1}, [["p"] * 7]
                data["verdicts"][key] = bad[i % 4]  # type: ignore[index]
        else:
            ref = discover(root)[0][0]
            _fake(root, ref, "made up")
            data = _store(root)
            data["environment"] = "another version of the checks"
        target.write_text(json.dumps(data), "utf-8")
    assert _seen(validate(root)) == _seen(fresh)
    assert _seen(validate(root)) == _seen(fresh)  # the store written again, and read
    assert _store(root)["environment"] != "another version of the checks"


def test_store_outside_git_and_read_only_git_folder(tmp_path: Path) -> None:
    root = new_catalog(tmp_path / "plain")
    write_agent(root)
    assert Verdicts.open(root) is None
    assert _seen(validate(root)) == _seen(validate(root, store=False))
    repo = sample_repo(tmp_path)
    os.chmod(repo.root / ".git", 0o555)
    try:
        assert _seen(validate(repo.root)) == _seen(validate(repo.root, store=False))
    finally:
        os.chmod(repo.root / ".git", 0o755)


def test_unchecked_load_reads_what_the_checked_load_reads(tmp_path: Path) -> None:
    """`load_agent(check=False)` (a store hit) gives the same fields, including for broken
    folders: a manifest that is not YAML, a character that is not JSON, a missing README."""
    root = new_catalog(tmp_path / "broken")
    write_agent(root, "lab", "not-yaml", manifest="name: [unclosed\n")
    write_agent(root, "lab", "not-json", character="{nope")
    write_agent(root, "lab", "no-readme", readme=None)
    write_agent(root, "lab", "elsewhere", manifest={"character": "../x.json"})
    write_agent(root, "lab", "other-char", manifest={"character": "persona.json"})
    for owner, slug in discover(root)[0]:
        checked, read = load_agent(root, owner, slug), load_agent(root, owner, slug, check=False)
        assert read.problems == []
        checked.problems = []
        assert _seen(Report(1, (), (read,))) == _seen(Report(1, (), (checked,)))


def _generator_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "gen"
    shutil.copytree(
        REPO / "generator", copy / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(REPO / "data", copy / "data")
    return copy


def _validate_with(code: Path, root: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--root", str(root)],
        cwd=code,
        env=env,
        capture_output=True,
        text=True,
    )
    return done.stdout


@pytest.mark.parametrize("edit", ["registry", "code"])
def test_another_registry_snapshot_or_code_is_another_store(tmp_path: Path, edit: str) -> None:
    """A refreshed plugin registry or an edited check: stored verdicts made before are not used."""
    repo = sample_repo(tmp_path)
    code = _generator_copy(tmp_path)
    before = _validate_with(code, repo.root)
    assert before == _validate_with(code, repo.root)  # now from the store
    if edit == "registry":
        registry = code / "data" / "elizaos-plugin-registry" / "generated-registry.json"
        data = json.loads(registry.read_text("utf-8"))
        data["registry"].pop("@elizaos/plugin-evm")  # harbor-pilot's
        registry.write_text(json.dumps(data), "utf-8")
        expected = "plugin-evm"
    else:
        rules = code / "generator" / "checks" / "agent.py"
        text = rules.read_text("utf-8")
        rules.write_text(text.replace("is not a lowercase GitHub login", "is no login"), "utf-8")
        (repo.root / "agents" / "Bad").mkdir()
        shutil.copytree(
            repo.root / "agents" / "harbor-labs", repo.root / "agents" / "Bad", dirs_exist_ok=True
        )
        repo.commit("a bad owner")
        before = _validate_with(REPO, repo.root)  # the store filled by the unedited code
        expected = "is no login"
    after = _validate_with(code, repo.root)
    assert after != before and expected in after
    (repo.root / ".git" / STORE).unlink(missing_ok=True)
    assert _validate_with(code, repo.root) == after


def test_untracked_file_in_a_tracked_subfolder_is_seen(tmp_path: Path) -> None:
    """The folder's listing matches git's, but a file git does not track changes the verdict
    (the character the manifest names, in a subfolder)."""
    root = new_catalog(tmp_path / "sub")
    folder = write_agent(root, "lab", "sub-char", manifest={"character": "sub/persona.json"})
    (folder / "sub").mkdir()
    (folder / "sub" / "notes.txt").write_text("notes\n", "utf-8")
    repo = GitRepo(root)
    repo.git("init", "--quiet", "--initial-branch=main")
    repo.commit("a subfolder")
    before = validate(root)
    assert "character file 'sub/persona.json' not found" in _messages(before, ("lab", "sub-char"))
    shutil.copy(folder / "character.json", folder / "sub" / "persona.json")
    after = validate(root)
    assert _seen(after) == _seen(validate(root, store=False)) != _seen(before)


FORKED = """
import pickle, sys
from pathlib import Path
from generator.checks import loading
from generator.checks.validate import validate
from generator.parallel import Workers
from tests.test_verdict_store import _seen
loading.FORK_FROM = 1  # fork workers even for this small catalog
root = Path(sys.argv[1])
runs = [validate(root, store=False), validate(root), validate(root)]
seen = [Workers(print, True).parallel, *(_seen(r) for r in runs)]
Path(sys.argv[2]).write_bytes(pickle.dumps(seen))
"""


@pytest.mark.parametrize("catalog", ["sample", "synthetic"])
def test_forked_workers_give_the_same_report(tmp_path: Path, catalog: str) -> None:
    """Agents checked in forked workers (a fresh process: no other thread) come back identical
    and in the same order, and their verdicts fill the store that the next runs read."""
    root = (
        sample_repo(tmp_path).root if catalog == "sample" else make_catalog(tmp_path / "s", 30, 1)
    )
    here = _seen(validate(root, store=False))  # under FORK_FROM agents: checked here
    out = tmp_path / "forked.pickle"
    subprocess.run([sys.executable, "-c", FORKED, str(root), str(out)], cwd=REPO, check=True)
    parallel, *forked = pickle.loads(out.read_bytes())
    assert parallel == (cores() > 1)
    assert forked == [here, here, here]
