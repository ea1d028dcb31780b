"""History from git in one pass: dates, published versions, moves and removals, in real repos."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.catalog.assemble import load_catalog
from generator.catalog.model import Site
from generator.history.reader import HistoryError, read_blobs, read_history
from generator.site.build import BuildCache
from tests.conftest import CHARACTER, README, GitRepo, write_agent

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
