"""Every test character through `catalog new --character`: it becomes a valid agent or is refused
with a reason that names the file and the place; nothing crashes, and no secret survives, also
when a key, a seed phrase or an escaped key is planted in it first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mnemonic import Mnemonic

from generator.checks import jsonpos
from generator.checks.load import load_yaml
from generator.checks.secrets import scan_file
from tests.conftest import REPO, Cli

CHARACTERS = sorted((REPO / "tests" / "data" / "characters").glob("*.json"))
# Built at run time so that no file of the repository holds a key.
KEY = "sk-" + "ant-" + "api03-" + "Zq3" * 31 + "AA"
SEED = Mnemonic("english").to_mnemonic(bytes(range(16)))


def _leaks(folder: Path) -> list[str]:
    """Every secret the scanner finds in the files of an agent folder."""
    found = []
    for path in sorted(folder.iterdir()):
        text = path.read_text("utf-8")
        if path.suffix == ".json":
            data = json.loads(text)
            hits = scan_file(text, data, lambda at, t=text: jsonpos.locate(t, at))
            settings = data.get("settings") if isinstance(data, dict) else None
            held = settings.get("secrets") if isinstance(settings, dict) else None
            if held:
                found.append(f"{path.name}: settings.secrets holds {sorted(held)}")
        elif path.suffix == ".yaml":
            doc = load_yaml(text)
            hits = scan_file(text, doc.data, doc.position)
        else:
            hits = scan_file(text)
        found += [f"{path.name}:{h.line}:{h.col} {h.kind}" for h in hits]
    return found


def _judge(cli: Cli, source: Path, slug: str) -> str:
    """'valid' or 'refused'; fails on anything else (a traceback fails the test by itself)."""
    result = cli("new", f"corpus/{slug}", "--character", str(source))
    folder = cli.root / "agents" / "corpus" / slug
    if result.exit_code != 0:
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"error: {source}"), line
        assert ": " in line.removeprefix(f"error: {source}"), f"no place or reason: {line}"
        assert not folder.exists()
        return "refused"
    assert _leaks(folder) == []
    checked = cli("validate", str(folder.relative_to(cli.root)))
    errors = [line for line in checked.stdout.splitlines() if ": error[" in line]
    assert errors == [], checked.stdout
    return "valid"


@pytest.mark.parametrize("source", CHARACTERS, ids=[p.stem for p in CHARACTERS])
def test_each_test_character_becomes_an_agent_or_is_refused(cli: Cli, source: Path) -> None:
    assert _judge(cli, source, "as-is") in ("valid", "refused")


def _plant(data: object, where: str) -> object:
    """The character with a secret planted where an author would leak it."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    settings = data.get("settings") if isinstance(data.get("settings"), dict) else {}
    if where == "key-in-settings":
        data["settings"] = {**settings, "ANTHROPIC_KEY": KEY}
    elif where == "seed-in-bio":
        bio = data.get("bio")
        data["bio"] = [*(bio if isinstance(bio, list) else [str(bio or "")]), f"My words: {SEED}"]
    elif where == "secret-in-secrets":
        data["settings"] = {**settings, "secrets": {"OPENAI_API_KEY": KEY}}
    elif where == "seed-words-list":
        data["settings"] = {**settings, "backup": SEED.split()}
    elif where == "escaped-key-in-system":
        data["system"] = f"Always use {KEY}"
    return data


@pytest.mark.parametrize(
    "where",
    [
        "key-in-settings",
        "seed-in-bio",
        "secret-in-secrets",
        "seed-words-list",
        "escaped-key-in-system",
    ],
)
def test_no_planted_secret_survives(cli: Cli, where: str) -> None:
    """Each test character with a secret planted: refused, or written without the secret."""
    verdicts: list[str] = []
    as_is: list[str] = []
    for source in CHARACTERS:
        data = json.loads(source.read_text("utf-8"))
        text = json.dumps(_plant(data, where), indent=2)
        if where == "escaped-key-in-system":
            text = text.replace("sk-ant-", "sk\\u002dant\\u002d")
        planted = cli.root / f"{source.stem}.json"
        planted.write_text(text, "utf-8")
        verdicts.append(_judge(cli, planted, f"{source.stem}-{where}"))
        as_is.append(_judge(cli, source, f"{source.stem}-as-is"))
    # settings are cleaned by the migration (the key removed, a note says so): what imports
    # as is imports with the secret gone. A secret in the text an agent shows cannot be cleaned
    # for its author, so that import is refused.
    if where in ("key-in-settings", "secret-in-secrets"):
        assert verdicts == as_is
    else:
        assert verdicts == ["refused"] * len(CHARACTERS)
