"""`catalog search` never answers from a stale index (issue 13): whatever happens to an agent's
files (edited, added, deleted, renamed; committed or not; tracked, new, ignored or hidden from
git; even an edit that keeps the size and modification time), the next search sees it, while a
search with nothing changed is vouched for by the stamp of change times without `git status`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.search import folders
from generator.search.command import CACHE, STAMP
from generator.search.folders import FOLDERS
from generator.search.staleness import CHECKED, Staleness
from tests.conftest import CHARACTER, REPO, Cli, GitRepo, write_agent
from tests.test_search_cli import MKDOCS

TIDE = {**CHARACTER, "name": "Tide Clock", "topics": ["tides", "moon"]}


def tide_clock(root: Path) -> Path:
    summary = "Tells tide times for every harbor on the coast."
    return write_agent(
        root, owner="zed", slug="tide-clock", name="Tide Clock", summary=summary, character=TIDE
    )


@pytest.fixture
def searchable(repo: GitRepo, cli: Cli) -> Cli:
    (repo.root / "mkdocs.yml").write_text(MKDOCS, "utf-8")
    write_agent(repo.root)
    tide_clock(repo.root)
    repo.commit("two agents")
    return cli


def refs(cli: Cli, *query: str) -> list[str]:
    """The refs a search finds, in order."""
    result = cli("search", "--json", *query)
    assert result.exit_code == 0, result.output
    return [hit["ref"] for hit in json.loads(result.stdout)["results"]]


def edit_in_place(path: Path, old: str, new: str) -> None:
    """Replace a word by another of the same length and put the modification time back: git's
    and our stat checks see only the change time move."""
    assert len(old) == len(new)
    before = path.stat()
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def settle(root: Path) -> None:
    """Wait until the file system's clock has passed every change time in `root`, so that the
    next check may write its stamp (a time in the same tick as a check vouches for nothing)."""
    newest = max(os.lstat(p).st_ctime_ns for p in [root, *root.rglob("*")])
    probe = root.parent / "clock-probe"
    while True:
        probe.write_text("", "utf-8")
        if probe.stat().st_mtime_ns > newest:
            probe.unlink()
            return


def stamped(root: Path) -> bool:
    """Whether a new check of `root` would be answered by the stamp alone."""
    built = (root / CACHE / STAMP).read_text("utf-8")
    return Staleness(root, root / CACHE).unchanged(built)


def test_nothing_changed_is_answered_by_the_stamp(searchable: Cli, repo: GitRepo) -> None:
    settle(repo.root)
    assert refs(searchable, "harbor") == ["acme/harbor-bot", "zed/tide-clock"]
    assert (repo.root / CACHE / CHECKED).is_file()
    assert stamped(repo.root)
    (repo.root / "agents" / "zed" / "tide-clock" / "notes.txt").write_text("x", "utf-8")
    assert not stamped(repo.root)


def test_an_edit_keeping_size_and_time_is_seen(searchable: Cli, repo: GitRepo) -> None:
    settle(repo.root)
    assert refs(searchable, "coast") == ["zed/tide-clock"]
    settle(repo.root)
    assert stamped(repo.root)
    edit_in_place(repo.root / "agents/zed/tide-clock/agent.yaml", "coast", "shore")
    assert refs(searchable, "shore") == ["zed/tide-clock"]
    assert refs(searchable, "coast") == []


def test_an_edit_right_after_a_search_is_seen(searchable: Cli, repo: GitRepo) -> None:
    """Within the same clock tick as the check that wrote the stamp."""
    manifest = repo.root / "agents/zed/tide-clock/agent.yaml"
    for old, new in [("coast", "shore"), ("shore", "beach"), ("beach", "coast")]:
        assert refs(searchable, old) == ["zed/tide-clock"]
        edit_in_place(manifest, old, new)
        assert refs(searchable, new) == ["zed/tide-clock"]
        assert refs(searchable, old) == []


def test_staged_edit_keeping_size_and_time_is_seen(searchable: Cli, repo: GitRepo) -> None:
    settle(repo.root)
    assert refs(searchable, "coast") == ["zed/tide-clock"]
    edit_in_place(repo.root / "agents/zed/tide-clock/agent.yaml", "coast", "shore")
    repo.git("add", "agents")
    assert refs(searchable, "shore") == ["zed/tide-clock"]


def test_a_file_git_is_told_not_to_look_at_is_seen(searchable: Cli, repo: GitRepo) -> None:
    repo.git("update-index", "--assume-unchanged", "agents/zed/tide-clock/agent.yaml")
    settle(repo.root)
    assert refs(searchable, "coast") == ["zed/tide-clock"]
    settle(repo.root)
    edit_in_place(repo.root / "agents/zed/tide-clock/agent.yaml", "coast", "shore")
    assert repo.git("status", "--porcelain", "--", "agents") == ""  # git does not see it
    assert refs(searchable, "shore") == ["zed/tide-clock"]


def test_new_deleted_and_renamed_agents_are_seen(searchable: Cli, repo: GitRepo) -> None:
    settle(repo.root)
    assert refs(searchable, "harbor") == ["acme/harbor-bot", "zed/tide-clock"]
    settle(repo.root)
    write_agent(repo.root, owner="yara", slug="ferry-bell", name="Ferry Bell")
    assert refs(searchable, "ferry") == ["yara/ferry-bell"]
    assert "acme/harbor-bot" in refs(searchable, "harbor")
    shutil.rmtree(repo.root / "agents" / "acme")
    assert "acme/harbor-bot" not in refs(searchable, "harbor")
    agents = repo.root / "agents"
    (agents / "zed" / "tide-clock").rename(agents / "zed" / "moon-clock")
    tide = json.loads(searchable("search", "--json", "tides").stdout)["results"]
    assert [hit["ref"] for hit in tide] == ["zed/moon-clock"]


def test_committed_changes_are_seen(searchable: Cli, repo: GitRepo) -> None:
    settle(repo.root)
    assert refs(searchable, "coast") == ["zed/tide-clock"]
    edit_in_place(repo.root / "agents/zed/tide-clock/agent.yaml", "coast", "shore")
    repo.commit("shore")
    assert refs(searchable, "shore") == ["zed/tide-clock"]
    repo.git("reset", "--quiet", "--hard", "HEAD~1")
    assert refs(searchable, "coast") == ["zed/tide-clock"]


def test_new_and_ignored_files_are_watched(searchable: Cli, repo: GitRepo) -> None:
    """A README git does not track, then ignores, is read by the loader all the same."""
    settle(repo.root)
    assert refs(searchable, "lighthouse") == []
    readme = repo.root / "agents/zed/tide-clock/README.md"
    readme.write_text("# Tide Clock\n\nA lighthouse keeper's almanac.\n", "utf-8")
    assert refs(searchable, "lighthouse") == ["zed/tide-clock"]
    settle(repo.root)
    assert refs(searchable, "lighthouse") == ["zed/tide-clock"]
    edit_in_place(readme, "lighthouse", "watchtower")
    assert refs(searchable, "watchtower") == ["zed/tide-clock"]
    (repo.root / ".git" / "info" / "exclude").write_text("README.md\n", "utf-8")
    settle(repo.root)
    assert refs(searchable, "watchtower") == ["zed/tide-clock"]
    edit_in_place(readme, "watchtower", "lighthouse")
    assert refs(searchable, "lighthouse") == ["zed/tide-clock"]


def test_settings_are_watched(searchable: Cli, repo: GitRepo) -> None:
    settle(repo.root)
    url = "https://example.org/cat/agents/zed/tide-clock/"
    assert json.loads(searchable("search", "--json", "tides").stdout)["results"][0]["url"] == url
    edit_in_place(repo.root / "mkdocs.yml", "example.org", "example.net")
    hits = json.loads(searchable("search", "--json", "tides").stdout)["results"]
    assert hits[0]["url"] == url.replace("example.org", "example.net")


def test_a_missing_fingerprint_rebuilds_and_leaves_no_child_behind(
    searchable: Cli, repo: GitRepo
) -> None:
    """With the stamp there but the index's fingerprint gone, the checks started for the stamp
    (git, the forked folder check) are still waited for before the index is built again."""
    settle(repo.root)
    assert refs(searchable, "coast") == ["zed/tide-clock"]
    assert (repo.root / CACHE / CHECKED).is_file()
    (repo.root / CACHE / STAMP).unlink()
    probe = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from generator.search import staleness\n"
        "from generator.search.command import ensure_index\n"
        "staleness.FORK = True  # as `catalog search` sets it\n"
        "ensure_index(Path(sys.argv[1]))\n"
        "try:\n"
        "    print('left behind', os.waitpid(-1, os.WNOHANG))\n"
        "except ChildProcessError:\n"
        "    print('none')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(repo.root)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.stdout == "none\n", (done.stdout, done.stderr)
    assert (repo.root / CACHE / STAMP).is_file()


def find_vouches(root: Path) -> bool:
    """Whether the stamp's folders are checked by `find` (GNU findutils >= 4.9, `env -C`)."""
    head = (root / CACHE / CHECKED).read_bytes().partition(b"\n")[0]
    return bool(json.loads(head)["folders"] == "find")


def test_the_list_find_reads_must_be_the_stamps(searchable: Cli, repo: GitRepo) -> None:
    """A list of folders that is not the one the stamp was written with (a folder left out,
    the list gone) vouches for nothing: the output of find must be the stamp's byte for byte."""
    settle(repo.root)
    assert refs(searchable, "coast") == ["zed/tide-clock"]
    if not find_vouches(repo.root):
        pytest.skip("no GNU find >= 4.9 here: the forked check is tested by the other tests")
    listing = repo.root / CACHE / FOLDERS
    folders = listing.read_bytes()
    assert folders.split(b"\0")[:2] == [b"agents", b"agents/acme"]
    assert stamped(repo.root)
    listing.write_bytes(folders.rpartition(b"\0")[0].rpartition(b"\0")[0] + b"\0")
    assert not stamped(repo.root)
    listing.unlink()
    assert not stamped(repo.root)
    listing.write_bytes(folders)
    assert stamped(repo.root)
    (repo.root / "agents" / "zed" / "tide-clock" / "notes.txt").write_text("x", "utf-8")
    assert not stamped(repo.root)


def test_without_find_the_folders_are_checked_in_python(
    searchable: Cli, repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where neither `find` nor `env` can be run (only git is on the PATH), the stamp holds the
    folders for the Python check, which sees a file added or an agent removed all the same."""
    tools = tmp_path / "only-git"
    tools.mkdir()
    git = shutil.which("git")
    assert git is not None
    (tools / "git").symlink_to(git)
    monkeypatch.setenv("PATH", str(tools))
    settle(repo.root)
    assert refs(searchable, "harbor") == ["acme/harbor-bot", "zed/tide-clock"]
    assert not find_vouches(repo.root)
    assert not (repo.root / CACHE / FOLDERS).exists()
    assert stamped(repo.root)
    readme = repo.root / "agents/zed/tide-clock/README.md"
    readme.write_text("# Tide Clock\n\nA lighthouse keeper's almanac.\n", "utf-8")
    assert not stamped(repo.root)
    assert refs(searchable, "lighthouse") == ["zed/tide-clock"]
    settle(repo.root)
    assert refs(searchable, "lighthouse") == ["zed/tide-clock"]
    assert stamped(repo.root)
    shutil.rmtree(repo.root / "agents" / "acme")
    assert refs(searchable, "harbor") == ["zed/tide-clock"]


@pytest.mark.parametrize(
    ("line", "read"),
    [
        ("12 1796609485.8205242410", (12, 1796609485820524241)),
        ("12 1796609485.82", (12, 1796609485820000000)),
        ("12 1796609485", None),  # no fraction: not what -printf %C@ prints
        ("12 1796609485.8205242411", None),  # more than nanoseconds
        ("12 -1.5000000000", None),  # before 1970
        ("x 1796609485.8205242410", None),
        ("", None),
    ],
)
def test_find_times_are_read_exactly_or_not_at_all(line: str, read: tuple[int, int] | None) -> None:
    assert folders._entry(line) == read
