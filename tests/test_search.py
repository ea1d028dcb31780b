"""The whoosh index and `generator.search.index.search`: fields, boosts, incremental builds, typos,
filters and deterministic order, on real indexes in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.search.index import IndexStats, build_index, search
from tests.search_catalog import agent, catalog

PILOT = agent(
    "harbor-labs/harbor-pilot",
    "Harbor Pilot",
    "Read-only DeFi co-pilot that explains lending and liquidity positions.",
    tags=("defi", "finance"),
    plugins=("@elizaos/plugin-evm",),
    topics=("lending markets", "health factor"),
    bio=("Covers Ethereum and Base.",),
)
LANTERN = agent(
    "nodewatch/lint-lantern",
    "Lint Lantern",
    "Code review agent for Discord that reads pasted diffs and points out bugs.",
    tags=("developer-tools", "discord"),
    plugins=("@elizaos/plugin-discord",),
    topics=("code review", "testing"),
    readme="# Lint Lantern\n\nReviews harbor code.",
)
PARLA = agent(
    "mira/parla",
    "Parla",
    "Spanish and Italian conversation partner on Telegram.",
    tags=("language", "telegram"),
    plugins=("@elizaos/plugin-telegram",),
    topics=("verb conjugation",),
    bio=("Corrects mistakes gently.",),
)


def refs(index: Path, query: str, **filters: str) -> list[str]:
    return [h.ref for h in search(index, query, **filters).hits]  # type: ignore[arg-type]


@pytest.fixture
def index(tmp_path: Path) -> Path:
    build_index(catalog(PILOT, LANTERN, PARLA), tmp_path / "ix")
    return tmp_path / "ix"


def test_every_field_is_searchable(index: Path) -> None:
    assert refs(index, "harbor pilot")[0] == "harbor-labs/harbor-pilot"  # name
    assert refs(index, "liquidity") == ["harbor-labs/harbor-pilot"]  # summary
    assert refs(index, "telegram") == ["mira/parla"]  # tag and plugin
    assert refs(index, "conjugation") == ["mira/parla"]  # character topics
    assert refs(index, "ethereum") == ["harbor-labs/harbor-pilot"]  # character bio
    assert refs(index, "evm") == ["harbor-labs/harbor-pilot"]  # plugin short name
    assert refs(index, "nodewatch") == ["nodewatch/lint-lantern"]  # owner
    assert refs(index, "diffs") == ["nodewatch/lint-lantern"]  # words are stemmed


def test_name_ranks_before_text(index: Path) -> None:
    """`harbor` is Harbor Pilot's name but only in Lint Lantern's README."""
    assert refs(index, "harbor") == ["harbor-labs/harbor-pilot", "nodewatch/lint-lantern"]


def test_results_carry_version_summary_and_canonical_url(index: Path) -> None:
    hit = search(index, "parla").hits[0]
    assert (hit.ref, hit.name, hit.version) == ("mira/parla", "Parla", "1.0.0")
    assert hit.url == "https://example.org/catalog/agents/mira/parla/"
    assert hit.summary.startswith("Spanish and Italian")


def test_typos_match_and_suggest(index: Path) -> None:
    result = search(index, "lint lanter")
    assert [h.ref for h in result.hits] == ["nodewatch/lint-lantern"]
    assert result.did_you_mean == "lint lantern"
    assert search(index, "harbor pilot").did_you_mean is None


def test_nothing_matches_gives_no_hits(index: Path) -> None:
    result = search(index, "xylophone")
    assert (result.hits, result.total, result.did_you_mean) == ((), 0, None)


def test_filters_by_tag_plugin_and_owner(index: Path) -> None:
    assert refs(index, "", tag="defi") == ["harbor-labs/harbor-pilot"]
    assert refs(index, "", plugin="discord") == ["nodewatch/lint-lantern"]
    assert refs(index, "", plugin="@elizaos/plugin-discord") == ["nodewatch/lint-lantern"]
    assert refs(index, "", plugin="plugin-discord") == ["nodewatch/lint-lantern"]
    assert refs(index, "", owner="mira") == ["mira/parla"]
    assert refs(index, "harbor", tag="discord") == ["nodewatch/lint-lantern"]
    assert refs(index, "harbor", owner="nobody") == []


def test_limit_and_total(index: Path) -> None:
    result = search(index, "", limit=2)
    assert [h.ref for h in result.hits] == ["harbor-labs/harbor-pilot", "mira/parla"]
    assert result.total == 3


def test_incremental_build_touches_only_changes(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    assert build_index(catalog(PILOT, LANTERN), ix) == IndexStats(2, 0, 0, 0)
    assert build_index(catalog(PILOT, LANTERN), ix) == IndexStats(0, 0, 0, 2)
    renamed = agent("nodewatch/lint-lantern", "Lint Beacon", version="1.1.0")
    assert build_index(catalog(PILOT, renamed, PARLA), ix) == IndexStats(1, 1, 0, 1)
    assert refs(ix, "beacon") == ["nodewatch/lint-lantern"]
    assert refs(ix, "diffs") == []  # the old summary is gone
    assert build_index(catalog(PARLA), ix) == IndexStats(0, 0, 2, 1)
    assert refs(ix, "") == ["mira/parla"]


def test_delisted_and_removed_agents_leave_the_index(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    build_index(catalog(PILOT, PARLA), ix)
    flagged = agent("mira/parla", "Parla", moderation="flagged")
    delisted = agent("harbor-labs/harbor-pilot", "Harbor Pilot", moderation="delisted")
    assert build_index(catalog(delisted, flagged), ix).removed == 1
    assert refs(ix, "") == ["mira/parla"]


def test_equal_scores_are_ordered_by_ref(tmp_path: Path) -> None:
    twins = [agent(f"owner-{i}/twin-bot", f"Twin {i}", tags=("twin",)) for i in (3, 1, 2)]
    build_index(catalog(*twins), tmp_path / "ix")
    assert refs(tmp_path / "ix", "twin") == [
        "owner-1/twin-bot",
        "owner-2/twin-bot",
        "owner-3/twin-bot",
    ]


def test_missing_index_is_reported(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no search index"):
        search(tmp_path / "nowhere", "x")


def test_stale_schema_version_rebuilds(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    build_index(catalog(PILOT), ix)
    (ix / "SCHEMA_VERSION").write_text("0", "utf-8")
    assert build_index(catalog(PILOT), ix) == IndexStats(1, 0, 0, 0)


def test_browser_assets_are_deterministic_and_leave_out_delisted() -> None:
    from generator.search.index import browser_assets

    hidden = agent("zed/hidden-bot", "Hidden Bot", moderation="delisted")
    first = browser_assets(catalog(PILOT, LANTERN, PARLA, hidden))
    assert first == browser_assets(catalog(hidden, PARLA, LANTERN, PILOT))
    assert {"search/index.json", "search/search.js", "search/search.css", "search/d/0.json"} <= set(
        first
    )
    assert all(path.startswith("search/") for path in first)
    assert b"zed/hidden-bot" not in first["search/d/0.json"]
    assert b"mira/parla" in first["search/d/0.json"]
