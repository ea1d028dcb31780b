"""Plugins looked up in the registry snapshot: unknown, unpublished and 0.x-only ones are named."""

from __future__ import annotations

from tests.conftest import CHARACTER, Cli, write_agent

C = "agents/acme/harbor-bot/character.json"


def _with(cli: Cli, *plugins: str) -> list[str]:
    write_agent(cli.root, character={**CHARACTER, "plugins": [*CHARACTER["plugins"], *plugins]})
    result = cli("validate")
    assert result.exit_code == 0, result.stdout
    return [line for line in result.stdout.splitlines() if "[plugin-" in line]


def test_known_plugins_pass(cli: Cli) -> None:
    assert _with(cli, "@elizaos/plugin-evm", "@elizaos/plugin-discord") == []


def test_unknown_plugin(cli: Cli) -> None:
    assert _with(cli, "@tinkerbench/plugin-open-meteo") == [
        f"{C}:9:5: warning[plugin-unknown]: plugin '@tinkerbench/plugin-open-meteo' is not in the "
        "elizaOS plugin registry; check the name on npm, or publish the plugin and add it to the "
        "registry (github.com/elizaos-plugins/registry)"
    ]


def test_listed_but_unpublished_plugin(cli: Cli) -> None:
    assert _with(cli, "@1BDO/plugin-delta") == [
        f"{C}:9:5: warning[plugin-unpublished]: plugin '@1BDO/plugin-delta' is listed in the "
        "registry but has no release for elizaOS 1.x; use a published plugin, or install this one "
        "from its source and say so in the README"
    ]


def test_plugin_for_0x_only(cli: Cli) -> None:
    assert _with(cli, "@elizaos/plugin-omniflix") == [
        f"{C}:9:5: warning[plugin-0x-only]: plugin '@elizaos/plugin-omniflix' is released for "
        "elizaOS 0.x only; a 1.x agent cannot load it; use its 1.x successor or remove it from "
        "plugins"
    ]


EVM = [*CHARACTER["plugins"], "@elizaos/plugin-evm"]


def test_money_needs_a_financial_declaration(cli: Cli) -> None:
    write_agent(cli.root, character={**CHARACTER, "plugins": EVM})
    result = cli("validate")
    assert result.stdout.splitlines()[0] == (
        "agents/acme/harbor-bot/agent.yaml:1:1: warning[financial-missing]: its plugins can "
        "move money (signs transactions, trades or swaps) but agent.yaml has no `financial`; add "
        "`financial: {actions: [...], custody: none | user-wallet | agent-wallet}`"
    )
    write_agent(
        cli.root,
        character={**CHARACTER, "plugins": EVM},
        financial={"actions": ["swap"], "custody": "user-wallet"},
    )
    assert cli("validate").stdout == "1 agent valid\n"


def test_a_read_only_claim_with_a_signing_plugin_is_named(cli: Cli) -> None:
    write_agent(
        cli.root,
        character={**CHARACTER, "plugins": EVM},
        summary="A read-only helper for harbor wallets.",
        financial={"actions": ["none"], "custody": "none"},
    )
    assert cli("validate").stdout.splitlines()[0] == (
        "agents/acme/harbor-bot/agent.yaml:2:10: warning[read-only-claim]: summary says "
        "'read-only' but a plugin can sign transactions; drop the claim, or remove the plugin "
        "that signs"
    )


def test_the_financial_field_is_checked(cli: Cli) -> None:
    write_agent(cli.root, financial={"actions": ["launder"], "custody": "none"})
    result = cli("validate")
    assert result.exit_code == 1
    assert "financial.actions" in result.stdout


def test_source_links_follow_the_registry_s_repo_forms() -> None:
    """`owner/name` is the repository; `owner/name#branch:path` (a plugin inside a monorepo, as
    the snapshot records @kamiyo/eliza) is that folder on that branch; anything else, no link."""
    from generator.checks.plugins import PluginInfo, lookup

    def url(repo: str) -> str:
        return PluginInfo("p", "ok", repo=repo).source_url

    assert (
        url("elizaos-plugins/plugin-discord") == "https://github.com/elizaos-plugins/plugin-discord"
    )
    assert lookup("@kamiyo/eliza").source_url == (
        "https://github.com/kamiyo-ai/kamiyo-protocol/tree/main/packages"
    )
    for hostile in ("", "a/b/c", "a/b#main", "https://evil.example/x", "a/b c", "a/b#m:p?q=1"):
        assert url(hostile) == "", hostile
