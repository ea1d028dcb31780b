"""A search.js that does not read the deployed index's format (a browser's cached copy after a
deploy that changed the files) hands the box over to the deployed script, in real Chromium on a
real mkdocs-material site: the visitor's query shows the right agents with their names, and a
second mismatch says search is unavailable instead of loading scripts in a loop."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from generator.search.browser_index import FORMAT, index_files
from generator.search.browser_query import BrowserIndex
from generator.search.documents import search_docs
from tests.browser import serve
from tests.conftest import REPO
from tests.test_search_browser import build_site
from tests.test_search_quality import sample

SCRIPT = REPO / "site-config" / "search" / "search.js"
DECLARED = re.compile(r"var FORMAT = (\d+);")


def copy_reading(fmt: int) -> str:
    """search.js as a build that read index format `fmt` would have shipped it."""
    text, count = DECLARED.subn(f"var FORMAT = {fmt};", SCRIPT.read_text("utf-8"))
    assert count == 1
    return text


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    built = build_site(sample(), tmp_path_factory.mktemp("site"))
    base, server = serve(built, "catalog")
    yield base
    server.shutdown()


def cached_old_script(page: Any, everywhere: bool) -> list[str]:
    """The page's first load of search.js gets a copy for the previous format, as from the
    browser's cache; with `everywhere`, so does every later load. Returns the loads seen."""
    loads: list[str] = []

    def answer(route: Any) -> None:
        loads.append(route.request.url)
        if everywhere or "?" not in route.request.url:
            route.fulfill(body=copy_reading(FORMAT - 1), content_type="text/javascript")
        else:
            route.continue_()

    page.route(re.compile(r"/search/search\.js(\?.*)?$"), answer)
    return loads


def test_the_script_reads_the_format_the_generator_writes() -> None:
    found = DECLARED.search(SCRIPT.read_text("utf-8"))
    assert found is not None and int(found.group(1)) == FORMAT


def test_an_old_script_hands_the_box_over_and_the_query_shows_names(
    site: str, browser_page: Any
) -> None:
    page = browser_page
    loads = cached_old_script(page, everywhere=False)
    page.goto(site)
    page.fill(".pac-search__input", "lint lantern")
    first = page.locator(".pac-search__link").first
    first.wait_for()
    docs = sorted(search_docs(sample()), key=lambda d: d.ref)
    want = BrowserIndex(index_files(docs)).query("lint lantern", 10)
    assert first.get_attribute("href") == site + f"agents/{want.refs[0]}/"
    shown = page.locator(".pac-search__name").evaluate_all(
        "names => names.map(n => n.firstChild.textContent)"
    )
    assert shown == list(want.names) and all(shown)
    assert page.locator(".pac-search").count() == 1
    assert page.input_value(".pac-search__input") == "lint lantern"
    assert page.evaluate("document.activeElement.classList.contains('pac-search__input')")
    assert len(loads) == 2 and "?v=" in loads[1]
    assert page.errors == []


def test_a_second_mismatch_says_search_is_unavailable(site: str, browser_page: Any) -> None:
    page = browser_page
    loads = cached_old_script(page, everywhere=True)
    page.goto(site)
    page.fill(".pac-search__input", "lint lantern")
    status = page.locator(".pac-search__status")
    status.wait_for()
    page.wait_for_function("() => document.querySelector('.pac-search__status').textContent !== ''")
    assert status.text_content() == "Search is unavailable; try again later"
    assert page.locator(".pac-search__link").count() == 0
    page.wait_for_load_state("networkidle")
    assert len(loads) == 2
