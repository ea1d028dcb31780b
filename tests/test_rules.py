"""One case per rule with the exact line the validator prints for it."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.checks.rules import RULES
from tests.conftest import CHARACTER, Cli, write_agent

A = "agents/acme/harbor-bot"
M = f"{A}/agent.yaml"
C = f"{A}/character.json"


def _extra_file(root: Path) -> None:
    (write_agent(root) / "notes.sh").write_text("echo hi\n")


def _subfolder(root: Path) -> None:
    (write_agent(root) / "assets").mkdir()


def _stray(root: Path) -> None:
    write_agent(root)
    (root / "agents" / "acme" / "notes.txt").write_text("hi\n")


def _readme_link(root: Path) -> None:
    folder = write_agent(root, readme=None)
    (root / "README-real.md").write_text("# real\n")
    os.symlink(root / "README-real.md", folder / "README.md")


def _big_character(root: Path) -> None:
    write_agent(root, character={**CHARACTER, "bio": ["x" * (1024 * 1024)]})


def _two(root: Path) -> None:
    write_agent(root)
    write_agent(root, owner="zed", slug="harbor-bot-2")


def _fork(ref: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        write_agent(root, owner="zed", slug="parent-bot", name="Parent Bot")
        write_agent(root, forked_from=ref)

    return setup


def _secret_in(where: str) -> Callable[[Path], None]:
    key = "sk-proj-" + "A1b2C3d4" * 5
    if where == "settings":
        return lambda r: write_agent(
            r, character={**CHARACTER, "settings": {"secrets": {"OPENAI_API_KEY": "placeholder"}}}
        )
    if where == "readme":
        return lambda r: write_agent(r, readme=f"# Bot\n\nexport OPENAI_API_KEY={key}\n")
    return lambda r: write_agent(r, character={**CHARACTER, "system": f"use {key}"})


def _key(prefix: str, body: str) -> Callable[[Path], None]:
    return lambda r: write_agent(r, character={**CHARACTER, "topics": [prefix + body]})


def _setting(name: str, value: str) -> Callable[[Path], None]:
    return lambda r: write_agent(r, character={**CHARACTER, "settings": {name: value}})


CASES: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "file-type",
        _extra_file,
        f"{A}/notes.sh: error[file-type]: unexpected file 'notes.sh'; "
        "remove the file; only manifest, character, README and LICENSE are published",
    ),
    (
        "file-type",
        _subfolder,
        f"{A}/assets: error[file-type]: subfolders are not allowed in an "
        "agent folder; remove the file; only manifest, character, README and LICENSE are published",
    ),
    (
        "stray-file",
        _stray,
        "agents/acme/notes.txt: error[stray-file]: file outside any agent "
        "folder; move it into an agent folder or remove it",
    ),
    (
        "symlink",
        _readme_link,
        f"{A}/README.md: error[symlink]: is a symbolic link; commit the "
        "file itself; links are not followed",
    ),
    (
        "file-too-large",
        _big_character,
        f"{C}: error[file-too-large]: is 1,049,127 bytes, over "
        "the 1,048,576-byte limit; shorten it",
    ),
    (
        "manifest-not-mapping",
        lambda r: write_agent(r, manifest="- a\n- b\n"),
        f"{M}:1:1: error[manifest-not-mapping]: the manifest is not a mapping; write the manifest "
        "keys at the top level (see the manifest reference)",
    ),
    (
        "manifest-not-mapping",
        lambda r: write_agent(r, manifest="# nothing\n"),
        f"{M}:1:1: error[manifest-not-mapping]: the manifest is empty; write the manifest keys at "
        "the top level (see the manifest reference)",
    ),
    (
        "yaml-key",
        lambda r: write_agent(r, manifest="name: X\n1: one\n"),
        f"{M}:2:1: error[yaml-key]: key 1 is not a string; quote the key",
    ),
    (
        "missing-key",
        lambda r: write_agent(r, license=None),
        f"{M}:1:1: error[missing-key]: required key 'license' is missing; add license: (see the "
        "manifest reference)",
    ),
    (
        "manifest-schema",
        lambda r: write_agent(r, summary="short"),
        f"{M}:2:10: error[manifest-schema]: summary: String should have at least 10 characters; "
        "follow the message; the manifest reference lists every field",
    ),
    (
        "version-invalid",
        lambda r: write_agent(r, version="^1.2.0"),
        f"{M}:4:10: error[version-invalid]: version: '^1.2.0' has the wrong form; ranges are not "
        "allowed: write one exact version, e.g. 1.0.0",
    ),
    (
        "version-invalid",
        lambda r: write_agent(r, version="latest"),
        f"{M}:4:10: error[version-invalid]: version: 'latest' has the wrong form; a manifest pins "
        "one exact version, e.g. 1.0.0",
    ),
    (
        "version-invalid",
        lambda r: write_agent(r, version="v1.0.0"),
        f"{M}:4:10: error[version-invalid]: version: 'v1.0.0' has the wrong form; drop the 'v' "
        "prefix: 1.0.0",
    ),
    (
        "version-invalid",
        lambda r: write_agent(r, version=1.2),
        f"{M}:4:10: error[version-invalid]: version: input should be a valid string, got number "
        '1.2; write a quoted MAJOR.MINOR.PATCH, e.g. version: "1.0.0"',
    ),
    (
        "login-invalid",
        lambda r: write_agent(r, maintainers=["Bob"]),
        f"{M}:11:3: error[login-invalid]: maintainers[0]: 'Bob' has the wrong form; write it in "
        "lowercase: bob",
    ),
    (
        "license-invalid",
        lambda r: write_agent(r, license="mit"),
        f"{M}:5:10: error[license-invalid]: license: write the SPDX expression in its canonical "
        "form: MIT",
    ),
    (
        "license-invalid",
        lambda r: write_agent(r, license="Proprietary-ish"),
        f"{M}:5:10: error[license-invalid]: license: Unknown license: 'proprietary-ish'; use an "
        "SPDX identifier such as MIT or Apache-2.0",
    ),
    (
        "tag-invalid",
        lambda r: write_agent(r, tags=["Customer Support"]),
        f"{M}:7:3: error[tag-invalid]: tags[0]: 'Customer Support' has the wrong form; write it as "
        "'customer-support'",
    ),
    (
        "tag-near-vocabulary",
        lambda r: write_agent(r, tags=["tradign"]),
        f"{M}:7:3: warning[tag-near-vocabulary]: tag 'tradign' is close to the vocabulary tag "
        "'trading'; use 'trading'",
    ),
    (
        "duplicate-entry",
        lambda r: write_agent(r, tags=["defi", "defi"]),
        f"{M}:8:3: error[duplicate-entry]: tags lists 'defi' twice; remove the second 'defi'",
    ),
    (
        "link-not-https",
        lambda r: write_agent(r, links={"homepage": "http://acme.example"}),
        f"{M}:11:13: error[link-not-https]: links.homepage: 'http://acme.example' has the wrong "
        "form; use https://; plain http and other schemes are refused",
    ),
    (
        "link-not-https",
        lambda r: write_agent(r, links={"homepage": "javascript:alert(1)"}),
        f"{M}:11:13: error[link-not-https]: links.homepage: 'javascript:alert(1)' has the wrong "
        "form; use https://; plain http and other schemes are refused",
    ),
    (
        "owner-invalid",
        lambda r: write_agent(r, owner="Acme_Corp"),
        "agents/Acme_Corp: error[owner-invalid]: owner folder 'Acme_Corp' is not a lowercase "
        "GitHub login; rename it to 'acme_corp'",
    ),
    (
        "slug-invalid",
        lambda r: write_agent(r, slug="Bot"),
        "agents/acme/Bot: error[slug-invalid]: slug folder 'Bot' breaks the slug grammar (3-40 "
        "chars, lowercase words joined by hyphens); rename the folder, e.g. my-agent",
    ),
    (
        "description-missing",
        lambda r: write_agent(r, readme=None),
        f"{M}:1:1: error[description-missing]: no description in agent.yaml and no README.md "
        "beside it; add a README.md or a description",
    ),
    (
        "maintainer-is-owner",
        lambda r: write_agent(r, maintainers=["acme"]),
        f"{M}:11:3: warning[maintainer-is-owner]: 'acme' is the owner and need not be a "
        "maintainer; remove the owner from maintainers",
    ),
    (
        "forked-from-invalid",
        lambda r: write_agent(r, forked_from="zed/parent-bot"),
        f"{M}:10:14: error[forked-from-invalid]: forked_from: 'zed/parent-bot' has the wrong "
        "form; write e.g. forked_from: acme/harbor-pilot@1.0.0",
    ),
    (
        "duplicate-name",
        _two,
        f"{M}:1:7: error[duplicate-name]: name 'Harbor Bot' is also used "
        "by zed/harbor-bot-2; choose a distinct name",
    ),
    (
        "forked-from-unknown",
        _fork("zed/nobody@1.0.0"),
        f"{M}:10:14: error[forked-from-unknown]: "
        "forked_from 'zed/nobody' is not an agent of the catalog; point forked_from at an existing "
        "agent and published version",
    ),
    (
        "forked-from-unknown",
        _fork("zed/parent-bot@2.0.0"),
        f"{M}:10:14: error[forked-from-"
        "unknown]: zed/parent-bot has not published 2.0.0 (its latest is 1.0.0); point forked_from "
        "at an existing agent and published version",
    ),
    (
        "replacement-unknown",
        lambda r: write_agent(r, deprecated={"reason": "Superseded.", "replacement": "zed/nobody"}),
        f"{M}:12:16: error[replacement-unknown]: replacement 'zed/nobody' is not an agent of the "
        "catalog; point it at an existing owner/slug",
    ),
    (
        "character-type",
        lambda r: write_agent(r, manifest={"character": "bot.txt"}),
        f"{M}:9:12: error[character-type]: character 'bot.txt' is not a .json file; point "
        "character at a .json file",
    ),
    (
        "character-not-object",
        lambda r: write_agent(r, character="[]"),
        f"{C}:1:1: error[character-not-object]: a character must be a JSON object, got array; a "
        "file holds one character: split the array into one file each",
    ),
    (
        "character-0x",
        lambda r: write_agent(r, character={**CHARACTER, "lore": ["old"]}),
        f'{C}:1:1: error[character-0x]: elizaOS 0.x character (uses "lore"); the 1.x runtime '
        f"rejects it; run: catalog migrate --in-place {C}",
    ),
    (
        "character-invalid",
        lambda r: write_agent(r, character={"name": "X"}),
        f'{C}:1:1: error[character-invalid]: missing required key "bio"; add "bio"',
    ),
    (
        "secret-in-character",
        _secret_in("settings"),
        f"{C}:40:25: error[secret-in-character]: "
        "settings.secrets.OPENAI_API_KEY holds a value; remove it and set "
        "CHARACTER.HARBOR_BOT.OPENAI_API_KEY in the environment",
    ),
    (
        "secret-pattern",
        _secret_in("character"),
        f"{C}:38:18: error[secret-pattern]: this looks "
        "like an OpenAI-style API key (sk-pro…); remove it now and revoke the key: anything pushed "
        "to a public repository is leaked",
    ),
    (
        "secret-pattern",
        _secret_in("readme"),
        f"{A}/README.md:3:23: error[secret-pattern]: this "
        "looks like an OpenAI-style API key (sk-pro…); remove it now and revoke the key: anything "
        "pushed to a public repository is leaked",
    ),
    (
        "secret-pattern",
        _key("ghp_", "a" * 36),
        f"{C}:11:6: error[secret-pattern]: this looks like a GitHub token (ghp_aa…)",
    ),
    (
        "secret-pattern",
        _setting("WALLET_PRIVATE_KEY", "0x" + "ab" * 32),
        f"{C}:39:28: error[secret-pattern]: this looks "
        "like an EVM private key (64 hex digits) (0xabab…)",
    ),
    (
        "secret-pattern",
        _setting("SOLANA_SECRET", "5" + "K" * 87),
        f"{C}:39:23: error[secret-pattern]: this looks like a Solana keypair (base58) (5KKKKK…)",
    ),
    (
        "secret-pattern",
        _key("-----BEGIN OPENSSH ", "PRIVATE KEY-----"),
        f"{C}:11:6: error[secret-pattern]: this looks like a private key block (-----B…)",
    ),
    (
        "secret-pattern",
        _key("AKIA", "ABCDEFGHIJKLMNOP"),
        f"{C}:11:6: error[secret-pattern]: this looks like an AWS access key (AKIAAB…)",
    ),
]


@pytest.mark.parametrize(("rule", "setup", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule(cli: Cli, rule: str, setup: Callable[[Path], None], expected: str) -> None:
    setup(cli.root)
    result = cli("validate")
    lines = result.stdout.splitlines()
    mine = [line for line in lines if f"[{rule}]" in line]
    assert mine, "\n".join(lines)
    assert any(line.startswith(expected) for line in mine), "\n".join(lines)
    assert result.exit_code == (0 if RULES[rule].severity == "warning" else 1)


def test_every_rule_is_tested() -> None:
    """Each registered rule appears in at least one test's expected output."""
    text = "".join(p.read_text("utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    missing = sorted(r for r in RULES if not re.search(rf"\[{re.escape(r)}\]", text))
    assert missing == []


def test_hashes_and_signatures_are_not_keys(cli: Cli) -> None:
    """64-hex ids and transaction hashes, 88-char signatures: public values, not wallet keys."""
    sha = "a85fe83300ff8d167f5c8c2e37008699a0ada970c422fd66ffe1a3a668a7ff54"
    posts = [f"tx 0x{sha} confirmed", "signature " + "5" + "K" * 87]
    write_agent(cli.root, character={**CHARACTER, "topics": [sha], "postExamples": posts})
    assert cli("validate").stdout == "1 agent valid\n"
