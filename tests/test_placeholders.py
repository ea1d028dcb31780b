"""`catalog new`'s placeholder text cannot be published as is (issue 12): a warning from
`catalog validate` where it is, an error at the pull-request gate for the agents a change
touches; replacing it makes the agent valid."""

from __future__ import annotations

import json

from generator.checks.placeholders import PLACEHOLDERS, placeholder_problems
from tests.conftest import Cli, GitRepo, write_agent

A = "agents/octo-cat/tide-clock"
FIX = "replace it with your own words"
WARNINGS = [
    f"{A}/{where}: warning[placeholder-text]: '{sentence}' is placeholder text from a starter "
    f"file; {FIX}"
    for where, sentence in [
        ("README.md:3:36", "Say here who it is and what it knows."),
        ("README.md:13:1", "List here the environment variables the agent needs"),
        ("agent.yaml:3:45", "Say here who it is and what it knows."),
        ("character.json:4:41", "Say here who it is and what it knows."),
        ("character.json:6:34", "Describe here how the agent behaves and what it never does."),
        ("character.json:33:20", "Replace this with a typical answer."),
    ]
]


def _replace_placeholders(cli: Cli) -> None:
    """What the author does: their own words in place of each placeholder sentence."""
    for name in ("agent.yaml", "character.json", "README.md"):
        path = cli.root / A / name
        text = path.read_text("utf-8")
        for sentence in PLACEHOLDERS.values():
            text = text.replace(sentence, "It reads tide tables for the harbor.")
        path.write_text(text, "utf-8")


def test_a_new_agent_validates_with_a_warning_at_each_placeholder(cli: Cli) -> None:
    assert cli("new", "octo-cat/tide-clock").exit_code == 0
    result = cli("validate")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [*WARNINGS, "6 warnings in 1 of 1 agent"]
    _replace_placeholders(cli)
    assert cli("validate").stdout == "1 agent valid\n"


def test_the_gate_refuses_placeholders_in_the_agents_a_change_touches(
    cli: Cli, repo: GitRepo
) -> None:
    """An agent already published with a placeholder stays a warning: the change did not
    touch it, and the gate judges a pull request by what it changes."""
    old = write_agent(cli.root, owner="zed", slug="old-clock", name="Old Clock")
    character = json.loads((old / "character.json").read_text("utf-8"))
    character["system"] = f"You are Old Clock. {PLACEHOLDERS['system']}"
    (old / "character.json").write_text(json.dumps(character, indent=2), "utf-8")
    base = repo.commit("zed/old-clock")
    cli("new", "octo-cat/tide-clock")
    repo.commit("octo-cat/tide-clock")
    result = cli("validate", "--base", base, "--author", "octo-cat")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    mine = [line for line in lines if line.startswith(A)]
    assert mine == [line.replace("warning[", "error[") for line in WARNINGS]
    assert [line for line in lines if line.startswith("agents/zed/")] == [
        "agents/zed/old-clock/character.json:38:33: warning[placeholder-text]: 'Describe here how "
        f"the agent behaves and what it never does.' is placeholder text from a starter file; {FIX}"
    ]
    _replace_placeholders(cli)
    repo.commit("octo-cat/tide-clock: own words")
    assert cli("validate", "--base", base, "--author", "octo-cat").exit_code == 0


def test_a_placeholder_folded_over_two_lines_is_found() -> None:
    """YAML may fold a long summary; the sentence is still found, where it starts."""
    text = "name: Tide Clock\nsummary: >-\n  Tide Clock. Say here who it\n  is and what it knows.\n"
    (found,) = placeholder_problems("agent.yaml", text)
    assert found.text() == (
        "agent.yaml:3:15: warning[placeholder-text]: 'Say here who it is and what it knows.' is "
        f"placeholder text from a starter file; {FIX}"
    )


def test_the_submit_pages_starter_summary_is_a_placeholder_too(cli: Cli) -> None:
    write_agent(cli.root, summary="One line saying what your agent does for people.")
    assert cli("validate").stdout.splitlines()[0] == (
        "agents/acme/harbor-bot/agent.yaml:2:10: warning[placeholder-text]: 'One line saying "
        f"what your agent does for people.' is placeholder text from a starter file; {FIX}"
    )
