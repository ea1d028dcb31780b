"""`catalog serve`: build, then serve with live reload, re-rendering as authors edit agents/."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

from generator.site.build import FAILURES, BuildCache, run
from generator.site.builder import serve_site, serve_url


def signature(root: Path) -> int:
    """A digest of the names, sizes and times of the files a rebuild depends on."""
    stats: list[tuple[str, int, int]] = []
    for folder, _, names in os.walk(root / "agents"):
        for name in names:
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except FileNotFoundError:  # removed while we looked
                continue
            stats.append((path, info.st_mtime_ns, info.st_size))
    for extra in (root / "moderation.yaml", root / "mkdocs.yml"):
        if extra.is_file():
            stats.append((str(extra), extra.stat().st_mtime_ns, 0))
    return hash(tuple(sorted(stats)))


def watch(root: Path, on_change: Callable[[], None], interval: float = 1.0) -> threading.Thread:
    """Call `on_change` after files under agents/ (or moderation.yaml) change; polls."""

    def loop() -> None:
        seen = signature(root)
        while True:
            time.sleep(interval)
            now = signature(root)
            if now != seen:
                time.sleep(interval / 2)  # let an editor finish its save (temp file, rename)
                seen = signature(root)
                on_change()

    thread = threading.Thread(target=loop, name="catalog-watch", daemon=True)
    thread.start()
    return thread


def _stop_on_terminate() -> None:
    """Treat SIGTERM (a service manager, `kill`, a test) like Ctrl-C, so mkdocs' clean-up runs
    and its temporary site folder (~7 MB per run, `mkdocs_*` in the temp dir) is removed."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def serve(root: Path, dev_addr: str, open_browser: bool, echo: Callable[[str], None]) -> None:
    """Build, then serve with live reload; agent edits re-render (only what changed)."""
    cache = BuildCache()
    built = run(root, None, cache=cache)
    echo(built.report_text())
    echo(built.summary())
    if built.generated is None or built.catalog is None:
        raise SystemExit(1)

    def rebuild() -> None:
        try:
            again = run(root, None, cache=cache)
        except FAILURES as err:  # keep serving the last good pages
            echo(f"error: {err}")
            return
        echo(again.report_text())
        echo(again.summary())

    watch(root, rebuild)
    _stop_on_terminate()
    echo(f"serving the catalog on {serve_url(dev_addr)} (open it in a browser; Ctrl-C stops)")
    try:
        serve_site(root, dev_addr, built.catalog.site.build_date, open_browser)
    except OSError as err:  # the address is taken or not ours: a user mistake, not a crash
        echo(
            f"error: cannot serve on {dev_addr}: {err.strerror or err}; "
            "stop the other server or pass --dev-addr 127.0.0.1:8001"
        )
        raise SystemExit(1) from None
