"""The key scanner: one sample of every kind is found, with or without its literal hint."""

from __future__ import annotations

import pytest

from generator.checks.secrets import _COMPILED, _HINTS, _PATTERNS, scan

# Built from parts so this file holds no key-shaped string itself.
SAMPLES = {
    "anthropic": "sk-" + "ant-" + "a" * 30,
    "openai": "sk-" + "proj-" + "b" * 30,
    "github": "ghp" + "_" + "c" * 36,
    "aws": "AKIA" + "ABCDEFGHIJKLMNOP",
    "google": "AIza" + "d" * 35,
    "slack": "xoxb" + "-" + "1234567890ab",
    "discord": "M" + "e" * 23 + "." + "f" * 6 + "." + "g" * 27,
    "telegram": "123456789" + ":AA" + "h" * 33,
    "groq": "gsk" + "_" + "i" * 40,
    "huggingface": "hf" + "_" + "j" * 34,
    "private-key": "-----BEGIN " + "RSA PRIVATE KEY-----",
    "evm-private-key": "private key: 0x" + "ab" * 32,
    "solana-private-key": "wallet secret " + "5" + "K" * 87,
}


def test_every_kind_has_a_sample() -> None:
    assert set(SAMPLES) == set(_PATTERNS)


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_kind_is_found(kind: str) -> None:
    text = f"line one\n  value: {SAMPLES[kind]} trailing\n"
    found = list(scan(text))
    assert [f.line for f in found] == [2], found
    assert found[0].kind == _PATTERNS[kind][1]


def test_hints_are_in_every_match() -> None:
    """A hint that a match could lack would hide that key: each pattern's matches contain one."""
    for kind, pattern, _ in _COMPILED:
        name = kind.replace("_", "-")
        for match in pattern.finditer(SAMPLES[name]):
            assert kind not in _HINTS or any(h in match.group() for h in _HINTS[kind]), kind
