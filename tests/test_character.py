"""Character issues with their exact messages and hints, generations, and no crash on any input."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.checks.character import Character
from generator.checks.character_issues import (
    CharacterIssue,
    check_character,
    detect_generation,
    format_path,
)

VALID: dict[str, Any] = {
    "name": "Harbor Bot",
    "bio": ["Answers questions about berths."],
    "messageExamples": [
        [
            {"name": "{{user1}}", "content": {"text": "Is berth 4 free?"}},
            {"name": "Harbor Bot", "content": {"text": "Yes, until noon."}},
        ]
    ],
}


def _with(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    data.update(changes)
    return data


def _message(**fields: Any) -> list[list[dict[str, Any]]]:
    return [[fields]]


def _one(data: object) -> tuple[tuple[str | int, ...], str, str, str]:
    issues = check_character(data)
    assert len(issues) == 1, issues
    issue = issues[0]
    return issue.path, issue.rule, issue.message, issue.hint


INVALID = "character-invalid"
CASES = [
    (
        _with(lore=["Sailed once."]),
        ((), "character-0x", 'elizaOS 0.x character (uses "lore"); the 1.x runtime rejects it'),
    ),
    (
        _with(messageExamples=_message(user="a", content={})),
        (
            (),
            "character-0x",
            'elizaOS 0.x character (uses "user" in messageExamples); the 1.x runtime rejects it',
        ),
    ),
    (_with(bios=[]), (("bios",), INVALID, 'unknown top-level key "bios"')),
    (_with(avatarUrl="a.png"), (("avatarUrl",), INVALID, 'unknown top-level key "avatarUrl"')),
    ({"bio": "x"}, (("name",), INVALID, 'missing required key "name"')),
    (_with(name=""), (("name",), INVALID, "name: must not be empty")),
    (
        _with(bio=3),
        (("bio",), INVALID, "bio: expected a string or an array of strings, got number"),
    ),
    (_with(bio=["a", None]), (("bio", 1), INVALID, "bio[1]: expected a string, got null")),
    (_with(system=None), (("system",), INVALID, "system: must not be null")),
    (
        _with(id="template-amara"),
        (
            ("id",),
            INVALID,
            'id: expected a UUID like 123e4567-e89b-12d3-a456-426614174000, got "template-amara"',
        ),
    ),
    (
        _with(messageExamples=_message(nmae="a", content={})),
        (
            ("messageExamples", 0, 0, "name"),
            INVALID,
            'messageExamples[0][0]: missing required key "name"',
        ),
    ),
    (
        _with(messageExamples=_message(name="a", content={"channelType": "dm"})),
        (
            ("messageExamples", 0, 0, "content", "channelType"),
            INVALID,
            'messageExamples[0][0].content.channelType: expected one of "SELF", "DM", "GROUP", '
            '"VOICE_DM", "VOICE_GROUP", "FEED", "THREAD", "WORLD", "FORUM", "API", got "dm"',
        ),
    ),
    (
        _with(messageExamples=[{"examples": []}]),
        (("messageExamples", 0), INVALID, "messageExamples[0]: expected an array, got object"),
    ),
    (
        _with(knowledge=[{"shared": True}]),
        (("knowledge", 0, "path"), INVALID, 'knowledge[0]: missing required key "path"'),
    ),
    (
        _with(knowledge=[7]),
        (
            ("knowledge", 0),
            INVALID,
            'knowledge[0]: expected a file path, {"path": ...} or {"directory": ...}, got number',
        ),
    ),
    (
        _with(settings={"voice": None}),
        (
            ("settings", "voice"),
            INVALID,
            "settings.voice: expected a string, boolean, number, object or array, got null",
        ),
    ),
    (
        _with(secrets={"KEY": {}}),
        (
            ("secrets", "KEY"),
            INVALID,
            "secrets.KEY: expected a string, boolean or number, got object",
        ),
    ),
    (
        _with(style={"all": "brief"}),
        (("style", "all"), INVALID, 'style.all: expected an array, got "brief"'),
    ),
    (
        _with(settings={"my key": 1e400}),
        (
            ("settings", "my key"),
            INVALID,
            'settings["my key"]: expected a finite number, got number',
        ),
    ),
]


@pytest.mark.parametrize(("data", "expected"), CASES, ids=[c[1][2][:50] for c in CASES])
def test_issue_message(data: object, expected: tuple[tuple[str | int, ...], str, str]) -> None:
    assert _one(data)[:3] == expected


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        (_with(lore=[]), "run: catalog migrate --in-place <file>"),
        (_with(bios=[]), 'did you mean "bio"?'),
        (_with(Name="x"), 'did you mean "name"?'),
        (_with(avatarUrl="a.png"), 'remove it, or move it into "settings"'),
        (_with(name=""), "give the agent a display name"),
        (_with(system=None), "remove the key or give it a value"),
        (_with(id="x"), "remove it (the runtime derives the id from the name) or use a UUID"),
        (_with(messageExamples=_message(nmae="a", content={})), 'rename "nmae" to "name"'),
        (_with(messageExamples=_message(content={})), 'add "name"'),
        (
            _with(messageExamples=_message(name="a", content={"channelType": "dm"})),
            'did you mean "DM"?',
        ),
        (
            _with(messageExamples=[{"examples": []}]),
            '2.x-alpha example groups ({"examples": [...]}) are not 1.x; '
            "run: catalog migrate --in-place <file>",
        ),
    ],
)
def test_issue_hint(data: object, hint: str) -> None:
    assert _one(data)[3] == hint


def test_every_problem_is_reported_not_only_the_first() -> None:
    issues = check_character({"name": 1, "bio": [2], "extra": True})
    assert [i.message for i in issues] == [
        "name: expected a string, got number",
        "bio[0]: expected a string, got number",
        'unknown top-level key "extra"',
    ]


@pytest.mark.parametrize(
    ("data", "message", "hint"),
    [
        (
            [VALID],
            "a character must be a JSON object, got array",
            "a file holds one character: split the array into one file each",
        ),
        (None, "a character must be a JSON object, got null", ""),
        ("Eliza", 'a character must be a JSON object, got "Eliza"', ""),
    ],
)
def test_not_an_object(data: object, message: str, hint: str) -> None:
    assert check_character(data) == [CharacterIssue((), "character-not-object", message, hint)]


@pytest.mark.parametrize(
    "data",
    [
        VALID,
        _with(bio="one string", settings={"__proto__": None}, secrets={"A": 1, "B": True}),
        _with(messageExamples=_message(name="", user="x", content={"action": "X"})),
        _with(knowledge=["a.md", {"path": 1, "directory": "docs"}], style={"x": 1}),
        _with(id="123E4567-E89B-12D3-A456-426614174000"),
    ],
)
def test_valid_characters_have_no_issues(data: object) -> None:
    assert check_character(data) == []


@pytest.mark.parametrize(
    ("data", "generation"),
    [
        (VALID, "1.x"),
        (_with(clients=["discord"]), "0.x"),
        (_with(modelProvider="openai"), "0.x"),
        (_with(messageExamples=_message(user="a", content={})), "0.x"),
        ({"name": "x", "modelProvider": "groq", "battleStyle": {}}, "unknown"),
        (_with(messageExamples=[{"examples": []}]), "2.x-alpha"),
        ({"name": "x"}, "unknown"),
        ([VALID], "unknown"),
        (None, "unknown"),
    ],
)
def test_detect_generation(data: object, generation: str) -> None:
    assert detect_generation(data) == generation


def _deep(depth: int) -> list[Any]:
    root: list[Any] = []
    node = root
    for _ in range(depth):
        node.append([])
        node = node[0]
    return root


def _cyclic() -> dict[str, Any]:
    data = _with()
    data["settings"] = {"self": data}
    data["bio"] = data
    return data


HOSTILE: list[object] = [
    None,
    0,
    1.5,
    True,
    "x" * 100_000,
    [],
    [[[]]],
    {},
    {1: 2, None: 3, (1, 2): 4},
    {"name": b"bytes", "bio": {1, 2}},
    _with(bio=_deep(100_000)),
    _with(settings={"deep": _deep(100_000)}),
    _with(messageExamples=_deep(50_000)),
    _cyclic(),
    _with(settings={"n": float("nan")}, secrets={"n": 10**400}),
    _with(messageExamples=_message(name="a", content={"__class__": 1, "model_config": 2})),
    object(),
]


@pytest.mark.parametrize("data", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_never_raises(data: object) -> None:
    issues = check_character(data)
    assert all(isinstance(i, CharacterIssue) and "\n" not in i.message for i in issues)
    assert detect_generation(data) in ("1.x", "0.x", "2.x-alpha", "unknown")


def test_format_path() -> None:
    assert format_path(()) == "character"
    assert format_path(("messageExamples", 0, 1, "content")) == "messageExamples[0][1].content"
    assert format_path(("settings", "CHARACTER.X")) == 'settings["CHARACTER.X"]'


def test_models_are_frozen_and_documented() -> None:
    character = Character.model_validate(VALID)
    with pytest.raises(ValueError, match="frozen"):
        character.name = "x"  # type: ignore[misc]  # the point is that assignment fails
    schema = Character.model_json_schema()
    assert schema["additionalProperties"] is False
    assert all("description" in prop for prop in schema["properties"].values())
    assert schema["properties"]["system"] == {
        "description": "System prompt that defines the character's core behavior and response "
        "style.",
        "title": "System",
        "type": "string",
    }
