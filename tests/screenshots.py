"""The README's screenshots: build this repository's catalog, serve it under its subpath, and
shoot pages in real Chromium (Debian's, through Playwright) in both colour schemes and at phone
width.

    python tests/screenshots.py [--out DIR] [--all]

Writes catalog/assets/screenshots/*.png (`make screenshots`); `--all` also shoots every page in
both schemes at both widths, for a look before a release.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve

REPO = Path(__file__).resolve().parents[1]
PREFIX = "public-agents-catalog"
DESKTOP, PHONE = (1280, 860), (390, 844)


class Shot(NamedTuple):
    """One screenshot: a file name, a page of the site, a colour scheme and a viewport."""

    name: str
    path: str
    scheme: str = "light"
    size: tuple[int, int] = DESKTOP
    full: bool = False


README_SHOTS = (
    Shot("agent-page", "agents/harbor-labs/harbor-pilot/"),
    Shot("browse", "browse/", "dark"),
    Shot("delisted", "agents/claimdesk/eliza-airdrop-official/"),
    Shot("agent-phone-dark", "agents/harbor-labs/harbor-pilot/", "dark", PHONE),
    Shot("version-phone", "agents/harbor-labs/harbor-pilot/1.0.0/", "light", PHONE, full=True),
)
"""The images README.md shows (a test keeps the two lists the same)."""
PAGES = {
    "home": "",
    "browse": "browse/",
    "tags": "tags/",
    "owners": "owners/",
    "agent": "agents/harbor-labs/harbor-pilot/",
    "flagged": "agents/tinkerbench/weather-wren/",
    "version": "agents/harbor-labs/harbor-pilot/1.0.0/",
    "submit": "submit/",
    "missing": "agents/nobody/nothing/",
}


def every_shot() -> list[Shot]:
    """Every page above in both schemes, at desktop and phone width."""
    return [
        Shot(f"{name}-{scheme}-{'phone' if size == PHONE else 'desktop'}", path, scheme, size)
        for name, path in PAGES.items()
        for scheme in ("light", "dark")
        for size in (DESKTOP, PHONE)
    ]


def build(root: Path) -> Path:
    """`catalog build` of the checkout at `root`; returns the site folder."""
    from generator.site.build import run

    built = run(root, root / "site")
    if built.generated is None:
        sys.exit(built.report_text() + "\n" + built.summary())
    print(built.summary())
    return root / "site"


def shoot(site: Path, shots: list[Shot], out: Path) -> list[Path]:
    """Serve `site` under the subpath and take each shot into `out`."""
    from playwright.sync_api import sync_playwright

    base, server = serve(site, PREFIX)
    out.mkdir(parents=True, exist_ok=True)
    made = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for shot in shots:
                made.append(_take(browser, base, shot, out))
            browser.close()
    finally:
        server.shutdown()
    return made


def _take(browser: Any, base: str, shot: Shot, out: Path) -> Path:
    width, height = shot.size
    context = browser.new_context(
        viewport={"width": width, "height": height},
        color_scheme=shot.scheme,
        device_scale_factor=1,
        is_mobile=shot.size == PHONE,
        has_touch=shot.size == PHONE,
    )
    page = context.new_page()
    page.goto(base + shot.path)
    if shot.path.startswith("browse"):
        page.wait_for_selector("#pac-results li")
    page.wait_for_load_state("networkidle")
    path = out / f"{shot.name}.png"
    page.screenshot(path=str(path), full_page=shot.full)
    context.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "catalog/assets/screenshots")
    parser.add_argument("--all", action="store_true", help="every page, both schemes and widths")
    parser.add_argument("--no-build", action="store_true", help="shoot the site/ already built")
    args = parser.parse_args()
    site = REPO / "site" if args.no_build else build(REPO)
    shots = every_shot() if args.all else list(README_SHOTS)
    for path in shoot(site, shots, args.out):
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)


if __name__ == "__main__":
    main()
