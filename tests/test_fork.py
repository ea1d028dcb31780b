"""Fork: the generated git command, run in a real shell against a real served catalog, and
`catalog fork`, whose output must pass `catalog validate`.

The served repository allows partial-clone filters (`uploadpack.allowFilter`; GitHub allows
them) so the test can prove that only the agent's files were downloaded.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import yaml

from generator.catalog.model import Agent, PublishedVersion, Site
from generator.checks.manifest import Manifest
from generator.flows.fork import fetch_steps, fork_command
from generator.flows.new import SCHEMA_COMMENT, UserError
from generator.history.reader import read_history
from tests.conftest import CHARACTER, Cli, GitRepo, write_agent

GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
FAKE_KEY = "sk-" + "ant-" + "0" * 24  # key-shaped, built at run time so no scanner trips on it
SECRET_CHARACTER = {**CHARACTER, "settings": {"secrets": {"DISCORD_APPLICATION_ID": "4242"}}}
NEW_CHARACTER = {**CHARACTER, "bio": ["Knows every berth and every tide in the harbor."]}


@dataclass(frozen=True)
class Served:
    """A test catalog with history, and a bare copy served over file:// like GitHub would."""

    source: Path
    url: str
    commits: dict[str, str]


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=GIT_ENV, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Served:
    """acme/harbor-bot 1.0.0 (with a secret value) then 1.1.0; other agents change around it."""
    root = tmp_path_factory.mktemp("catalog")
    repo = GitRepo(root)
    repo.git("init", "--quiet", "--initial-branch=main")
    (root / "README.md").write_text("# Test catalog\n", "utf-8")
    write_agent(root, character=SECRET_CHARACTER)
    write_agent(root, owner="zed", slug="tide-clock", name="Tide Clock")
    write_agent(
        root,
        owner="zed",
        slug="leaky-bot",
        name="Leaky Bot",
        readme=f"# Leaky Bot\n\nkey: {FAKE_KEY}\n",
    )
    first = repo.commit("harbor-bot 1.0.0, tide-clock, leaky-bot")
    write_agent(root, version="1.1.0", character=NEW_CHARACTER)
    write_agent(root, owner="zed", slug="leaky-bot", name="Leaky Bot", version="1.0.1")
    second = repo.commit("harbor-bot 1.1.0; leaky-bot drops its key")
    write_agent(
        root,
        owner="zed",
        slug="tide-clock",
        name="Tide Clock",
        version="1.0.1",
        summary="Tide tables for every harbor on the coast.",
    )
    (root / "README.md").write_text("# Test catalog, updated\n", "utf-8")
    repo.commit("tide-clock 1.0.1")
    bare = tmp_path_factory.mktemp("server") / "served catalog's.git"  # the shell must quote it
    git(root.parent, "clone", "--quiet", "--bare", str(root), str(bare))
    git(bare, "config", "uploadpack.allowFilter", "true")
    git(bare, "config", "uploadpack.allowAnySHA1InWant", "true")
    return Served(root, f"file://{bare}", {"1.0.0": first, "1.1.0": second})


def published(source: Path, version: str) -> tuple[Agent, PublishedVersion, dict[str, bytes]]:
    """The catalog model of acme/harbor-bot at `version`, and its files at that commit."""
    past = read_history(source, every_file=True).agents["acme/harbor-bot"]
    release = next(r for r in past.releases if r.version == version)
    manifest = Manifest.model_validate(yaml.safe_load(release.files["agent.yaml"]))
    pinned = PublishedVersion(
        version,
        release.commit,
        release.date,
        manifest,
        json.loads(release.files["character.json"]),
        None,
    )
    agent = Agent(
        "acme",
        "harbor-bot",
        manifest,
        {},
        None,
        past.created,
        past.updated,
        past.updated_commit,
        (pinned,),
    )
    return agent, pinned, release.files


@pytest.mark.parametrize("version", ["1.0.0", "1.1.0"])
def test_generated_command_brings_the_folder_at_its_version_and_nothing_else(
    served: Served, tmp_path: Path, version: str
) -> None:
    agent, pinned, files = published(served.source, version)
    command = fork_command(Site("https://agents.example.invalid/", served.url), agent, pinned)
    subprocess.run(
        ["bash", "-c", command], cwd=tmp_path, env=GIT_ENV, check=True, capture_output=True
    )
    dest = tmp_path / f"harbor-bot-{version}"
    tree = {
        p.relative_to(dest).as_posix(): p.read_bytes()
        for p in dest.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(dest).parts
    }
    assert tree == {f"agents/acme/harbor-bot/{name}": data for name, data in files.items()}
    assert pinned.commit == served.commits[version]
    assert git(dest, "rev-parse", "HEAD") == pinned.commit
    assert git(dest, "rev-parse", "--is-shallow-repository") == "true"
    assert git(dest, "rev-list", "--count", "HEAD") == "1"
    objects = git(dest, "cat-file", "--batch-all-objects", "--batch-check=%(objecttype)")
    assert objects.split().count("blob") == len(files), "only the agent's blobs were fetched"


def test_generated_command_quotes_every_value() -> None:
    agent, pinned = _fake("acme", "harbor-bot", "1.0.0+build.7")
    command = fork_command(Site("https://s.example/", "file:///srv/it's here.git"), agent, pinned)
    assert command == (
        "git init --quiet harbor-bot-1.0.0+build.7 && cd harbor-bot-1.0.0+build.7 && "
        "git remote add origin 'file:///srv/it'\"'\"'s here.git' && "
        "git sparse-checkout init --no-cone && "
        "git sparse-checkout set /agents/acme/harbor-bot/ && "
        f"git fetch --depth 1 --filter=blob:none origin {'a' * 40} && "
        f"git checkout --quiet {'a' * 40}"
    )


@pytest.mark.parametrize(
    ("owner", "slug", "commit", "error"),
    [
        ("acme", "harbor-bot", "main", ValueError),
        ("acme", "harbor-bot", "a" * 39 + ";", ValueError),
        ("acme", "../x", "a" * 40, UserError),
        ("Acme", "harbor-bot", "a" * 40, UserError),
    ],
)
def test_fetch_steps_refuse_what_is_not_a_ref_or_commit(
    owner: str, slug: str, commit: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        fetch_steps("https://github.com/o/r", owner, slug, commit)


def _fake(owner: str, slug: str, version: str) -> tuple[Agent, PublishedVersion]:
    from datetime import UTC, datetime

    from tests.conftest import MANIFEST

    manifest = Manifest.model_validate({**MANIFEST, "owner": owner, "version": version})
    when = datetime(2026, 1, 1, tzinfo=UTC)
    pinned = PublishedVersion(version, "a" * 40, when, manifest, {}, None)
    return Agent(owner, slug, manifest, {}, None, when, when, "a" * 40, (pinned,)), pinned


# catalog fork ----------------------------------------------------------------------------------


@pytest.fixture
def clone(served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A user's clone of the catalog, where `catalog fork` runs."""
    for key in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM"):
        monkeypatch.setenv(key, GIT_ENV[key])
    git(tmp_path, "clone", "--quiet", served.url, "clone")
    return Cli(tmp_path / "clone")


def test_fork_makes_a_new_agent_that_validates(served: Served, clone: Cli) -> None:
    result = clone("fork", "acme/harbor-bot@1.0.0", "--as", "octo/my-bot", "--repo", served.url)
    assert result.exit_code == 0, result.output
    folder = clone.root / "agents/octo/my-bot"
    text = (folder / "agent.yaml").read_text("utf-8")
    manifest = yaml.safe_load(text)
    assert text.splitlines()[0] == SCHEMA_COMMENT
    assert (manifest["owner"], manifest["version"], manifest["forked_from"], manifest["name"]) == (
        "octo",
        "0.1.0",
        "acme/harbor-bot@1.0.0",
        "Harbor Bot (octo)",
    )
    character = json.loads((folder / "character.json").read_text("utf-8"))
    assert character["settings"]["secrets"] == {}
    assert character["bio"] == CHARACTER["bio"]  # 1.0.0's bio, not today's
    assert "wrote agents/octo/my-bot/agent.yaml" in result.output.splitlines()
    assert "emptied settings.secrets (DISCORD_APPLICATION_ID)" in result.output
    assert clone("validate").exit_code == 0


def test_fork_defaults_to_the_latest_version(served: Served, clone: Cli) -> None:
    assert (
        clone("fork", "acme/harbor-bot", "--as", "octo/my-bot", "--repo", served.url).exit_code == 0
    )
    manifest = yaml.safe_load((clone.root / "agents/octo/my-bot/agent.yaml").read_text("utf-8"))
    assert manifest["forked_from"] == "acme/harbor-bot@1.1.0"
    assert clone("validate", "agents/octo/my-bot").exit_code == 0


def test_fork_into_an_elizaos_project(served: Served, clone: Cli, tmp_path: Path) -> None:
    project = tmp_path / "my-project"
    project.mkdir()
    (project / "package.json").write_text(
        json.dumps({"dependencies": {"@elizaos/plugin-sql": "1.7.2"}}), "utf-8"
    )
    result = clone("fork", "acme/harbor-bot", "--into", str(project), "--repo", served.url)
    assert result.exit_code == 0, result.output
    assert json.loads((project / "characters/harbor-bot.json").read_text("utf-8")) == NEW_CHARACTER
    lines = result.output.splitlines()
    assert lines[-2].endswith("bun add @elizaos/plugin-bootstrap")
    assert lines[-1].endswith("elizaos start --character characters/harbor-bot.json")
    assert not (clone.root / "agents/octo").exists()


def test_fork_into_a_folder_outside_the_catalog(served: Served, clone: Cli, tmp_path: Path) -> None:
    dest = tmp_path / "elsewhere"
    result = clone(
        "fork", "acme/harbor-bot", str(dest), "--as", "octo/my-bot", "--repo", served.url
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in dest.iterdir()) == ["README.md", "agent.yaml", "character.json"]
    assert "move it to agents/<owner>/<slug>/" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["acme/nobody", "--as", "octo/x-bot"],
            "error: unknown agent acme/nobody: it is not in the catalog's history at .; check the "
            "spelling, or git pull",
        ),
        (
            ["acme/harbor-bot@9.9.9", "--as", "octo/x-bot"],
            "error: unknown version acme/harbor-bot@9.9.9; published: 1.0.0, 1.1.0",
        ),
        (
            ["acme/harbor-bot"],
            "error: say whose fork it is: --as YOUR-LOGIN/NEW-SLUG (e.g. --as octo-cat/harbor-bot)",
        ),
        (
            ["acme/harbor-bot", "--as", "zed/tide-clock"],
            "error: agents/zed/tide-clock already exists; choose another destination, or remove it",
        ),
        (
            ["acme/harbor-bot", "--as", "acme/harbor-bot"],
            "error: --as acme/harbor-bot is the agent itself; choose your own OWNER/SLUG",
        ),
        (
            ["ACME/harbor-bot", "--as", "octo/x-bot"],
            "error: 'ACME/harbor-bot': expected OWNER/SLUG with OWNER a lowercase GitHub login, "
            "e.g. octo-cat/tide-clock",
        ),
        (
            ["acme/harbor-bot", "--into", "."],
            "error: . has no package.json: --into needs an elizaOS project (create one with: "
            "elizaos create)",
        ),
    ],
)
def test_fork_errors_are_one_clear_line(
    served: Served, clone: Cli, args: list[str], message: str
) -> None:
    result = clone("fork", *args, "--repo", served.url)
    assert (result.exit_code, result.stderr.strip()) == (1, message)


def test_fork_refuses_a_version_holding_a_key(served: Served, clone: Cli) -> None:
    result = clone("fork", "zed/leaky-bot@1.0.0", "--as", "octo/x-bot", "--repo", served.url)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: agents/zed/leaky-bot/README.md:3:6 holds an Anthropic API key; not copying it: "
        "remove it (and revoke the key) first"
    )
    assert not (clone.root / "agents/octo").exists()


@pytest.fixture
def partial(served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A partial clone (`--filter=blob:none`): every commit, but only the checked-out files, so
    an older version's folder is not in it until someone asks the server."""
    for key in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM"):
        monkeypatch.setenv(key, GIT_ENV[key])
    git(tmp_path, "clone", "--quiet", "--filter=blob:none", served.url, "partial")
    return Cli(tmp_path / "partial")


def test_fork_reads_the_local_clone_without_network(
    served: Served, clone: Cli, tmp_path: Path
) -> None:
    """The clone has the commit: nothing is fetched, so an unreachable --repo does not matter."""
    missing = f"file://{tmp_path}/no-such-repo.git"
    result = clone("fork", "acme/harbor-bot@1.0.0", "--as", "octo/my-bot", "--repo", missing)
    assert result.exit_code == 0, result.output
    commit = served.commits["1.0.0"][:12]
    assert result.output.splitlines()[0] == (
        f"fetched acme/harbor-bot@1.0.0 (commit {commit}) from the local repository (no network)"
    )
    character = json.loads((clone.root / "agents/octo/my-bot/character.json").read_text("utf-8"))
    assert character["bio"] == CHARACTER["bio"]  # 1.0.0's files, not the working tree's
    assert clone("validate").exit_code == 0


def test_fork_fetches_what_a_partial_clone_lacks(served: Served, partial: Cli) -> None:
    result = partial("fork", "acme/harbor-bot@1.0.0", "--as", "octo/my-bot", "--repo", served.url)
    assert result.exit_code == 0, result.output
    commit = served.commits["1.0.0"][:12]
    assert result.output.splitlines()[0] == (
        f"fetched acme/harbor-bot@1.0.0 (commit {commit}) from {served.url}"
    )
    character = json.loads((partial.root / "agents/octo/my-bot/character.json").read_text("utf-8"))
    assert character["bio"] == CHARACTER["bio"] and character["settings"]["secrets"] == {}


def test_fork_reports_an_unreachable_repository(
    served: Served, partial: Cli, tmp_path: Path
) -> None:
    missing = f"file://{tmp_path}/no-such-repo.git"
    result = partial("fork", "acme/harbor-bot@1.0.0", "--as", "octo/x-bot", "--repo", missing)
    assert result.exit_code == 1
    commit = served.commits["1.0.0"][:12]
    assert result.stderr.startswith(f"error: could not fetch {commit} from {missing}: ")
    assert "does not appear to be a git repository; check --repo and your network" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_fork_refuses_delisted_agents_and_warns_on_flagged(served: Served, clone: Cli) -> None:
    entry = "  reason: A reason.\n  issue: https://github.com/o/r/issues/1\n  date: 2026-02-01\n"
    (clone.root / "moderation.yaml").write_text(
        f"acme/harbor-bot:\n  state: flagged\n{entry}zed/tide-clock:\n  state: delisted\n{entry}",
        "utf-8",
    )
    refused = clone("fork", "zed/tide-clock", "--as", "octo/x-bot", "--repo", served.url)
    assert refused.stderr.strip() == (
        "error: zed/tide-clock is delisted (A reason.; "
        "https://github.com/o/r/issues/1): it cannot be forked"
    )
    warned = clone("fork", "acme/harbor-bot", "--as", "octo/x-bot", "--repo", served.url)
    assert warned.exit_code == 0
    assert warned.output.splitlines()[0] == (
        "warning: acme/harbor-bot is flagged: A reason. (https://github.com/o/r/issues/1)"
    )


def test_fork_without_repo_reads_the_local_clone(clone: Cli) -> None:
    result = clone("fork", "acme/harbor-bot@1.0.0", "--as", "octo/my-bot")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].endswith(" from the local repository (no network)")
    assert clone("validate").exit_code == 0


def test_generated_command_refuses_a_commit_that_is_not_one() -> None:
    agent, pinned = _fake("acme", "harbor-bot", "1.0.0")
    with pytest.raises(ValueError, match="not a full commit id"):
        fork_command(
            Site("https://s.example/", "https://git.example/c"),
            agent,
            replace(pinned, commit="main; rm -rf ~"),
        )
