"""Green pull request, green main (issue 10), end to end in real git repositories.

Each test opens a pull request as a branch, runs the gate on its merge result as the validate
workflow does (`catalog validate --base <main> --author <login>` on a merge of the branch into
main), merges it the three ways GitHub offers (merge commit, squash, rebase), then runs the
build on main. The invariants:

- a pull request that passes the gate builds, whatever the merge strategy;
- every commit the built catalog publishes (each version's commit, pinned by fork commands and
  version pages) holds, for that agent's folder, exactly a tree some gate run validated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator.checks.validate import validate
from generator.site.build import Built, run
from tests.conftest import CHARACTER, Cli, GitRepo, write_agent

Change = Callable[[Path], None]
STRATEGIES = ("merge", "squash", "rebase")


@dataclass
class Catalog:
    """A catalog repository, the trees its checks validated, and a way to open pull requests."""

    repo: GitRepo
    cli: Cli
    validated: set[tuple[str, str]] = field(default_factory=set)
    """(agent folder, git tree id) of every folder state a passing check saw."""
    judged_by: str = ""
    """The line the last gate printed saying which path judged (generator/gate.py)."""

    def git(self, *args: str) -> str:
        return self.repo.git(*args)

    def remember_validated(self) -> None:
        """Record the tree of every agent folder at HEAD (HEAD just passed a check)."""
        listing = self.git("ls-tree", "-r", "-d", "-z", "HEAD", "agents/")
        for entry in filter(None, listing.split("\0")):
            info, folder = entry.split("\t", 1)
            if folder.count("/") == 2:
                self.validated.add((folder, info.split()[2]))

    def pull_request(self, branch: str, *commits: Change) -> str:
        """A branch from main with one commit per change; returns main's sha (the base)."""
        base = self.git("rev-parse", "main")
        self.git("checkout", "--quiet", "-b", branch, "main")
        for number, change in enumerate(commits, 1):
            change(self.repo.root)
            self.repo.commit(f"{branch}: step {number}")
        self.git("checkout", "--quiet", "main")
        return base

    def gate(self, branch: str, author: str) -> tuple[int, list[str]]:
        """The validate workflow: the gate on the merge of `branch` into main (pull/N/merge)."""
        base = self.git("rev-parse", "main")
        self.git("checkout", "--quiet", "--detach", "main")
        self.git("merge", "--quiet", "--no-ff", "--no-edit", branch)
        self.repo.day += 1
        try:
            result = self.cli("validate", "--base", base, "--author", author)
            self.judged_by = result.stderr.splitlines()[0] if result.stderr else ""
            if result.exit_code == 0:
                self.remember_validated()
            return result.exit_code, result.stdout.splitlines()
        finally:
            self.git("checkout", "--quiet", "--force", "main")

    def merge(self, branch: str, strategy: str) -> None:
        """Merge `branch` into main as GitHub's button of that name does."""
        if strategy == "merge":
            self.git("merge", "--quiet", "--no-ff", "-m", f"Merge {branch}", branch)
        elif strategy == "squash":
            self.git("merge", "--quiet", "--squash", branch)
            self.git("commit", "--quiet", "-m", f"{branch} (squashed)")
        else:
            self.git("checkout", "--quiet", branch)
            self.git("rebase", "--quiet", "main")
            self.git("checkout", "--quiet", "main")
            self.git("merge", "--quiet", "--ff-only", branch)
        self.repo.day += 1

    def build(self) -> Built:
        """`catalog build`'s generator on main (the site step is mkdocs on its output)."""
        return run(self.repo.root, None)

    def published_trees(self, built: Built) -> set[tuple[str, str]]:
        """(agent folder, tree id) at every commit the built catalog publishes."""
        assert built.catalog is not None
        trees = set()
        for agent in built.catalog.agents:
            folder = f"agents/{agent.owner}/{agent.slug}"
            for version in agent.versions:
                if version.commit:
                    trees.add((folder, self.git("rev-parse", f"{version.commit}:{folder}")))
        return trees


@pytest.fixture
def catalog(repo: GitRepo, cli: Cli) -> Catalog:
    """main holds acme/harbor-bot 1.0.0 and zed/tide-clock 1.0.0, validated."""
    write_agent(repo.root, version="1.0.0")
    write_agent(repo.root, owner="zed", slug="tide-clock", name="Tide Clock")
    repo.commit("Seed the catalog")
    assert validate(repo.root).ok
    made = Catalog(repo, cli)
    made.remember_validated()
    return made


def _agree(catalog: Catalog, branch: str, author: str, strategy: str) -> tuple[int, list[str]]:
    """Gate the pull request, merge it with `strategy` when it passed, build main; check that
    a passing gate means a passing build that publishes only validated trees."""
    code, lines = catalog.gate(branch, author)
    assert code in (0, 1), lines
    if code == 0:
        catalog.merge(branch, strategy)
        built = catalog.build()
        assert built.generated is not None, built.report_text()
        assert catalog.published_trees(built) <= catalog.validated
    return code, lines


def _readme(text: str) -> Change:
    return lambda root: (root / "agents/acme/harbor-bot/README.md").write_text(text, "utf-8")


def _bump(version: str, **changes: object) -> Change:
    return lambda root: write_agent(root, version=version, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_new_version_passes_and_publishes_its_validated_state(
    catalog: Catalog, strategy: str
) -> None:
    catalog.pull_request("bump", _bump("1.1.0", summary="Answers harbor questions, now faster."))
    code, lines = _agree(catalog, "bump", "acme", strategy)
    assert (code, lines[-1]) == (0, "1 agent valid")


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_intermediate_commits_are_never_published(catalog: Catalog, strategy: str) -> None:
    """The first commit names the agent like another project; the second fixes it. Whatever
    the strategy, the published 1.1.0 is the fixed state the gate saw."""
    catalog.pull_request(
        "rename",
        _bump("1.1.0", name="Harbor Bot Official"),
        _bump("1.1.0", name="Harbor Helper"),
    )
    code, _ = _agree(catalog, "rename", "acme", strategy)
    assert code == 0


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_pathological_readme_renders_at_the_gate_and_in_the_build(
    catalog: Catalog, strategy: str
) -> None:
    """The worst inputs of benchmarks/bench_render.py (16 KB of `[` took the old renderer 140 s),
    with deep nesting: the gate renders them, so the build does too."""
    hostile = "[" * 16_384 + "\n\n" + "![\n" * 5_000 + ">" * 5_000 + " deep\n\n" + "*a " * 5_000
    catalog.pull_request("readme", lambda root: (_readme(hostile)(root), _bump("1.1.0")(root)))
    code, lines = _agree(catalog, "readme", "acme", strategy)
    assert code == 0, lines


def test_a_render_failure_is_the_same_located_line_at_the_gate_and_in_the_build(
    catalog: Catalog,
) -> None:
    """Whatever breaks rendering (here a template that meets an agent it cannot show) stops
    the gate and the build with the same `render-failed` line, never a traceback."""
    template = catalog.repo.root / "site-config/pages/agent.html"
    text = template.read_text("utf-8")  # inside the page's block: what a lean page shows
    template.write_text(text.replace("{% block main %}", "{% block main %}{{ agent.no_such }}", 1))
    catalog.repo.commit("A template that cannot render agents")
    catalog.pull_request("bump", _bump("1.1.0"))
    code, lines = catalog.gate("bump", "acme")
    expected = "agents/acme/harbor-bot: error[render-failed]: its pages cannot be rendered"
    assert code == 1
    assert any(line.startswith(expected) for line in lines), lines
    built = catalog.build()
    assert built.generated is None
    assert expected in built.report_text()


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_pull_request_on_a_proven_green_main_is_judged_fast_and_builds(
    catalog: Catalog, strategy: str
) -> None:
    """Main proven green by a full gate of its clean tree (as the workflow's run on main does):
    the gate judges only what the pull request touches, and what passes still builds and
    publishes only validated trees, then proves the new main green by a full gate again."""
    proved = catalog.cli("validate", "--base", "main")
    assert proved.exit_code == 0 and "whole catalog loaded" in proved.stderr, proved.output
    catalog.pull_request(
        "fast",
        _bump("1.1.0", summary="Answers harbor questions, now with tides."),
        lambda root: write_agent(root, owner="acme", slug="reef-bot", name="Reef Bot"),
    )
    code, lines = _agree(catalog, "fast", "acme", strategy)
    assert (code, lines[-1]) == (0, "2 agents valid"), lines
    assert catalog.judged_by.endswith("judged what the change touches"), catalog.judged_by
    catalog.git("clean", "--quiet", "-fd")  # the build's output, not ignored in this repository
    again = catalog.cli("validate", "--base", "main")
    assert again.exit_code == 0 and "whole catalog loaded" in again.stderr, again.output
    catalog.pull_request("next", _bump("1.2.0"))
    code, lines = _agree(catalog, "next", "acme", strategy)
    assert code == 0, lines
    assert catalog.judged_by.endswith("judged what the change touches"), catalog.judged_by


def test_a_secret_fixed_later_in_the_pull_request_is_refused(catalog: Catalog) -> None:
    """A key any commit adds stays in the public history after a merge or a rebase."""
    leaked = {**CHARACTER, "settings": {"secrets": {"OPENAI_API_KEY": "sk-" + "Ab3" * 16}}}
    catalog.pull_request(
        "leak", lambda root: write_agent(root, version="1.1.0", character=leaked), _bump("1.1.0")
    )
    code, lines = catalog.gate("leak", "acme")
    assert code == 1
    assert any("[secret-in-history]" in line for line in lines), lines
