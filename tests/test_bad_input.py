"""Every kind of bad input ends in exit 1 and one precise line (file, line, rule, fix), never a
traceback. Each case writes a broken agent into a fresh catalog and runs the real CLI."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CHARACTER, Cli, write_agent

AGENT = "agents/acme/harbor-bot"
MANIFEST_HEAD = """name: Harbor Bot
summary: Answers questions about harbor schedules and berths.
owner: acme
version: 1.0.0
license: MIT
tags: [assistant]
"""


def manifest_text(text: str) -> Callable[[Path], None]:
    return lambda root: write_agent(root, manifest=text)


def _big_manifest(root: Path) -> None:
    padding = "#" * (10 * 1024 * 1024 - len(MANIFEST_HEAD) - 1)
    write_agent(root, manifest=MANIFEST_HEAD + padding + "\n")


def _deep_yaml(root: Path) -> None:
    write_agent(root, manifest=MANIFEST_HEAD + "links: " + "[" * 40 + "]" * 40 + "\n")


def _deep_json(root: Path) -> None:
    write_agent(
        root, character='{"name": "X", "bio": "b", "settings": ' + "[" * 5000 + "]" * 5000 + "}"
    )


def _symlinked_character(root: Path) -> None:
    folder = write_agent(root)
    (folder / "character.json").unlink()
    (root / "elsewhere.json").write_text(json.dumps(CHARACTER))
    os.symlink(root / "elsewhere.json", folder / "character.json")


def _non_utf8(root: Path) -> None:
    folder = write_agent(root)
    (folder / "agent.yaml").write_bytes(MANIFEST_HEAD.encode() + b"description: caf\xe9\n")


def _empty_folder(root: Path) -> None:
    (root / "agents" / "acme" / "harbor-bot").mkdir(parents=True)


def _no_character(root: Path, path: str) -> None:
    folder = write_agent(root, manifest={"character": path})
    (folder / "character.json").unlink()


def _missing_character(root: Path) -> None:
    folder = write_agent(root)
    (folder / "character.json").unlink()


CASES: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "malformed yaml",
        manifest_text(MANIFEST_HEAD + "links: [https://a.example\n"),
        f"{AGENT}/agent.yaml:8:1: error[yaml-syntax]: invalid YAML: did not find expected ',' or "
        "']'; check indentation and quoting near this position",
    ),
    (
        "malformed json",
        lambda r: write_agent(r, character='{"name": "X",\n  "bio": [}'),
        f"{AGENT}/character.json:2:11: error[json-syntax]: invalid JSON: Expecting value; "
        "fix the JSON syntax",
    ),
    (
        "yaml anchor and alias",
        manifest_text(MANIFEST_HEAD + "maintainers: &m [bob]\nx: *m\n"),
        f"{AGENT}/agent.yaml:7:14: error[yaml-alias]: YAML anchors and aliases (&, *) are not "
        "allowed; write the value out in full",
    ),
    (
        "yaml merge key",
        manifest_text(MANIFEST_HEAD + "links:\n  <<: {homepage: https://a.io}\n"),
        f"{AGENT}/agent.yaml:8:3: error[yaml-alias]: merge keys (<<) are not allowed; "
        "write the keys out",
    ),
    (
        "duplicate key",
        manifest_text(MANIFEST_HEAD + "version: 1.0.1\n"),
        f"{AGENT}/agent.yaml:7:1: error[duplicate-key]: key 'version' appears twice (first on "
        "line 4); keep one of them",
    ),
    (
        "duplicate json key",
        lambda r: write_agent(r, character='{"name": "A", "name": "B", "bio": "x"}'),
        f"{AGENT}/character.json: error[duplicate-key]: key 'name' appears twice in one object; "
        "keep one of them",
    ),
    (
        "python tag",
        manifest_text(MANIFEST_HEAD + "x: !!python/object:os.system {}\n"),
        f"{AGENT}/agent.yaml:7:4: error[yaml-tag]: YAML tag 'tag:yaml.org,2002:python/object:"
        "os.system' is not allowed; remove the tag",
    ),
    (
        "non utf-8",
        _non_utf8,
        f"{AGENT}/agent.yaml:7:17: error[not-utf8]: byte 0xe9 is not valid UTF-8; save the file "
        "as UTF-8",
    ),
    (
        "10 MB manifest",
        _big_manifest,
        f"{AGENT}/agent.yaml: error[file-too-large]: is 10,485,760 bytes, over the 65,536-byte "
        "limit; shorten it",
    ),
    (
        "deep yaml",
        _deep_yaml,
        f"{AGENT}/agent.yaml:7:40: error[too-deep]: data nested deeper than 32 levels; flatten it",
    ),
    (
        "deep json",
        _deep_json,
        f"{AGENT}/character.json: error[too-deep]: data nested deeper than 32 levels; flatten it",
    ),
    (
        "character path escapes",
        lambda r: _no_character(r, "../../x.json"),
        f"{AGENT}/agent.yaml:9:12: error[path-outside-agent]: character: path '../../x.json' "
        "leaves the agent folder; use a file name inside the agent folder, e.g. character.json",
    ),
    (
        "absolute character path",
        lambda r: _no_character(r, "/etc/x.json"),
        f"{AGENT}/agent.yaml:9:12: error[path-outside-agent]: character: path '/etc/x.json' is "
        "absolute; use a file name inside the agent folder, e.g. character.json",
    ),
    (
        "symlinked character",
        _symlinked_character,
        f"{AGENT}/character.json: error[symlink]: is a symbolic link; commit the file itself; "
        "links are not followed",
    ),
    (
        "missing character",
        _missing_character,
        f"{AGENT}/agent.yaml:9:12: error[file-missing]: character file 'character.json' not "
        f"found; add {AGENT}/character.json or fix the path",
    ),
    (
        "empty folder",
        _empty_folder,
        f"{AGENT}: error[manifest-missing]: {AGENT} has no agent.yaml; add agent.yaml "
        "(`catalog new OWNER/SLUG`) or remove the folder",
    ),
    (
        "unknown key",
        lambda r: write_agent(r, licence="MIT"),
        f"{AGENT}/agent.yaml:10:1: error[unknown-key]: unknown key 'licence'; did you mean "
        "'license'?",
    ),
    (
        "owner differs from folder",
        lambda r: write_agent(r, manifest={"owner": "evil"}),
        f"{AGENT}/agent.yaml:3:8: error[owner-mismatch]: owner 'evil' differs from the folder "
        "owner 'acme'; set owner: acme, or move the agent to agents/evil/",
    ),
    # Found by tests/test_fuzz.py (issue 10): each of these used to end in a traceback.
    (
        "raw control character",
        manifest_text(MANIFEST_HEAD + "description: caf\x1b[31m\n"),
        f"{AGENT}/agent.yaml:7:17: error[yaml-syntax]: invalid YAML: unprintable character U+001B "
        'is not allowed; remove it, or write it as "\\x1b" inside double quotes',
    ),
    (
        "impossible date",
        manifest_text(MANIFEST_HEAD + "description: 2026-13-45\n"),
        f"{AGENT}/agent.yaml:7:14: error[yaml-syntax]: bad value '2026-13-45': month must be in "
        "1..12; quote it",
    ),
    (
        "5,000-digit number in yaml",
        manifest_text(MANIFEST_HEAD + "description: " + "1" * 5000 + "\n"),
        f"{AGENT}/agent.yaml:7:14: error[number-too-large]: number "
        f"'{'1' * 40}'… has more than 4,300 digits; quote it if it is text, or write a smaller "
        "number",
    ),
    (
        "hex number past the digit limit",
        manifest_text(MANIFEST_HEAD + "description: 0x" + "f" * 4000 + "\n"),
        f"{AGENT}/agent.yaml:7:14: error[number-too-large]: number "
        f"'0x{'f' * 38}'… has more than 4,300 digits; quote it if it is text, or write a smaller "
        "number",
    ),
    (
        "5,000-digit number in json",
        lambda r: write_agent(r, character='{"name": "X",\n  "bio": "b", "n": ' + "9" * 5000 + "}"),
        f"{AGENT}/character.json:2:20: error[number-too-large]: number '{'9' * 40}'… has more "
        "than 4,300 digits; quote it if it is text, or write a smaller number",
    ),
    (
        "lone surrogate escape in json",
        lambda r: write_agent(r, character='{"name": "X",\n  "bio": ["ok", "\\ud800!"]}'),
        f"{AGENT}/character.json:2:17: error[lone-surrogate]: a string holds half of a UTF-16 "
        "surrogate pair (a \\ud800-\\udfff escape without its partner), which no UTF-8 page can "
        "hold; remove the escape, or write the character itself",
    ),
    (
        "NUL in the character path",
        lambda r: _no_character(r, "a\x00.json"),
        f"{AGENT}/agent.yaml:9:12: error[file-missing]: character: path 'a\\x00.json' cannot name "
        "a file (a NUL byte, or a name over 255 bytes); use a file name inside the agent folder, "
        "e.g. character.json",
    ),
    (
        "character path too long for the file system",
        lambda r: _no_character(r, "é" * 130 + ".json"),
        f"{AGENT}/agent.yaml:9:12: error[file-missing]: character: path '{'é' * 40}'… cannot "
        "name a file (a NUL byte, or a name over 255 bytes); use a file name inside the agent "
        "folder, e.g. character.json",
    ),
    (
        "character path through a file",
        lambda r: _no_character(r, "README.md/character.json"),
        f"{AGENT}/agent.yaml:9:12: error[file-missing]: character file 'README.md/character.json' "
        f"not found; add {AGENT}/README.md/character.json or fix the path",
    ),
    (
        "character path of 2,000 folders",
        lambda r: _no_character(r, "a/" * 2000 + "x.json"),
        f"{AGENT}/agent.yaml:9:12: error[manifest-schema]: character: String should have at most "
        "200 characters; follow the message; the manifest reference lists every field",
    ),
    (
        "last updated by hand",
        lambda r: write_agent(r, last_updated="2026-01-01"),
        f"{AGENT}/agent.yaml:10:1: error[last-updated-set]: 'last_updated' cannot be set by hand: "
        "the last-updated date comes from git; remove 'last_updated'",
    ),
]


@pytest.mark.parametrize(("setup", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gives_one_precise_line(
    cli: Cli, setup: Callable[[Path], None], expected: str
) -> None:
    setup(cli.root)
    result = cli("validate")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stdout.splitlines()
    assert expected in lines, "\n".join(lines)
    assert lines[-1].startswith("1 error in 1 of 1 agent"), lines[-1]


@pytest.mark.parametrize(
    "value",
    ["2026-13-45", "0000-00-00", "9999-12-31T99:00:00", "2026-01-01T00:00:00+99:99", "1" * 5000],
)
def test_a_hostile_agent_does_not_stop_the_check_of_another(cli: Cli, value: str) -> None:
    """The cross-agent rules read every manifest; one that cannot be read is no one's problem
    but its own (it crashed `catalog validate agents/acme/harbor-bot` with a ValueError)."""
    write_agent(cli.root)
    write_agent(cli.root, "evil", "bad-bot", manifest=MANIFEST_HEAD.replace("acme", "evil"))
    hostile = MANIFEST_HEAD.replace("acme", "evil").replace("Harbor Bot", value)
    (cli.root / "agents/evil/bad-bot/agent.yaml").write_text(hostile)
    result = cli("validate", AGENT)
    assert (result.exit_code, result.stdout) == (0, "1 agent valid\n")
    assert (
        "[yaml-syntax]" in cli("validate").stdout or "[number-too-large]" in cli("validate").stdout
    )


def test_the_cross_agent_rules_follow_no_link(cli: Cli) -> None:
    """A linked manifest is refused when checked, so the other agents' checks never read it
    either (they read its name before: a duplicate-name error, or a hang on a FIFO)."""
    write_agent(cli.root)
    folder = write_agent(cli.root, "evil", "bad-bot")
    (cli.root / "elsewhere.yaml").write_text(MANIFEST_HEAD.replace("acme", "evil"))
    (folder / "agent.yaml").unlink()
    (folder / "agent.yaml").symlink_to(cli.root / "elsewhere.yaml")
    assert cli("validate", AGENT).stdout == "1 agent valid\n"
    assert cli("validate").stdout.splitlines()[0] == (
        "agents/evil/bad-bot/agent.yaml: error[symlink]: is a symbolic link; commit the file "
        "itself; links are not followed"
    )


def test_unprintable_names_print_escaped(cli: Cli) -> None:
    """A problem is one line whatever a folder holds: a newline is printed as \\n."""
    write_agent(cli.root, "ac\nme")
    result = cli("validate")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "agents/ac\\nme: error[owner-invalid]: owner folder 'ac\\nme' is not a lowercase GitHub "
        "login; rename the folder"
    )


def test_folder_names_that_are_not_utf8(cli: Cli) -> None:
    """Text shows the byte as \\xff, JSON keeps the name (it crashed the output's encoder)."""
    write_agent(cli.root)
    agents = os.fsencode(cli.root / "agents" / "acme")
    os.rename(agents + b"/harbor-bot", agents + b"/harbor-\xff")
    assert cli("validate").stdout.splitlines()[0] == (
        "agents/acme/harbor-\\xff: error[slug-invalid]: slug folder 'harbor-\\udcff' breaks the "
        "slug grammar (3-40 chars, lowercase words joined by hyphens); rename the folder, e.g. "
        "my-agent"
    )
    found = json.loads(cli("validate", "--format", "json").stdout)["problems"]
    assert [p["path"] for p in found] == ["agents/acme/harbor-\udcff"]


def test_a_character_path_may_start_with_dot_slash(cli: Cli) -> None:
    """`./character.json` names the character, not an unexpected file beside it."""
    write_agent(cli.root, manifest={"character": "./character.json"})
    assert cli("validate").stdout == "1 agent valid\n"


def test_key_words_are_read_once_per_line(cli: Cli) -> None:
    """A hash is a key only after a key word on its line; the word is now looked for once per
    line (a 256 KB line of 4,000 transaction hashes took 147 s, it takes under a second)."""
    tx = "a85fe83300ff8d167f5c8c2e37008699a0ada970c422fd66ffe1a3a668a7ff54"
    hashes = " ".join(f"tx {tx}" for _ in range(3))
    write_agent(cli.root, readme=f"# Hashes\n\n{hashes}\ntx {tx} and the signer key 0x{tx}\n")
    assert cli("validate").stdout.splitlines() == [
        f"{AGENT}/README.md:4:88: error[secret-pattern]: this looks like an EVM private key "
        "(64 hex digits) (0xa85f…); remove it now and revoke the key: anything pushed to a public "
        "repository is leaked",
        "1 error in 1 of 1 agent",
    ]


def test_thousands_of_faults_are_each_located(cli: Cli) -> None:
    """Every fault keeps its own column; the text is read once for all of them (1,000 faults
    re-read the file 1,000 times: 5 s, and a 1 MiB file of them hours)."""
    write_agent(cli.root, character=json.dumps({"name": "X", "bio": [1] * 3000}))
    lines = cli("validate").stdout.splitlines()
    assert len(lines) == 3001
    assert lines[0] == (
        f"{AGENT}/character.json:1:23: error[character-invalid]: bio[0]: expected a string, "
        "got number"
    )
    assert lines[-2] == (
        f"{AGENT}/character.json:1:9020: error[character-invalid]: bio[2999]: expected a string, "
        "got number"
    )


@pytest.mark.parametrize("path", ["agents/" + "x" * 300, "agents/a\x00b", "agents/loop/x"])
def test_a_path_no_file_can_have_is_a_usage_error(cli: Cli, path: str) -> None:
    write_agent(cli.root)
    (cli.root / "agents" / "loop").symlink_to(cli.root / "agents" / "loop")
    result = cli("validate", path)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: {path}: no such file or folder"


def test_linked_owner_and_agent_folders_and_stray_files_are_found_without_following(
    cli: Cli,
) -> None:
    """Discovery reads each entry's type from the folder listing: a link to a folder is a link,
    never an agent or an owner to walk into."""
    write_agent(cli.root)
    (cli.root / "agents" / "mirror").symlink_to(cli.root / "agents" / "acme")
    (cli.root / "agents" / "acme" / "twin").symlink_to(cli.root / AGENT)
    (cli.root / "agents" / "acme" / "notes.txt").write_text("x", "utf-8")
    result = cli("validate")
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if "error[" in line] == [
        "agents/acme/notes.txt: error[stray-file]: file outside any agent folder; move it into "
        "an agent folder or remove it",
        "agents/acme/twin: error[symlink]: is a symbolic link; commit the file itself; links "
        "are never followed",
        "agents/mirror: error[symlink]: is a symbolic link; commit the file itself; links are "
        "never followed",
    ]
