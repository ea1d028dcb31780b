"""Text hygiene: bidi controls and invisible characters in displayed fields are refused, each at
its position with its rule; emoji sequences and joining scripts keep what they need."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.checks.hygiene import first_hidden
from tests.conftest import CHARACTER, Cli, write_agent

A = "agents/acme/harbor-bot"


def _errors(cli: Cli) -> list[str]:
    result = cli("validate")
    return [line for line in result.stdout.splitlines() if "error[" in line]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"name": "Harbor\u202eBot"},
            f"{A}/agent.yaml:1:13: error[bidi-control]: name holds U+202E RIGHT-TO-LEFT OVERRIDE "
            "at character 7, a bidi control: it reorders what readers see; remove the "
            "character; write the text in the order it should read",
        ),
        (
            {"name": "Harbor\u3164Bot"},
            f"{A}/agent.yaml:1:13: error[invisible-character]: name holds U+3164 HANGUL FILLER "
            "at character 7, an invisible character: readers cannot see it; remove the character",
        ),
        (
            {"summary": "Answers\u200b questions about the \u200bharbor."},
            f"{A}/agent.yaml:2:17: error[invisible-character]: summary holds U+200B ZERO WIDTH "
            "SPACE at character 8 (and 1 more), an invisible character: readers cannot see it; "
            "remove the character",
        ),
        (
            {"description": "Line one.\n\nThe \u2067harbor\u2069 bot.\n"},
            f"{A}/agent.yaml:13:7: error[bidi-control]: description holds U+2067 RIGHT-TO-LEFT "
            "ISOLATE at character 16 (and 1 more), a bidi control: it reorders what readers see; "
            "remove the character; write the text in the order it should read",
        ),
        (
            {"maintainers": ["octo\u00adcat"]},
            f"{A}/agent.yaml:11:7: error[invisible-character]: maintainers[0] holds U+00AD SOFT "
            "HYPHEN at character 5, an invisible character: readers cannot see it; remove the "
            "character",
        ),
        (
            {"tags": ["assistant", "harbor\U000e0041"]},
            f"{A}/agent.yaml:8:9: error[invisible-character]: tags[1] holds U+E0041 TAG LATIN "
            "CAPITAL LETTER A at character 7, an invisible character: readers cannot see it; "
            "remove the character",
        ),
        (
            {"deprecated": {"reason": "Use the \u200enew bot."}},
            f"{A}/agent.yaml:11:19: error[bidi-control]: deprecated.reason holds U+200E "
            "LEFT-TO-RIGHT MARK at character 9, a bidi control: it reorders what readers see; "
            "remove the character; write the text in the order it should read",
        ),
    ],
    ids=["name-bidi", "name-filler", "summary", "description", "maintainer", "tag", "reason"],
)
def test_manifest_fields_are_refused(cli: Cli, changes: dict[str, object], expected: str) -> None:
    write_agent(cli.root, **changes)
    errors = _errors(cli)
    assert expected in errors, "\n".join(errors)


def test_owner_is_refused(cli: Cli) -> None:
    write_agent(cli.root, owner="acme", manifest={"owner": "ac\u200bme"})
    errors = _errors(cli)
    assert (
        f"{A}/agent.yaml:3:10: error[invisible-character]: owner holds U+200B ZERO WIDTH SPACE "
        "at character 3, an invisible character: readers cannot see it; remove the character"
    ) in errors, "\n".join(errors)


def test_character_fields_are_refused_where_written(cli: Cli) -> None:
    """A character written with the characters as they are is placed at the character; one
    written with JSON escapes at the string, which is all the file shows."""
    character = {**CHARACTER, "bio": ["Knows the \u202eharbor."]}
    text = json.dumps(character, indent=2, ensure_ascii=False)
    write_agent(cli.root, character=text.replace('"Harbor Bot"', '"Harbor Bot\\u2060"', 1))
    errors = _errors(cli)
    assert errors == [
        f"{A}/character.json:2:11: error[invisible-character]: name holds U+2060 WORD JOINER "
        "at character 11, an invisible character: readers cannot see it; remove the character",
        f"{A}/character.json:4:16: error[bidi-control]: bio[0] holds U+202E RIGHT-TO-LEFT "
        "OVERRIDE at character 11, a bidi control: it reorders what readers see; remove the "
        "character; write the text in the order it should read",
    ]


def test_character_topics_and_username(cli: Cli) -> None:
    character = {**CHARACTER, "username": "harbor\ufeff", "topics": ["ships", "\u115fberths"]}
    write_agent(cli.root, character=character)
    rules = [line.split("error[")[1].split("]")[0] for line in _errors(cli)]
    assert rules == ["invisible-character", "invisible-character"]


@pytest.mark.parametrize(
    "text",
    [
        "Loves \u2764\ufe0f and \U0001f468\u200d\U0001f469\u200d\U0001f467 families",
        "Flag \U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f of Scotland",
        "Keycap 1\ufe0f\u20e3",
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian: ZWNJ between letters
        "\u0915\u094d\u200d\u0937",  # Devanagari: ZWJ keeps a half form
        "Plain text, accents: \u00e9t\u00e9, CJK: \u6e2f\u53e3",
    ],
)
def test_what_scripts_and_emoji_need_is_kept(text: str) -> None:
    assert first_hidden(text) is None


@pytest.mark.parametrize(
    ("text", "rule", "index"),
    [
        ("Harbor\u202eBot", "bidi-control", 6),
        ("Har\u200dbor", "invisible-character", 3),  # ZWJ between Latin letters
        ("Harbor\ufe0fBot", "invisible-character", 6),  # a selector after a letter
        ("\U000e0068\U000e0069 hidden", "invisible-character", 0),  # tag characters alone
        ("\uffa0", "invisible-character", 0),  # halfwidth Hangul filler
        ("\u061cabc", "bidi-control", 0),  # Arabic letter mark
    ],
)
def test_what_hides_text_is_found(text: str, rule: str, index: int) -> None:
    hidden = first_hidden(text)
    assert hidden is not None
    assert (hidden.rule, hidden.index) == (rule, index)


def test_emoji_in_names_and_bios_pass(cli: Cli) -> None:
    write_agent(
        cli.root,
        name="\u2764\ufe0f Harbor Bot",
        character={**CHARACTER, "bio": ["Waves \U0001f44b\U0001f3fd at ships."]},
    )
    assert _errors(cli) == []


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
@settings(max_examples=300, deadline=None)
def test_any_text_is_judged_without_error(text: str) -> None:
    """What is found is a character of the text with one of the two properties."""
    hidden = first_hidden(text)
    if hidden is not None:
        assert text[hidden.index] == hidden.char
        assert hidden.rule in ("bidi-control", "invisible-character") and hidden.count >= 1
