"""Capabilities derived from plugins: the expected block of each agent in agents/, and pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.catalog.model import plugin_list
from generator.checks.capabilities import derive, needed_keys, table
from tests.test_site import Built, built  # noqa: F401 - fixture

AGENTS = Path(__file__).parents[1] / "agents"
MODEL = "sends chats to a hosted model"
EXPECTED: dict[str, list[str]] = {
    "agora-works/porchlight": ["chats on Discord", "generates images", MODEL],
    "agora-works/quorum-clerk": ["chats on Discord", "generates images", MODEL],
    "claimdesk/eliza-airdrop-official": ["chats on Discord", "generates images", MODEL],
    "harbor-labs/harbor-pilot": ["signs transactions", "trades or swaps", MODEL],
    "harbor-labs/lighthouse-desk": [
        "chats on Discord",
        "generates images",
        "reads your documents",
        MODEL,
    ],
    "hypewave/shill-siren": ["posts in public on X", "generates images", MODEL],
    "mira/parla": ["chats on Telegram", "generates images", MODEL],
    "mira/solace": [MODEL],
    "nodewatch/keyring-check": ["chats on Discord", "generates images", MODEL],
    "nodewatch/lint-lantern": ["chats on Discord", MODEL],
    "open-tutors/cell-explorer": ["generates images", MODEL],
    "open-tutors/citation-scout": ["generates images", "reads your documents", MODEL],
    "open-tutors/trivia-tern": ["chats on Telegram", "generates images", MODEL],
    "quill-collective/evening-wire": ["posts in public on X", "generates images", MODEL],
    "quill-collective/marginalia": [MODEL],
    "quill-collective/morning-ledger": ["posts in public on X", "generates images", MODEL],
    "rustacean-guild/ferris-review": ["chats on Discord", MODEL],
    "sandbar-capital/spread-sentinel": [
        "signs transactions",
        "trades or swaps",
        "chats on Telegram",
        "generates images",
        MODEL,
    ],
    "tinkerbench/weather-wren": ["chats on Telegram", "generates images", MODEL],
    "vitrine-studio/vitrine": [
        "signs transactions",
        "trades or swaps",
        "posts in public on X",
        "generates images",
        MODEL,
    ],
}


def _labels(ref: str) -> list[str]:
    character = json.loads((AGENTS / ref / "character.json").read_text("utf-8"))
    return [c.label for c in derive(plugin_list(character))]


@pytest.mark.parametrize("ref", sorted(EXPECTED))
def test_each_sample_agent_has_its_block(ref: str) -> None:
    assert _labels(ref) == EXPECTED[ref]


def test_every_sample_agent_is_covered() -> None:
    found = sorted(f"{p.parent.parent.name}/{p.parent.name}" for p in AGENTS.glob("*/*/agent.yaml"))
    assert found == sorted(EXPECTED)


def test_the_table_gives_every_capability_a_meaning() -> None:
    t = table()
    assert all(c.meaning.endswith(".") and c.label for c in t.capabilities.values())
    assert {c.id for c in t.capabilities.values() if c.money} == {"signs-transactions", "trades"}


def test_pages_and_api_show_the_block(built: Built) -> None:  # noqa: F811 - the fixture
    ref = "acme/harbor-bot"
    page = built.page(f"agents/{ref}/index.html")
    block = re.search(r'<section class="pac-can".*?</section>', page, re.S)
    assert block and "What it can do" in block.group(0), page[:2000]
    assert "signs transactions" in block.group(0) and "pac-can__item--money" in block.group(0)
    assert "npmjs.com/package/@elizaos/plugin-evm" in page
    assert "Can move money" in page and "has not declared what it does with funds" in page
    assert "What its plugins allow: signs transactions and trades or swaps." in page
    older = built.page(f"agents/{ref}/1.0.0/index.html")
    assert "What it can do" in older and "signs transactions" not in older
    summary = built.json(f"api/v1/agents/{ref}.json")
    assert summary["capabilities"] == ["signs-transactions", "trades"]
    assert summary["keys"] == ["EVM_PRIVATE_KEY"]
    assert "Needs <code>EVM_PRIVATE_KEY</code>" in block.group(0)


def test_keys_come_from_plugins_and_the_character() -> None:
    character = json.loads((AGENTS / "harbor-labs/harbor-pilot/character.json").read_text("utf-8"))
    character["settings"] = {"secrets": {"ZAPPER_API_KEY": ""}}
    names = needed_keys(plugin_list(character), character)
    assert names == ("ANTHROPIC_API_KEY", "EVM_PRIVATE_KEY", "ZAPPER_API_KEY")


def test_a_sample_agents_keys_are_what_its_plugins_require() -> None:
    """spread-sentinel loads plugin-solana, whose package marks its RPC data keys and two
    market settings required besides the wallet key (data/capabilities.yaml names the source)."""
    character = json.loads(
        (AGENTS / "sandbar-capital/spread-sentinel/character.json").read_text("utf-8")
    )
    assert needed_keys(plugin_list(character), character) == (
        "BIRDEYE_API_KEY",
        "HELIUS_API_KEY",
        "OPENAI_API_KEY",
        "SLIPPAGE",
        "SOLANA_PRIVATE_KEY",
        "SOLANA_PUBLIC_KEY",
        "SOL_ADDRESS",
        "TELEGRAM_BOT_TOKEN",
    )
    assert table().keys["@elizaos/plugin-twilio"] == (
        "TWILIO_ACCOUNT_SID",
        "TWILIO_AUTH_TOKEN",
        "TWILIO_PHONE_NUMBER",
        "TWILIO_WEBHOOK_URL",
    )


def test_every_plugins_key_names_say_where_they_were_checked() -> None:
    """Each line of the `keys:` table ends with the repository and file it was checked against."""
    text = (AGENTS.parent / "data" / "capabilities.yaml").read_text("utf-8")
    lines = text.split("\nkeys:\n", 1)[1].splitlines()
    entries = [line for line in lines if line.startswith('  "@')]
    assert len(entries) == len(table().keys)
    source = re.compile(r"\]  # [\w.-]+/[\w.-]+ [\w./-]*(package\.json|README\.md)(;|$)")
    assert [e for e in entries if not source.search(e)] == []


def test_a_version_that_gains_a_wallet_is_called_out(built: Built) -> None:  # noqa: F811
    page = built.page("agents/acme/harbor-bot/index.html")  # the latest version's page
    block = re.search(r'<section class="pac-changed".*?</section>', page, re.S)
    assert block, page[:3000]
    assert ">What changed in 1.1.0</h2>" in block.group(0)
    assert "New in this version: it signs transactions." in block.group(0)
    assert "<li>plugins added: @elizaos/plugin-evm</li>" in block.group(0)
    assert "<li>new key names: EVM_PRIVATE_KEY</li>" in block.group(0)
    assert "pac-changed" not in built.page("agents/acme/harbor-bot/1.0.0/index.html")
    feed = built.page("feed.xml")
    assert (
        "Now can: signs transactions (new). Now can: trades or swaps (new). "
        "plugins added: @elizaos/plugin-evm." in feed
    )


def test_a_fork_hears_of_its_parents_newer_version(built: Built) -> None:  # noqa: F811
    page = built.page("agents/zed/harbor-fork/index.html")
    notice = re.search(r'<div class="admonition info pac-upstream".*?</div>', page, re.S)
    assert notice, page[:3000]
    assert "has a newer version, 1.1.0; this fork started from 1.0.0." in notice.group(0)
    assert "Now can: signs transactions (new)." in notice.group(0)
    assert "pac-upstream" not in built.page("agents/acme/harbor-bot/index.html")
