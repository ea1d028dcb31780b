"""The built site as a visitor sees it, in real Chromium, in both colour schemes and at phone
width: lean pages (agents, versions, owners) look and work like themed pages, copy buttons show
without hover, nothing scrolls sideways, no request leaves the site, the 404 page works wherever
it is served, and the browse page filters by moderation state."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.browser import serve
from tests.test_site import Built, built  # noqa: F401 - fixture

PREFIX = "public-agents-catalog"
SCHEMES = ("light", "dark")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PAGES = {
    "home": "",
    "browse": "browse/",
    "tags": "tags/",
    "owners": "owners/",
    "owner": "owners/acme/",
    "agent": "agents/acme/harbor-bot/",
    "flagged": "agents/zed/harbor-fork/",
    "hostile": "agents/mallory/hostile-bot/",
    "older version": "agents/acme/harbor-bot/1.0.0/",
    "submit": "submit/",
    "not found": "agents/acme/harbr-bot/",
}
"""Pages of the sample site a visitor reaches; the last one does not exist (the 404 page)."""
SHORT = "catalog fork acme/harbor-bot@1.1.0 --as YOUR-LOGIN/harbor-bot"


@pytest.fixture(scope="module")
def served(built: Built) -> Iterator[str]:  # noqa: F811 - the imported fixture
    """The sample site under /public-agents-catalog/, as GitHub Pages serves a project site."""
    base, server = serve(built.site, PREFIX)
    yield base
    server.shutdown()


Opener = Callable[..., Any]


@pytest.fixture
def open_page(chromium: Any) -> Iterator[Opener]:
    """Opens a page in a fresh context: colour scheme, phone (touch) or desktop, permissions."""
    contexts: list[Any] = []

    def opener(
        scheme: str = "light", phone: bool = False, permissions: tuple[str, ...] = ()
    ) -> Any:
        context = chromium.new_context(
            viewport=PHONE if phone else DESKTOP,
            color_scheme=scheme,
            has_touch=phone,
            is_mobile=phone,
        )
        if permissions:
            context.grant_permissions(list(permissions))
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        return page

    yield opener
    for context in contexts:
        context.close()


LOOK = """() => {
  const css = (sel, prop) => {
    const e = document.querySelector(sel);
    return e && getComputedStyle(e)[prop];
  };
  const nav = ".md-nav--primary > .md-nav__list > .md-nav__item > a";
  return {
    header: css(".md-header", "backgroundColor"),
    headerText: css(".md-header", "color"),
    page: getComputedStyle(document.body).backgroundColor,
    text: css(".md-typeset", "color"),
    link: css(".md-typeset a:not(.headerlink)", "color"),
    heading: css(".md-typeset h1", "fontFamily") + " " + css(".md-typeset h1", "fontSize"),
    muted: css(".pac-version", "color"),
    footer: css(".md-footer-meta", "backgroundColor"),
    nav: Array.from(document.querySelectorAll(nav)).map(a => new URL(a.href).pathname),
  };
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_lean_pages_look_like_themed_pages(served: str, open_page: Opener, scheme: str) -> None:
    page = open_page(scheme)
    page.goto(served + "owners/")
    themed = page.evaluate(LOOK)
    page.goto(served + "agents/acme/harbor-bot/")
    agent = page.evaluate(LOOK)
    page.goto(served + "agents/acme/harbor-bot/1.0.0/")
    lean = page.evaluate(LOOK)
    assert lean == agent
    shared = ("header", "headerText", "page", "text", "link", "heading", "footer", "nav")
    assert {k: agent[k] for k in shared} == {k: themed[k] for k in shared}
    page.goto(served + "owners/acme/")
    owner = page.evaluate(LOOK)
    assert {k: owner[k] for k in shared} == {k: themed[k] for k in shared}
    dark = themed["page"] != "rgb(255, 255, 255)"
    assert dark == (scheme == "dark"), themed["page"]
    assert page.locator(".md-header .pac-search__input").count() == 1  # the header search
    assert page.get_attribute(".pac-scheme", "aria-label") == (
        "Light mode" if scheme == "dark" else "Dark mode"
    )
    assert page.errors == []


def test_the_colour_scheme_choice_carries_across_page_kinds(served: str, open_page: Opener) -> None:
    page = open_page("light")
    page.goto(served + "agents/acme/harbor-bot/1.0.0/")
    assert page.get_attribute("html", "data-md-color-scheme") == "default"
    page.click(".pac-scheme")
    assert page.get_attribute("html", "data-md-color-scheme") == "slate"
    page.goto(served + "owners/")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"  # Material reads it
    page.click("label[for=__palette_0]")  # Material's toggle back to light
    page.goto(served + "agents/acme/harbor-bot/1.0.0/")
    assert page.get_attribute("html", "data-md-color-scheme") == "default"
    assert page.errors == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_nothing_scrolls_sideways_on_a_phone(served: str, open_page: Opener, scheme: str) -> None:
    page = open_page(scheme, phone=True)
    for name, path in PAGES.items():
        page.goto(served + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (name, width)
    assert page.errors == []


@pytest.mark.parametrize("path", ["agents/acme/harbor-bot/", "agents/acme/harbor-bot/1.1.0/"])
def test_copy_buttons_show_without_hover_and_copy(
    served: str, open_page: Opener, path: str
) -> None:
    page = open_page("light", phone=True, permissions=("clipboard-read", "clipboard-write"))
    page.goto(served + path)
    button = page.locator("button[data-clipboard-target='#pac-fork-short']")
    assert button.is_visible() and button.inner_text() == "Copy"
    assert button.evaluate("b => getComputedStyle(b).opacity") == "1"
    assert page.locator(".pac-fork .md-code__button").count() == 0  # no hover-only twin
    button.tap()
    page.locator(".md-dialog").get_by_text("Copied to clipboard").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == SHORT
    page.tap("details.pac-git summary")
    page.tap("button[data-clipboard-target='#pac-fork-git']")
    page.wait_for_function("navigator.clipboard.readText().then(t => t.startsWith('git init'))")
    steps = page.evaluate("navigator.clipboard.readText()").split(" &&\n")
    assert steps[0] == "git init --quiet harbor-bot-1.1.0" and len(steps) == 7
    assert page.errors == []


def test_no_request_leaves_the_site(served: str, open_page: Opener) -> None:
    page = open_page("dark")
    elsewhere: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(served):
            r.continue_()
        else:
            elsewhere.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    for name in ("home", "agent", "older version", "not found"):  # each kind of page shell
        page.goto(served + PAGES[name])
        page.wait_for_load_state("networkidle")
    assert elsewhere == []  # Material's repository widget asked api.github.com twice a page


@pytest.mark.parametrize("where", ["configured path", "host root"])
def test_not_found_page_works_wherever_served(
    built: Built,  # noqa: F811 - the imported fixture
    open_page: Opener,
    where: str,
) -> None:
    base, server = serve(built.site, PREFIX if where == "configured path" else "")
    try:
        page = open_page("dark", phone=True)
        missing = base + "agents/acme/harbr-bot/"
        failed: list[str] = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        response = page.goto(missing)
        assert response.status == 404
        assert page.locator("h1").inner_text() == "Page not found"
        header = page.eval_on_selector(".md-header", "e => getComputedStyle(e).backgroundColor")
        assert header == "rgb(64, 81, 181)"  # Material's stylesheet was found
        assert page.locator(".md-header .pac-search__input").count() == 1
        similar = page.locator("#pac-missing a").first
        similar.wait_for()
        assert similar.get_attribute("href") == base + "agents/acme/harbor-bot/"
        page.click("text=Go to the home page")
        page.wait_for_url(base)
        # Served elsewhere, Chromium's preload scanner first tries the static <base> (site_url's
        # path) before the script moves it: wasted requests, not missing styles (checked above).
        guessed = base.rstrip("/") + f"/{PREFIX}/" if where == "host root" else missing
        assert [u for u in failed if u != missing and not u.startswith(guessed)] == []
        assert page.errors == []
    finally:
        server.shutdown()


def test_browse_filters_by_moderation_state(served: str, open_page: Opener) -> None:
    page = open_page("dark", phone=True)
    page.goto(served + "browse/?state=flagged")
    page.wait_for_selector("#pac-results li")
    refs = page.eval_on_selector_all("#pac-results li", "els => els.map(e => e.dataset.ref)")
    assert refs == ["zed/harbor-fork"]
    assert page.locator("#pac-results .pac-state--flagged").text_content() == "flagged"
    page.select_option("select[name=state]", "ok")
    assert "zed/harbor-fork" not in page.eval_on_selector_all(
        "#pac-results li", "els => els.map(e => e.dataset.ref)"
    )
    assert page.url.endswith("browse/?state=ok")
    assert page.errors == []


def test_browse_filters_by_capability(served: str, open_page: Opener) -> None:
    """The "Can" filter lists the capabilities and keeps the agents whose plugins give one."""
    page = open_page("light", phone=True)
    page.goto(served + "browse/")
    page.wait_for_selector("#pac-results li")
    assert len(page.eval_on_selector_all("#pac-results li", "els => els")) > 1
    page.select_option("select[name=can]", "signs-transactions")
    refs = page.eval_on_selector_all("#pac-results li", "els => els.map(e => e.dataset.ref)")
    assert refs == ["acme/harbor-bot"]
    assert page.url.endswith("browse/?can=signs-transactions")
    label = page.locator("select[name=can] option[value=signs-transactions]").text_content()
    assert label == "signs transactions"
    meta = page.locator("#pac-results li .pac-meta").text_content() or ""
    assert meta.endswith("· can: signs transactions, trades or swaps")
    assert page.errors == []
