"""Shared fixtures: sample agents written into tmp_path, real git repositories, the CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from generator.cli.app import main
from tests.browser import browser_page, chromium  # noqa: F401 - fixtures shared by every module

REPO = Path(__file__).resolve().parents[1]

MANIFEST: dict[str, Any] = {
    "name": "Harbor Bot",
    "summary": "Answers questions about harbor schedules and berths.",
    "owner": "acme",
    "version": "1.0.0",
    "license": "MIT",
    "tags": ["assistant", "customer-support"],
    "character": "character.json",
}
CHARACTER: dict[str, Any] = {
    "name": "Harbor Bot",
    "bio": ["Knows every berth in the harbor."],
    "plugins": ["@elizaos/plugin-sql", "@elizaos/plugin-bootstrap"],
    "topics": ["shipping", "schedules"],
    "messageExamples": [
        [
            {"name": "{{name1}}", "content": {"text": "When does the ferry leave?"}},
            {"name": "Harbor Bot", "content": {"text": "At 9:40 from berth 3."}},
        ]
    ],
    "style": {"all": ["brief"], "chat": ["friendly"]},
}
README = "# Harbor Bot\n\nAnswers questions about the harbor.\n"


def write_agent(
    root: Path,
    owner: str = "acme",
    slug: str = "harbor-bot",
    manifest: dict[str, Any] | str | None = None,
    character: dict[str, Any] | str | None = None,
    readme: str | None = README,
    **changes: Any,
) -> Path:
    """Write an agent folder; `changes` override manifest keys (None removes a key)."""
    folder = root / "agents" / owner / slug
    folder.mkdir(parents=True, exist_ok=True)
    if not isinstance(manifest, str):
        data = {**MANIFEST, "owner": owner, **(manifest or {}), **changes}
        data = {k: v for k, v in data.items() if v is not None}
        manifest = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    (folder / "agent.yaml").write_text(manifest, "utf-8")
    if not isinstance(character, str):
        character = json.dumps(character if character is not None else CHARACTER, indent=2)
    (folder / "character.json").write_text(character, "utf-8")
    if readme is not None:
        (folder / "README.md").write_text(readme, "utf-8")
    return folder


SETTINGS = """site_name: Test Catalog
site_url: https://catalog.example.org/
repo_url: https://github.com/example/catalog
"""
"""The settings the generator reads from mkdocs.yml (a whole site needs the real one)."""


def new_catalog(root: Path) -> Path:
    """An empty catalog root: an agents/ folder, the settings of mkdocs.yml and the page
    templates, so the gate can render what it judges as the build would."""
    (root / "agents").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(SETTINGS, "utf-8")
    shutil.copytree(REPO / "site-config" / "pages", root / "site-config" / "pages")
    return root


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    return new_catalog(tmp_path)


@dataclass
class Cli:
    """Runs `catalog` in-process against a catalog root."""

    root: Path
    runner: CliRunner = field(default_factory=CliRunner)

    def __call__(self, *args: str) -> Result:
        cwd = os.getcwd()
        os.chdir(self.root)
        try:
            return self.runner.invoke(main, list(args), catch_exceptions=False)
        finally:
            os.chdir(cwd)


@pytest.fixture
def cli(catalog: Path) -> Cli:
    return Cli(catalog)


@dataclass
class GitRepo:
    """A real git repository with a pinned author and clock, one day per commit."""

    root: Path
    day: int = 0

    def git(self, *args: str) -> str:
        date = f"2026-01-{1 + self.day:02d}T12:00:00Z"
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Catalog Test",
            "GIT_AUTHOR_EMAIL": "test@example.invalid",
            "GIT_COMMITTER_NAME": "Catalog Test",
            "GIT_COMMITTER_EMAIL": "test@example.invalid",
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_DATE": date,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=env, check=True, capture_output=True, text=True
        )
        return done.stdout.strip()

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "--quiet", "--allow-empty", "-m", message)
        self.day += 1
        return self.git("rev-parse", "HEAD")


def sample_repo(tmp_path: Path) -> GitRepo:
    """A catalog holding this repository's sample agents, committed once in a new repository."""
    root = new_catalog(tmp_path / "sample")
    shutil.rmtree(root / "agents")
    shutil.copytree(REPO / "agents", root / "agents")
    repo = GitRepo(root)
    repo.git("init", "--quiet", "--initial-branch=main")
    repo.commit("samples")
    return repo


@pytest.fixture
def repo(catalog: Path) -> Iterator[GitRepo]:
    r = GitRepo(catalog)
    r.git("init", "--quiet", "--initial-branch=main")
    yield r
