"""The `catalog` command line: each command parses options and calls one function."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from . import __version__
from .problems import FORMATS, render
from .validate import UsageError

ROOT_OPTION = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The catalog repository (the folder holding agents/).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="catalog")
def main() -> None:
    """Public Agents Catalog: validate, build and use the catalog of elizaOS agents."""


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--base", metavar="REV", help="Compare with this git revision (pull requests).")
@click.option("--author", metavar="LOGIN", help="With --base: the GitHub login making the change.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, github for workflow annotations, json for tools.")
@ROOT_OPTION
def validate(paths: tuple[str, ...], base: str | None, author: str | None, fmt: str,
             root: Path) -> None:
    """Check agents and print every problem with file, line, rule and fix.

    Checks every agent, or only those under PATHS. Exits 0 when valid, 1 on any error,
    2 when the command itself is used wrongly.
    """
    from .gitcheck import validate_change
    from .validate import discover, select, validate as run

    if author and not base:
        raise click.UsageError("--author needs --base")
    started = time.perf_counter()
    try:
        only = select(root, paths, discover(root)[0]) if paths else None
        report = validate_change(root, base, author, only) if base else run(root, only)
    except UsageError as err:
        raise click.UsageError(str(err)) from None
    click.echo(render(report.problems, report.checked, fmt))
    if fmt == "text":
        click.echo(f"checked in {time.perf_counter() - started:.2f} s", err=True)
    sys.exit(0 if report.ok else 1)


@main.command()
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of rewriting SOURCE.")
def migrate(source: Path, output: Path | None) -> None:
    """Convert an elizaOS 0.x character file to the 1.x schema.

    Merges lore into bio, renames `user` to `name` in messageExamples, drops or maps the removed
    keys (clients, modelProvider) and never carries a secret over. Prints every change.
    """
    from .load import SourceError
    from .migrate import MigrationError, migrate_file

    try:
        result = migrate_file(source, output)
    except (MigrationError, SourceError) as err:
        message = getattr(err, "message", None) or str(err)
        click.echo(f"{source}: error[migrate]: {message}", err=True)
        sys.exit(1)
    for note in result.notes:
        click.echo(f"- {note}")
    click.echo(f"wrote {output or source}")


@main.command()
@click.option("--check", is_flag=True, help="Only report whether the files are up to date.")
@ROOT_OPTION
def docs(check: bool, root: Path) -> None:
    """Regenerate the reference files made from code: JSON Schema, rules and CLI pages."""
    from .docs import write_reference

    stale = write_reference(root, check=check)
    for path in stale:
        click.echo(f"{'out of date' if check else 'wrote'}: {path}")
    if check and stale:
        click.echo("run: catalog docs", err=True)
        sys.exit(1)
