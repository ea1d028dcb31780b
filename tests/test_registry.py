"""`catalog registry-update` on real files: the repository's registry snapshot and the sample
agents, copied into a catalog in tmp_path, then downloads that changed, did not, or are broken."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import REPO, Cli, new_catalog

SNAPSHOT = REPO / "data" / "elizaos-plugin-registry"
COMMIT = "0123456789abcdef0123456789abcdef01234567"
OLD_COMMIT = "80ad7493f56e1cdcb7a5aea8724047fa16a989c8"
LINE = re.compile(r"^\S+:\d+:\d+: error\[[a-z0-9-]+\]: \S.*$|^\S+: error\[[a-z0-9-]+\]: \S.*$")


def _catalog(root: Path) -> Path:
    """A catalog with the sample agents and the repository's registry snapshot."""
    new_catalog(root)
    shutil.rmtree(root / "agents")
    shutil.copytree(REPO / "agents", root / "agents")
    shutil.copytree(SNAPSHOT, root / "data" / "elizaos-plugin-registry")
    return root


def _snapshot_files(root: Path) -> dict[str, bytes]:
    folder = root / "data" / "elizaos-plugin-registry"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _download(tmp_path: Path, generated: Any, index: Any) -> tuple[str, str]:
    """The two downloaded files, written as the registry serves them (compact JSON)."""
    paths = (tmp_path / "generated-registry.json", tmp_path / "index.json")
    for path, data in zip(paths, (generated, index), strict=True):
        path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return str(paths[0]), str(paths[1])


def _upstream() -> tuple[dict[str, Any], dict[str, str]]:
    generated = json.loads((SNAPSHOT / "generated-registry.json").read_text("utf-8"))
    return generated, json.loads((SNAPSHOT / "index.json").read_text("utf-8"))


def _users(plugin: str) -> list[str]:
    """The sample agents whose character names `plugin` (read without the generator)."""
    return sorted(
        "/".join(path.parts[-3:-1])
        for path in (REPO / "agents").glob("*/*/character.json")
        if plugin in json.loads(path.read_text("utf-8")).get("plugins", [])
    )


def test_a_removed_plugin_names_the_agents_that_use_it(tmp_path: Path) -> None:
    root = _catalog(tmp_path / "repo")
    generated, index = _upstream()
    del generated["registry"]["@elizaos/plugin-discord"]
    del index["@elizaos/plugin-discord"]
    generated["registry"]["@elizaos/plugin-telegram"]["npm"]["v1"] = "1.7.0"
    generated["lastUpdatedAt"] = "2026-05-04T01:02:03.000Z"
    files = _download(tmp_path, generated, index)
    done = Cli(root)("registry-update", *files, "--commit", COMMIT)
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    users = _users("@elizaos/plugin-discord")
    assert "agora-works/porchlight" in users
    for ref in users:
        assert (
            f"- `{ref}`: `@elizaos/plugin-discord` was published for 1.x, now not in the "
            "registry (warning plugin-unknown)"
        ) in lines
    affected = lines.index("### Catalog agents affected")
    assert lines[affected + 2 : affected + 2 + len(users) + 1][-1] == ""
    assert "- `@elizaos/plugin-telegram`: 1.x `1.6.4` → `1.7.0`" in lines
    assert lines[lines.index("### Plugins removed (1)") + 2] == "- `@elizaos/plugin-discord`"
    assert "372 plugins" not in lines[4] and lines[4].startswith("371 plugins (was 372): 0 added")
    folder = root / "data" / "elizaos-plugin-registry"
    written = json.loads((folder / "generated-registry.json").read_text("utf-8"))
    assert written == generated
    text = (folder / "generated-registry.json").read_text("utf-8")
    assert text == json.dumps(written, indent=2, ensure_ascii=False) + "\n"
    assert list(written["registry"]) == sorted(written["registry"])
    assert json.loads((folder / "index.json").read_text("utf-8")) == index
    source = (folder / "SOURCE.md").read_text("utf-8")
    assert f"commit\n{COMMIT} (2026-05-04):" in source and OLD_COMMIT not in source
    assert "(`lastUpdatedAt` 2026-05-04)" in source
    assert "371 plugins: 116 support only 0.x, 70 only 1.x, 48 both, 137 neither" in source
    assert not list(folder.glob(".*"))  # no temporary file left behind
    # The same download again: nothing left to do.
    again = Cli(root)("registry-update", *files, "--commit", COMMIT)
    assert again.exit_code == 3, again.output


def test_an_unchanged_registry_writes_nothing_and_exits_3(tmp_path: Path) -> None:
    """Same entries and sources under a newer commit and date: no pull request to open."""
    root = _catalog(tmp_path / "repo")
    before = _snapshot_files(root)
    generated, index = _upstream()
    generated["lastUpdatedAt"] = "2026-05-04T01:02:03.000Z"
    files = _download(tmp_path, generated, index)
    done = Cli(root)("registry-update", *files, "--commit", COMMIT)
    assert done.exit_code == 3, done.output
    assert done.stdout == (
        "The registry at commit 0123456789ab lists the same 372 plugins, releases and sources "
        "as the snapshot: nothing to update.\n"
    )
    assert _snapshot_files(root) == before


def _broken(case: str) -> tuple[Any, Any]:
    generated, index = _upstream()
    raw = json.dumps(generated).encode()
    if case == "truncated":
        return raw[: len(raw) // 2], index
    if case == "wrong-type":
        generated["registry"]["@elizaos/plugin-discord"]["supports"]["v1"] = "yes"
        return generated, index
    if case == "shrunk":
        names = sorted(generated["registry"])[:60]
        for name in names:
            del generated["registry"][name]
        return generated, index
    if case == "hostile-name":
        generated["registry"]["<img src=x onerror=alert(1)>"] = generated["registry"].pop(
            "@elizaos/plugin-discord"
        )
        return generated, index
    if case == "duplicate-key":
        return b'{"lastUpdatedAt": "2026-05-04T00:00:00Z", "registry": {}, "registry": {}}', index
    if case == "deep":
        return b"[" * 100_000 + b"]" * 100_000, index
    if case == "not-utf8":
        return raw.replace(b"Discord", b"Disc\xffrd", 1), index
    if case == "empty":
        return {"lastUpdatedAt": "2026-05-04T00:00:00Z", "registry": {}}, {}
    if case == "index-source":
        index["@elizaos/plugin-discord"] = "https://evil.example/x"
        return generated, index
    raise AssertionError(case)


BROKEN = {
    "truncated": "error[json-syntax]: ",
    "wrong-type": (
        "error[registry-shape]: registry.@elizaos/plugin-discord.supports.v1: Input should be "
        "a valid boolean; download the file again from the registry; if its format changed, "
        "update generator/flows/registry.py in a reviewed pull request"
    ),
    "shrunk": (
        "error[registry-shrunk]: 60 of the snapshot's 372 plugins are missing from the download "
        "(312 left); download it again; if the registry really dropped them, rerun with "
        "--allow-shrink"
    ),
    "hostile-name": "error[registry-shape]: registry.<img src=x onerror=alert(1)>.[key]: String "
    "should match pattern",
    "duplicate-key": "error[duplicate-key]: key 'registry' appears twice in one object",
    "deep": "error[too-deep]: data nested deeper than 32 levels",
    "not-utf8": "error[not-utf8]: byte 0xff is not valid UTF-8",
    "empty": "error[registry-shape]: registry: Dictionary should have at least 1 item",
    "index-source": "index.json:",
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_download_is_refused_and_the_snapshot_untouched(tmp_path: Path, case: str) -> None:
    root = _catalog(tmp_path / "repo")
    before = _snapshot_files(root)
    files = _download(tmp_path, *_broken(case))
    done = Cli(root)("registry-update", *files, "--commit", COMMIT)
    assert done.exit_code == 1, done.output
    assert done.stdout == ""
    errors = done.stderr.splitlines()
    assert errors[-1] == "refused: the snapshot is unchanged"
    assert all(LINE.match(line) for line in errors[:-1]), errors
    assert any(BROKEN[case] in line for line in errors), errors
    assert _snapshot_files(root) == before


def test_a_shrunken_download_passes_with_allow_shrink(tmp_path: Path) -> None:
    root = _catalog(tmp_path / "repo")
    files = _download(tmp_path, *_broken("shrunk"))
    done = Cli(root)("registry-update", *files, "--commit", COMMIT, "--allow-shrink")
    assert done.exit_code == 0, done.output
    assert "312 plugins (was 372): 0 added, 60 removed" in done.stdout


def test_a_short_commit_is_a_usage_error(tmp_path: Path) -> None:
    root = _catalog(tmp_path / "repo")
    files = _download(tmp_path, *_upstream())
    done = Cli(root)("registry-update", *files, "--commit", "80ad749")
    assert done.exit_code == 2
    assert "--commit '80ad749' is not a full 40-digit commit id" in done.stderr


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner),
            max_leaves=20,
        ).map(lambda value: json.dumps({"lastUpdatedAt": "2026", "registry": value}).encode()),
    )
)
def test_arbitrary_bytes_never_give_a_traceback(tmp_path_factory: Any, data: bytes) -> None:
    tmp = tmp_path_factory.mktemp("fuzz")
    root = _catalog(tmp / "repo")
    before = _snapshot_files(root)
    files = _download(tmp, data, data)
    done = Cli(root)("registry-update", *files, "--commit", COMMIT)
    assert done.exit_code == 1, done.output
    assert all(LINE.match(line) for line in done.stderr.splitlines()[:-1]), done.stderr
    assert _snapshot_files(root) == before


def test_a_broken_snapshot_in_the_repository_is_a_usage_error(tmp_path: Path) -> None:
    root = _catalog(tmp_path / "repo")
    (root / "data" / "elizaos-plugin-registry" / "index.json").write_text("[]\n", "utf-8")
    files = _download(tmp_path, *_upstream())
    done = Cli(root)("registry-update", *files, "--commit", COMMIT)
    assert done.exit_code == 2
    assert "the snapshot is not the registry's two files" in done.stderr
