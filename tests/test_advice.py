"""Validator advice never contradicts itself and never cuts a message off (issue 12): following a
fix leads to a valid value, two problems never ask for opposite things, the closing line counts
agents, tabs and trailing commas are named where they are. One exact line per case."""

from __future__ import annotations

import pytest

from tests.conftest import CHARACTER, Cli, write_agent

A = "agents/acme/harbor-bot"


def _validate(cli: Cli) -> list[str]:
    result = cli("validate")
    assert result.exit_code == 1
    return result.stdout.splitlines()


@pytest.mark.parametrize(
    ("version", "fix"),
    [
        ("v1.2", "drop the 'v' prefix: 1.2.0"),
        ("V2", "drop the 'v' prefix: 2.0.0"),
        ("v1.2.3", "drop the 'v' prefix: 1.2.3"),
        ("v1.2-beta.1", "drop the 'v' prefix: 1.2.0-beta.1"),
        ("v01.2", "drop the 'v' prefix, e.g. 1.0.0"),
        ("1.2", "write MAJOR.MINOR.PATCH: 1.2.0"),
        ("1.2.3.4", "write MAJOR.MINOR.PATCH, e.g. 1.0.0"),
    ],
)
def test_a_version_fix_is_a_version_the_validator_accepts(cli: Cli, version: str, fix: str) -> None:
    write_agent(cli.root, version=version)
    assert _validate(cli) == [
        f"{A}/agent.yaml:4:10: error[version-invalid]: version: {version!r} has the wrong form; "
        + fix,
        "1 error in 1 of 1 agent",
    ]
    suggested = fix.rpartition(" ")[2]
    if suggested[:1].isdigit() and not fix.endswith("e.g. 1.0.0"):
        write_agent(cli.root, version=suggested)
        assert cli("validate").stdout == "1 agent valid\n"


def test_an_owner_folder_with_capitals_gets_one_fix(cli: Cli) -> None:
    """The folder is told to become 'acme'; the owner mismatch no longer says `set owner: Acme`."""
    write_agent(cli.root, owner="Acme", manifest={"owner": "acme"})
    assert _validate(cli) == [
        "agents/Acme: error[owner-invalid]: owner folder 'Acme' is not a lowercase GitHub login; "
        "rename it to 'acme'",
        "agents/Acme/harbor-bot/agent.yaml:3:8: error[owner-mismatch]: owner 'acme' differs from "
        "the folder owner 'Acme'; move the agent to agents/acme/",
        "2 errors in 1 of 1 agent",
    ]


def test_an_owner_with_capitals_in_a_good_folder_is_told_to_match_it(cli: Cli) -> None:
    write_agent(cli.root, manifest={"owner": "Acme"})
    assert _validate(cli) == [
        f"{A}/agent.yaml:3:8: error[login-invalid]: owner: 'Acme' has the wrong form; write it in "
        "lowercase: acme",
        f"{A}/agent.yaml:3:8: error[owner-mismatch]: owner 'Acme' differs from the folder owner "
        "'acme'; set owner: acme",
        "2 errors in 1 of 1 agent",
    ]


def test_the_summary_counts_agents_not_folders(cli: Cli) -> None:
    write_agent(cli.root, owner="Acme")
    write_agent(cli.root, owner="zed", slug="tide-clock", name="Tide Clock")
    lines = _validate(cli)
    assert lines[-1] == "2 errors in 1 of 2 agents"


def test_a_problem_outside_the_agents_is_not_counted_as_an_agent(cli: Cli) -> None:
    write_agent(cli.root)
    (cli.root / "moderation.yaml").write_text("acme/harbor-bot: [\n", "utf-8")
    assert _validate(cli)[-1] == "1 error in moderation.yaml"


@pytest.mark.parametrize(
    ("yaml_text", "where"),
    [
        ("tags:\n\t- assistant\n", "8:1"),
        ("tags:\n  -\tassistant\n", "8:4"),
        ("links:\n \thomepage: https://acme.example\n", "8:2"),
    ],
)
def test_a_tab_in_yaml_is_called_a_tab(cli: Cli, yaml_text: str, where: str) -> None:
    folder = write_agent(cli.root, tags=None)
    text = (folder / "agent.yaml").read_text("utf-8") + yaml_text
    (folder / "agent.yaml").write_text(text, "utf-8")
    assert _validate(cli)[0] == (
        f"{A}/agent.yaml:{where}: error[yaml-syntax]: invalid YAML: found a tab character where "
        "YAML allows only spaces; indent with spaces, not tabs"
    )


@pytest.mark.parametrize(
    ("text", "where", "closer"),
    [
        ('{\n  "name": "Harbor Bot",\n  "bio": ["x"],\n}\n', "3:15", "}"),
        ('{\n  "name": "Harbor Bot",\n  "bio": ["x", "y" ,\n  ]\n}\n', "3:20", "]"),
    ],
)
def test_a_trailing_comma_in_json_is_located_at_the_comma(
    cli: Cli, text: str, where: str, closer: str
) -> None:
    write_agent(cli.root, character=text)
    assert _validate(cli)[0] == (
        f"{A}/character.json:{where}: error[json-syntax]: invalid JSON: trailing comma before "
        f"'{closer}'; remove the comma (JSON allows none after the last item)"
    )


def test_a_long_json_value_is_never_cut_off(cli: Cli) -> None:
    """A value is shown whole, or described by its length when it cannot fit on a line."""
    message = [[{"name": "a", "content": {"text": "hi", "channelType": "a direct message"}}]]
    long_id = "not-a-uuid-" * 12
    write_agent(cli.root, character={**CHARACTER, "id": long_id, "messageExamples": message})
    lines = _validate(cli)
    assert lines == [
        f"{A}/character.json:20:26: error[character-invalid]: "
        "messageExamples[0][0].content.channelType: expected one of "
        '"SELF", "DM", "GROUP", "VOICE_DM", "VOICE_GROUP", "FEED", "THREAD", "WORLD", "FORUM", '
        '"API", got "a direct message"',
        f"{A}/character.json:33:9: error[character-invalid]: id: expected a UUID like "
        "123e4567-e89b-12d3-a456-426614174000, got a string of 132 characters; remove it "
        "(the runtime derives the id from the name) or use a UUID",
        "2 errors in 1 of 1 agent",
    ]
    assert all("…" not in line for line in lines)


def test_a_long_manifest_value_is_described_not_cut(cli: Cli) -> None:
    write_agent(cli.root, name=[f"word{i}" for i in range(40)])
    assert _validate(cli)[0] == (
        f"{A}/agent.yaml:2:1: error[manifest-schema]: name: input should be a valid string, got "
        "list of 40 items; follow the message; the manifest reference lists every field"
    )
