"""Look-alike names and reserved names: the exact validator lines, the skeleton behind them, and
the cases that must stay quiet (digits, one owner's own agents, moderated agents, the samples)."""

from __future__ import annotations

import random
from collections.abc import Callable, ItemsView
from pathlib import Path

import pytest

from generator.checks.lookalike import (
    _skeleton,
    _skeleton_any,
    name_facts,
    one_letter_apart,
    reserved,
    skeleton,
)
from generator.checks.names import NameChecks
from generator.checks.rules import RULES
from generator.checks.validate import validate
from tests.conftest import REPO, Cli, write_agent

Z = "agents/zed/harbor-bot-2/agent.yaml"


def _pair(name: str, owner: str = "zed") -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        write_agent(root)  # acme/harbor-bot, "Harbor Bot"
        write_agent(root, owner=owner, slug="harbor-bot-2", name=name)

    return setup


def _owners(first: str, second: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        write_agent(root, owner=first, slug="tide-clock", name="Tide Clock")
        write_agent(root, owner=second, slug="moon-clock", name="Moon Clock")

    return setup


CASES: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "name-confusable",
        _pair("\u041d\u0430rbor Bot"),  # Cyrillic capital EN and small A
        f"{Z}:1:7: error[name-confusable]: name '\u041d\u0430rbor Bot' looks the same as 'Harbor "
        "Bot' (acme/harbor-bot); choose a name that cannot be mistaken for the other agent",
    ),
    (
        "name-confusable",
        _pair("HARB0R-B0T"),
        f"{Z}:1:7: error[name-confusable]: name 'HARB0R-B0T' looks the same as 'Harbor Bot' "
        "(acme/harbor-bot)",
    ),
    (
        "name-lookalike",
        _pair("Harbour Bot"),
        f"{Z}:1:7: warning[name-lookalike]: name 'Harbour Bot' is one letter away from 'Harbor "
        "Bot' (acme/harbor-bot); make sure the name cannot be mistaken for the other agent; "
        "reviewers check look-alikes",
    ),
    (
        "owner-confusable",
        _owners("harbor-labs", "harb0r1abs"),
        "agents/harb0r1abs: error[owner-confusable]: owner 'harb0r1abs' looks the same as "
        "'harbor-labs'; publish under your own GitHub login; impersonating an owner gets agents "
        "removed",
    ),
    (
        "owner-lookalike",
        _owners("harbor-labs", "harbour-labs"),
        "agents/harbour-labs: warning[owner-lookalike]: owner 'harbour-labs' is one letter away "
        "from 'harbor-labs'; reviewers check that the owner is not impersonating the other one",
    ),
    (
        "reserved-name",
        lambda r: write_agent(r, owner="elizaos-team"),
        "agents/elizaos-team: error[reserved-name]: owner 'elizaos-team' uses the reserved name "
        "'elizaos'; choose another name; reserved names belong to the catalog and the elizaOS "
        "project",
    ),
    (
        "reserved-name",
        lambda r: write_agent(r, slug="admin", name="Harbor Admin"),
        "agents/acme/admin: error[reserved-name]: slug 'admin' uses the reserved name 'admin'",
    ),
    (
        "reserved-name",
        lambda r: write_agent(r, name="0fficial Harbor Bot"),
        "agents/acme/harbor-bot/agent.yaml:1:7: error[reserved-name]: name '0fficial Harbor Bot' "
        "uses the reserved name 'official'",
    ),
    (
        "reserved-name",
        lambda r: write_agent(r, name="Support"),
        "agents/acme/harbor-bot/agent.yaml:1:7: error[reserved-name]: name 'Support' uses the "
        "reserved name 'support'",
    ),
]


@pytest.mark.parametrize(("rule", "setup", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule(cli: Cli, rule: str, setup: Callable[[Path], None], expected: str) -> None:
    setup(cli.root)
    result = cli("validate")
    mine = [line for line in result.stdout.splitlines() if f"[{rule}]" in line]
    assert any(line.startswith(expected) for line in mine), result.stdout
    assert result.exit_code == (0 if RULES[rule].severity == "warning" else 1)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Parla", "\u0420\u0430rla"),
        ("PayPal", "PayPaI"),
        ("Pàrla", "Parla"),
        ("\U0001d407\U0001d41a\U0001d42b\U0001d41b\U0001d428\U0001d42b", "harbor"),
        ("\uff48\uff41\uff52\uff42\uff4f\uff52", "Harbor"),
        ("mira", "rnira"),
        ("harbor-labs", "Harbor_Labs"),
        ("l1I|", "llll"),
        ("o0O", "ooo"),
    ],
)
def test_confusables_share_a_skeleton(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("harborlabs", "harbourlabs", True),
        ("porchlight", "porchlihgt", True),
        ("lintlantern", "lintlanter", True),
        ("harborpilot", "harborpiloy", True),
        ("harborpilot", "harborpi", False),
        ("harbor", "harbor", False),
    ],
)
def test_one_letter_apart(a: str, b: str, near: bool) -> None:
    assert one_letter_apart(a, b) is near


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("Harbor Pilot", "Harbor Pilots", True),
        ("harb0r-lab", "harbor-labs", True),
        ("owner-001", "owner-010", False),
        ("Amber Harbor 12", "Amber Harbor 13", False),
        ("Agent 1 of the fleet", "Agent 10 of the fleet", False),
        ("mira", "miro", False),
    ],
)
def test_lookalike_ignores_digits_and_short_names(a: str, b: str, near: bool) -> None:
    checks = NameChecks.of({"acme/one": a, "zed/two": b})
    assert checks.names.lookalike("acme/one") == (["zed/two"] if near else [])


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("admin", "admin"),
        ("Team", "team"),
        ("e1iza", "eliza"),
        ("ElizaOS Helper", "elizaos"),
        ("Eliza OS Helper", "elizaos"),
        ("official-bot", "official"),
        ("Verifed Trader", "verified"),
        ("ai16z-fan", "ai16z"),
        ("Eliza Trader", None),
        ("Customer Support Bot", None),
        ("team-rocket", None),
        ("Lighthouse Desk", None),
        ("Unofficial Fan Club", None),
    ],
)
def test_reserved(text: str, word: str | None) -> None:
    assert reserved(text) == word


def test_quiet_for_digits_same_owner_and_moderated() -> None:
    checks = NameChecks.of(
        {
            "acme/bot-2": "Harbor Bot 2",
            "zed/bot-3": "Harbor Bot 3",  # digits differ
            "acme/pilot": "Harbor Pilot",
            "acme/pilots": "Harbor Pilots",  # one owner
            "mallory/pilot": "Harb0r Pilot",  # delisted below
        },
        moderated={"mallory/pilot"},
    )
    assert [
        checks.names.confusable(r) + checks.names.lookalike(r)
        for r in ("acme/bot-2", "zed/bot-3", "acme/pilot")
    ] == [[], [], []]
    assert checks.owner_problems(["acme", "zed", "mallory"]) == []


def test_many_agents_are_checked_by_buckets() -> None:
    names = {f"owner-{i % 97:03d}/agent-{i}": f"Agent {i} of the fleet" for i in range(10_000)}
    checks = NameChecks.of(names)
    assert all(checks.names.lookalike(ref) == [] for ref in list(names)[:500])
    assert checks.owner_problems({r.partition("/")[0] for r in names}) == []


def test_sample_catalog_has_no_lookalikes() -> None:
    report = validate(REPO)
    assert [
        p.text()
        for p in report.problems
        if p.rule
        in {
            "name-confusable",
            "name-lookalike",
            "owner-confusable",
            "owner-lookalike",
            "reserved-name",
        }
    ] == []


def test_ascii_skeletons_match_the_general_path() -> None:
    """The ASCII fast path gives what the per-character path gives, on every ASCII character
    and on seeded random names mixing letters, digits, separators and confusables."""
    rng = random.Random(7)
    alphabet = [chr(i) for i in range(128)]
    samples = [*alphabet, "ElizaOS Helper", "0fficial-b0t", "rnira", "I1l|", "Harbor_Bot 2"]
    samples += [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24))) for _ in range(2000)
    ]
    for text in samples:
        assert _skeleton(text) == _skeleton_any(text), repr(text)


def test_the_first_queries_scan_and_later_ones_use_the_index_with_the_same_answers() -> None:
    """A one-agent check scans every skeleton once; a whole catalog builds the deletion index."""
    rng = random.Random(11)
    words = ["harbor", "harb0r", "harbour", "pilot", "pi1ot", "tide", "tides", "clock", "cl0ck"]
    names = {f"o{i % 13}/a{i}": " ".join(rng.sample(words, 2)) for i in range(300)}
    scanned = {ref: NameChecks.of(names).names.lookalike(ref) for ref in names}
    indexed = NameChecks.of(names)
    assert {ref: indexed.names.lookalike(ref) for ref in names} == scanned
    assert indexed.names.near is not None and sum(map(bool, scanned.values())) > 100


def _every_pair(checks: NameChecks, key: str) -> list[str]:
    """The look-alikes of `key` by the rule's words, comparing it with every other name."""
    index = checks.names
    sk, letters, size = index.skeletons[key]
    return sorted(
        k
        for k, (other, other_letters, other_size) in index.skeletons.items()
        if index.groups[k] != index.groups[key]
        and min(size, other_size) >= 5
        and letters != other_letters
        and one_letter_apart(sk, other)
    )


def test_the_one_pass_index_finds_what_comparing_every_pair_finds() -> None:
    """A whole catalog's index (built at once, without scans) answers as a comparison of every
    pair, on names crowded into few buckets: short, with digits, confusables and swaps."""
    rng = random.Random(13)
    parts = ["harb", "hrab", "harbo", "0r", "or", "pilot", "pi1ot", "m", "rn", "a", "", "7", "-"]
    names = {
        f"o{i % 17}/a{i}": "".join(rng.choice(parts) for _ in range(rng.randint(1, 4)))
        for i in range(1500)
    }
    names = {ref: name for ref, name in names.items() if name}
    indexed = NameChecks.of(names, queries=len(names))
    answers = {ref: indexed.names.lookalike(ref) for ref in names}
    assert indexed.names.scans == 8 and indexed.names.near is not None  # no scan asked
    assert answers == {ref: _every_pair(indexed, ref) for ref in names}
    assert answers == {ref: NameChecks.of(names).names.lookalike(ref) for ref in names}
    assert sum(map(bool, answers.values())) > 300


class _Counted(dict[str, tuple[str, str, int]]):
    """A dictionary that counts the walks through its items."""

    walks = 0

    def items(self) -> ItemsView[str, tuple[str, str, int]]:  # type: ignore[override]
        self.walks += 1
        return super().items()


def test_owners_asked_all_at_once_get_what_each_asked_alone_gets() -> None:
    """A whole catalog asks about every owner: the deletion index at once, no scans first; one
    owner asked alone (a one-agent check) is scanned. Same problems either way."""
    rng = random.Random(17)
    parts = ["harbor", "harb0r", "habror", "labs", "1abs", "tide", "-", "x", "rn", "m"]
    owners = {"".join(rng.sample(parts, rng.randint(1, 3))) for _ in range(200)}
    names = {f"{owner}/agent-{i}": f"Agent {i}" for i, owner in enumerate(sorted(owners))}
    every = NameChecks.of(names, queries=len(names))
    looks = every.owners.skeletons = _Counted(every.owners.skeletons)
    together = every.owner_problems(owners)
    assert looks.walks == 1  # the index built once, no scan of every owner before it
    alone = [p for owner in owners for p in NameChecks.of(names).owner_problems([owner])]
    assert together == sorted(alone, key=lambda p: p.path)
    assert sum(p.rule == "owner-lookalike" for p in together) > 20


def test_name_facts_from_the_checks_give_the_same_problems() -> None:
    """Skeletons and reserved words computed beforehand (`name_facts`, as the forked checks
    send them) give the problems computed here; the checks do read them."""
    names = {
        "acme/harbor-bot": "Harbor Bot",
        "zed/harb0r-bot": "Harb0r Bot",
        "elizaos/official": "Official Eliza0s",
        "adrnin/tide-clock": "Tide Clocks",
        "admin/moon-clock": "Tide Clock",
    }
    texts = {*names.values(), *(part for ref in names for part in ref.split("/"))}
    facts = name_facts(texts)
    assert facts == {t: (_skeleton(t), reserved(t)) for t in texts}
    words = {t: fact[1] for t, fact in facts.items()}
    known = {t: fact[0] for t, fact in facts.items()}
    owners = [ref.partition("/")[0] for ref in names]
    plain = NameChecks.of(names).owner_problems(owners)
    assert len(plain) >= 3
    assert NameChecks.of(names, (), known, words, len(names)).owner_problems(owners) == plain
    lying = {t: "team" for t in texts}  # what a check told is what is reported
    told = NameChecks.of(names, (), known, lying).owner_problems(owners)
    assert {p.rule for p in told} == {"reserved-name", "owner-confusable"} and told != plain
    assert {p.message.rpartition(" ")[2] for p in told if p.rule == "reserved-name"} == {"'team'"}
