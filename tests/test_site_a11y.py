"""Accessibility of the built site: axe-core (pinned in tests/a11y/package-lock.json, installed
by `make test`) runs inside real Chromium on every kind of page, in both colour schemes, at
desktop and phone width, and finds no serious or critical violation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import serve
from tests.test_site import Built, built  # noqa: F401 - fixture

AXE = Path(__file__).parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
PREFIX = "public-agents-catalog"
PAGES = {
    "home": "",
    "browse": "browse/",
    "tags": "tags/",
    "owners": "owners/",
    "owner": "owners/acme/",
    "agent": "agents/acme/harbor-bot/",
    "flagged agent": "agents/zed/harbor-fork/",
    "older version": "agents/acme/harbor-bot/1.0.0/",
    "submit": "submit/",
    "not found": "agents/acme/harbr-bot/",
    "performance (wide tables, code)": "performance/",
    "deploy (a console session)": "deploy/",
    "security": "security/",
    "architecture (diagram)": "architecture/",
}
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(scope="module")
def axe() -> str:
    """axe-core's browser build (fails, not skips, when `npm ci` has not run)."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run make test (npm ci --prefix tests/a11y)")
    return AXE.read_text("utf-8")


@pytest.fixture(scope="module")
def served(built: Built) -> Iterator[str]:  # noqa: F811 - the imported fixture
    base, server = serve(built.site, PREFIX)
    yield base
    server.shutdown()


def with_axe(page: Any, served: str, axe: str) -> Any:
    """The page, with axe-core answering at one address: Chromium then caches its compiled
    code (injected inline, its 550 KB were parsed again on every page: 0.4 s each)."""
    page.route(
        served + "__axe.min.js",
        lambda route: route.fulfill(
            body=axe, content_type="text/javascript", headers={"Cache-Control": "max-age=600"}
        ),
    )
    return page


def serious(page: Any, axe: str) -> list[str]:
    """axe's serious and critical violations on the page as it is now, one line each."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(url=page.url.split(PREFIX)[0] + PREFIX + "/__axe.min.js")
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']}: {node['target']} {node['failureSummary'].splitlines()[-1]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"]
    ]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violation_on_any_kind_of_page(
    chromium: Any, served: str, axe: str, scheme: str, width: str
) -> None:
    context = chromium.new_context(
        viewport={"width": WIDTHS[width], "height": 844},
        color_scheme=scheme,
        has_touch=width == "phone",
        is_mobile=width == "phone",
    )
    try:
        page = with_axe(context.new_page(), served, axe)
        found = {}
        for name, path in PAGES.items():
            page.goto(served + path)
            if name == "browse":
                page.wait_for_selector("#pac-results li")
            if name == "not found":
                page.wait_for_selector("#pac-missing a")
            found[name] = serious(page, axe)
        assert found == {name: [] for name in PAGES}
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violation_with_search_and_fork_steps_open(
    chromium: Any, served: str, axe: str, scheme: str
) -> None:
    context = chromium.new_context(color_scheme=scheme)
    try:
        page = with_axe(context.new_page(), served, axe)
        page.goto(served + "agents/acme/harbor-bot/1.0.0/")
        page.click("details.pac-git summary")
        page.fill(".pac-search__input", "harbor")
        page.locator(".pac-search__link").first.wait_for()
        page.keyboard.press("ArrowDown")
        assert page.locator(".pac-search__panel").is_visible()
        assert page.locator(".pac-search__can").count() >= 1  # the capability line is checked
        assert serious(page, axe) == []
    finally:
        context.close()


def test_no_page_asks_another_host_for_anything(chromium: Any, served: str) -> None:
    """Every kind of page loads its scripts, styles, fonts and images from the site alone: no
    third-party script runs on the catalog's origin, and every page works offline."""
    context = chromium.new_context()
    try:
        page = context.new_page()
        asked: dict[str, list[str]] = {}
        where: list[str] = []
        page.on("request", lambda request: where and asked[where[0]].append(request.url))
        for name, path in PAGES.items():
            where[:] = [name]
            asked[name] = []
            page.goto(served + path, wait_until="networkidle")
        elsewhere = {
            name: [url for url in urls if not url.startswith((served, "data:", "blob:"))]
            for name, urls in asked.items()
        }
        assert elsewhere == {name: [] for name in PAGES}
        assert all(asked.values())  # the requests were seen
    finally:
        context.close()
