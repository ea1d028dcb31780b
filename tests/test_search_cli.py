"""`catalog search` end to end: a real git repository, the real catalog loader, the index cached
under .cache/search/ and refreshed when agents change."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.search.command import CACHE, fingerprint
from tests.conftest import CHARACTER, Cli, GitRepo, write_agent

MKDOCS = (
    "site_name: Test Catalog\nsite_url: https://example.org/cat/\n"
    "repo_url: https://github.com/example/cat\n"
)


@pytest.fixture
def searchable(repo: GitRepo, cli: Cli) -> Cli:
    (repo.root / "mkdocs.yml").write_text(MKDOCS, "utf-8")
    write_agent(repo.root)
    write_agent(
        repo.root,
        owner="zed",
        slug="tide-clock",
        name="Tide Clock",
        summary="Tells tide times for every harbor on the coast.",
        tags=["assistant"],
        character={**CHARACTER, "name": "Tide Clock", "topics": ["tides", "moon"]},
    )
    repo.commit("two agents")
    return cli


def test_prints_ranked_results_with_version_and_url(searchable: Cli) -> None:
    result = searchable("search", "harbor bot")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        " 1. Harbor Bot  acme/harbor-bot 1.0.0",
        "    Answers questions about harbor schedules and berths.",
        "    https://example.org/cat/agents/acme/harbor-bot/",
        " 2. Tide Clock  zed/tide-clock 1.0.0",
        "    Tells tide times for every harbor on the coast.",
        "    https://example.org/cat/agents/zed/tide-clock/",
        "2 of 2 matching agents",
    ]
    assert (searchable.root / CACHE / "FINGERPRINT").is_file()


def test_json_for_scripts(searchable: Cli) -> None:
    doc = json.loads(searchable("search", "tides", "--json", "--limit", "1").stdout)
    assert doc["total"] == 1 and doc["did_you_mean"] is None and doc["filters"] == {}
    assert doc["results"][0]["ref"] == "zed/tide-clock"
    assert doc["results"][0]["url"] == "https://example.org/cat/agents/zed/tide-clock/"
    assert set(doc["results"][0]) == {"ref", "name", "version", "summary", "url", "score"}


def test_typo_gets_did_you_mean(searchable: Cli) -> None:
    lines = searchable("search", "tyde clock").stdout.splitlines()
    assert lines[0] == " 1. Tide Clock  zed/tide-clock 1.0.0"
    assert "did you mean: tide clock" in lines


def test_swapped_letters_get_did_you_mean(searchable: Cli) -> None:
    """Two neighbouring letters swapped (`discrod`) are two edits, yet one slip of the fingers."""
    lines = searchable("search", "tdie hrabor").stdout.splitlines()
    assert lines[0] == " 1. Tide Clock  zed/tide-clock 1.0.0"
    assert lines[-2:] == ["did you mean: tide harbor", "2 of 2 matching agents"]


def test_a_filter_alone_needs_no_query(searchable: Cli) -> None:
    result = searchable("search", "--tag", "customer-support")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        " 1. Harbor Bot  acme/harbor-bot 1.0.0",
        "    Answers questions about harbor schedules and berths.",
        "    https://example.org/cat/agents/acme/harbor-bot/",
        "1 of 1 matching agents",
    ]


def test_nothing_matches(searchable: Cli) -> None:
    result = searchable("search", "xylophone")
    assert (result.exit_code, result.stdout) == (0, "no agents match 'xylophone'\n")


def test_filters(searchable: Cli) -> None:
    out = searchable("search", "", "--owner", "zed").stdout
    assert "zed/tide-clock" in out and "acme/harbor-bot" not in out
    out = searchable("search", "harbor", "--tag", "customer-support").stdout
    assert "acme/harbor-bot" in out and "zed/tide-clock" not in out
    out = searchable("search", "", "--plugin", "plugin-sql", "--json").stdout
    assert json.loads(out)["total"] == 2


def test_index_follows_changes(searchable: Cli, repo: GitRepo) -> None:
    assert "zed/tide-clock" in searchable("search", "coast").stdout
    write_agent(
        repo.root,
        owner="zed",
        slug="tide-clock",
        name="Tide Clock",
        version="1.1.0",
        summary="Tells the phases of the moon for sailors.",
        tags=["assistant"],
    )
    repo.commit("tide clock 1.1.0")
    out = searchable("search", "phases").stdout
    assert out.splitlines()[0] == " 1. Tide Clock  zed/tide-clock 1.1.0"
    assert "no agents match" in searchable("search", "coast").stdout


def test_invalid_catalog_is_a_clear_error(searchable: Cli, repo: GitRepo) -> None:
    write_agent(repo.root, owner="zed", slug="broken-bot", name="Broken", version="latest")
    result = searchable("search", "harbor")
    assert result.exit_code == 1
    assert "error: the catalog has 1 validation error; run: catalog validate" in result.output
    assert "Traceback" not in result.output


def test_missing_settings_is_a_clear_error(searchable: Cli, repo: GitRepo) -> None:
    (repo.root / "mkdocs.yml").unlink()
    result = searchable("search", "harbor")
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and "mkdocs.yml" in result.output


def test_no_agents_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = Cli(tmp_path)("search", "harbor")
    assert result.exit_code == 2
    assert "no agents/ folder" in result.output


def test_uncommitted_edits_are_seen_each_time(searchable: Cli, repo: GitRepo) -> None:
    """The git fingerprint: HEAD plus the size and time of each file git sees changed."""
    seen = [fingerprint(repo.root)]
    assert fingerprint(repo.root) == seen[0]  # nothing changed: the index is kept
    for word in ["lighthouses", "buoys"]:  # the same file, changed twice without a commit
        summary = f"Tells tide times and {word}."
        write_agent(repo.root, owner="zed", slug="tide-clock", name="Tide Clock", summary=summary)
        assert searchable("search", word).stdout.splitlines()[0].endswith("zed/tide-clock 1.0.0")
        assert fingerprint(repo.root) not in seen
        seen.append(fingerprint(repo.root))
    repo.commit("edits")
    assert fingerprint(repo.root) not in seen
    assert "no agents match" in searchable("search", "lighthouses").stdout


def test_a_fresh_index_is_queried_without_the_loader(searchable: Cli, repo: GitRepo) -> None:
    """Once the index is fresh, a search in a new process imports neither the loader nor the
    model (pydantic): their imports were ~0.5 s of CPU of every search (issue 13)."""
    assert searchable("search", "harbor").exit_code == 0  # builds the index
    probe = (
        "import sys; from pathlib import Path; from generator.search.command import run_search; "
        "out = run_search(Path(sys.argv[1]), 'harbor', None, None, None, 10, False); "
        "print(out.splitlines()[0]); "
        "print(sorted(m for m in ('pydantic', 'generator.catalog.assemble', "
        "'generator.checks.validate') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(repo.root)], capture_output=True, text=True, check=True
    )
    first, loaded = done.stdout.splitlines()
    assert first.endswith("acme/harbor-bot 1.0.0")
    assert loaded == "[]"
