"""`catalog new`: scaffolds agents that pass `catalog validate`, imports and migrates characters,
prints every file it writes, and never overwrites anything (running it twice changes nothing)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generator.checks.character_issues import check_character
from generator.flows.new import SCHEMA_COMMENT
from tests.conftest import CHARACTER, Cli, write_agent

CORPUS = Path(__file__).parent / "data" / "characters"
FILES = ("agent.yaml", "character.json", "README.md")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_new_writes_a_valid_starter_agent_and_prints_each_file(cli: Cli) -> None:
    result = cli("new", "octo-cat/tide-clock")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "wrote agents/octo-cat/tide-clock/agent.yaml",
        "wrote agents/octo-cat/tide-clock/character.json",
        "wrote agents/octo-cat/tide-clock/README.md",
        "next: edit the files, then run: catalog validate agents/octo-cat/tide-clock",
    ]
    folder = cli.root / "agents/octo-cat/tide-clock"
    text = (folder / "agent.yaml").read_text("utf-8")
    assert text.splitlines()[0] == SCHEMA_COMMENT
    assert yaml.safe_load(text) == {
        "name": "Tide Clock",
        "summary": "Tide Clock is a new elizaOS agent. Say here who it is and what it knows.",
        "owner": "octo-cat",
        "version": "0.1.0",
        "license": "MIT",
        "tags": ["assistant"],
        "character": "character.json",
    }
    assert check_character(json.loads((folder / "character.json").read_text("utf-8"))) == []
    validated = cli("validate")  # valid, with a warning at each placeholder (test_placeholders)
    assert validated.exit_code == 0
    assert validated.stdout.splitlines()[-1] == "6 warnings in 1 of 1 agent"


def test_new_is_idempotent(cli: Cli) -> None:
    cli("new", "octo-cat/tide-clock")
    folder = cli.root / "agents/octo-cat/tide-clock"
    before = snapshot(folder)
    again = cli("new", "octo-cat/tide-clock")
    assert again.exit_code == 0
    assert again.output == (
        "nothing to do: agents/octo-cat/tide-clock already has agent.yaml, "
        "character.json, README.md\n"
    )
    assert snapshot(folder) == before


def test_new_fills_in_only_missing_files(cli: Cli) -> None:
    cli("new", "octo-cat/tide-clock")
    folder = cli.root / "agents/octo-cat/tide-clock"
    (folder / "agent.yaml").write_text((folder / "agent.yaml").read_text("utf-8") + "# mine\n")
    (folder / "README.md").unlink()
    result = cli("new", "octo-cat/tide-clock")
    assert result.output.splitlines()[:3] == [
        "kept agents/octo-cat/tide-clock/agent.yaml (already there)",
        "kept agents/octo-cat/tide-clock/character.json (already there)",
        "wrote agents/octo-cat/tide-clock/README.md",
    ]
    assert (folder / "agent.yaml").read_text("utf-8").endswith("# mine\n")


def test_new_imports_and_migrates_a_0x_character(cli: Cli) -> None:
    result = cli("new", "octo-cat/lm-7", "--character", str(CORPUS / "lamplighter.json"))
    assert result.exit_code == 0, result.output
    assert '- merged 4 lore entries into "bio" (1.x has no "lore")' in result.output
    character = json.loads((cli.root / "agents/octo-cat/lm-7/character.json").read_text("utf-8"))
    assert "lore" not in character and character["name"] == "LM-7"
    manifest = yaml.safe_load((cli.root / "agents/octo-cat/lm-7/agent.yaml").read_text("utf-8"))
    assert manifest["summary"] == character["bio"][0]
    assert cli("validate").exit_code == 0


def test_new_drops_secrets_of_an_imported_character(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "mine.json"
    source.write_text(json.dumps({**CHARACTER, "settings": {"secrets": {"OPENAI_API_KEY": "x"}}}))
    result = cli("new", "octo-cat/harbor-bot", "--character", str(source))
    assert "removed settings.secrets" in result.output
    character = json.loads((cli.root / "agents/octo-cat/harbor-bot/character.json").read_text())
    assert "secrets" not in character.get("settings", {})
    assert cli("validate").exit_code == 0


def test_new_gives_a_taken_name_the_owner(cli: Cli, tmp_path: Path) -> None:
    write_agent(cli.root)  # acme/harbor-bot, named Harbor Bot
    source = tmp_path / "harbor.json"
    source.write_text(json.dumps(CHARACTER), "utf-8")
    cli("new", "octo-cat/harbor-copy", "--character", str(source))
    manifest = yaml.safe_load((cli.root / "agents/octo-cat/harbor-copy/agent.yaml").read_text())
    assert manifest["name"] == "Harbor Bot (octo-cat)"
    assert cli("validate").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["Octo/tide-clock"],
            "error: 'Octo/tide-clock': expected OWNER/SLUG with OWNER a lowercase "
            "GitHub login, e.g. octo-cat/tide-clock",
        ),
        (
            ["octo/tc"],
            "error: 'octo/tc': the slug must be 3-40 lowercase letters, digits and single "
            "hyphens, e.g. tide-clock",
        ),
        (
            ["octo/tide-clock", "--character", "array.json"],
            "error: array.json: a JSON array of 2 characters: put each character in a file of its "
            "own",
        ),
        (
            ["octo/tide-clock", "--character", "broken.json"],
            "error: broken.json:1:2: invalid JSON: Expecting property name enclosed in double "
            "quotes; "
            "fix the JSON syntax",
        ),
        (
            ["octo/tide-clock", "--character", "leaky.json"],
            "error: leaky.json: system holds an Anthropic API key; remove it (and revoke the key) "
            "first",
        ),
    ],
)
def test_new_errors_are_one_clear_line(cli: Cli, args: list[str], message: str) -> None:
    (cli.root / "array.json").write_text(json.dumps([CHARACTER, CHARACTER]))
    (cli.root / "broken.json").write_text("{,}")
    key = "sk-" + "ant-" + "0" * 24
    (cli.root / "leaky.json").write_text(json.dumps({**CHARACTER, "system": f"use {key}"}))
    result = cli("new", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith(message) and len(result.stderr.splitlines()) == 1
    assert not (cli.root / "agents/octo").exists()


def test_new_outside_a_catalog_says_where_to_run(cli: Cli) -> None:
    (cli.root / "agents").rmdir()
    result = cli("new", "octo-cat/tide-clock")
    assert result.stderr == "error: no agents/ folder in .: run this at the root of the catalog\n"
