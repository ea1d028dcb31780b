"""The build as a process: strict mkdocs, byte-identical rebuilds of the same commit, incremental
rebuilds that rewrite only what changed, forked workers, stale files, and failing loudly."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from generator.catalog.assemble import load_catalog
from generator.site.build import STATE, generate
from tests import test_site
from tests.conftest import REPO, Cli, GitRepo, write_agent
from tests.test_site import Built

built = test_site.built  # the shared sample site (a session fixture)


def test_mkdocs_strict_build_passes(built: Built, tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--site-dir",
            str(tmp_path / "strict"),
        ],
        cwd=built.root,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def clone(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh clone of the sample repository (same commits, another folder), built."""
    dest = tmp_path_factory.mktemp("clone") / "catalog"
    subprocess.run(["git", "clone", "--quiet", str(built.root), str(dest)], check=True)
    result = Cli(dest)("build")
    assert result.exit_code == 0, result.output
    return dest


def test_same_commit_gives_byte_identical_site(built: Built, clone: Path) -> None:
    first, second = files(built.site), files(clone / "site")
    assert sorted(first) == sorted(second)
    different = [path for path in first if first[path] != second[path]]
    assert different == []


def test_rebuild_after_one_agent_changes_rewrites_only_its_files(clone: Path) -> None:
    repo = GitRepo(clone, day=4)
    before = load_catalog(clone).catalog
    assert before is not None
    write_agent(
        clone,
        version="1.2.0",
        maintainers=["ines"],
        summary="Answers harbor questions, now with tides.",
        readme="# Harbor Bot\n\nv1.2\n",
        character=json.loads((clone / "agents/acme/harbor-bot/character.json").read_text()),
    )
    repo.commit("harbor-bot 1.2.0")
    catalog = load_catalog(clone).catalog
    assert catalog is not None
    result = generate(clone, catalog)
    own = {
        "agents/acme/harbor-bot/index.html",
        "agents/acme/harbor-bot/1.1.0/index.html",
        "agents/acme/harbor-bot/1.2.0/index.html",
        "agents/acme/harbor-bot/badge.svg",
        "api/v1/agents/acme/harbor-bot.json",
        "agents/zed/harbor-fork/index.html",  # the fork names its parent's newer version
    }
    listings = {"index.md", "browse.json", "api/v1/agents.json", "feed.xml", ".sitemap.txt"}
    assert own | listings <= set(result.written)
    others = set(result.written) - own - listings
    assert all(p.startswith("search/") for p in others), others  # the search index, if built
    assert result.rendered == 2 and result.deleted == []  # harbor-bot and its fork
    again = generate(clone, catalog)
    assert (again.written, again.rendered) == ([], 0)
    state = json.loads((clone / "catalog" / STATE).read_text())
    assert "agents/acme/harbor-bot/1.2.0/index.html" in state["files"]


WORKERS = """
import json, sys
from pathlib import Path
import generator.site.build as build
from generator.catalog.assemble import load_catalog
from generator.parallel import Workers
build.PARALLEL_MIN = 1  # fork workers even for this small catalog
root = Path(sys.argv[1])
result = build.generate(root, load_catalog(root).catalog, clean=True)
print(json.dumps([Workers(print, True).parallel, result.written, result.rendered]))
"""


def test_forked_workers_render_the_same_bytes(clone: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", WORKERS, str(clone)],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    parallel, written, rendered = json.loads(done.stdout)
    assert parallel and rendered == 6
    assert written == []  # every file rendered again, in workers, and identical


def test_clean_build_sweeps_stale_generated_files(clone: Path) -> None:
    stray = clone / "catalog/agents/ghost/bot/index.md"
    stray.parent.mkdir(parents=True)
    stray.write_text("stale")
    catalog = load_catalog(clone).catalog
    assert catalog is not None
    result = generate(clone, catalog, clean=True)
    assert "agents/ghost/bot/index.md" in result.deleted
    assert not stray.exists() and not stray.parent.parent.exists()


def test_invalid_agent_fails_the_build_with_the_validator_lines(cli: Cli) -> None:
    write_agent(cli.root, version="latest")
    result = cli("build")
    assert result.exit_code == 1
    assert "agents/acme/harbor-bot/agent.yaml:4:10: error[version-invalid]" in result.stdout
    assert result.stdout.splitlines()[-1] == "build stopped: fix the problems above"
    assert not (cli.root / "site").exists() and not (cli.root / "catalog").exists()


def test_serve_on_a_taken_port_is_a_clear_error(clone: Path) -> None:
    """`catalog serve` on an address in use says so in one line and exits 1, no traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=clone,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1
    assert f"error: cannot serve on 127.0.0.1:{port}: Address already in use" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_console_build_prints_its_summary_and_exits_zero(clone: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site-dir", str(tmp_path / "out")],
        cwd=clone,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith("built 6 agents")
    assert (tmp_path / "out" / "index.html").is_file()


def test_build_from_inside_the_catalog_writes_its_site_folder(built: Built, tmp_path: Path) -> None:
    """`catalog build` from agents/ (the root found upwards, `..`) or with a relative --root
    writes `<root>/site`, the folder the no-op stamp names, not a path doubled by mkdocs'
    reading of a relative site_dir against the folder of mkdocs.yml."""
    root = tmp_path / "catalog"
    subprocess.run(["git", "clone", "--quiet", str(built.root), str(root)], check=True)
    for cwd, args in ((root / "agents", []), (tmp_path, ["--root", "catalog"])):
        done = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--clean", *args],
            cwd=cwd,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        assert (root / "site" / "index.html").is_file()
        shutil.rmtree(root / "site")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog"]
    assert not (root / "catalog" / "site").exists() and not (root / "agents" / "site").exists()


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode("utf-8")  # type: ignore[no-any-return]
    except OSError:
        return ""


def test_serve_shows_an_edit_without_a_restart(built: Built, tmp_path: Path) -> None:
    """An author runs `catalog serve`, edits their agent's summary, and the served page shows it:
    the watcher thread, serve's caches and mkdocs' reload, in a real process."""
    root = tmp_path / "catalog"
    subprocess.run(["git", "clone", "--quiet", str(built.root), str(root)], check=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    page = f"http://127.0.0.1:{port}/agents/acme/harbor-bot/"
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while "Harbor Bot" not in _get(page) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "Answers harbor questions, now with tides." in _get(page)
        write_agent(
            root, version="1.1.0", maintainers=["ines"], summary="Now also reads the weather."
        )
        while "Now also reads the weather." not in _get(page) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "Now also reads the weather." in _get(page)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_prints_the_address_whose_root_is_the_catalog(built: Built, tmp_path: Path) -> None:
    """`make site` says which address to open, and that address's root is the home page itself,
    not a redirect to site_url's path (issue 12); an agent page and the search script load."""
    root = tmp_path / "catalog"
    subprocess.run(["git", "clone", "--quiet", str(built.root), str(root)], check=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    temp = tmp_path / "temp"
    temp.mkdir()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1", "TMPDIR": str(temp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(server.stdout or ()), daemon=True).start()
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 90
        said = f"serving the catalog on {url} (open it in a browser; Ctrl-C stops)\n"
        while (said not in lines or not _get(url)) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert said in lines, lines
        with urllib.request.urlopen(url, timeout=5) as answer:
            assert (answer.status, answer.geturl()) == (200, url)  # no redirect
            assert '<a href="agents/acme/harbor-bot/">' in answer.read().decode("utf-8")
        assert "Harbor Bot" in _get(url + "agents/acme/harbor-bot/")
        assert "function" in _get(url + "search/search.js")
        assert [p.name[:7] for p in temp.iterdir()] == ["mkdocs_"]  # the served site
    finally:
        server.terminate()
        server.wait(timeout=30)
    # stopped by SIGTERM, as by Ctrl-C: mkdocs removed its temporary site (~7 MB a run)
    assert list(temp.iterdir()) == []


def test_a_strict_mkdocs_warning_fails_the_build_in_one_line(built: Built, tmp_path: Path) -> None:
    """mkdocs runs in a process of its own: its warning and its refusal still come back here."""
    dest = tmp_path / "catalog"
    subprocess.run(["git", "clone", "--quiet", str(built.root), str(dest)], check=True)
    (dest / "catalog").mkdir(exist_ok=True)
    (dest / "catalog" / "broken.md").write_text("# Broken\n\nSee [the guide](missing.md).\n")
    result = Cli(dest)("build", "--site-dir", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert (
        "site: WARNING: Doc file 'broken.md' contains a link 'missing.md', but the target is not "
        "found among documentation files.\n"
    ) in result.stderr
    assert result.stderr.splitlines()[-1] == "error: Aborted with 1 warnings in strict mode!"
    assert "Traceback" not in result.output
