"""The threat model (catalog/security.md) cannot drift: every entry point has a row, every row
names tests, every named test exists, and the counts it gives are the labelled set's."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_persona import NEGATIVES as PERSONA_NEGATIVES
from tests.test_persona import POSITIVES as PERSONA_POSITIVES
from tests.test_persona import sample_agents
from tests.test_secrets import POSITIVES, _negatives

PAGE = REPO / "catalog" / "security.md"
ENTRY_POINTS = (
    "Manifest",
    "Character",
    "README",
    "File names",
    "Git metadata",
    "Pull request",
    "Workflow",
    "Report form",
    "Moderation",
)
_TEST_REF = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


@cache
def _defined(path: str) -> frozenset[str]:
    """The names of the test functions a test module defines."""
    tree = ast.parse((REPO / path).read_text("utf-8"))
    return frozenset(
        node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    )


def _rows() -> dict[str, str]:
    """The rows of the entry-point table, by the entry point they start with."""
    text = PAGE.read_text("utf-8")
    section = text.split("## Entry points", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"\| \*\*([^*]+)\*\*", line)
        if match:
            rows[match.group(1)] = line
    return rows


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_every_entry_point_has_a_defence_and_tests(entry: str) -> None:
    row = next((line for name, line in _rows().items() if name.startswith(entry)), None)
    assert row is not None, f"no row for {entry}"
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert len(cells) == 4 and all(cells), row
    assert len(_TEST_REF.findall(cells[3])) >= 2, row


@pytest.mark.parametrize("page", [PAGE, REPO / "SECURITY.md"], ids=lambda p: p.name)
def test_every_named_test_exists(page: Path) -> None:
    named = _TEST_REF.findall(page.read_text("utf-8"))
    missing = [f"{path}::{name}" for path, name in named if name not in _defined(path)]
    assert missing == []


def test_the_page_names_many_tests() -> None:
    """A guard for the parser above: a format change that hid every reference would pass."""
    assert len(set(_TEST_REF.findall(PAGE.read_text("utf-8")))) >= 40


def test_the_counts_are_the_labelled_sets() -> None:
    text = " ".join(PAGE.read_text("utf-8").split())
    assert f"**{len(POSITIVES)} positives**" in text
    assert f"**{len(list(_negatives()))} negatives**" in text
    assert f"written in {len({c['encode'] for c in POSITIVES})} ways" in text


def test_the_persona_counts_are_the_labelled_sets() -> None:
    """The persona section's counts: positives, attacks among them, and negatives (the
    hand-written ones, the 44 test characters, the sample agents but the delisted scam)."""
    text = " ".join(PAGE.read_text("utf-8").split())
    attacks = sum(c["rule"] == "persona-attack" for c in PERSONA_POSITIVES)
    characters = len(list((REPO / "tests" / "data" / "characters").glob("*.json")))
    negatives = len(PERSONA_NEGATIVES) + characters + len(sample_agents()) - 1
    assert f"**{len(PERSONA_POSITIVES)} persona positives** ({attacks} of them attacks" in text
    assert f"**{negatives} persona negatives**" in text
    assert f"{len(sample_agents()) - 1} sample agents" in text
    assert f"{len(PERSONA_NEGATIVES)} hand-written hard negatives" in text


def test_security_md_points_to_the_page_and_says_what_to_do() -> None:
    text = (REPO / "SECURITY.md").read_text("utf-8")
    assert "catalog/security.md" in text or "security/" in text
    assert "Report a vulnerability" in text
    assert text.index("Revoke") < text.index("history")


def test_the_page_is_in_the_site_navigation() -> None:
    assert "security.md" in (REPO / "mkdocs.yml").read_text("utf-8")
