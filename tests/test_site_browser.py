"""The built site in a real browser: the browse page's filters and sorting, and the whole site
served from a subpath as GitHub Pages serves a project site."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import serve
from tests.test_site import HOSTILE_NAME, Built, built  # noqa: F401 - fixture

PREFIX = "public-agents-catalog"


@pytest.fixture(scope="module")
def served(built: Built) -> Iterator[str]:  # noqa: F811 - the imported fixture
    """The sample site on localhost under /public-agents-catalog/ (its site_url's path)."""
    base, server = serve(built.site, PREFIX)
    yield base
    server.shutdown()


def failures(page: Any, base: str) -> list[str]:
    """Collects the site's responses that fail (404 and the like) while the page is used.

    Requests elsewhere (material's GitHub stars widget) fail offline and do not count.
    """
    failed: list[str] = []

    def seen(response: Any) -> None:
        if response.url.startswith(base) and response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    page.on("response", seen)
    return failed


def refs(page: Any) -> list[str]:
    return list(page.eval_on_selector_all("#pac-results li", "els => els.map(e => e.dataset.ref)"))


def test_browse_filters_and_sorts_without_a_server(served: str, browser_page: Any) -> None:
    failed = failures(browser_page, served)
    browser_page.goto(served + "browse/")
    browser_page.wait_for_selector("#pac-results li")
    everyone = ["zed/harbor-fork", "acme/harbor-bot", "zed/tide-clock", "mallory/hostile-bot"]
    assert sorted(refs(browser_page)) == sorted(everyone)
    assert browser_page.inner_text("#pac-count") == "4 agents"
    assert HOSTILE_NAME in browser_page.inner_text("#pac-results")  # shown as text
    browser_page.select_option("select[name=tag]", "travel")
    assert refs(browser_page) == ["zed/harbor-fork"]
    assert browser_page.url.endswith("browse/?tag=travel")
    browser_page.select_option("select[name=tag]", "")
    browser_page.select_option("select[name=owner]", "acme")
    assert refs(browser_page) == ["acme/harbor-bot"]
    browser_page.select_option("select[name=owner]", "")
    browser_page.select_option("select[name=license]", "MIT")
    browser_page.select_option("select[name=plugin]", "@elizaos/plugin-sql")
    assert len(refs(browser_page)) == 4
    browser_page.select_option("select[name=sort]", "newest")
    newest = refs(browser_page)
    assert newest[-1] in ("acme/harbor-bot", "zed/tide-clock")  # both first published day 1
    assert newest.index("zed/harbor-fork") < newest.index("acme/harbor-bot")
    browser_page.select_option("select[name=sort]", "updated")
    assert refs(browser_page)[0] == "zed/tide-clock"  # moved on day 3: the last change
    browser_page.select_option("select[name=sort]", "name")
    names = browser_page.eval_on_selector_all(
        "#pac-results li strong", "els => els.map(e => e.textContent)"
    )
    assert names == sorted(names, key=str.lower)
    assert browser_page.errors == [] and failed == []


def test_filters_come_from_the_address(served: str, browser_page: Any) -> None:
    browser_page.goto(served + "browse/?tag=assistant&sort=updated")
    browser_page.wait_for_selector("#pac-results li")
    assert browser_page.input_value("select[name=tag]") == "assistant"
    assert refs(browser_page)[0] == "zed/tide-clock"
    browser_page.click("#pac-results li a")
    browser_page.wait_for_url(f"**/{PREFIX}/agents/zed/tide-clock/")


def test_site_works_under_a_subpath(served: str, browser_page: Any) -> None:
    failed = failures(browser_page, served)
    browser_page.goto(served)
    assert browser_page.url.endswith(f"/{PREFIX}/")
    browser_page.click("text=Browse all agents")
    browser_page.wait_for_selector("#pac-results li")
    browser_page.goto(served + "agents/acme/harbor-bot/")
    radius = browser_page.eval_on_selector(".pac-tag", "e => getComputedStyle(e).borderRadius")
    assert radius != "0px"  # catalog.css loaded from the subpath
    browser_page.click("text=1.0.0")
    browser_page.wait_for_url(f"**/{PREFIX}/agents/acme/harbor-bot/1.0.0/")
    header = browser_page.eval_on_selector(".md-header", "e => getComputedStyle(e).backgroundColor")
    assert header == "rgb(64, 81, 181)"  # the lean page finds Material's stylesheet too
    browser_page.click(".md-sidebar >> text=Browse")
    browser_page.wait_for_url(f"**/{PREFIX}/browse/")
    browser_page.goto(served + "agents/acme/harbor-bot/")
    browser_page.click(".pac-facts >> text=ines")
    browser_page.wait_for_url(f"**/{PREFIX}/owners/ines/")
    browser_page.goto(served + "agents/acme/tide-clock/1.0.0/")  # moved, then its latest version:
    browser_page.wait_for_url(f"**/{PREFIX}/agents/zed/tide-clock/")  # the agent page shows it
    browser_page.goto(served + "feed.xml")
    assert browser_page.errors == [] and failed == []


def test_the_verified_mark_in_browse_and_search(served: str, browser_page: Any) -> None:
    """acme's record carries a verification: its cards and search results say so, no one
    else's do (issue 15)."""
    browser_page.goto(served + "browse/")
    browser_page.wait_for_selector("#pac-results li")
    marked = browser_page.eval_on_selector_all(
        "#pac-results li",
        "els => els.filter(e => e.querySelector('.pac-verified')).map(e => e.dataset.ref)",
    )
    assert marked == ["acme/harbor-bot"]
    browser_page.fill(".pac-search__input", "harbor")
    browser_page.locator(".pac-search__link").first.wait_for()
    results = browser_page.eval_on_selector_all(
        ".pac-search__link",
        "els => els.map(e => [e.querySelector('.pac-search__ref').textContent,"
        " !!e.querySelector('.pac-verified')])",
    )
    assert ["acme/harbor-bot", True] in results
    assert all(verified == ref.startswith("acme/") for ref, verified in results)
