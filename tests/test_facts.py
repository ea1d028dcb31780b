"""The cross-agent facts cache (issue 13): the one-agent check reads names and versions from
the git folder by blob id, and its verdicts stay those of a full validate."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from generator.checks import facts
from generator.checks.facts import (
    CACHE,
    SKELETONS,
    light_entry,
    light_index,
    name_skeletons,
    vouched,
)
from generator.checks.problems import Problem
from generator.checks.validate import Ref, discover, select, validate
from tests.conftest import REPO, GitRepo, new_catalog, sample_repo, write_agent

sys.path.insert(0, str(REPO / "benchmarks"))
from synth import make_catalog


def _verdicts(root: Path, ref: Ref, full: tuple[Problem, ...]) -> tuple[list[str], list[str]]:
    """The one-agent check's problems about `ref`, and the full validate's."""
    rel = f"agents/{ref[0]}/{ref[1]}"
    mine = [str(p) for p in validate(root, [ref]).problems if p.path.startswith(rel)]
    return mine, [str(p) for p in full if p.path.startswith(rel)]


def _parsed(root: Path) -> dict[str, object]:
    refs, _ = discover(root)
    return {f"{o}/{s}": light_entry(root / "agents" / o / s / "agent.yaml") for o, s in refs}


def _same_as_full(root: Path) -> None:
    refs, _ = discover(root)
    full = validate(root).problems
    for ref in refs:
        mine, theirs = _verdicts(root, ref, full)
        assert mine == theirs, ref


def test_cache_is_written_and_read_and_agrees_with_parsing(tmp_path: Path) -> None:
    repo = sample_repo(tmp_path)
    refs, _ = discover(repo.root)
    first = light_index(repo.root, refs)
    cached = json.loads((repo.root / ".git" / CACHE).read_text("utf-8"))["entries"]
    assert len(cached) == len(refs)
    assert light_index(repo.root, refs) == first == _parsed(repo.root)


def test_sample_catalog_one_agent_verdicts_match_full_validate(tmp_path: Path) -> None:
    repo = sample_repo(tmp_path)
    light_index(repo.root, discover(repo.root)[0])  # warm the cache
    _same_as_full(repo.root)


def test_synthetic_catalog_one_agent_verdicts_match_full_validate(tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "synth", 40, rounds=1)
    new_catalog(tmp_path / "settings")
    shutil.copy(tmp_path / "settings" / "mkdocs.yml", root / "mkdocs.yml")
    light_index(root, discover(root)[0])
    _same_as_full(root)


@pytest.mark.parametrize("commit", [True, False], ids=["committed", "uncommitted"])
def test_changes_after_caching_are_seen(tmp_path: Path, commit: bool) -> None:
    """Edited, new and linked manifests: the cache never answers for a file git doubts."""
    repo = sample_repo(tmp_path)
    root = repo.root
    light_index(root, discover(root)[0])
    write_agent(root, "harbor-labs", "harbor-pilot", name="Porchlight", version="9.0.0")
    write_agent(root, "newcomer", "quorum", name="Quorum Clerk")
    linked = root / "agents" / "mira" / "linked"
    linked.mkdir()
    (linked / "agent.yaml").symlink_to(
        root / "agents" / "agora-works" / "porchlight" / "agent.yaml"
    )
    if commit:
        repo.commit("changes")
    index = light_index(root, discover(root)[0])
    assert index == _parsed(root)
    assert index["harbor-labs/harbor-pilot"].version == "9.0.0"
    assert index["mira/linked"].name is None  # a link is never read
    _same_as_full(root)


def test_a_corrupt_cache_or_no_git_parses_every_manifest(tmp_path: Path) -> None:
    repo = sample_repo(tmp_path)
    (repo.root / ".git" / CACHE).write_text('{"format": 1, "entries": {"x": 3}}', "utf-8")
    refs, _ = discover(repo.root)
    assert light_index(repo.root, refs) == _parsed(repo.root)
    shutil.rmtree(repo.root / ".git")
    assert light_index(repo.root, refs) == _parsed(repo.root)
    assert sorted(p.name for p in repo.root.iterdir()) == ["agents", "mkdocs.yml", "site-config"]


def _with_lookalikes(tmp_path: Path) -> GitRepo:
    """The sample catalog with names one letter from, or confusable with, others (Cyrillic o)."""
    repo = sample_repo(tmp_path)
    write_agent(repo.root, "copycat", "porch-light", name="Porchlite")
    write_agent(repo.root, "copycat", "harbor-copy", name="Harb\u043er Pilot")
    write_agent(repo.root, "h4rbor-labs", "quorum-copy", name="Quorum Clerks")
    repo.commit("look-alikes")
    return repo


def _lookalike_lines(root: Path) -> list[str]:
    rules = ("name-lookalike", "name-confusable", "reserved-name")
    return sorted(str(p) for p in validate(root).problems if p.rule in rules)


def test_stored_skeletons_give_the_look_alike_verdicts_of_a_full_validate(tmp_path: Path) -> None:
    repo = _with_lookalikes(tmp_path)
    assert _lookalike_lines(repo.root)  # the catalog has look-alikes to find
    _same_as_full(repo.root)  # the first one-agent check stores the skeletons
    stored = json.loads((repo.root / ".git" / SKELETONS).read_text("utf-8"))
    assert stored["skeletons"]["Porchlite"] == ["porchlite", "porchlite", 9]
    assert len(stored["ascii"]) == 128
    _same_as_full(repo.root)  # now read from the store


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        '{"version": "other", "ascii": {}, "skeletons": {"Porchlite": ["porchlight", "", 9]}}',
        "[]",
        '{"version": "VERSION", "ascii": {"1": "a"}, "skeletons": {"Porchlite": ["x", "x", 1]}}',
        '{"version": "VERSION", "ascii": ASCII, "skeletons": {"Porchlite": ["x", "x", "9"]}}',
        '{"version": "VERSION", "ascii": ASCII, "skeletons": {"Porchlite": "porchlight"}}',
    ],
    ids=["garbage", "other-version", "not-an-object", "short-table", "bad-length", "bad-row"],
)
def test_a_corrupt_or_stale_skeleton_store_is_computed_again(tmp_path: Path, text: str) -> None:
    """What this code would not have written is never used: the verdicts stay a full parse's."""
    repo = _with_lookalikes(tmp_path)
    _same_as_full(repo.root)
    good = json.loads((repo.root / ".git" / SKELETONS).read_text("utf-8"))
    text = text.replace("VERSION", good["version"]).replace("ASCII", json.dumps(good["ascii"]))
    (repo.root / ".git" / SKELETONS).write_text(text, "utf-8")
    assert name_skeletons(repo.root, ["Porchlite"]) == {"Porchlite": ("porchlite", "porchlite", 9)}
    (repo.root / ".git" / SKELETONS).write_text(text, "utf-8")
    _same_as_full(repo.root)


def test_selecting_from_the_named_folders_alone_matches_selecting_from_all(
    tmp_path: Path,
) -> None:
    """`catalog validate agents/o/s` lists one owner folder, not the whole catalog, and picks
    what picking from every discovered agent picks: links and stray files are no agents."""
    repo = sample_repo(tmp_path)
    root = repo.root
    (root / "agents" / "mirror").symlink_to(root / "agents" / "mira")
    (root / "agents" / "mira" / "twin").symlink_to(root / "agents" / "mira" / "parla")
    (root / "agents" / "mira" / "notes.txt").write_text("x", "utf-8")
    refs = discover(root)[0]
    for path in [
        "agents",
        "agents/mira",
        "agents/mira/parla",
        "agents/mira/parla/agent.yaml",
        "agents/mira/notes.txt",
        "agents/mira/twin",
        "agents/mirror",
        "agents/agora-works/porchlight/README.md",
    ]:
        named = [str(root / path)]
        assert select(root, named) == select(root, named, refs), path
    assert select(root, [str(root / "agents/mira")]) == [("mira", "parla"), ("mira", "solace")]


def test_a_catalog_in_a_subfolder_of_its_repository(tmp_path: Path) -> None:
    """git prints paths from the catalog's folder, not the repository's top: an edited manifest
    is never answered from the cache under another name."""
    root = new_catalog(tmp_path / "top" / "catalog")
    shutil.rmtree(root / "agents")
    shutil.copytree(REPO / "agents", root / "agents")
    repo = GitRepo(tmp_path / "top")
    repo.git("init", "--quiet", "--initial-branch=main")
    repo.commit("samples")
    refs, _ = discover(root)
    assert light_index(root, refs) == _parsed(root)
    cached = json.loads((tmp_path / "top" / ".git" / CACHE).read_text("utf-8"))["entries"]
    assert len(cached) == len(refs)  # every manifest vouched for by git
    write_agent(root, "harbor-labs", "harbor-pilot", name="Porchlight", version="9.0.0")
    index = light_index(root, refs)
    assert index == _parsed(root)
    assert index["harbor-labs/harbor-pilot"].version == "9.0.0"


@pytest.mark.parametrize("many", [False, True], ids=["few", "many"])
def test_files_whose_stat_data_alone_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, many: bool
) -> None:
    """A copied checkout or a `touch` changes a file's stat data, not its bytes: `git diff-files`
    names such files (they are parsed); past RESTAT of them, git compares their content and
    vouches for the unchanged ones. An edit of the same size is seen either way."""
    repo = sample_repo(tmp_path)
    root = repo.root
    refs, _ = discover(root)
    light_index(root, refs)
    manifests = sorted(root.glob("agents/*/*/agent.yaml"))
    for path in manifests:
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    edited = root / "agents" / "harbor-labs" / "harbor-pilot" / "agent.yaml"
    text = edited.read_text("utf-8")
    edited.write_text(text.replace("version: 1.", "version: 7.", 1), "utf-8")
    assert edited.read_text("utf-8") != text
    monkeypatch.setattr(facts, "RESTAT", 1 if many else 10**6)
    found = vouched(root, ":(glob)agents/*/*/agent.yaml")
    assert found is not None
    blobs, doubtful = found
    rel = edited.relative_to(root).as_posix()
    assert rel in doubtful and rel not in blobs
    others = {p.relative_to(root).as_posix() for p in manifests} - {rel}
    assert (others <= set(blobs)) is many
    assert light_index(root, refs) == _parsed(root)
    _same_as_full(root)


@pytest.mark.parametrize("index", ["writable", "locked", "optional-locks-off", "hook"])
def test_many_touched_files_are_hashed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index: str
) -> None:
    """Past RESTAT touched files, git brings the index's stat data up to date, so the next
    run's diff-files names only the edited file, as after a `git status`; where the index is
    locked by another git, or must not be written (GIT_OPTIONAL_LOCKS=0, a hook's
    GIT_INDEX_FILE), it is left as it was and the verdicts are the same."""
    repo = sample_repo(tmp_path)
    root = repo.root
    manifests = sorted(root.glob("agents/*/*/agent.yaml"))
    for path in manifests:
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    edited = root / "agents" / "harbor-labs" / "harbor-pilot" / "agent.yaml"
    edited.write_text(edited.read_text("utf-8").replace("version: 1.", "version: 7.", 1), "utf-8")
    rel = edited.relative_to(root).as_posix()
    monkeypatch.setattr(facts, "RESTAT", 1)
    if index == "locked":
        (root / ".git" / "index.lock").write_bytes(b"")
    elif index == "optional-locks-off":
        monkeypatch.setenv("GIT_OPTIONAL_LOCKS", "0")
    elif index == "hook":
        monkeypatch.setenv("GIT_INDEX_FILE", str(root / ".git" / "index"))
    found = vouched(root, ":(glob)agents/*/*/agent.yaml")
    assert found is not None
    blobs, doubtful = found
    assert rel in doubtful and rel not in blobs
    assert {p.relative_to(root).as_posix() for p in manifests} - {rel} <= set(blobs)
    named = repo.git("diff-files", "--name-only").split()
    assert named == (
        [rel] if index == "writable" else [p.relative_to(root).as_posix() for p in manifests]
    )
