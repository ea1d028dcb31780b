"""Commands that build, serve and search the catalog."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator.checks.problems import UsageError
from generator.cli.base import ROOT_OPTION, _exit, main

F = TypeVar("F", bound=Callable[..., Any])


def site_dir_option(text: str) -> Callable[[F], F]:
    """`--site-dir`, which `build` writes and `site-size` reads (ROOT/site when not given)."""
    kind = click.Path(file_okay=False, path_type=Path)
    return click.option("--site-dir", type=kind, help=f"{text}  [default: ROOT/site]")


@main.command()
@site_dir_option("Where the static site goes.")
@click.option(
    "--clean",
    is_flag=True,
    help="Forget the last build: re-render every agent and sweep stale generated files.",
)
@ROOT_OPTION
def build(site_dir: Path | None, clean: bool, root: Path) -> None:
    """Build the site: validate, render pages, API, feed and badges into catalog/, then site/.

    Writes only files whose content changed. Exits 1 with the validator's messages when any
    agent is invalid (nothing is dropped silently), and ends with a summary line.
    """
    from generator.site.freshness import check

    site_dir = site_dir or root / "site"
    proof = check(root, "catalog", site_dir, clean)  # before the heavy imports: ~0.1 s
    if proof.unchanged:
        click.echo(proof.stamp["report"])
        click.echo(proof.summary())
        _exit(0)
    from generator.site.build import FAILURES, run

    try:
        built = run(root, site_dir, clean, proof=proof)
    except FAILURES as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    click.echo(built.report_text())
    click.echo(built.summary())
    _exit(0 if built.ok else 1)


@main.command()
@click.option(
    "-a",
    "--dev-addr",
    default="127.0.0.1:8000",
    show_default=True,
    metavar="IP:PORT",
    help="Address to serve on.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a web browser.")
@ROOT_OPTION
def serve(dev_addr: str, open_browser: bool, root: Path) -> None:
    """Build the catalog and serve it with live reload while you edit agents/ (for authors).

    Prints the address to open (the site is served at its root, default
    http://127.0.0.1:8000/). Every change under agents/ or to moderation.yaml re-validates and
    re-renders what changed; the open page reloads. Stop with Ctrl-C.
    """
    from generator.site.build import FAILURES
    from generator.site.serve import serve as run

    try:
        run(root, dev_addr, open_browser, click.echo)
    except FAILURES as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)


@main.command()
@click.argument("query", required=False, default="")
@click.option("--tag", metavar="TAG", help="Only agents with this tag.")
@click.option(
    "--plugin",
    metavar="PLUGIN",
    help="Only agents using this plugin (discord, or @elizaos/plugin-discord).",
)
@click.option("--owner", metavar="LOGIN", help="Only agents of this owner.")
@click.option(
    "--limit",
    type=click.IntRange(1, 100),
    default=10,
    show_default=True,
    help="Show at most this many results.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document, for scripts.")
@ROOT_OPTION
def search(
    query: str,
    tag: str | None,
    plugin: str | None,
    owner: str | None,
    limit: int,
    as_json: bool,
    root: Path,
) -> None:
    """Search listed agents by name, tags, plugins, summary, description and character.

    Ranks name and tag matches first; a misspelt word (a typo, two swapped letters) matches
    its nearest indexed words and the output says which ("did you mean"). Without QUERY, lists
    the agents the filters select (catalog search --tag defi). The index is kept in
    ROOT/.cache/search/ and refreshed when agents change.
    """
    from generator.search.command import SearchError, run_search

    try:
        click.echo(run_search(root, query, tag, plugin, owner, limit, as_json))
    except UsageError as err:
        raise click.UsageError(str(err)) from None
    except SearchError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)


@main.command("site-size")
@site_dir_option("The built site.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, github for the deploy workflow (a warning near the limit and the "
    "job summary), json for tools.",
)
@ROOT_OPTION
def site_size(site_dir: Path | None, fmt: str, root: Path) -> None:
    """Measure the built site as GitHub Pages receives it: files, bytes and the tar.

    The tar is the one the Pages deploy uploads (links copied at each address); GitHub Pages
    supports sites up to 1 GB. Warns from 80% of that on: time to move to the object-storage
    deploy (catalog/deploy.md). Exits 1 when there is no built site.
    """
    from generator.site.size import measure

    site = site_dir or root / "site"
    try:
        size = measure(site)
    except (FileNotFoundError, NotADirectoryError):
        click.echo(f"error: no built site at {site}: run catalog build first", err=True)
        sys.exit(1)
    if fmt == "json":
        click.echo(size.json())
        return
    click.echo(size.text(str(site)))
    warning = size.warning()
    if fmt == "github":
        if warning:
            click.echo(f"::warning title=GitHub Pages size::{warning}")
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as out:
                out.write(size.summary())
    elif warning:
        click.echo(f"warning: {warning}", err=True)
