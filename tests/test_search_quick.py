"""`catalog search` answered before click is imported (`generator.cli.quick`): for every command
line, the console script prints the same bytes and exits with the same code as the click group;
a plain search imports neither click nor asyncio."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli.quick import parse
from tests.conftest import Cli, GitRepo, write_agent
from tests.test_search_cli import MKDOCS
from tests.test_search_staleness import settle

CONSOLE = "import sys; sys.argv[0] = 'catalog'; from generator.cli.app import console; console()"
CLICK = "import sys; sys.argv[0] = 'catalog'; from generator.cli.app import main; main()"

PLAIN = [
    ["harbor"],
    ["harbor bot", "--limit", "1"],
    ["tdie", "--json"],
    ["--json", "--limit=2", "harbor"],
    ["--tag", "customer-support"],
    ["--owner=zed", ""],
    ["--plugin", "plugin-sql", "--json"],
    ["xylophone"],
    ["--", "-harbor"],
    ["--tag=-x", "harbor"],
    ["harbor", "--root", "."],
    ["harbor", "--limit", " 3"],
]
DELEGATED = [
    ["--help"],
    ["-h"],
    ["harbor", "--limit", "0"],
    ["harbor", "--limit", "many"],
    ["harbor", "--limit"],
    ["harbor", "tides"],
    ["-harbor"],
    ["-"],
    ["harbor", "--json=yes"],
    ["harbor", "--tag", "a", "--tag", "b"],
    ["harbor", "--tag", "--json"],
    ["harbor", "--bogus"],
    ["harbor", "--root", "agents/acme/harbor-bot/agent.yaml"],
    ["harbor", "--root", "missing"],
]


@pytest.fixture
def searchable(repo: GitRepo, cli: Cli) -> Path:
    (repo.root / "mkdocs.yml").write_text(MKDOCS, "utf-8")
    write_agent(repo.root)
    write_agent(repo.root, owner="zed", slug="tide-clock", name="Tide Clock", tags=["assistant"])
    repo.commit("two agents")
    assert cli("search", "warm").exit_code == 0  # builds the index
    return repo.root


def run(
    code: str, args: list[str], cwd: Path, *flags: str, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, *flags, "-c", code, "search", *args],
        cwd=cwd,
        capture_output=True,
        env={**os.environ, **(env or {})},
    )
    return done.returncode, done.stdout.decode(), done.stderr.decode()


@pytest.mark.parametrize("args", PLAIN + DELEGATED, ids=" ".join)
def test_same_output_and_exit_code_as_click(searchable: Path, args: list[str]) -> None:
    assert run(CONSOLE, args, searchable) == run(CLICK, args, searchable)


def test_plain_searches_import_neither_click_nor_asyncio(searchable: Path) -> None:
    for args in PLAIN:
        code, out, imported = run(CONSOLE, args, searchable, "-X", "importtime")
        modules = {line.rsplit("|", 1)[-1].strip() for line in imported.splitlines()}
        assert code == 0 and out, (args, imported[-500:])
        unused = {"click", "asyncio", "ssl", "yaml", "pydantic"}
        unused |= {"inspect", "ast", "shutil", "tempfile", "random"}  # whoosh's, for no query
        unused |= {"urllib.parse", "ipaddress"}  # pathlib's, for `as_uri`
        assert not unused & modules, (args, unused & modules)


def test_errors_of_the_search_match_click(searchable: Path, repo: GitRepo) -> None:
    """An invalid catalog (exit 1, `error:` on stderr) and a folder without agents/ (a usage
    error, exit 2) read the same both ways."""
    write_agent(repo.root, owner="zed", slug="broken-bot", name="Broken", version="latest")
    invalid = run(CONSOLE, ["harbor"], searchable)
    assert invalid == run(CLICK, ["harbor"], searchable)
    assert invalid[0] == 1 and invalid[2].startswith("error: the catalog has 1 validation error")
    empty = searchable / "empty"
    empty.mkdir()
    usage = run(CONSOLE, ["harbor", "--root", "empty"], searchable)
    assert usage == run(CLICK, ["harbor", "--root", "empty"], searchable)
    assert usage[0] == 2 and "no agents/ folder" in usage[2]


def test_a_closed_pipe_exits_1_quietly_as_click_does(searchable: Path) -> None:
    for code in (CONSOLE, CLICK):
        proc = subprocess.Popen(
            [sys.executable, "-c", code, "search", "harbor"],
            cwd=searchable,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        assert (proc.wait(), proc.stderr.read()) == (1, b"")


def test_parse_reads_only_plain_command_lines() -> None:
    assert parse(["a", "--json", "--limit", "5"]) == {"json": "", "limit": "5", "query": "a"}
    assert parse(["--root=x", "--", "--tag"]) == {"root": "x", "query": "--tag"}
    assert parse([]) == {"query": ""}
    assert parse(["--tag", "--owner", "x"]) is None
    assert parse(["a", "b"]) is None


def test_the_console_vouches_by_the_stamp_and_sees_a_new_agent(
    searchable: Path, repo: GitRepo, tmp_path: Path
) -> None:
    """The console's search checks folders in a forked child: a search with nothing changed
    runs no `git status` (GIT_TRACE names the git commands run), and a new agent, which only
    its owner's folder records, is found."""
    settle(searchable)
    assert run(CONSOLE, ["harbor"], searchable)[0] == 0  # writes the stamp
    trace = tmp_path / "git-trace"
    env = {"GIT_TRACE": str(trace)}
    code, out, _ = run(CONSOLE, ["tide"], searchable, env=env)
    assert code == 0 and "zed/tide-clock" in out
    assert "diff-files" in trace.read_text() and " status " not in trace.read_text()
    trace.unlink()
    write_agent(searchable, owner="zed", slug="ferry-bell", name="Ferry Bell")
    code, out, _ = run(CONSOLE, ["ferry"], searchable, env=env)
    assert code == 0 and out.startswith(" 1. Ferry Bell  zed/ferry-bell 1.0.0")
    assert " status " in trace.read_text()


def test_the_quick_path_reads_exactly_the_options_of_the_click_command() -> None:
    """A renamed, removed or new option of `catalog search` must change `quick` too: it reads
    the same options, the valued ones as values and --json as the only flag."""
    from generator.cli.app import main
    from generator.cli.quick import _VALUED

    command = main.commands["search"]
    options = [p for p in command.params if p.param_type_name == "option"]
    valued = {o for p in options if not getattr(p, "is_flag", False) for o in p.opts}
    flags = {o for p in options if getattr(p, "is_flag", False) for o in p.opts}
    assert valued == set(_VALUED)
    assert flags == {"--json"}
    assert [p.name for p in command.params if p.param_type_name == "argument"] == ["query"]


GC_PROBE = """
import gc, sys
from generator.search import index, query
LOG = sys.argv[-1]
def record(what, real):
    def wrapped(*args, **kwargs):
        with open(LOG, "a") as log:
            log.write(f"{what} {gc.isenabled()}\\n")
        return real(*args, **kwargs)
    return wrapped
index.build_index = record("build", index.build_index)
query.search = record("query", query.search)
sys.argv = ["catalog", *sys.argv[1:-1]]
from generator.cli.app import console
console()
"""


def test_the_console_answers_without_the_collector_and_rebuilds_with_it(
    searchable: Path, tmp_path: Path
) -> None:
    """The console's search turns the garbage collector off to answer (its collections were
    7-12 ms of a search at 10,000 agents) and on again before the loader rebuilds the index."""
    settle(searchable)
    log = tmp_path / "gc.log"
    assert run(GC_PROBE, ["harbor", str(log)], searchable)[0] == 0  # writes the stamp
    code, _, err = run(GC_PROBE, ["harbor", str(log)], searchable)
    assert code == 0, err
    assert log.read_text().splitlines()[-1] == "query False"
    write_agent(searchable, owner="zed", slug="ferry-bell", name="Ferry Bell")
    log.unlink()
    code, out, _ = run(GC_PROBE, ["ferry", str(log)], searchable)
    assert code == 0 and "zed/ferry-bell" in out
    assert "build True" in log.read_text().splitlines()


def test_the_checks_start_before_the_searchs_other_imports(searchable: Path) -> None:
    """With --root, the console starts git and `find` before it imports pathlib, json or typing
    (~6 ms of start-up; the editable install adds a plain path, no import finder): `early`
    needs only `os`."""
    settle(searchable)
    assert run(CONSOLE, ["harbor"], searchable)[0] == 0  # writes the stamp
    probe = (
        "import sys, os\n"
        "from generator.search import processes\n"
        "real = processes.spawn\n"
        "def spawn(commands, root):\n"
        "    late = [m for m in ('pathlib', 'json', 'typing', 'whoosh') if m in sys.modules]\n"
        "    os.write(2, f'spawn {late}\\n'.encode())\n"
        "    return real(commands, root)\n"
        "processes.spawn = spawn\n"
        "from generator.search import early\n"
        "early.spawn = spawn\n"
        "sys.argv = ['catalog', *sys.argv[1:]]\n"
        "from generator.cli.app import console\n"
        "console()\n"
    )
    code, out, err = run(probe, ["harbor", "--root", "."], searchable)
    assert code == 0 and "acme/harbor-bot" in out, err
    assert err.splitlines() == ["spawn []"]
