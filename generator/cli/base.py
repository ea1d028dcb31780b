"""What every command shares: the click group, the --root option and a fast exit."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from generator import __version__
from generator.cli.root import find_root

ROOT_OPTION = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    callback=lambda ctx, param, value: find_root(Path.cwd()) if value is None else value,
    help="The catalog repository [default: the nearest folder, from here up, holding agents/ "
    "and mkdocs.yml; else this folder].",
)


_FAST_EXIT = False
"""Set by the console script: a finished build or validation ends the process at once."""


def console() -> None:
    """The `catalog` console script (and `python -m generator`): `main`, whose build and
    validate commands then exit without tearing down the catalog they loaded."""
    global _FAST_EXIT
    _FAST_EXIT = True
    main()


def _exit(code: int) -> NoReturn:
    """Exit with `code`. From the console script, skip the interpreter's teardown: freeing the
    ~1 million objects of a 10,000-agent catalog one by one takes ~2 s, and the operating system
    reclaims the memory at once (mypy ends the same way). In-process callers (the tests' CLI
    runner) get the usual SystemExit."""
    if _FAST_EXIT:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="catalog")
def main() -> None:
    """Public Agents Catalog: validate, build and use the catalog of elizaOS agents."""
