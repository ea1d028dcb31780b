"""The `catalog` command line: formats, exit codes, paths, and the real program's entry points."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, Cli, write_agent


def test_valid_catalog_exits_0(cli: Cli) -> None:
    write_agent(cli.root)
    result = cli("validate")
    assert (result.exit_code, result.stdout) == (0, "1 agent valid\n")


def test_all_problems_are_collected_across_agents(cli: Cli) -> None:
    write_agent(cli.root, version="1.0", license="mit")
    write_agent(cli.root, slug="second-bot", name="Second Bot", tags=["Bad Tag"])
    result = cli("validate")
    lines = result.stdout.splitlines()
    assert result.exit_code == 1
    assert [line.split("error[")[1].split("]")[0] for line in lines[:-1]] == [
        "version-invalid",
        "license-invalid",
        "tag-invalid",
    ]
    assert lines[-1] == "3 errors in 2 of 2 agents"


def test_github_format_annotates_lines(cli: Cli) -> None:
    write_agent(cli.root, version="latest")
    result = cli("validate", "--format", "github")
    assert result.stdout.splitlines()[0] == (
        "::error file=agents/acme/harbor-bot/agent.yaml,line=4,col=10,title=version-invalid::"
        "version: 'latest' has the wrong form; a manifest pins one exact version, e.g. 1.0.0"
    )


def test_json_format_is_machine_readable(cli: Cli) -> None:
    write_agent(cli.root, version="latest")
    result = cli("validate", "--format", "json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    assert (doc["agents_checked"], doc["errors"], doc["warnings"]) == (1, 1, 0)
    assert doc["problems"][0] == {
        "path": "agents/acme/harbor-bot/agent.yaml",
        "line": 4,
        "col": 10,
        "rule": "version-invalid",
        "severity": "error",
        "message": "version: 'latest' has the wrong form",
        "hint": "a manifest pins one exact version, e.g. 1.0.0",
    }


def test_paths_select_agents(cli: Cli) -> None:
    write_agent(cli.root, version="bad")
    write_agent(cli.root, owner="zed", slug="tide-clock", name="Tide Clock")
    assert cli("validate", "agents/zed").stdout == "1 agent valid\n"
    assert cli("validate", "agents/zed/tide-clock/agent.yaml").exit_code == 0
    assert cli("validate", "agents/acme/harbor-bot").exit_code == 1


def test_selected_agent_still_meets_the_whole_catalog(cli: Cli) -> None:
    write_agent(cli.root)
    write_agent(cli.root, owner="zed", slug="copycat")
    result = cli("validate", "agents/zed/copycat")
    assert result.exit_code == 1
    assert "[duplicate-name]" in result.stdout


def test_usage_errors_exit_2(cli: Cli) -> None:
    assert cli("validate", "agents/nobody").exit_code == 2
    assert cli("validate", "--format", "xml").exit_code == 2
    result = cli("validate", str(REPO / "README.md"))
    assert result.exit_code == 2
    assert "not inside" in result.output


def test_missing_agents_folder_is_a_usage_error(cli: Cli) -> None:
    (cli.root / "agents").rmdir()
    result = cli("validate")
    assert result.exit_code == 2
    assert "no agents/ folder" in result.output


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--help"], capture_output=True, text=True, check=True
    )
    assert "validate" in done.stdout and "migrate" in done.stdout


def test_console_validate_exits_fast_with_every_line_printed(catalog: Path) -> None:
    """The console script ends with os._exit: its output must still be flushed, its code kept."""
    write_agent(catalog, version="one")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--root", str(catalog)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 1
    assert "agents/acme/harbor-bot/agent.yaml" in done.stdout and "error[" in done.stdout
    assert "checked in" in done.stderr
