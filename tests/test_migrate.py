"""0.x -> 1.x migration: the converted character, the notes, secrets never carried over."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.checks.character_issues import check_character
from generator.checks.migrate import MigrationError, migrate, migrate_file
from tests.conftest import Cli

ZERO_X: dict[str, Any] = {
    "name": "Dobby",
    "clients": ["discord", "slack"],
    "modelProvider": "openai",
    "imageModelProvider": "openai",
    "plugins": ["@elizaos-plugins/plugin-solana"],
    "settings": {
        "secrets": {"OPENAI_API_KEY": "sk-proj-abcdefghijklmnopqrstuvwxyz123456"},
        "voice": {"model": "en_US-male-medium"},
        "DISCORD_API_TOKEN": "not-empty",
        "webhook": "see ghp_abcdefghijklmnopqrstuvwxyz0123456789AB",
        "SIMSAI_API_KEY": "",
    },
    "bio": "A free elf.",
    "lore": ["Once served the Malfoys."],
    "messageExamples": [
        [
            {"user": "{{user1}}", "content": {"text": "Hi"}},
            {"user": "Dobby", "content": {"text": "Dobby helps!", "action": "CONTINUE"}},
        ]
    ],
    "people": [],
    "twitterSpaces": {"maxSpeakers": 2},
}


def test_zero_x_character_becomes_valid_with_a_note_per_change() -> None:
    result = migrate(ZERO_X)
    assert check_character(result.character) == []
    assert result.notes == [
        'merged 1 lore entry into "bio" (1.x has no "lore")',
        'renamed plugin "@elizaos-plugins/plugin-solana" to "@elizaos/plugin-solana" '
        "(1.x namespace)",
        'client "discord" -> plugin "@elizaos/plugin-discord"',
        'dropped client "slack": no known 1.x plugin; add one to "plugins" by hand',
        'modelProvider "openai" -> plugin "@elizaos/plugin-openai"',
        'renamed "user" to "name" in 2 example messages',
        'turned content "action" into "actions" in 1 example message',
        'dropped 0.x "imageModelProvider": configure the model plugin instead',
        'dropped "people": it was empty',
        'moved "twitterSpaces" into settings.twitterSpaces (not a 1.x key)',
        "removed settings.secrets: a published character holds no secrets; "
        "set OPENAI_API_KEY in the environment instead",
        "removed settings.DISCORD_API_TOKEN: secret-named; set it in the environment instead",
        "emptied settings.webhook: it held a GitHub token",
    ]


def test_zero_x_character_content() -> None:
    character = migrate(ZERO_X).character
    assert character == {
        "name": "Dobby",
        "plugins": [
            "@elizaos/plugin-solana",
            "@elizaos/plugin-discord",
            "@elizaos/plugin-openai",
        ],
        "settings": {
            "voice": {"model": "en_US-male-medium"},
            "webhook": "",
            "SIMSAI_API_KEY": "",
            "twitterSpaces": {"maxSpeakers": 2},
        },
        "bio": ["A free elf.", "Once served the Malfoys."],
        "messageExamples": [
            [
                {"name": "{{user1}}", "content": {"text": "Hi"}},
                {"name": "Dobby", "content": {"text": "Dobby helps!", "actions": ["CONTINUE"]}},
            ]
        ],
    }


def test_no_secret_value_survives() -> None:
    text = json.dumps(migrate(ZERO_X).character)
    assert "sk-proj" not in text
    assert "ghp_" not in text
    assert "not-empty" not in text


def test_top_level_secrets_are_removed_too() -> None:
    result = migrate({"name": "x", "bio": "y", "secrets": {"B": "1", "A": True}})
    assert result.character == {"name": "x", "bio": "y"}
    assert result.notes == [
        "removed secrets: a published character holds no secrets; "
        "set A, B in the environment instead"
    ]


def test_two_x_alpha_example_groups_are_unwrapped() -> None:
    message = {"name": "{{user1}}", "content": {"text": "hi"}}
    result = migrate({"name": "x", "bio": "y", "messageExamples": [{"examples": [message]}]})
    assert result.character["messageExamples"] == [[message]]
    assert result.notes == ['unwrapped 1 2.x-alpha example group ({"examples": [...]}) into arrays']


def test_cloud_template_id_and_marketplace_keys() -> None:
    result = migrate({"id": "template-amara", "name": "Amara", "bio": "b", "featured": True})
    assert result.character == {"name": "Amara", "bio": "b", "settings": {"featured": True}}
    assert result.notes == [
        'removed "id" "template-amara": not a UUID (the runtime derives one)',
        'moved "featured" into settings.featured (not a 1.x key)',
    ]


def test_valid_character_is_unchanged() -> None:
    data = {"name": "x", "bio": ["y"], "plugins": ["@elizaos/plugin-sql"], "settings": {"a": 1}}
    assert migrate(data).character == data
    assert migrate(data).notes == []


def test_input_is_not_modified() -> None:
    before = json.dumps(ZERO_X, sort_keys=True)
    migrate(ZERO_X)
    assert json.dumps(ZERO_X, sort_keys=True) == before


def test_unknown_key_never_overwrites_a_setting() -> None:
    result = migrate({"name": "x", "bio": "y", "voice": "a", "settings": {"voice": "a"}})
    assert result.character["settings"] == {"voice": "a"}
    assert result.notes == ['dropped "voice": settings already has a "voice"']


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            [{"name": "a"}, {"name": "b"}],
            "a JSON array of 2 characters: put each character in a file of its own",
        ),
        ([1], "a JSON array of items: put each character in a file of its own"),
        ("Eliza", "not a character: expected a JSON object, got string"),
        (None, "not a character: expected a JSON object, got null"),
        ({"bio": "x"}, 'no "name": not an elizaOS character'),
        ({"name": "", "bio": "x"}, 'no "name": not an elizaOS character'),
        (
            {"name": "musk", "battleStyle": {}},
            'no "bio" or "lore": not an elizaOS character (custom schema?)',
        ),
        (
            {"name": "x", "lore": [1]},
            "cannot convert automatically: bio[0]: expected a string, got number",
        ),
        (
            {"name": "x", "bio": "y", "postExamples": "one"},
            'cannot convert automatically: postExamples: expected an array, got "one"',
        ),
        ({"name": "x", "bio": {1}}, "not JSON data: Object of type set is not JSON serializable"),
    ],
)
def test_what_cannot_be_converted(data: object, reason: str) -> None:
    with pytest.raises(MigrationError) as caught:
        migrate(data)
    assert str(caught.value) == reason


def test_deep_input_is_refused_not_crashed() -> None:
    deep: list[Any] = []
    node = deep
    for _ in range(100_000):
        node.append([])
        node = node[0]
    with pytest.raises(MigrationError, match="nested too deeply"):
        migrate({"name": "x", "bio": "y", "settings": {"deep": deep}})


def test_migrate_file_writes_pretty_json(tmp_path: Path) -> None:
    src = tmp_path / "dobby.json"
    src.write_text(json.dumps({"name": "Dobby", "bio": "Élfe", "lore": ["libre"]}), "utf-8")
    dest = tmp_path / "out.json"
    result = migrate_file(src, dest)
    assert dest.read_text("utf-8") == (
        '{\n  "name": "Dobby",\n  "bio": [\n    "Élfe",\n    "libre"\n  ]\n}\n'
    )
    assert result.notes == ['merged 1 lore entry into "bio" (1.x has no "lore")']
    migrate_file(src, src)
    assert src.read_text("utf-8") == dest.read_text("utf-8")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"name": "a",}', "bad.json:1:13: invalid JSON: trailing comma before '}'$"),
        ('{"name": "a", "name": "b"}', "key 'name' appears twice in one object"),
        ('{"name": "a", "bio": NaN}', "invalid JSON: NaN is not valid JSON"),
    ],
)
def test_migrate_file_refuses_bad_json(tmp_path: Path, text: str, reason: str) -> None:
    src = tmp_path / "bad.json"
    src.write_text(text, "utf-8")
    with pytest.raises(MigrationError, match=reason):
        migrate_file(src, src)
    assert src.read_text("utf-8") == text


SMALL_0X = {"name": "Dobby", "bio": "A free elf.", "lore": ["libre"]}
SMALL_1X = '{\n  "name": "Dobby",\n  "bio": [\n    "A free elf.",\n    "libre"\n  ]\n}\n'
NOTE = '- merged 1 lore entry into "bio" (1.x has no "lore")'


@pytest.fixture
def source(cli: Cli) -> Path:
    path = cli.root / "dobby.json"
    path.write_text(json.dumps(SMALL_0X), "utf-8")
    return path


def test_migrate_prints_the_character_and_leaves_the_file(cli: Cli, source: Path) -> None:
    """The default never overwrites its input: the 1.x character on stdout, notes on stderr."""
    before = source.read_text("utf-8")
    result = cli("migrate", "dobby.json")
    assert (result.exit_code, result.stdout, result.stderr) == (0, SMALL_1X, NOTE + "\n")
    assert source.read_text("utf-8") == before


def test_migrate_to_another_file(cli: Cli, source: Path) -> None:
    before = source.read_text("utf-8")
    result = cli("migrate", "dobby.json", "-o", "dobby-1x.json")
    assert (result.exit_code, result.stdout) == (0, f"{NOTE}\nwrote dobby-1x.json\n")
    assert (cli.root / "dobby-1x.json").read_text("utf-8") == SMALL_1X
    assert source.read_text("utf-8") == before


def test_migrate_in_place_only_when_asked(cli: Cli, source: Path) -> None:
    result = cli("migrate", "--in-place", "dobby.json")
    assert (result.exit_code, result.stdout) == (0, f"{NOTE}\nwrote dobby.json\n")
    assert source.read_text("utf-8") == SMALL_1X


def test_migrate_refuses_both_destinations(cli: Cli, source: Path) -> None:
    result = cli("migrate", "--in-place", "-o", "x.json", "dobby.json")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: give -o FILE or --in-place, not both"
    assert not (cli.root / "x.json").exists()


def test_a_refused_migration_writes_nothing(cli: Cli) -> None:
    (cli.root / "array.json").write_text("[{}, {}]", "utf-8")
    result = cli("migrate", "--in-place", "array.json")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "array.json: error[migrate]: a JSON array of 2 characters: put each character in a file "
        "of its own\n"
    )
    assert (cli.root / "array.json").read_text("utf-8") == "[{}, {}]"
