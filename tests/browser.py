"""Real-browser fixtures: a built site served on localhost and Debian's Chromium driven by
Playwright (`executable_path`, since browser downloads are impossible here).

The fixtures are registered once in tests/conftest.py: one Playwright and one Chromium for the
whole session (a second live sync Playwright in one process is refused).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import tempfile
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags for a sandbox-less, offline, headless run as root (background services would try the
# network and be refused).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves files quietly; a missing file gets the site's 404.html, as GitHub Pages does."""

    def __init__(self, *args: Any, not_found: Path | None = None, **kwargs: Any) -> None:
        self.not_found = not_found
        super().__init__(*args, **kwargs)  # handles the request: set not_found before

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404 or self.not_found is None or not self.not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = self.not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve(directory: Path, prefix: str = "") -> tuple[str, http.server.ThreadingHTTPServer]:
    """Serve `directory` on a free localhost port; with `prefix`, under that subpath (as GitHub
    Pages serves a project site), its 404.html answering any missing path. Returns the base URL
    and the server."""
    root = directory
    if prefix:  # a temporary folder holding a link PREFIX -> directory (never inside a checkout)
        root = Path(tempfile.mkdtemp(prefix="site-served-"))
        target = root / prefix.strip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(directory.resolve(), target_is_directory=True)
    handler = functools.partial(_Quiet, directory=str(root), not_found=directory / "404.html")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if root != directory:  # the temporary folder goes with the server
        weakref.finalize(server, shutil.rmtree, root, True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    return base + (prefix.strip("/") + "/" if prefix else ""), server


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the session (fails, not skips, when Chromium is missing)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium (make test does)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Any]:
    """A fresh page; console errors are collected on `page.errors` for assertions."""
    context = chromium.new_context()
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()
