"""`catalog registry-update`: refresh data/elizaos-plugin-registry/ from the registry's files."""

from __future__ import annotations

from pathlib import Path

import click

from generator.checks.problems import UsageError
from generator.cli.base import ROOT_OPTION, _exit, main

UNCHANGED = 3
"""Exit code for "the download matches the snapshot": registry-refresh.yml opens no pull request."""


@main.command("registry-update")
@click.argument("generated", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("index", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--commit",
    required=True,
    metavar="SHA",
    help="The elizaos-plugins/registry commit the files were downloaded from (40 hex digits).",
)
@click.option(
    "--allow-shrink",
    is_flag=True,
    help="Accept a download that lacks more than a tenth of the snapshot's plugins.",
)
@ROOT_OPTION
def registry_update(
    generated: Path, index: Path, commit: str, allow_shrink: bool, root: Path
) -> None:
    """Replace the plugin registry snapshot with GENERATED (generated-registry.json) and INDEX
    (index.json) downloaded from the registry, and print what changed in Markdown.

    Both files are checked first (JSON, the registry's shape, no sudden loss of plugins);
    nothing is written unless both pass. The summary names the catalog agents whose plugins
    changed status. Exits 0 when the snapshot was updated, 1 when a file is refused (the
    problems go to standard error), 2 on wrong usage, 3 when nothing changed.
    """
    from generator.flows.registry import prepare, write
    from generator.flows.registry_summary import summary

    try:
        update, problems = prepare(root, generated, index, commit, allow_shrink=allow_shrink)
    except UsageError as err:
        raise click.UsageError(str(err)) from None
    if update is None:
        for found in sorted(problems):
            click.echo(found.text(), err=True)
        click.echo("refused: the snapshot is unchanged", err=True)
        _exit(1)
    if update.changed:
        try:
            write(root, update)
        except UsageError as err:
            raise click.UsageError(str(err)) from None
    click.echo(summary(update), nl=False)
    _exit(0 if update.changed else UNCHANGED)
