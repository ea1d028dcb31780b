"""The site builder: mkdocs-material turns the docs folder into a static site.

The only module that imports mkdocs, so another builder (Zensical, mkdocs-material's successor
after its end of life on 2027-05-05) replaces these two functions, not the pipeline.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

CONFIG = "mkdocs.yml"
_LOG = logging.getLogger("mkdocs")


def _show_warnings() -> None:
    """Print mkdocs' warnings on stderr (strict mode turns them into a failed build)."""
    if not any(getattr(h, "catalog", False) for h in _LOG.handlers):
        handler = logging.StreamHandler()
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter("site: %(levelname)s: %(message)s"))
        handler.catalog = True  # type: ignore[attr-defined]
        _LOG.addHandler(handler)


class SiteError(Exception):
    """The site builder refused the docs folder (a strict-mode warning, a broken config)."""


@contextmanager
def _environment(build_date: datetime | None) -> Iterator[None]:
    """SOURCE_DATE_EPOCH for the build (sitemap dates, gzip headers); quiet the EOL banner."""
    saved = {k: os.environ.get(k) for k in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")}
    if build_date and not saved["SOURCE_DATE_EPOCH"]:
        os.environ["SOURCE_DATE_EPOCH"] = str(int(build_date.timestamp()))
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def build_site(
    root: Path, site_dir: Path, build_date: datetime | None = None, dirty: bool = False
) -> None:
    """Build `root/catalog` into `site_dir` in strict mode (any warning fails the build).

    mkdocs runs in a fresh Python process of its own, so the build's peak memory is the larger
    of the generator's and mkdocs' rather than their sum (~500 MB and ~130 MB at 10,000 agents,
    catalog/performance.md); its warnings come back on this process's stderr.
    `dirty` keeps the site and rebuilds only pages whose source is newer than their output
    (the writer touches only files whose bytes change); the caller must know that nothing else
    mkdocs reads (settings, theme, hand-written pages) changed since that site was built, and
    remove what the generator deleted (`remove_from_site`)."""
    package = str(Path(__file__).resolve().parents[2])  # the folder `generator` is imported from
    paths = [package, *filter(None, [os.environ.get("PYTHONPATH")])]
    # Absolute: mkdocs reads a relative site_dir against the folder of mkdocs.yml, which would
    # double a relative root (`..` from agents/, or --root catalog) into root/root/site.
    folders = [str(root.resolve()), str(site_dir.resolve())]
    command = [sys.executable, "-m", __name__, *folders, *(["--dirty"] * dirty)]
    with _environment(build_date):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise SiteError(done.stdout.strip() or f"mkdocs stopped with exit status {done.returncode}")


def _build_here(root: Path, site_dir: Path, dirty: bool) -> None:
    """mkdocs' build of `root/catalog` into `site_dir`, in this process (the child's work)."""
    _show_warnings()
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    quiet = logging.getLogger("mkdocs.commands.build")
    try:
        config = load_config(str(root / CONFIG), site_dir=str(site_dir), strict=True)
        if dirty:  # its warning is about a changed navigation, which the caller ruled out
            quiet.addFilter(_not_dirty_warning)
        build(config, dirty=dirty)
    except MkDocsException as err:
        raise SiteError(str(err)) from None
    finally:
        quiet.removeFilter(_not_dirty_warning)


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("A 'dirty' build")


def remove_from_site(site_dir: Path, deleted: list[str]) -> None:
    """Remove from the site what the generator deleted from the docs folder (a page's output
    is its folder's index.html)."""
    for rel in deleted:
        if rel.endswith(".md"):
            stem = rel.removesuffix(".md")
            rel = f"{stem}.html" if stem.rsplit("/", 1)[-1] == "index" else f"{stem}/index.html"
        (site_dir / rel).unlink(missing_ok=True)


def link_generated(docs: Path, site_dir: Path, written: list[str]) -> None:
    """Put generated files that mkdocs would only copy into the built site, without mkdocs:
    each is hard-linked (copied across file systems) over its old copy, as the
    linked_files hook does; used when no page mkdocs renders has changed."""
    for rel in written:
        source, dest = docs / rel, site_dir / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.unlink(missing_ok=True)
        try:
            os.link(source, dest)
        except OSError:
            shutil.copyfile(source, dest)
    # The same sitemap under a new inode: the site changed, so a stamp of any earlier build of
    # it (freshness.site_marker) no longer matches, even one put back by hand.
    sitemap = site_dir / "sitemap.xml"
    renewed = sitemap.with_name(".sitemap.xml.tmp")
    shutil.copyfile(sitemap, renewed)
    os.replace(renewed, sitemap)


def copied_verbatim(rel: str) -> bool:
    """Whether mkdocs would publish this generated file as is: not a page it renders, not a
    file a hook reads (`.sitemap.txt`; stylesheets, which lean.css bundles)."""
    name = rel.rsplit("/", 1)[-1]
    return not rel.endswith((".md", ".css")) and not name.startswith(".")


def serve_url(dev_addr: str) -> str:
    """The address `serve_site` serves the catalog's home page on: the root of `dev_addr`."""
    return f"http://{dev_addr}/"


def serve_site(
    root: Path, dev_addr: str, build_date: datetime | None = None, open_browser: bool = False
) -> None:
    """Serve the site with live reload until interrupted; rebuilds only changed pages.

    The site is served at the root of `dev_addr`, not under site_url's path (mkdocs' default,
    whose root only redirects there), so the address printed is the one that opens the catalog;
    the site's links are relative, so it works at any path.
    """
    with _environment(build_date):
        from mkdocs.commands.serve import serve
        from mkdocs.exceptions import MkDocsException

        try:
            serve(
                str(root / CONFIG),
                livereload=True,
                build_type="dirty",
                open_in_browser=open_browser,
                dev_addr=dev_addr,
                site_url=serve_url(dev_addr),
            )
        except MkDocsException as err:
            raise SiteError(str(err)) from None


def _main(args: list[str]) -> int:
    """`python -m generator.site.builder ROOT SITE_DIR [--dirty]`: `build_site`'s child; a
    refusal's message goes to stdout, for the parent's SiteError."""
    try:
        _build_here(Path(args[0]), Path(args[1]), "--dirty" in args[2:])
    except SiteError as err:
        print(err)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
