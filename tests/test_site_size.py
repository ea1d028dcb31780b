"""The lean site keeps its promises: the latest version's address sends the reader to the agent's
page (which shows that version) and becomes the version's full page once a newer one is
published, every address a page, the sitemap, the feed or the API names answers, and the plugin
links stay whole in their shorter markup (catalog/performance.md, "Where the site's bytes go")."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from generator.site.size import archive, measure
from tests import test_site
from tests.browser import serve
from tests.conftest import Cli, GitRepo, write_agent
from tests.test_site import HOSTILE_NAME, SITE_URL, Built

built = test_site.built  # the shared sample site (a session fixture)

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
PREFIX = "public-agents-catalog"
LATEST = "agents/acme/harbor-bot/1.1.0/index.html"


def _built_clone(built: Built, tmp_path: Path) -> tuple[Path, Cli]:
    """A clone of the built catalog, built once, to change and build again."""
    clone = tmp_path / "catalog"
    subprocess.run(["git", "clone", "--quiet", str(built.root), str(clone)], check=True)
    cli = Cli(clone)
    assert cli("build").exit_code == 0
    return clone, cli


def test_the_latest_version_address_sends_readers_to_the_agent_page(built: Built) -> None:
    page = built.page(LATEST)
    assert f'<link rel="canonical" href="{SITE_URL}agents/acme/harbor-bot/">' in page
    assert '<meta http-equiv="refresh" content="0; url=../">' in page
    assert 'location.replace("../" + location.search + location.hash)' in page
    assert '<meta name="robots" content="noindex">' in page and '<html lang="en">' in page
    assert "<title>Harbor Bot 1.1.0 - Public Agents Catalog</title>" in page
    assert f"<code>{built.commits['day2']}</code>" in page  # what the address pins, in words
    assert '<time datetime="2026-01-02">2026-01-02</time>' in page
    assert len(page.encode()) < 1200  # instead of ~7 KB repeating the agent page's facts
    agent = built.page("agents/acme/harbor-bot/index.html")  # what the reader lands on
    assert "<span>acme/harbor-bot@1.1.0</span>" in agent and built.commits["day2"] in agent
    hostile = built.page("agents/mallory/hostile-bot/1.0.0/index.html")
    assert (
        HOSTILE_NAME not in hostile
        and "<script>alert" not in hostile
        and "&lt;script&gt;alert(&#34;n&#34;)" in hostile
    )


def test_older_versions_keep_their_full_page(built: Built) -> None:
    older = built.page("agents/acme/harbor-bot/1.0.0/index.html")
    assert f'<link rel="canonical" href="{SITE_URL}agents/acme/harbor-bot/1.0.0/">' in older
    assert "http-equiv" not in older and "older version (1.0.0)" in older
    assert "<span>acme/harbor-bot@1.0.0</span>" in older and built.commits["day1"] in older


def test_a_newer_version_turns_the_former_latest_into_its_full_page(
    built: Built, tmp_path: Path
) -> None:
    clone, cli = _built_clone(built, tmp_path)
    former = clone / "site" / LATEST
    assert "http-equiv" in former.read_text("utf-8")
    repo = GitRepo(clone, day=5)
    write_agent(
        clone,
        version="1.2.0",
        maintainers=["ines"],
        character=json.loads((clone / "agents/acme/harbor-bot/character.json").read_text()),
    )
    newest = repo.commit("harbor-bot 1.2.0")
    result = cli("build")  # an incremental build: only harbor-bot's files are rendered again
    assert result.exit_code == 0, result.output
    page = former.read_text("utf-8")
    assert "http-equiv" not in page and "older version (1.1.0)" in page
    assert "<span>acme/harbor-bot@1.1.0</span>" in page and built.commits["day2"] in page
    assert f'<link rel="canonical" href="{SITE_URL}agents/acme/harbor-bot/1.1.0/">' in page
    latest = (clone / "site/agents/acme/harbor-bot/1.2.0/index.html").read_text("utf-8")
    assert "http-equiv" in latest and newest in latest
    agent = (clone / "site/agents/acme/harbor-bot/index.html").read_text("utf-8")
    assert '<a href="1.1.0/">1.1.0</a>' in agent and "<td>1.2.0 (latest)</td>" in agent


def _badges(site: Path) -> dict[bytes, set[int]]:
    """Each distinct badge of the site and the inodes that hold it."""
    found: dict[bytes, set[int]] = {}
    for badge in site.glob("agents/*/*/badge.svg"):
        found.setdefault(badge.read_bytes(), set()).add(badge.stat().st_ino)
    return found


def test_identical_badges_are_stored_once_and_every_address_keeps_its_own(built: Built) -> None:
    badges = sorted(built.site.glob("agents/*/*/badge.svg"))
    for badge in badges:  # the bytes each address promised, from the generator's own file
        rel = badge.relative_to(built.site)
        assert badge.read_bytes() == (built.root / "catalog" / rel).read_bytes(), rel
    stored = _badges(built.site)
    assert all(len(inodes) == 1 for inodes in stored.values()), stored.values()
    assert len(stored) < len(badges)  # two agents at 1.0.0 share one file
    assert b"acme/" not in b"".join(stored)  # the version, not whose it is


def test_a_shared_badge_changes_only_at_the_address_of_the_agent_that_changed(
    built: Built, tmp_path: Path
) -> None:
    clone, cli = _built_clone(built, tmp_path)
    site = clone / "site/agents"
    bumped, other = site / "zed/tide-clock/badge.svg", site / "mallory/hostile-bot/badge.svg"
    assert bumped.read_bytes() == other.read_bytes()
    assert bumped.stat().st_ino == other.stat().st_ino
    manifest = clone / "agents/zed/tide-clock/agent.yaml"
    manifest.write_text(manifest.read_text().replace("version: 1.0.0", "version: 1.0.1"))
    GitRepo(clone, day=5).commit("tide-clock 1.0.1")
    result = cli("build")  # incremental: only tide-clock's files are written again
    assert result.exit_code == 0, result.output
    assert ">v1.0.1<" in bumped.read_text() and ">v1.0.0<" in other.read_text()
    assert bumped.read_bytes() == (clone / "catalog/agents/zed/tide-clock/badge.svg").read_bytes()
    assert all(len(inodes) == 1 for inodes in _badges(clone / "site").values())
    assert cli("build", "--clean").exit_code == 0  # a full build shares them again
    assert all(len(inodes) == 1 for inodes in _badges(clone / "site").values())
    assert ">v1.0.1<" in bumped.read_text() and ">v1.0.0<" in other.read_text()


def test_the_theme_search_and_source_maps_stay_out_of_the_site(built: Built) -> None:
    assets = built.site / "assets"
    assert (assets / "javascripts").is_dir() and list(assets.glob("javascripts/bundle.*.min.js"))
    assert not (assets / "javascripts/lunr").exists()
    assert not (assets / "javascripts/workers").exists()
    assert not list(assets.rglob("*.map"))


def test_the_bench_breakdown_puts_every_file_of_the_site_in_one_kind(built: Built) -> None:
    spec = importlib.util.spec_from_file_location("site_kinds", BENCH / "site_kinds.py")
    assert spec and spec.loader
    kinds = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(kinds)
    rows = kinds.breakdown(built.site)
    folders = rows.pop("folders")
    files = [p for p in built.site.rglob("*") if p.is_file()]
    assert sum(n for n, _, _, _ in rows.values()) == len(files)
    assert sum(b for _, b, _, _ in rows.values()) == sum(p.stat().st_size for p in files)
    assert folders[0] == 1 + sum(p.is_dir() for p in built.site.rglob("*"))
    whole = measure(built.site)  # the Pages tar, its end aside, is the sum of the kinds'
    assert archive(folders[3] + sum(t for _, _, _, t in rows.values())) == whole.tar
    assert rows["badges"][0] == len(list(built.site.glob("agents/*/*/badge.svg"))) == 5
    # harbor-bot 1.0.0, and the version addresses of the removed and the moved agents
    assert rows["older version pages"][0] == 4
    assert rows["latest versions' addresses"][0] == 5  # harbor-bot 1.1.0 and four at 1.0.0
    assert rows["badges"][2] < rows["badges"][0] * 4096  # stored once per distinct badge
    assert f"| **{whole.tar / 1e6:.1f} MB** |" in kinds.table(built.site).splitlines()[-1]


def test_plugin_names_link_to_npm_and_the_registry_once(built: Built) -> None:
    for rel in ("agents/acme/harbor-bot/index.html", "agents/acme/harbor-bot/1.0.0/index.html"):
        page = built.page(rel)
        row = re.search(r'<th scope="row">Plugins</th><td>(.*?)</td>', page, re.S)
        assert row, rel
        cell = row.group(1)
        npm = re.findall(
            r'<a href="https://www\.npmjs\.com/package/([^"]+)" rel="nofollow">'
            r"<code>([^<]+)</code></a>",
            cell,
        )
        assert npm and all(package == name for package, name in npm), cell
        assert ("@elizaos/plugin-sql", "@elizaos/plugin-sql") in npm
        assert cell.count(">source</a>") >= 1 and cell.count("registry/blob/main/index.json") == 1
        assert "noopener" not in cell


class Links(HTMLParser):
    """The addresses an HTML page asks for or links to (href, src)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)
            if tag == "meta" and name == "content" and value and "; url=" in value:
                self.found.append(value.split("; url=", 1)[1])


def _target(site: Path, url: str) -> Path | None:
    """The file an address of the site names, or None for an address elsewhere."""
    if not url.startswith(SITE_URL):
        return None
    path = unquote(urlsplit(url).path)[len(urlsplit(SITE_URL).path) :]
    target = site / path
    return target / "index.html" if path == "" or path.endswith("/") else target


def _addresses(site: Path) -> Iterator[tuple[str, str]]:
    """(where, absolute address) for every link of every page, the sitemap, the feed, the API."""
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        base = SITE_URL + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        parser = Links()
        parser.feed(page.read_text("utf-8"))
        for link in parser.found:
            if not link.startswith(("#", "mailto:", "javascript:", "data:")):
                yield rel, urljoin(base, link)
    for loc in ET.parse(site / "sitemap.xml").getroot().iter():
        if loc.tag.endswith("loc") and loc.text:
            yield "sitemap.xml", loc.text
    for link in ET.parse(site / "feed.xml").getroot().iter("{http://www.w3.org/2005/Atom}link"):
        yield "feed.xml", link.attrib["href"]
    for doc in sorted((site / "api").rglob("*.json")):
        for url in re.findall(r'"(?:url|api)":"([^"]+)"', doc.read_text("utf-8")):
            yield doc.relative_to(site).as_posix(), url


def test_every_address_the_site_names_answers(built: Built) -> None:
    """No link of any page (lean or themed, redirects and tombstones too), of the sitemap, the
    feed or the API leads to a 404 within the site."""
    seen = broken = 0
    missing = []
    for where, url in _addresses(built.site):
        target = _target(built.site, url)
        if target is None:
            continue
        seen += 1
        if not target.is_file():
            broken += 1
            missing.append(f"{where}: {url}")
    assert missing == []
    assert seen > 500 and broken == 0
    versions = [u for w, u in _addresses(built.site) if re.search(r"/agents/.+/\d+\.\d+\.\d+/$", u)]
    assert f"{SITE_URL}agents/acme/harbor-bot/1.1.0/" in versions  # the feed and API name it


@pytest.fixture(scope="module")
def served(built: Built) -> Iterator[str]:
    base, server = serve(built.site, PREFIX)
    yield base
    server.shutdown()


@pytest.mark.parametrize("script", [True, False])
def test_the_latest_version_address_lands_on_the_agent_page_in_chromium(
    served: str, chromium: Any, script: bool
) -> None:
    """With scripts the fragment is kept (a link to the fork block still finds it); without
    them the refresh still takes the reader there."""
    context = chromium.new_context(java_script_enabled=script, color_scheme="dark")
    try:
        page = context.new_page()
        failed: list[str] = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        page.goto(served + "agents/acme/harbor-bot/1.1.0/#fork")
        want = served + "agents/acme/harbor-bot/" + ("#fork" if script else "")
        page.wait_for_url(want)
        assert page.locator("#pac-fork-short").inner_text() == (
            "catalog fork acme/harbor-bot@1.1.0 --as YOUR-LOGIN/harbor-bot"
        )
        assert failed == []
    finally:
        context.close()


def test_the_search_shards_are_linked_into_the_site_not_copied(built: Built) -> None:
    """The browser search's files (~4,200 shards at 10,000 agents, ~2 s for mkdocs to copy) are
    the generator's own files in the site, like the agent pages."""
    shards = sorted(p for p in built.site.glob("search/**/*") if p.is_file())
    assert len(shards) > 10
    for shard in shards:
        source = built.root / "catalog" / shard.relative_to(built.site)
        assert shard.stat().st_ino == source.stat().st_ino, shard
