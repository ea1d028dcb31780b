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
from generator.site.freshness import STAMP, code_digest
from tests.conftest import CHARACTER, REPO, Cli, GitRepo, write_agent

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


def site_files(site: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of a built site: its bytes and inode (a file written again has a new one)."""
    return {
        p.relative_to(site).as_posix(): (p.read_bytes(), p.stat().st_ino)
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def changed(before: dict[str, tuple[bytes, int]], after: dict[str, tuple[bytes, int]]) -> set[str]:
    """Paths whose bytes differ, or that came or went."""
    paths = before.keys() | after.keys()
    return {p for p in paths if before.get(p, (b"",))[0] != after.get(p, (b"",))[0]}


def build(root: Path, *args: str) -> str:
    result = Cli(root)("build", *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_build_that_cannot_render_an_agent_is_retried_whole(repo: GitRepo) -> None:
    """A one-shot build writes the catalog-wide files while its agents render; when an agent
    cannot be rendered it stops before its state and mkdocs, so the next build renders every
    agent again and leaves what a fresh build writes."""
    root = repo.root
    template = root / "site-config/pages/agent.html"
    text = template.read_text("utf-8")
    template.write_text(text.replace("{% block main %}", "{% block main %}{{ agent.no_such }}", 1))
    repo.commit("A template that cannot render agents")
    failed = Cli(root)("build")
    assert failed.exit_code == 1 and "error[render-failed]" in failed.output, failed.output
    assert (root / "catalog/owners/owner0/index.html").is_file()  # catalog-wide, written early
    assert not (root / "catalog/.generated.json").exists()
    assert not (root / "site").exists()
    template.write_text(text)
    repo.commit("The template again")
    assert "built 12 agents" in build(root)
    assert fresh_build_changes(root) == [[], []]


def test_a_build_with_nothing_changed_touches_nothing(repo: GitRepo) -> None:
    root = repo.root
    assert "built 12 agents" in build(root)
    before = site_files(root / "site")
    again = build(root)
    assert "nothing changed since the last build (12 agents" in again
    assert site_files(root / "site") == before  # not a byte, not an inode
    (root / "agents/owner0/agent-0/README.md").write_text("# Agent 0\n\nNow reads tides.\n")
    assert "built 12 agents" in build(root)  # an edit not committed yet counts
    (root / "agents/owner0/agent-0/README.md").write_text("# Agent 0\n\nNow reads charts.\n")
    assert "built 12 agents" in build(root)  # and so does a second edit of the same file
    page = (root / "site/agents/owner0/agent-0/index.html").read_text()
    assert "Now reads charts." in page and "Now reads tides." not in page


def test_each_change_rebuilds_its_pages_and_nothing_else(repo: GitRepo) -> None:
    root, site = repo.root, repo.root / "site"
    build(root)
    agent0 = "agents/owner0/agent-0/index.html"
    noise = ("search/", "browse.json", "api/")  # the indexes every agent feeds

    before = site_files(site)
    (root / "agents/owner0/agent-0/README.md").write_text("# Agent 0\n\nReads tide tables.\n")
    build(root)
    after = site_files(site)
    assert agent0 in changed(before, after)
    assert {p for p in changed(before, after) if not p.startswith(noise)} == {agent0}
    assert after["index.html"] == before["index.html"]  # same inode: mkdocs did not run
    assert "Reads tide tables." in after[agent0][0].decode()

    before = site_files(site)
    (root / "moderation.yaml").write_text(
        "owner1/agent-1:\n  state: flagged\n  reason: Broken links.\n"
        "  issue: https://github.com/example/catalog/issues/1\n  date: 2026-01-09\n"
    )
    build(root)
    after = site_files(site)
    assert "Broken links." in after["agents/owner1/agent-1/index.html"][0].decode()
    assert agent0 not in changed(before, after)

    before = site_files(site)
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text().replace("Find, fork and report", "Find and fork"))
    build(root)
    after = site_files(site)
    assert "Find and fork" in after["submit/index.html"][0].decode()  # a themed page
    assert not any(p.startswith("agents/") for p in changed(before, after))

    before = site_files(site)
    template = root / "site-config/pages/agent.html"
    text = template.read_text()
    template.write_text(text.replace('<h2 id="about">About', '<h2 id="about">Readme'))
    build(root)
    after = site_files(site)
    pages = {p for p in changed(before, after) if p.startswith("agents/")}
    assert {p for p in pages if p.count("/") == 3} == {  # every canonical page, no version page
        f"agents/owner{n % 4}/agent-{n}/index.html" for n in range(12)
    }

    shutil.rmtree(root / "agents/owner1/agent-9")
    repo.commit("agent-9 removed")  # pages and listings change, files go: mkdocs keeps the rest
    build(root)
    assert "removed" in (site / "agents/owner1/agent-9/index.html").read_text()
    assert not (site / "api/v1/agents/owner1/agent-9.json").exists()

    fresh = root.parent / "fresh"  # after all of it, the site is what a fresh build makes
    build(root, "--clean", "--site-dir", str(fresh))
    assert {p: b for p, (b, _) in site_files(site).items()} == {
        p: b for p, (b, _) in site_files(fresh).items()
    }


def test_a_stale_or_broken_stamp_never_keeps_a_stale_page(repo: GitRepo) -> None:
    root = repo.root
    stamp, readme = root / "catalog" / STAMP, root / "agents/owner0/agent-0/README.md"
    page = root / "site/agents/owner0/agent-0/index.html"
    build(root)
    first = stamp.read_text()
    readme.write_text("# Agent 0\n\nReads tide tables.\n")
    build(root)  # only agent 0's files change: no mkdocs run
    stamp.write_text(first)  # the first build's stamp put back...
    subprocess.run(["git", "checkout", "--quiet", "--", str(readme)], cwd=root, check=True)
    output = build(root)  # ...with the first build's inputs: the site is not the first's
    assert "built 12 agents" in output and "Reads tide tables." not in page.read_text()
    stamp.write_text("{not json")
    assert "built 12 agents" in build(root)  # a corrupt stamp proves nothing
    stamp.write_text(json.dumps({**json.loads(first), "inputs": "0" * 64}))
    assert "built 12 agents" in build(root)
    (root / "site/index.html").unlink()  # a site changed by hand
    assert "built 12 agents" in build(root) and (root / "site/index.html").is_file()
    assert "built 12 agents" in build(root, "--clean")  # --clean trusts no stamp


def test_a_change_to_the_generator_changes_its_digest(tmp_path: Path) -> None:
    package = tmp_path / "generator"
    shutil.copytree(REPO / "generator", package, ignore=shutil.ignore_patterns("__pycache__"))
    before = code_digest(package)
    assert code_digest(package) == before
    module = package / "site/render.py"
    module.write_text(module.read_text() + "\n")
    assert code_digest(package) != before
