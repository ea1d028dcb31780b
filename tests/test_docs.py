"""Docs cannot drift: generated reference files are current, the schema agrees with the models,
every command is documented, and every manifest tells editors where its schema is."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.cli.app import main
from generator.docs import SCHEMA, write_reference
from tests.conftest import MANIFEST, REPO

SCHEMA_COMMENT = "# yaml-language-server: $schema=../../../catalog/schema/agent.schema.json"
SAMPLES = sorted(REPO.glob("agents/*/*/agent.yaml"))


def test_generated_reference_is_current() -> None:
    assert write_reference(REPO, main, check=True) == [], "run: make docs"


def test_every_command_is_documented() -> None:
    page = (REPO / "catalog/reference/cli.md").read_text("utf-8")
    for name in main.commands:
        assert f"## catalog {name}" in page
        assert main.commands[name].help


@pytest.mark.parametrize("manifest", SAMPLES, ids=[p.parent.name for p in SAMPLES])
def test_sample_manifest_declares_schema_and_matches_it(manifest: Path) -> None:
    text = manifest.read_text("utf-8")
    assert text.splitlines()[0] == SCHEMA_COMMENT
    schema = json.loads((REPO / SCHEMA).read_text("utf-8"))
    jsonschema.validate(yaml.safe_load(text), schema)


@pytest.mark.parametrize(
    "change",
    [
        {"version": "^1.0.0"},
        {"owner": "Acme"},
        {"tags": []},
        {"last_updated": "2026-01-01"},
        {"links": {"homepage": "http://acme.example"}},
        {"forked_from": "acme/bot"},
        {"elizaos": {"character_schema": "0.x"}},
    ],
)
def test_schema_refuses_what_the_validator_refuses(change: dict[str, object]) -> None:
    schema = json.loads((REPO / SCHEMA).read_text("utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**MANIFEST, **change}, schema)
