"""moderation.yaml: the loader, the problems `catalog validate` prints, and the real file."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.catalog.model import Moderation
from generator.checks.moderation import load_moderation
from tests.conftest import REPO, Cli, write_agent

ISSUE = "https://github.com/example-org/agents-catalog/issues"
GOOD = f"""\
# maintainers only
acme/scam-bot:
  state: delisted
  reason: Impersonates the elizaOS team.
  issue: {ISSUE}/3
  date: 2026-02-12
acme/broken-bot:
  state: flagged
  reason: Does not start.
  issue: {ISSUE}/7
  date: 2026-02-18
acme/spam-bot:
  state: removed
  reason: Spam.
  issue: {ISSUE}/5
  date: 2026-02-20
"""


@pytest.fixture
def moderated(cli: Cli) -> Cli:
    for slug, name in (("scam-bot", "Scam"), ("broken-bot", "Broken"), ("spam-bot", "Spam")):
        write_agent(cli.root, slug=slug, name=f"{name} Bot")
    return cli


def test_flagged_delisted_and_removed_agents_load(moderated: Cli) -> None:
    (moderated.root / "moderation.yaml").write_text(GOOD, "utf-8")
    decisions, problems = load_moderation(moderated.root)
    assert problems == []
    assert decisions == {
        "acme/broken-bot": Moderation("flagged", "Does not start.", f"{ISSUE}/7", "2026-02-18"),
        "acme/scam-bot": Moderation(
            "delisted", "Impersonates the elizaOS team.", f"{ISSUE}/3", "2026-02-12"
        ),
        "acme/spam-bot": Moderation("removed", "Spam.", f"{ISSUE}/5", "2026-02-20"),
    }
    assert moderated("validate").stdout == "3 agents valid\n"


def test_no_file_or_an_empty_file_means_no_decisions(moderated: Cli) -> None:
    assert load_moderation(moderated.root) == ({}, [])
    (moderated.root / "moderation.yaml").write_text("# nothing yet\n", "utf-8")
    assert load_moderation(moderated.root) == ({}, [])


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (
            ("state: flagged", "state: hidden"),
            "moderation.yaml:8:10: error[moderation-invalid]: acme/broken-bot: state: Input "
            "should be "
            "'flagged', 'delisted' or 'removed'; use flagged, delisted or removed",
        ),
        (
            ("  reason: Spam.\n", ""),
            "moderation.yaml:13:3: error[moderation-invalid]: acme/spam-bot: reason is missing; "
            "add reason",
        ),
        (
            ("Spam.", "x" * 281),
            "moderation.yaml:14:11: error[moderation-invalid]: acme/spam-bot: reason: String "
            "should "
            "have at most 280 characters; write it on one line, 3-280 characters",
        ),
        (
            (f"{ISSUE}/3", "http://example.org/3"),
            "moderation.yaml:5:10: error[moderation-invalid]: acme/scam-bot: issue is not an https "
            "link; link the report issue, https://github.com/...",
        ),
        (
            ("2026-02-20", "'2026-02-30'"),
            "moderation.yaml:16:9: error[moderation-invalid]: acme/spam-bot: date is not a real "
            "date; "
            "write the date of the decision as YYYY-MM-DD",
        ),
        (
            ("2026-02-20", "2026-02-30"),
            "moderation.yaml:16:9: error[moderation-invalid]: bad value '2026-02-30': day is out "
            "of "
            "range for month; quote it",
        ),
        (
            ("  date: 2026-02-18\n", "  date: 2026-02-18\n  banner: red\n"),
            "moderation.yaml:12:11: error[moderation-invalid]: acme/broken-bot: unknown key "
            "'banner'; "
            "the keys are state, reason, issue and date",
        ),
        (
            ("acme/spam-bot:", "acme/Spam Bot:"),
            "moderation.yaml:12:1: error[moderation-invalid]: 'acme/Spam Bot' is not owner/slug; "
            "write "
            "the agent as owner/slug, e.g. acme/harbor-bot",
        ),
        (
            ("acme/spam-bot:", "acme/ghost-bot:"),
            "moderation.yaml:12:1: error[moderation-unknown-agent]: acme/ghost-bot has no folder "
            "under "
            "agents/; fix the owner/slug, or remove the entry",
        ),
        (
            ("acme/spam-bot:", "acme/scam-bot:"),
            "moderation.yaml:12:1: error[moderation-invalid]: key 'acme/scam-bot' appears twice "
            "(first "
            "on line 2); keep one of them",
        ),
    ],
)
def test_each_mistake_is_one_problem_with_its_line(
    moderated: Cli, change: tuple[str, str], line: str
) -> None:
    (moderated.root / "moderation.yaml").write_text(GOOD.replace(*change), "utf-8")
    result = moderated("validate")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [line, "1 error in moderation.yaml"]


def test_the_repository_moderates_a_flagged_a_delisted_and_a_removed_sample() -> None:
    decisions, problems = load_moderation(REPO)
    assert problems == []
    assert sorted(d.state for d in decisions.values()) == ["delisted", "flagged", "removed"]
    for ref in decisions:
        assert (REPO / "agents" / ref / "agent.yaml").is_file()


def test_moderation_file_is_guarded_by_codeowners() -> None:
    owners = (REPO / ".github" / "CODEOWNERS").read_text("utf-8").splitlines()
    assert any(
        line.split()[0] == "/moderation.yaml"
        for line in owners
        if line.strip() and not line.startswith("#")
    )
    assert Path(REPO / "moderation.yaml").is_file()
