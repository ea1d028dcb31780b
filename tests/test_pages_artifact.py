"""`catalog site-size` says what GitHub Pages will receive: the tar upload-pages-artifact makes
(`generator/site/size.py`), to the byte, compared here with real GNU tar run as that action
runs it, on odd trees (long and non-ASCII names, links, excluded folders), on random trees and
on a built catalog; and the deploy workflow warns before the site outgrows Pages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.site.size import PAGES_LIMIT, measure
from tests import test_site
from tests.conftest import Cli, new_catalog
from tests.test_github_files import GITHUB, load, steps, tool

built = test_site.built  # the shared sample site (a session fixture)

TAR = shutil.which("tar")
pytestmark = pytest.mark.skipif(TAR is None, reason="GNU tar is part of Debian's base system")


ACTION = ("--dereference", "--hard-dereference", "--exclude=.git", "--exclude=.github")
"""How actions/upload-pages-artifact calls tar (with `--directory SITE -cf FILE .`)."""


def tar(site: Path, blocking: int = 20) -> bytes:
    """The tar actions/upload-pages-artifact makes of `site`, by its own command."""
    made = subprocess.run(
        [TAR or "tar", *ACTION, f"--blocking-factor={blocking}", "-C", str(site), "-cf", "-", "."],
        capture_output=True,
        check=False,
    )
    assert made.returncode in (0, 1), made.stderr  # 1: a file changed or vanished (a dead link)
    return made.stdout


def tar_size(site: Path, blocking: int = 20) -> int:
    return len(tar(site, blocking))


def odd_tree(root: Path) -> Path:
    """Every case the arithmetic has: sizes around a block, names around the 100-byte field
    (files and folders, whose names end with `/`), names past ASCII, empty folders, a hard
    link, links to a file, to a folder and to nothing, and what the action leaves out."""
    site = root / "site"
    (site / "a" / "b").mkdir(parents=True)
    (site / "empty").mkdir()
    for size in (0, 1, 511, 512, 513, 1024, 5000):
        (site / "a" / f"f{size}").write_bytes(b"x" * size)
    for length in (97, 98, 99, 100, 101, 102, 150, 250):
        # `./` and the name: 97 to 250 bytes as tar stores them
        (site / ("n" * (length - 2))).write_bytes(b"y" * length)
        folder = site / ("d" * (length - 3))  # a folder's name ends with `/`
        folder.mkdir()
        (folder / "index.html").write_text("<p>hi</p>")
    (site / "a" / ("é" * 40)).write_text("non-ASCII: 80 bytes of name")
    deep = site / ("p" * 200) / ("q" * 200) / ("r" * 200)  # names of 2 to 4 blocks
    deep.mkdir(parents=True)
    (deep / "index.html").write_text("deep")
    edge = site / ("u" * 200) / ("v" * 200)  # `./u…/v…/` is 404 bytes
    (edge / ("w" * 107)).mkdir(parents=True)  # a folder of 512 bytes with its `/`: the name
    (edge / ("x" * 108)).write_text("512")  # and a file of 512 fill their block, NUL aside
    os.link(site / "a" / "f513", site / "empty" / "hard")
    os.symlink("../a/f5000", site / "a" / "b" / "soft")
    os.symlink("../a", site / "empty" / "folder-link")
    os.symlink("nowhere", site / "a" / "dead")
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (site / "a" / ".github").write_text("a file the action leaves out too\n")
    return site


def test_the_tar_is_counted_to_the_byte(tmp_path: Path) -> None:
    site = odd_tree(tmp_path)
    size = measure(site)
    assert size.tar == tar_size(site)
    assert measure(site, record=512).tar == tar_size(site, blocking=1)
    # what tar lists: the folder link's contents again, the hard link copied, no .git
    names = (
        subprocess.run([TAR or "tar", "-tf", "-"], input=tar(site), capture_output=True, check=True)
        .stdout.decode()
        .splitlines()
    )
    assert size.folders == sum(name.endswith("/") for name in names)
    assert size.files == sum(not name.endswith("/") for name in names)
    assert not any(".git" in name for name in names)


NAMES = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x2FF, exclude_characters="/"))


@st.composite
def trees(draw: st.DrawFn) -> list[tuple[list[str], int | None]]:
    """Paths (folders of names 1 to 120 characters) and a size, or None for an empty folder."""
    name = NAMES.filter(lambda n: n not in {".", "..", ".git", ".github"} and 0 < len(n) <= 120)
    entries = st.tuples(st.lists(name, min_size=1, max_size=3), st.none() | st.integers(0, 3000))
    return draw(st.lists(entries, min_size=1, max_size=12))


@given(tree=trees())
@settings(max_examples=60, deadline=None)
def test_random_trees_give_the_tar_s_size(tree: list[tuple[list[str], int | None]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        for parts, size in tree:
            path = site.joinpath(*parts)
            if any(p.is_file() for p in path.parents):
                continue  # a file stands where this path wants a folder
            if size is None:
                if not path.is_file():
                    path.mkdir(parents=True, exist_ok=True)
            elif not path.is_dir():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(b"z" * size)
        assert measure(site, record=512).tar == tar_size(site, blocking=1)
        assert measure(site).tar == tar_size(site)


def test_a_built_catalog_is_counted_as_the_deploy_uploads_it(built: test_site.Built) -> None:
    size = measure(built.site)
    assert size.tar == tar_size(built.site)
    files = [p for p in built.site.rglob("*") if p.is_file()]
    assert size.files == len(files) and size.bytes == sum(p.stat().st_size for p in files)
    result = Cli(built.root)("site-size")
    assert result.exit_code == 0 and not result.stderr
    assert result.stdout.splitlines() == [
        f"site: {size.files:,} files in {size.folders:,} folders, {size.bytes / 1e6:,.1f} MB",
        f"GitHub Pages artifact (tar): {size.tar / 1e6:,.1f} MB, 0% of the 1 GB GitHub Pages "
        "supports",
    ]
    doc = json.loads(Cli(built.root)("site-size", "--format", "json").stdout)
    assert doc == {
        "files": size.files,
        "folders": size.folders,
        "bytes": size.bytes,
        "tar": size.tar,
        "pages_limit": PAGES_LIMIT,
        "share": round(size.tar / PAGES_LIMIT, 4),
    }


def test_no_site_is_a_clear_error(tmp_path: Path) -> None:
    root = new_catalog(tmp_path / "repo")
    result = Cli(root)("site-size")
    assert result.exit_code == 1
    assert result.stderr == "error: no built site at site: run catalog build first\n"
    (root / "site").write_text("not a folder")
    assert Cli(root)("site-size").exit_code == 1


def _deploy_step() -> dict:
    workflow = load(GITHUB / "workflows" / "deploy.yml")
    build = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "").split("#")[0].strip() + step.get("uses", "") for step in build]
    measured = runs.index(".venv/bin/catalog site-size --format github")
    # after the build, before the upload: it measures what goes up
    assert runs.index("make build") < measured
    assert measured < next(i for i, r in enumerate(runs) if "upload-pages-artifact" in r)
    assert steps(workflow)  # every step parsed
    return build[measured]


def _run(step: dict, root: Path, summary: Path) -> subprocess.CompletedProcess[str]:
    """The deploy step's script as the runner runs it, in a checkout whose `.venv` holds the
    installed catalog."""
    (root / ".venv" / "bin").mkdir(parents=True)
    os.symlink(tool("catalog"), root / ".venv" / "bin" / "catalog")
    return subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "GITHUB_STEP_SUMMARY": str(summary)},
        capture_output=True,
        text=True,
    )


def test_the_deploy_reports_the_size_and_warns_near_pages_limit(tmp_path: Path) -> None:
    step = _deploy_step()
    small = new_catalog(tmp_path / "small")
    (small / "site").mkdir()
    (small / "site" / "index.html").write_text("<p>hi</p>")
    ran = _run(step, small, tmp_path / "small.md")
    assert ran.returncode == 0, ran.stderr
    assert "::warning" not in ran.stdout and "of the 1 GB" in ran.stdout
    assert "| 1 | 1 | 0.0 MB | 0.0 MB | 0% |" in (tmp_path / "small.md").read_text()

    # A site of 860 MB (a sparse file: no disk taken, the size tar would copy)
    near = new_catalog(tmp_path / "near")
    (near / "site").mkdir()
    with open(near / "site" / "big.bin", "wb") as out:
        out.truncate(int(0.8 * PAGES_LIMIT) + 1)
    ran = _run(step, near, tmp_path / "near.md")
    assert ran.returncode == 0, ran.stderr  # Pages decides; the deploy goes on
    assert (
        "::warning title=GitHub Pages size::the site's GitHub Pages artifact is 859.0 MB, "
        "80% of the 1 GB GitHub Pages supports: it is near the limit" in ran.stdout
    )
    text = (tmp_path / "near.md").read_text()
    assert "| 1 | 1 | 859.0 MB | 859.0 MB | 80% |" in text
    assert "> [!WARNING]\n> the site's GitHub Pages artifact" in text
    assert "catalog/deploy.md" in text

    past = new_catalog(tmp_path / "past")
    (past / "site" / "a").mkdir(parents=True)
    with open(past / "site" / "a" / "big.bin", "wb") as out:
        out.truncate(PAGES_LIMIT)
    ran = _run(step, past, tmp_path / "past.md")
    assert ran.returncode == 0 and "it is past the limit" in ran.stdout
    assert "100% of the 1 GB" in ran.stdout  # 1 GB of file and its headers: just past
