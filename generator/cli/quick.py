"""`catalog search` answered before click is imported (issue 13: click and the other commands'
modules are ~60 ms of a search's ~150 ms budget).

A plain command line (QUERY and the options of `site.search`, each at most once) is read here
and the search runs as the click command runs it, with the same output and exit codes. Anything
else returns to the console script, which gives the whole command line to click: help, a
mistake, a value starting with `-`, `--root` naming something that is not a readable folder, a
usage error of the search itself, and output click would change (escape codes it strips, an
ASCII terminal, Windows consoles).
"""

from __future__ import annotations

import codecs
import gc
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing: ~2 ms of start-up before the checks could start
    from pathlib import Path
    from typing import Any, TextIO

_VALUED = {
    "--tag": "tag",
    "--plugin": "plugin",
    "--owner": "owner",
    "--limit": "limit",
    "--root": "root",
}
"""The options of `site.search` that take a value, and their keys in `parse`'s answer."""


def parse(args: list[str]) -> dict[str, str] | None:
    """The options (`json` when --json was given) and `query` of a plain command line; None
    when click must read it."""
    found: dict[str, str] = {}
    words: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":  # the rest are words, whatever they start with
            words += rest
            break
        if not arg.startswith("-"):
            words.append(arg)
            continue
        name, equals, value = arg.partition("=")
        if name == "--json" and not equals:
            key, value = "json", ""
        elif name in _VALUED:
            key = _VALUED[name]
            if not equals:
                given = next(rest, None)
                if given is None or given.startswith("-"):
                    return None
                value = given
        else:
            return None
        if key in found:
            return None
        found[key] = value
    if len(words) > 1:
        return None
    found["query"] = words[0] if words else ""
    return found


def _limit(value: str) -> int | None:
    """--limit as click reads it (an integer from 1 to 100), else None."""
    try:
        limit = int(value)
    except ValueError:
        return None
    return limit if 1 <= limit <= 100 else None


def _root(value: str | None) -> str | None:
    """--root as click reads it (a folder path; a missing path passes), else None."""
    if value is None:
        path = _pathlib()
        from generator.cli.root import find_root

        return os.fspath(find_root(path.cwd()))
    try:
        is_dir = os.path.isdir(value) if os.path.exists(value) else None
    except (OSError, ValueError):
        return None
    if is_dir is None:
        return value
    return value if is_dir and os.access(value, os.R_OK) else None


def _pathlib() -> type[Path]:
    """`pathlib.Path`, imported without `urllib.parse` (with `ipaddress`, ~2 ms of a search's
    start-up), which pathlib needs only for `as_uri`: it is imported when first called."""
    from generator.deferred import deferred

    with deferred("urllib.parse", functions={"urllib.parse": ("quote_from_bytes",)}):
        from pathlib import Path
    return Path


def _plain(stream: TextIO, text: str) -> bool:
    """Whether click.echo would write `text` to `stream` unchanged: a text stream with an
    encoding other than ASCII, and no escape code for click to strip."""
    encoding = stream.encoding or "ascii"
    return "\x1b" not in text and codecs.lookup(encoding).name != "ascii"


def search(args: list[str]) -> None:
    """Answer `catalog search ARGS` and exit, or return when click must answer."""
    if os.name != "posix" or any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        return  # click's own consoles on Windows; shell completion
    options = parse(args)
    if options is None:
        return
    limit = _limit(options.get("limit", "10"))
    root = _root(options.get("root"))
    if limit is None or root is None:
        return
    started = _start(root)
    # No garbage collector while the search answers: its collections (generations 0 and 1,
    # 15-45 of them) were 7-12 ms of a search's CPU at 10,000 agents, to free ~440 objects in a
    # process that ends at once. A rebuild of the index turns it on again (`command._build`).
    gc.disable()
    try:
        _answer(root, options, limit, started)
    except KeyboardInterrupt:
        sys.stderr.write("\nAborted!\n")  # as click: a blank line after ^C, then the message
        sys.stderr.flush()
        os._exit(1)
    gc.enable()  # click answers


def _start(root: str) -> tuple[bool, Any] | None:
    """The stamp's checks, started before any other import of the search (`early`), so that
    git and `find` run beside all of them; None without agents/ (the search says so)."""
    if not os.path.isdir(os.path.join(root, "agents")):
        return None
    from generator.search.early import CACHE, start

    return start(root, os.path.join(root, CACHE))


def _answer(
    folder: str, options: dict[str, str], limit: int, begun: tuple[bool, Any] | None
) -> None:
    root = _pathlib()(folder)
    from generator.search import staleness

    staleness.FORK = True  # this process is the search's own: its checks may fork
    started = None if begun is None else staleness.Staleness(root, root / staleness.CACHE, begun)
    from generator.search.command import SearchError, run_search

    tag, plugin, owner = (options.get(k) for k in ("tag", "plugin", "owner"))
    as_json = "json" in options
    try:
        text = run_search(root, options["query"], tag, plugin, owner, limit, as_json, started)
    except SearchError as err:
        message = f"error: {err}"
        if not _plain(sys.stderr, message):
            return
        _write(sys.stderr, message, 1)
    except Exception as err:
        from generator.checks.problems import UsageError

        if isinstance(err, UsageError):
            return  # click prints the usage and the error, and exits 2
        raise
    if _plain(sys.stdout, text):
        _write(sys.stdout, text, 0)


def _write(stream: TextIO, text: str, code: int) -> None:
    """Write a line and end the process at once (as the console script's other commands do:
    the interpreter's teardown of whoosh's objects is time a search need not spend). A closed
    pipe ends it with 1 and nothing more, as click does."""
    try:
        stream.write(text + "\n")
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        os._exit(1)
    os._exit(code)
