"""What `catalog validate` imports (issue 13): a one-agent check whose verdict comes from the
store loads neither the gate (jinja2, markdown-it, GitPython) nor the secret scanner
(detect-secrets, requests); the gate's fast path loads neither the build (numpy) nor requests.
Each run is a real command line in its own Python process, which then lists its modules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import CHARACTER, REPO, GitRepo, new_catalog, write_agent

PROBE = """
import json, sys
from generator.cli.app import main
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print("MODULES " + json.dumps(sorted(sys.modules)))
"""
GATE = {"generator.gate", "generator.site.render", "jinja2", "markdown_it", "git"}
SCANNER = {"generator.checks.secrets", "detect_secrets", "requests", "urllib3"}
BUILD = {"generator.site.build", "generator.search.related", "numpy"}


def _run(root: Path, *args: str) -> tuple[str, set[str]]:
    """`catalog args` in a fresh interpreter: its output, and every module it imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "HOME": str(root)},
        capture_output=True,
        text=True,
        check=True,
    )
    out, _, listed = done.stdout.rpartition("MODULES ")
    return out + done.stderr, set(json.loads(listed))


def _catalog(root: Path) -> GitRepo:
    repo = GitRepo(new_catalog(root))
    repo.git("init", "--quiet", "--initial-branch=main")
    write_agent(root)
    write_agent(root, owner="zed", slug="tide-clock", name="Tide Clock")
    repo.commit("Two agents")
    return repo


def test_one_agent_from_the_store_imports_neither_gate_nor_scanner(tmp_path: Path) -> None:
    repo = _catalog(tmp_path / "catalog")
    first, loaded = _run(repo.root, "validate", "agents/acme/harbor-bot")
    assert "1 agent valid" in first
    assert SCANNER & loaded  # nothing stored yet: the agent was checked, secrets included
    again, loaded = _run(repo.root, "validate", "agents/acme/harbor-bot")
    assert "1 agent valid" in again
    assert (GATE | SCANNER | BUILD) & loaded == set()
    assert {"generator.checks.validate", "pydantic"} <= loaded


def test_a_deferred_scanner_still_finds_a_secret(tmp_path: Path) -> None:
    repo = _catalog(tmp_path / "catalog")
    leaked = {**CHARACTER, "bio": ["Key: ghp_" + "Ab3Xy9" * 6]}
    write_agent(repo.root, character=leaked)
    out, loaded = _run(repo.root, "validate", "agents/acme/harbor-bot")
    assert "error[secret-pattern]" in out
    assert {"detect_secrets", "generator.checks.secrets"} <= loaded
    assert "requests" not in loaded  # detect-secrets' online checks never run


def test_a_whole_validate_finds_a_secret_without_importing_requests(tmp_path: Path) -> None:
    """The scanner is loaded before the workers fork; requests, which it never uses, is not."""
    repo = _catalog(tmp_path / "catalog")
    write_agent(repo.root, character={**CHARACTER, "bio": ["Key: ghp_" + "Ab3Xy9" * 6]})
    out, loaded = _run(repo.root, "validate")
    assert "error[secret-pattern]" in out
    assert {"detect_secrets", "generator.checks.secrets"} <= loaded
    assert {"requests", "urllib3"} & loaded == set()


def test_the_gate_fast_path_imports_neither_build_nor_requests(tmp_path: Path) -> None:
    repo = _catalog(tmp_path / "catalog")
    proof, _ = _run(repo.root, "validate", "--base", "main")  # the full gate proves main green
    assert "whole catalog loaded" in proof
    write_agent(repo.root, version="1.1.0", summary="Answers harbor questions, now faster.")
    out, loaded = _run(repo.root, "validate", "--base", "main", "--author", "acme")
    assert "judged what the change touches" in out
    assert (BUILD | {"requests", "urllib3"}) & loaded == set()
    assert {"generator.gate", "detect_secrets"} <= loaded
