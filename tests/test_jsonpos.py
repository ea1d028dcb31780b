"""Positions of JSON paths in JSON text, and (1, 1) rather than a crash on broken text."""

from __future__ import annotations

import pytest

from generator.checks.jsonpos import locate

TEXT = """{
  "name": "Dobby",
  "bio": ["A free elf.", 5],
  "messageExamples": [
    [{"user": "{{user1}}", "content": {"text": "Hi \\"there\\" \u00e9"}},
     {"name": "Dobby", "content": {}}]
  ],
  "lore": [],
  "settings": {"my key": {"nested": [true, null, 1e5]}}
}
"""


@pytest.mark.parametrize(
    ("path", "value", "key"),
    [
        ((), (1, 1), (1, 1)),
        (("name",), (2, 11), (2, 3)),
        (("bio",), (3, 10), (3, 3)),
        (("bio", 1), (3, 26), (3, 26)),
        (("messageExamples", 0, 0, "user"), (5, 15), (5, 7)),
        (("messageExamples", 0, 0, "content", "text"), (5, 48), (5, 40)),
        (("messageExamples", 0, 1), (6, 6), (6, 6)),
        (("messageExamples", 0, 1, "content"), (6, 35), (6, 24)),
        (("lore",), (8, 11), (8, 3)),
        (("settings", "my key", "nested", 2), (9, 50), (9, 50)),
    ],
)
def test_locate_values_and_keys(
    path: tuple[str | int, ...], value: tuple[int, int], key: tuple[int, int]
) -> None:
    assert locate(TEXT, path) == value
    assert locate(TEXT, path, key=True) == key


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("messageExamples", 0, 0, "name"), (5, 6)),  # missing key: the message object
        (("bio", 9), (3, 10)),  # missing index: the array
        (("nope", "deeper"), (1, 1)),  # missing top-level key: the document
        (("name", 0), (2, 11)),  # a path through a string: the string
    ],
)
def test_missing_paths_fall_back_to_the_nearest_ancestor(
    path: tuple[str | int, ...], expected: tuple[int, int]
) -> None:
    assert locate(TEXT, path) == expected


def test_duplicate_keys_point_at_the_last_one_as_json_keeps_it() -> None:
    text = '{"a": {"b": 1},\n "a": 2}'
    assert locate(text, ("a",)) == (2, 7)
    assert locate(text, ("a", "b")) == (2, 7)


def test_columns_count_characters_not_bytes() -> None:
    assert locate('{"é€😀": "x", "b": 1}', ("b",)) == (1, 19)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        "}",
        "[[[[",
        '{"a":',
        '{"a": "unterminated',
        '{"a" 1 2 3}}}]]',
        '"\\',
        "\ufeff{}",
        "\x00\x01",
        "{" * 100_000,
        "[" * 50_000 + "]" * 50_000,
        '{"a": {"b": [1, 2, {"c": 3}]}} trailing {"a": 9}',
        ":,:,:,",
    ],
)
def test_broken_text_never_raises(text: str) -> None:
    line, col = locate(text, ("a", "b", 2, "c"))
    assert line >= 1
    assert col >= 1


def test_trailing_text_does_not_shadow_the_document() -> None:
    text = '{"a": {"b": [1, 2, {"c": 3}]}} trailing {"a": 9}'
    assert locate(text, ("a", "b", 2, "c")) == (1, 26)
    assert locate(text, ("a",)) == (1, 7)
