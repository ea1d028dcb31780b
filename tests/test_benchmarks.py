"""The synthetic catalogs of benchmarks/synth.py: valid, the size of real agents, deterministic.

The benchmarks' figures are only as good as the agents they are measured on: issue 13 found the
same build costs ~2.5x more CPU on agents the size of the real samples than on minimal ones."""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.checks.plugins import lookup
from tests.conftest import REPO, Cli

sys.path.insert(0, str(REPO / "benchmarks"))
from synth import copy_site_sources, make_catalog

AGENTS = 30


def _sizes(paths: list[Path]) -> list[int]:
    return sorted(len(p.read_bytes()) for p in paths)


@pytest.fixture(scope="module")
def realistic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_catalog(tmp_path_factory.mktemp("synth") / "realistic", AGENTS)
    copy_site_sources(root)
    return root


def test_realistic_catalog_validates_without_a_problem(realistic: Path) -> None:
    result = Cli(realistic)("validate")
    assert result.exit_code == 0, result.output
    assert f"{AGENTS} agents valid" in result.output
    assert "warning" not in result.output and "error" not in result.output


def test_realistic_text_reads_like_real_text(realistic: Path) -> None:
    """The checks read synthetic text as they read real text: UTF-8 past ASCII in about the share
    of real characters that have it, and words that wake the persona lint and the secret scanner
    (keys, tokens, agents, AI) without a finding. A pool of plain ASCII without such words made
    both ~3x cheaper per agent than on the real characters."""
    import realistic as made

    from generator.checks.persona_kinds import _ANY_TRIGGER, WORD

    texts = [p.read_text("utf-8") for p in realistic.glob("agents/*/*/character.json")]
    assert any(not t.isascii() for t in texts) and not any("\\u" in t for t in texts)
    pool = made.pool()
    assert 0.2 <= pool.wide <= 0.5  # 22 of the 64 real characters and samples
    past_ascii = [s for s in pool.sentences if not s.isascii()]
    assert len(past_ascii) >= 50
    waking = [s for s in pool.sentences if not _ANY_TRIGGER.isdisjoint(WORD.findall(s.lower()))]
    assert len(waking) >= 50
    narrow = pool.voice(_Never())
    assert narrow.sentences and all(s.isascii() for s in narrow.sentences)


class _Never(random.Random):
    """A random source whose draws never fall under a chance (the ASCII voice, always)."""

    def random(self) -> float:
        return 1.0


def test_minimal_catalog_validates(tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "minimal", AGENTS, rounds=1, mode="minimal")
    copy_site_sources(root)
    result = Cli(root)("validate")
    assert result.exit_code == 0, result.output
    assert f"{AGENTS} agents valid" in result.output


def test_realistic_sizes_are_within_the_real_agents_range(realistic: Path) -> None:
    """The median character and README of a synthetic catalog lie between the smallest and the
    largest of the sample agents' (and the real characters of the test data)."""
    real_chars = _sizes(
        list(REPO.glob("agents/*/*/character.json"))
        + list((REPO / "tests/data/characters").glob("*.json"))
    )
    real_readmes = _sizes(list(REPO.glob("agents/*/*/README.md")))
    chars = _sizes(list(realistic.glob("agents/*/*/character.json")))
    readmes = _sizes(list(realistic.glob("agents/*/*/README.md")))
    assert len(chars) == len(readmes) == AGENTS
    assert real_chars[0] <= chars[0] and chars[-1] <= real_chars[-1]
    assert statistics.median(real_chars) / 2 <= statistics.median(chars)
    assert statistics.median(chars) <= statistics.median(real_chars) * 2
    assert real_readmes[0] <= statistics.median(readmes) <= real_readmes[-1]
    minimal_char = 700  # what the minimal mode writes: the realistic agents are bigger
    assert statistics.median(chars) > 2 * minimal_char


def test_realistic_history_owners_and_plugins(realistic: Path) -> None:
    """~1.3 versions per agent, owners holding several agents with records, registry plugins
    with a 1.x release, and `financial` declared wherever a plugin moves money."""
    log = subprocess.run(
        ["git", "log", "--format=", "--name-only", "--", "agents"],
        cwd=realistic,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    versions = sum(p.endswith("/agent.yaml") for p in log) / AGENTS
    assert 1.1 <= versions <= 1.6
    owners = {p.parent.parent.name for p in realistic.glob("agents/*/*/agent.yaml")}
    assert 2 <= len(owners) < AGENTS
    assert list(realistic.glob("owners/*.yaml"))
    plugins: set[str] = set()
    manifests = [yaml.safe_load(m.read_text("utf-8")) for m in realistic.glob("agents/*/*/*.yaml")]
    assert any("maintainers" in m for m in manifests)
    for manifest in realistic.glob("agents/*/*/agent.yaml"):
        char = json.loads((manifest.parent / "character.json").read_text("utf-8"))
        plugins.update(char["plugins"])
    assert all(lookup(p).status == "ok" for p in plugins)
    assert len(plugins) >= 10
    financial = [
        m for m in realistic.glob("agents/*/*/agent.yaml") if "financial:" in m.read_text("utf-8")
    ]
    assert financial


def test_same_seed_same_commits(tmp_path: Path) -> None:
    """Generation is seeded and the commits dated: two runs give the same commit ids."""
    heads = []
    for name in ("a", "b"):
        root = make_catalog(tmp_path / name, 12)
        heads.append(
            subprocess.run(
                ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
            ).stdout
        )
    assert heads[0] == heads[1]
    other = make_catalog(tmp_path / "c", 12, seed=8)
    assert (
        subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=other, capture_output=True, text=True, check=True
        ).stdout
        != heads[0]
    )
