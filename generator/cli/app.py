"""The console script: `catalog search` with a plain command line is answered before click is
imported (`quick`); every other command line goes to the click group, with every command module
registered on it. `main` is imported on first use, for in-process callers (the tests, docs).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing: ~2 ms of a search's start-up before its checks could start
    from types import ModuleType

    from generator.cli.base import main

__all__ = ["console", "main"]


def _registered() -> tuple[ModuleType, ...]:
    """The command modules, imported for their side effect: each registers its commands on
    `main`."""
    from generator.cli import author, registry, site

    return (author, registry, site)


def console() -> None:
    """The `catalog` console script (and `python -m generator`)."""
    if sys.argv[1:2] == ["search"]:
        from generator.cli.quick import search

        search(sys.argv[2:])  # exits, unless click must answer
    _registered()
    from generator.cli.base import console as run

    run()


def __getattr__(name: str) -> object:
    """`main`, the click group with every command, on first use."""
    if name == "main":
        _registered()
        from generator.cli import base

        return base.main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
