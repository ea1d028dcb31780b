"""History from git in one pass: dates, published versions, moves and removals, in real repos."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks.synth import copy_site_sources
from generator.catalog.assemble import EPOCH, load_catalog
from generator.catalog.model import Site
from generator.checks import load, manifest
from generator.flows.fork import _release
from generator.history import manifests
from generator.history.reader import HistoryError, read_blobs, read_history
from generator.site.build import BuildCache, run
from tests.conftest import CHARACTER, README, Cli, GitRepo, write_agent

SITE = Site("https://example.org/catalog/", "https://github.com/example/catalog")


def day(n: int) -> datetime:
    return datetime(2026, 1, n, 12, 0, tzinfo=UTC)


@pytest.fixture
def lived(repo: GitRepo) -> GitRepo:
    """harbor-bot: 1.0.0 (day 1), 1.1.0 (day 2), a README-only 1.1.1
    (day 3); tide-clock added day 2, moved to zed/tide-clock day 4; old-bot removed day 5."""
    write_agent(repo.root, version="1.0.0")
    write_agent(repo.root, owner="acme", slug="old-bot", name="Old Bot")
    repo.commit("Add harbor-bot 1.0.0 and old-bot")
    write_agent(repo.root, version="1.1.0", summary="Answers harbor questions, now with tides.")
    write_agent(repo.root, owner="acme", slug="tide-clock", name="Tide Clock")
    repo.commit("harbor-bot 1.1.0; add tide-clock")
    write_agent(
        repo.root,
        version="1.1.1",
        summary="Answers harbor questions, now with tides.",
        readme="# Harbor Bot\n\nFixed typo.\n",
    )
    repo.commit("harbor-bot 1.1.1")
    (repo.root / "agents/zed").mkdir()
    repo.git("mv", "agents/acme/tide-clock", "agents/zed/tide-clock")
    text = (repo.root / "agents/zed/tide-clock/agent.yaml").read_text()
    (repo.root / "agents/zed/tide-clock/agent.yaml").write_text(
        text.replace("owner: acme", "owner: zed")
    )
    repo.commit("Move tide-clock to zed")
    shutil.rmtree(repo.root / "agents/acme/old-bot")
    repo.commit("Remove old-bot")
    return repo


def test_dates_and_versions(lived: GitRepo) -> None:
    history = read_history(lived.root)
    bot = history.agents["acme/harbor-bot"]
    assert (bot.created, bot.updated) == (day(1), day(3))
    assert [(r.version, r.date) for r in bot.releases] == [
        ("1.0.0", day(1)),
        ("1.1.0", day(2)),
        ("1.1.1", day(3)),
    ]
    assert set(bot.releases[2].files) == {"agent.yaml"}  # the manifest only, by default
    readme = bot.releases[2].blobs["README.md"]
    assert read_blobs(lived.root, [readme])[readme] == b"# Harbor Bot\n\nFixed typo.\n"
    every = read_history(lived.root, every_file=True).agents["acme/harbor-bot"].releases[2]
    assert every.files["README.md"] == b"# Harbor Bot\n\nFixed typo.\n"
    assert set(every.files) == set(every.blobs)
    assert bot.releases[0].commit == lived.git("rev-list", "--max-parents=0", "HEAD")
    assert history.head_date == day(5)


def test_move_keeps_history_and_leaves_a_redirect(lived: GitRepo) -> None:
    history = read_history(lived.root)
    moved = history.agents["zed/tide-clock"]
    assert (moved.created, moved.updated) == (day(2), day(4))
    assert [r.version for r in moved.releases] == ["1.0.0"]
    gone = history.departures["acme/tide-clock"]
    assert (gone.moved_to, gone.date, gone.versions) == ("zed/tide-clock", day(4), ("1.0.0",))


def test_removal_leaves_a_tombstone_with_its_versions(lived: GitRepo) -> None:
    gone = read_history(lived.root).departures["acme/old-bot"]
    assert (gone.moved_to, gone.date, gone.last_version, gone.versions) == (
        None,
        day(5),
        "1.0.0",
        ("1.0.0",),
    )
    assert "acme/old-bot" not in read_history(lived.root).agents


def test_recreated_agent_starts_a_new_history(lived: GitRepo) -> None:
    write_agent(lived.root, owner="acme", slug="old-bot", name="Old Bot", version="2.0.0")
    lived.commit("Bring old-bot back")
    history = read_history(lived.root)
    assert "acme/old-bot" not in history.departures
    assert history.agents["acme/old-bot"].created == day(6)


def test_catalog_model(lived: GitRepo) -> None:
    catalog, report = load_catalog(lived.root, SITE)
    assert report.ok and catalog is not None
    bot = catalog.by_ref["acme/harbor-bot"]
    assert [v.version for v in bot.versions] == ["1.0.0", "1.1.0", "1.1.1"]
    assert (
        bot.versions[0].manifest.summary == "Answers questions about harbor schedules and berths."
    )
    assert bot.versions[-1].manifest is bot.manifest
    # older versions' other files are read from git when asked for
    assert bot.versions[1].readme == README and bot.versions[1].character == CHARACTER
    assert [(g.ref, g.moved_to) for g in catalog.gone] == [
        ("acme/old-bot", None),
        ("acme/tide-clock", "zed/tide-clock"),
    ]
    assert catalog.site.build_date == day(5)


def test_uncommitted_agent_is_previewed_with_the_build_date(
    lived: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(day(9).timestamp())))
    write_agent(lived.root, owner="zed", slug="draft-bot", name="Draft Bot")
    write_agent(lived.root, version="1.2.0", summary="Answers harbor questions, now with tides.")
    catalog, _ = load_catalog(lived.root, SITE)
    assert catalog is not None
    draft = catalog.by_ref["zed/draft-bot"]
    assert (draft.created, draft.updated_commit, draft.versions[0].commit) == (day(9), "", "")
    assert [(v.version, v.commit != "") for v in catalog.by_ref["acme/harbor-bot"].versions][
        -2:
    ] == [("1.1.1", True), ("1.2.0", False)]


def test_invalid_catalog_gives_no_catalog(lived: GitRepo) -> None:
    write_agent(lived.root, version="latest")
    catalog, report = load_catalog(lived.root, SITE)
    assert catalog is None and not report.ok


def test_shallow_clone_is_refused(lived: GitRepo, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "--quiet", "--depth", "1", f"file://{lived.root}", str(clone)], check=True
    )
    with pytest.raises(HistoryError, match=r"shallow.*fetch-depth: 0"):
        read_history(clone)


def test_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "agents").mkdir()
    with pytest.raises(HistoryError, match="not in a git repository"):
        read_history(tmp_path)


def test_cache_rereads_only_changed_agents(lived: GitRepo) -> None:
    cache = BuildCache()
    first, _ = load_catalog(lived.root, SITE, cache)
    checked = {ref: agent for ref, (_, agent) in cache.agents.items()}
    write_agent(lived.root, version="1.2.0", summary="Answers harbor questions, now with tides.")
    second, _ = load_catalog(lived.root, SITE, cache)
    assert first is not None and second is not None
    assert second.by_ref["acme/harbor-bot"].manifest.version == "1.2.0"
    assert cache.agents[("zed", "tide-clock")][1] is checked[("zed", "tide-clock")]
    assert cache.agents[("acme", "harbor-bot")][1] is not checked[("acme", "harbor-bot")]
    assert cache.history is not None and cache.history.head == lived.git("rev-parse", "HEAD")


def folder_at(repo: GitRepo, commit: str, ref: str = "acme/harbor-bot") -> str:
    """The agent folder's files at `commit`, as blob ids."""
    return repo.git("ls-tree", "-r", commit, "--", f"agents/{ref}/")


def test_a_version_is_pinned_to_the_last_state_holding_it(lived: GitRepo) -> None:
    """Created and last-updated stay the first and last commits touching the folder."""
    write_agent(
        lived.root,
        version="1.1.1",
        summary="Answers harbor questions, now with tides.",
        readme="# Harbor Bot\n\nFixed another typo.\n",
    )
    fixed = lived.commit("harbor-bot README fix, same version (no gate on main)")
    bot = read_history(lived.root).agents["acme/harbor-bot"]
    assert [(r.version, r.commit, r.date) for r in bot.releases] == [
        ("1.0.0", lived.git("rev-list", "--max-parents=0", "HEAD"), day(1)),
        ("1.1.0", lived.git("rev-parse", "HEAD~4"), day(2)),
        ("1.1.1", fixed, day(6)),
    ]
    assert (bot.created, bot.updated, bot.updated_commit) == (day(1), day(6), fixed)


PR_DRAFT = {**CHARACTER, "adjectives": ["sk-" + "ant-" + "0" * 24]}  # a key, fixed later


def _merge(repo: GitRepo, strategy: str) -> None:
    """Merge branch `pr` into main as GitHub would: merge commit, squash, or rebase."""
    repo.git("checkout", "--quiet", "main")
    if strategy == "merge":
        repo.git("merge", "--quiet", "--no-ff", "-m", "Merge pull request #1", "pr")
    elif strategy == "squash":
        repo.git("merge", "--quiet", "--squash", "pr")
        repo.commit("harbor-bot 1.1.0 (#1)")
    else:
        repo.git("rebase", "--quiet", "main", "pr")
        repo.git("checkout", "--quiet", "main")
        repo.git("merge", "--quiet", "--ff-only", "pr")
    repo.day += 1


@pytest.mark.parametrize("strategy", ["merge", "squash", "rebase"])
def test_every_merge_strategy_publishes_only_the_final_state(repo: GitRepo, strategy: str) -> None:
    """A 3-commit pull request whose first commit holds a key that the second removes: the
    version is pinned to the final state, and so are the version page and `catalog fork`."""
    write_agent(repo.root, version="1.0.0")
    base = repo.commit("harbor-bot 1.0.0")
    repo.git("checkout", "--quiet", "-b", "pr")
    write_agent(repo.root, version="1.1.0", character=PR_DRAFT)
    repo.commit("1.1.0, draft")
    write_agent(repo.root, version="1.1.0")
    repo.commit("drop the key")
    write_agent(repo.root, version="1.1.0", readme="# Harbor Bot\n\nNow with tides.\n")
    final = folder_at(repo, repo.commit("README"))
    repo.git("checkout", "--quiet", "main")
    write_agent(repo.root, owner="zed", slug="tide-clock", name="Tide Clock")
    repo.commit("tide-clock, merged meanwhile")
    _merge(repo, strategy)

    releases = read_history(repo.root).agents["acme/harbor-bot"].releases
    assert [r.version for r in releases] == ["1.0.0", "1.1.0"]
    assert folder_at(repo, releases[0].commit) == folder_at(repo, base)
    assert folder_at(repo, releases[1].commit) == final
    assert releases[1].date == datetime.fromtimestamp(
        int(repo.git("log", "-1", "--format=%ct", releases[1].commit)), UTC
    )
    assert _release(repo.root, "acme/harbor-bot", "1.1.0").commit == releases[1].commit
    catalog, _ = load_catalog(repo.root, SITE)
    assert catalog is not None
    page = catalog.by_ref["acme/harbor-bot"].versions[-1]
    assert (page.version, page.commit, page.date) == ("1.1.0", releases[1].commit, releases[1].date)


def test_a_move_to_an_earlier_name_continues_the_history(lived: GitRepo) -> None:
    """The move is read before the arrival, whatever the order of the two names."""
    (lived.root / "agents/aaron").mkdir()
    lived.git("mv", "agents/zed/tide-clock", "agents/aaron/tide-clock")
    path = lived.root / "agents/aaron/tide-clock/agent.yaml"
    path.write_text(path.read_text().replace("owner: zed", "owner: aaron"))
    moved = lived.commit("Move tide-clock to aaron")
    history = read_history(lived.root)
    clock = history.agents["aaron/tide-clock"]
    assert (clock.created, clock.updated, clock.updated_commit) == (day(2), day(6), moved)
    assert [(r.version, r.commit) for r in clock.releases] == [("1.0.0", moved)]
    assert history.departures["zed/tide-clock"].moved_to == "aaron/tide-clock"


# Old manifests no check saw (history from before the gate, a direct push), each held by one
# commit between harbor-bot 1.0.0 and 1.1.0, with the reason the history gives.
UNREADABLE: list[tuple[bytes, str]] = [
    (b"name: \xff\nversion: 1.0.1\n", "is not UTF-8"),
    (b"\0version: 1.0.2\n", "is binary"),
    (b"version: 1.0.3\n#" + b"x" * 70_000 + b"\n", "is 70,017 bytes, over the 64 KiB limit"),
    (b"version: 1.0.4\nname: [unclosed\n", "is not valid YAML"),
    (b"version: 1.0.5\nsummary: 2026-02-30\n", "is not valid YAML"),  # a ValueError in PyYAML
    (b"version: 1.0.6\nx: " + b"[" * 1_000 + b"]" * 1_000 + b"\n", "is not valid YAML"),  # deep
    (b"- version: 1.0.7\n", "is not a mapping of keys"),
    (b"name: Harbor Bot\n", "has no version"),
    (
        b"version: '../../../../escape'\n",
        "has version '../../../../escape', not a semantic version",
    ),
    (
        b"version: '" + b"1" * 80 + b"'\n",
        "has version '11111111111111111111111111111111111111…, not a semantic version",
    ),
    (b"version: [1, 0, 8]\n", "has version [1, 0, 8], not a semantic version"),
]


@pytest.fixture
def unreadable(repo: GitRepo) -> GitRepo:
    write_agent(repo.root, version="1.0.0")
    repo.commit("harbor-bot 1.0.0")
    for text, _ in UNREADABLE:
        (repo.root / "agents/acme/harbor-bot/agent.yaml").write_bytes(text)
        repo.commit("a manifest no check saw")
    write_agent(repo.root, version="1.1.0")
    repo.commit("harbor-bot 1.1.0")
    return repo


def test_unreadable_old_manifests_publish_nothing_and_are_reported(unreadable: GitRepo) -> None:
    history = read_history(unreadable.root)
    bot = history.agents["acme/harbor-bot"]
    assert [(r.version, r.date) for r in bot.releases] == [("1.0.0", day(1)), ("1.1.0", day(13))]
    assert [(s.path, s.date, s.reason) for s in history.skipped] == [
        ("agents/acme/harbor-bot/agent.yaml", day(2 + n), reason)
        for n, (_, reason) in enumerate(UNREADABLE)
    ]
    catalog, report = load_catalog(unreadable.root, SITE)
    assert catalog is not None and report.ok
    assert [v.version for v in catalog.by_ref["acme/harbor-bot"].versions] == ["1.0.0", "1.1.0"]
    first = unreadable.git("rev-parse", "--short=12", "HEAD~11")
    assert report.problems[0].text() == (
        "agents/acme/harbor-bot/agent.yaml: warning[history-unreadable]: as of 2026-01-02, "
        f"commit {first}, agent.yaml is not UTF-8, so that state publishes no version; nothing "
        "to change; to publish that state, commit it again under a new version"
    )
    assert [p.rule for p in report.problems] == ["history-unreadable"] * len(UNREADABLE)


def test_the_build_prints_the_warnings_and_builds(unreadable: GitRepo) -> None:
    copy_site_sources(unreadable.root)
    built = run(unreadable.root, None)
    assert built.generated is not None, built.report_text()
    lines = built.report_text().splitlines()
    assert len(lines) == len(UNREADABLE) + 1 and lines[-1] == "11 warnings in 1 of 1 agent"
    pages = unreadable.root / "catalog/agents/acme/harbor-bot"
    assert sorted(p.name for p in pages.iterdir() if p.is_dir()) == ["1.0.0", "1.1.0"]


def test_a_later_unreadable_state_leaves_the_version_at_its_last_readable_one(
    repo: GitRepo,
) -> None:
    write_agent(repo.root, version="1.0.0")
    first = repo.commit("harbor-bot 1.0.0")
    path = repo.root / "agents/acme/harbor-bot/agent.yaml"
    path.write_text(path.read_text() + "summary: [broken\n")
    repo.commit("a broken edit, same version")
    write_agent(repo.root, version="1.1.0")
    repo.commit("harbor-bot 1.1.0")
    history = read_history(repo.root)
    releases = history.agents["acme/harbor-bot"].releases
    assert [(r.version, r.commit) for r in releases] == [
        ("1.0.0", first),
        ("1.1.0", releases[1].commit),
    ]
    assert [(s.date, s.reason) for s in history.skipped] == [(day(2), "is not valid YAML")]


def test_objects_that_are_not_files_publish_nothing(repo: GitRepo) -> None:
    """agent.yaml as a submodule entry (gitlink): `git cat-file` gives a commit, not a blob."""
    write_agent(repo.root, version="1.0.0")
    first = repo.commit("harbor-bot 1.0.0")
    repo.git("rm", "--quiet", "--cached", "agents/acme/harbor-bot/agent.yaml")
    repo.git(
        "update-index", "--add", "--cacheinfo", f"160000,{first},agents/acme/harbor-bot/agent.yaml"
    )
    repo.git("commit", "--quiet", "-m", "a gitlink")
    repo.day += 1
    repo.git("rm", "--quiet", "--cached", "agents/acme/harbor-bot/agent.yaml")
    write_agent(repo.root, version="1.1.0")
    repo.commit("harbor-bot 1.1.0")
    history = read_history(repo.root)
    assert [r.version for r in history.agents["acme/harbor-bot"].releases] == ["1.0.0", "1.1.0"]
    assert [s.reason for s in history.skipped] == [
        "is not a file (a submodule, or an object missing from the clone)"
    ]


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [("99999999999999", datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)), ("-5", EPOCH)],
)
def test_a_commit_with_an_absurd_date_is_clamped(
    repo: GitRepo, stamp: str, expected: datetime
) -> None:
    """git accepts `GIT_COMMITTER_DATE=@99999999999999`; a hand-made commit may hold anything."""
    write_agent(repo.root, version="1.0.0")
    repo.commit("harbor-bot 1.0.0")
    write_agent(repo.root, version="1.1.0")
    repo.git("add", "-A")
    tree = repo.git("write-tree")
    who = f"Catalog Test <test@example.invalid> {stamp} +0000"
    text = (
        f"tree {tree}\nparent {repo.git('rev-parse', 'HEAD')}\nauthor {who}\ncommitter {who}\n\nx\n"
    )
    path = repo.root.parent / "commit.txt"
    path.write_text(text)
    odd = repo.git("hash-object", "--literally", "-t", "commit", "-w", str(path))
    repo.git("reset", "--quiet", "--soft", odd)
    history = read_history(repo.root)
    assert history.head_date == expected
    assert history.agents["acme/harbor-bot"].releases[-1].date == expected
    catalog, _ = load_catalog(repo.root, SITE)
    assert catalog is not None


def test_the_copies_of_the_validator_limits_are_equal() -> None:
    """history/ may not import checks/; these are the same limits and grammar."""
    assert (manifests.MAX_MANIFEST_BYTES, manifests.SEMVER_GRAMMAR) == (
        load.MAX_MANIFEST_BYTES,
        manifest.SEMVER_GRAMMAR,
    )
    limit = manifest.Manifest.model_fields["version"].metadata[0].max_length
    assert limit == manifests.MAX_VERSION


def test_fork_knows_only_the_published_versions(unreadable: GitRepo) -> None:
    """`catalog fork` reads the same history: a skipped state is no version to fork."""
    (unreadable.root / "agents/zed").mkdir()
    result = Cli(unreadable.root)("fork", "acme/harbor-bot@1.0.4", "--as", "zed/harbor-copy")
    assert (result.exit_code, result.stderr.strip()) == (
        1,
        "error: unknown version acme/harbor-bot@1.0.4; published: 1.0.0, 1.1.0",
    )


def test_an_older_version_whose_files_do_not_parse_shows_no_data(repo: GitRepo) -> None:
    """Its manifest a YAML mapping the model refuses, its character too deep for the JSON
    parser, its README not UTF-8: the version page shows today's shape, never a traceback."""
    write_agent(
        repo.root,
        manifest="version: 1.0.0\nname: [not, a, name]\nsummary: 2026-01-05\n",
        character="[" * 100_000 + "]" * 100_000,
        readme=None,
    )
    (repo.root / "agents/acme/harbor-bot/README.md").write_bytes(b"# Harbor \xff\n")
    repo.commit("harbor-bot 1.0.0, pushed past the gate")
    write_agent(repo.root, version="1.1.0")
    repo.commit("harbor-bot 1.1.0")
    catalog, report = load_catalog(repo.root, SITE)
    assert catalog is not None and report.ok
    old = catalog.by_ref["acme/harbor-bot"].versions[0]
    assert (old.version, old.manifest.name, old.character) == ("1.0.0", "Harbor Bot", {})
    assert old.readme == "# Harbor \ufffd\n"
