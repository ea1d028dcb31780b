"""`catalog serve` rebuilds reuse what did not change (checked agents, history, catalog agents,
search documents, listing pages, name checks, related agents); after every kind of edit, their
output must be byte for byte what a fresh `catalog build` of the same tree writes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.synth import copy_site_sources
from generator.site.build import BuildCache, run
from tests.conftest import CHARACTER, REPO, GitRepo, write_agent

FRESH = """
import json, sys
from pathlib import Path
from generator.site.build import run
built = run(Path(sys.argv[1]), None, clean=True)
assert built.generated is not None, built.report_text()
print(json.dumps([built.generated.written, built.generated.deleted]))
"""

WORDS = ["harbor", "tide", "ferry", "berth", "weather", "garden", "recipe", "poetry", "market"]


def fresh_build_changes(root: Path) -> list[list[str]]:
    """What a fresh process building `root` from scratch writes or deletes (nothing, if the
    cached rebuild left exactly the right files)."""
    done = subprocess.run(
        [sys.executable, "-c", FRESH, str(root)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def agent(root: Path, n: int, **changes: object) -> None:
    """Agent n of a small catalog whose words overlap, so related agents are not trivial."""
    topics = [WORDS[n % 9], WORDS[(n * 2) % 9], WORDS[(n + 4) % 9]]
    character = {**CHARACTER, "name": f"Agent {n}", "topics": topics, "bio": [" ".join(topics)]}
    fields: dict[str, object] = {
        "name": f"Agent {n:02d}",
        "summary": f"Helps with {topics[0]} and {topics[1]}.",
        "tags": ["assistant", ["travel", "education", "productivity"][n % 3]],
        **changes,
    }
    write_agent(root, owner=f"owner{n % 4}", slug=f"agent-{n}", character=character, **fields)


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    root = tmp_path / "catalog"
    (root / "agents").mkdir(parents=True)
    repo = GitRepo(root)
    repo.git("init", "--quiet", "--initial-branch=main")
    copy_site_sources(root)
    for n in range(12):
        agent(root, n)
    repo.commit("Twelve agents")
    return repo


def test_serve_rebuilds_write_what_a_fresh_build_writes(repo: GitRepo) -> None:
    root = repo.root
    cache = BuildCache()
    steps = [
        ("version bump, not committed", lambda: agent(root, 3, version="1.1.0")),
        ("the bump committed", lambda: repo.commit("agent-3 1.1.0")),
        ("new words", lambda: agent(root, 5, summary="Plans ferry trips by tide tables.")),
        ("renamed", lambda: agent(root, 7, name="Harbor Helper")),
        ("retagged", lambda: agent(root, 8, tags=["assistant", "finance"])),
        ("an agent added", lambda: (agent(root, 12), repo.commit("agent-12"))),
        (
            "an agent removed",
            lambda: (shutil.rmtree(root / "agents/owner1/agent-9"), repo.commit("remove")),
        ),
        (
            "flagged",
            lambda: (root / "moderation.yaml").write_text(
                "owner2/agent-6:\n  state: flagged\n  reason: Broken.\n"
                "  issue: https://github.com/example/catalog/issues/1\n  date: 2026-01-09\n"
            ),
        ),
        ("back to the bump", lambda: agent(root, 5)),
    ]
    assert run(root, None, cache=cache).generated is not None
    for what, edit in steps:
        edit()
        built = run(root, None, cache=cache)
        assert built.generated is not None, (what, built.report_text())
        assert fresh_build_changes(root) == [[], []], what
