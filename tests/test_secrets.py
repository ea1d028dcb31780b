"""The secret scanner, measured on a labelled set (tests/data/secrets/): every positive found
where it is written, in every encoding, and no negative flagged.

Positives are made-up keys of valid shapes, built here from the templates of positives.yaml with
a fixed random seed, so no file of the repository holds a key. Negatives are real text: every
test character, every file of the sample agents, and negatives.yaml (hashes, transaction ids,
addresses, hyphenated prose, lists of common words, escapes that hide nothing).
"""

from __future__ import annotations

import base64
import json
import random
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from mnemonic import Mnemonic

from generator.checks import jsonpos
from generator.checks.load import load_yaml
from generator.checks.secret_patterns import PATTERNS
from generator.checks.secrets import Finding, scan, scan_file
from tests.conftest import REPO, Cli, write_agent

DATA = REPO / "tests" / "data" / "secrets"
POSITIVES: list[dict[str, str]] = yaml.safe_load((DATA / "positives.yaml").read_text("utf-8"))
NEGATIVES: list[dict[str, str]] = yaml.safe_load((DATA / "negatives.yaml").read_text("utf-8"))
_ALPHABETS = {
    "b62": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "hex": "0123456789abcdef",
    "HEX": "0123456789ABCDEF",
    "b58": "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz",
    "b64u": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
    "dig": "0123456789",
    "low": "abcdefghijklmnopqrstuvwxyz0123456789",
}
_PLACEHOLDER = re.compile(r"\{(\w+):(\d+)(?::(\w+))?\}")


def _fill(template: str, rng: random.Random) -> str:
    """A template's placeholders replaced by random text of their shape."""

    def one(match: re.Match[str]) -> str:
        kind, size, language = match.group(1), int(match.group(2)), match.group(3)
        if kind in ("seed", "badseed"):
            words = Mnemonic(language).to_mnemonic(rng.randbytes(size * 4 // 3)).split()
            if kind == "badseed":
                words[-1] = next(w for w in Mnemonic(language).wordlist if not _valid(words, w))
            return " ".join(words)
        if kind == "bytes":
            return json.dumps([rng.randrange(256) for _ in range(size)])
        while True:  # a random key always mixes letters and digits; so do these
            text = "".join(rng.choice(_ALPHABETS[kind]) for _ in range(size))
            if kind in ("hex", "HEX", "dig", "low") or (
                re.search(r"[0-9]", text) and re.search(r"[A-Z]", text)
            ):
                return text

    return _PLACEHOLDER.sub(one, template)


def _valid(words: list[str], last: str) -> bool:
    return bool(Mnemonic("english").check(" ".join([*words[:-1], last])))


def _each_char(secret: str, pick: str, encode: object) -> str:
    assert callable(encode)
    return "".join(encode(c) if pick == "all" or c in pick else c for c in secret)


def _encode(secret: str, how: str) -> str:
    """The secret written as `how` says; a reader (or a parser) decodes it back."""
    words = secret.split(" ")
    encoders = {
        "plain": lambda: secret,
        "numbered": lambda: "\n".join(f"{n}. {w}" for n, w in enumerate(words, 1)),
        "lines": lambda: "\n".join(words),
        "commas": lambda: ", ".join(words),
        "json-array": lambda: json.dumps(words),
        "title": lambda: " ".join(w.capitalize() for w in words),
        "hyphens": lambda: "-".join(words),
        "json-u": lambda: _each_char(secret, "-_: ", lambda c: f"\\u{ord(c):04x}"),
        "json-u-all": lambda: _each_char(secret, "all", lambda c: f"\\u{ord(c):04x}"),
        "html-dec": lambda: _each_char(secret, "sk-", lambda c: f"&#{ord(c)};"),
        "html-hex": lambda: _each_char(secret, "all", lambda c: f"&#x{ord(c):x};"),
        "html-named": lambda: secret.replace(":", "&colon;").replace("_", "&lowbar;"),
        "html-double": lambda: secret.replace("-", "&amp;#45;"),
        "md-escape": lambda: secret.replace("-", "\\-").replace("_", "\\_"),
        "percent": lambda: _each_char(secret, "-_:", lambda c: f"%{ord(c):02X}"),
        "zero-width": lambda: "\u200b".join(secret[i : i + 5] for i in range(0, len(secret), 5)),
        "base64": lambda: base64.b64encode(secret.encode()).decode(),
        "base64url": lambda: base64.urlsafe_b64encode(secret.encode()).decode().rstrip("="),
        "yaml-x": lambda: secret.replace("-", "\\x2d"),
        "yaml-split": lambda: secret[:20] + "\\\n  " + secret[20:],
    }
    return encoders[how]()


def _case(case: dict[str, str]) -> tuple[str, str, int]:
    """The file text of a positive, its secret as a reader sees it, and the line it starts on."""
    rng = random.Random(case["id"])
    text = _fill(case["text"], rng)
    before, rest = text.split("[[", 1)
    secret, after = rest.rsplit("]]", 1)
    return before + _encode(secret, case["encode"]) + after, secret, before.count("\n") + 1


def published(file: str, text: str) -> list[Finding]:
    """What the validator finds in a file, read as `catalog validate` reads it."""
    if file == "character":
        data = json.loads(text)
        return scan_file(text, data, lambda at: jsonpos.locate(text, at))
    if file == "manifest":
        doc = load_yaml(text)
        return scan_file(text, doc.data, doc.position)
    return scan_file(text)


@pytest.mark.parametrize("case", POSITIVES, ids=[c["id"] for c in POSITIVES])
def test_every_positive_is_found_where_it_is_written(case: dict[str, str]) -> None:
    text, secret, line = _case(case)
    assert secret not in text or case["encode"] == "plain", "the encoding changed nothing"
    found = published(case["file"], text)
    assert [f.line for f in found] == [line], (text, found)


def test_the_labelled_set_is_large_and_varied() -> None:
    """>= 60 positives over >= 15 encodings; >= 200 negatives (counted in catalog/security.md)."""
    assert len(POSITIVES) >= 60
    assert len({c["encode"] for c in POSITIVES}) >= 15
    assert len(list(_negatives())) >= 200


def _negatives() -> list[tuple[str, str, str]]:
    """(name, file kind, text) of every negative: characters, sample agents, negatives.yaml."""
    found = [
        (str(p.relative_to(REPO)), "character", p.read_text("utf-8"))
        for p in sorted((REPO / "tests" / "data" / "characters").glob("*.json"))
    ]
    kinds = {"agent.yaml": "manifest", "README.md": "readme", "LICENSE": "readme"}
    for path in sorted((REPO / "agents").rglob("*")):
        if path.is_file():
            kind = kinds.get(path.name, "character" if path.suffix == ".json" else "readme")
            found.append((str(path.relative_to(REPO)), kind, path.read_text("utf-8")))
    found += [(c["id"], c["file"], c["text"]) for c in NEGATIVES]
    return found


def test_no_negative_is_flagged() -> None:
    flagged = {
        name: [f"{f.line}:{f.col} {f.kind}" for f in hits]
        for name, kind, text in _negatives()
        if (hits := published(kind, text))
    }
    assert flagged == {}


def test_findings_never_show_the_secret() -> None:
    """A finding's text (what the validator prints) holds six characters of the key, no more."""
    text, secret, _ = _case(POSITIVES[0])
    (found,) = published(POSITIVES[0]["file"], text)
    assert secret not in repr(found) and found.preview == secret[:6] + "…"


def test_hints_are_in_every_match() -> None:
    """A pattern runs only on text holding one of its hints: a hint a match could lack would
    hide that key, so every positive a pattern matches holds one."""
    for case in POSITIVES:
        text, _, _ = _case(case)
        for pattern in PATTERNS:
            for match in pattern.regex.finditer(text):
                assert not pattern.hints or any(h in match.group() for h in pattern.hints), (
                    pattern.kind,
                    case["id"],
                )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("risk-management-playbook-for-traders-and-their-desks", []),
        ("sk-learn-compatible-pipelines-for-tabular-data-and-more", []),
        ("The monkey keeps 0x" + "3f" * 32, []),
        ("keyboard layout id " + "9c" * 32, []),
        ("private key: 0x" + "3f" * 32, ["an EVM private key (64 hex digits)"]),
        ("private key rotated; new tx hash: 0x" + "3f" * 32, []),
        ("my public key: " + "3f" * 32, []),
    ],
)
def test_false_positives_of_the_past(text: str, expected: list[str]) -> None:
    assert [f.kind for f in scan(text)] == expected


def test_a_seed_phrase_in_a_readme_is_refused(cli: Cli) -> None:
    text, _, _ = _case(next(c for c in POSITIVES if c["id"] == "seed-numbered"))
    write_agent(cli.root, readme="# Harbor Bot\n\n" + text)
    result = cli("validate")
    assert result.exit_code == 1
    assert (
        "agents/acme/harbor-bot/README.md:5:4: error[secret-pattern]: this looks like a "
        "12-word seed phrase"
    ) in result.stdout


def test_an_escaped_key_in_a_character_is_refused(cli: Cli) -> None:
    text, _, _ = _case(next(c for c in POSITIVES if c["id"] == "json-u-anthropic"))
    write_agent(cli.root, character=text)
    result = cli("validate")
    assert (
        "agents/acme/harbor-bot/character.json:1:34: error[secret-pattern]: this looks like an "
        "Anthropic API key (sk-ant…)"
    ) in result.stdout


def test_a_key_joined_by_yaml_is_refused(cli: Cli, tmp_path: Path) -> None:
    text, _, _ = _case(next(c for c in POSITIVES if c["id"] == "yaml-continuation"))
    manifest = (REPO / "agents" / "harbor-labs" / "harbor-pilot" / "agent.yaml").read_text()
    write_agent(cli.root, manifest=f"{text}{manifest}".replace("owner: harbor-labs", "owner: acme"))
    result = cli("validate")
    assert (
        "agents/acme/harbor-bot/agent.yaml:1:14: error[secret-pattern]: this looks like an "
        "Anthropic API key (sk-ant…)" in result.stdout
    )


_PIECES = [
    "\\u002d",
    "\\ud83d\\ude00",
    "\\ud800",
    "\\u{110000}",
    "\\x2d",
    "\\U0010ffff",
    "&#115;",
    "&#x110000;",
    "&amp;#45;",
    "&bogus;",
    "%2D",
    "%zz",
    "\u200b",
    "\u202e",
    "\U000e0041",
    "sk-ant-",
    "AA",
    ":",
    "0x",
    "ab" * 32,
    "private key ",
    "abandon ",
    "1. ",
    ", ",
    "\n",
    "QUJD",
    "==",
    "-----BEGIN ",
    "PRIVATE KEY-----",
    "[1,",
    "é",
]


@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=8), max_size=40), st.text(max_size=20))
@settings(max_examples=300, deadline=None)
def test_any_text_is_scanned_without_error(pieces: list[str], context: str) -> None:
    """Whatever a file holds, the scanner returns findings inside the text, never an error."""
    text = "".join(pieces)
    for found in scan(text, context):
        assert 1 <= found.line <= text.count("\n") + 1 and found.col >= 1
        assert found.preview.isprintable() or found.preview.endswith("…")
