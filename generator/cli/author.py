"""Commands for authors and reviewers: validate, new, migrate, fork, verify, docs."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generator.checks.problems import FORMATS, UsageError, render
from generator.cli.base import ROOT_OPTION, _exit, main
from generator.deferred import deferred

if TYPE_CHECKING:
    from generator.checks.validate import Report

SELDOM_RUN = ("generator.checks.secrets", "requests")
"""What `validate` imports and seldom runs (`deferred`): the secret scanner, for agents whose
verdict is not in the store, and requests, which detect-secrets imports and never uses here."""


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--base", metavar="REV", help="Compare with this git revision (pull requests).")
@click.option("--author", metavar="LOGIN", help="With --base: the GitHub login making the change.")
@click.option(
    "--maintainer",
    is_flag=True,
    help="With --author: the author is a catalog maintainer, so changes outside agent folders "
    "are notices for review, not errors.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for people, github for workflow annotations, json for tools.",
)
@ROOT_OPTION
def validate(
    paths: tuple[str, ...],
    base: str | None,
    author: str | None,
    maintainer: bool,
    fmt: str,
    root: Path,
) -> None:
    """Check agents and print every problem with file, line, rule and fix.

    Checks every agent, or only those under PATHS (and their owners' records in owners/;
    cross-agent rules still compare them with every agent). Exits 0 when valid, 1 on any error,
    2 when the command itself is used wrongly.
    """
    if author and not base:
        raise click.UsageError("--author needs --base")
    if maintainer and not author:
        raise click.UsageError("--maintainer needs --author")
    started = time.perf_counter()
    # A whole validate runs the scanner in forked workers: loaded before they fork, once;
    # requests, which it never uses, not at all (~50 ms before the fork).
    seldom = SELDOM_RUN if paths or base else SELDOM_RUN[1:]
    from generator.parallel import collector_paused

    # Paused until the process ends: turned on again, the collector's first pass walked every
    # object the run made (~0.13 s at 10,000 agents) just before the console script's exit.
    with collector_paused():
        try:
            with deferred(*seldom):
                report, path = _validate(root, paths, base, author, maintainer)
        except UsageError as err:
            raise click.UsageError(str(err)) from None
        click.echo(render(report.problems, report.checked, fmt))
        if fmt == "text":
            click.echo(f"{path}checked in {time.perf_counter() - started:.2f} s", err=True)
        _exit(0 if report.ok else 1)


def _validate(
    root: Path, paths: tuple[str, ...], base: str | None, author: str | None, maintainer: bool
) -> tuple[Report, str]:
    """`validate`'s report, and with `base` the line saying which path of the gate judged it.
    Only what the command line asks for is imported: a one-agent check needs neither the
    gate's renderer (jinja2, markdown-it) nor GitPython (issue 13)."""
    from generator.checks.validate import select
    from generator.checks.validate import validate as run

    only = select(root, paths) if paths else None
    if not base:
        return run(root, only, every_record=only is None, lean=True), ""
    from generator.gate import FAILURES, judge

    try:
        verdict = judge(root, base, author, only, maintainer)
    except FAILURES as err:  # it loads as the build does: a shallow clone, a bad mkdocs.yml
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    return verdict.report, f"{verdict.line()}\n"


@main.command()
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the 1.x character to this file.",
)
@click.option("--in-place", is_flag=True, help="Rewrite SOURCE with the 1.x character.")
def migrate(source: Path, output: Path | None, in_place: bool) -> None:
    """Convert an elizaOS 0.x character file to the 1.x schema.

    Merges lore into bio, renames `user` to `name` in messageExamples, drops or maps the removed
    keys (clients, modelProvider) and never carries a secret over. Prints the 1.x character
    (and every change, on stderr); -o FILE writes it to FILE and --in-place rewrites SOURCE,
    which is never changed otherwise. In an agent folder:
    catalog migrate --in-place agents/OWNER/SLUG/character.json
    """
    from generator.checks.load import SourceError
    from generator.checks.migrate import MigrationError, migrate_source

    if output and in_place:
        raise click.UsageError("give -o FILE or --in-place, not both")
    try:
        result, text = migrate_source(source)
        dest = source if in_place else output
        if dest is not None:
            dest.write_text(text, encoding="utf-8")
    except (MigrationError, SourceError) as err:
        message = getattr(err, "message", None) or str(err)
        click.echo(f"{source}: error[migrate]: {message}", err=True)
        sys.exit(1)
    except OSError as err:
        click.echo(f"{dest}: error[migrate]: cannot write: {err.strerror or err}", err=True)
        sys.exit(1)
    for note in result.notes:
        click.echo(f"- {note}", err=dest is None)
    if dest is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {dest}")


@main.command()
@click.option("--check", is_flag=True, help="Only report whether the files are up to date.")
@ROOT_OPTION
def docs(check: bool, root: Path) -> None:
    """Regenerate the reference files made from code: JSON Schema, rules and CLI pages."""
    from generator.docs import write_reference

    stale = write_reference(root, main, check=check)
    for path in stale:
        click.echo(f"{'out of date' if check else 'wrote'}: {path}")
    if check and stale:
        click.echo("run: catalog docs", err=True)
        sys.exit(1)


@main.command()
@click.argument("agent", metavar="OWNER/SLUG[@VERSION]")
@click.argument("dest", required=False, type=click.Path(path_type=Path))
@click.option("--as", "new_ref", metavar="NEWOWNER/NEWSLUG", help="Who the fork belongs to.")
@click.option(
    "--repo",
    metavar="URL",
    help="Fetch from here when the clone lacks the commit [default: repo_url of mkdocs.yml].",
)
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="PROJECT",
    help="Put the character into this elizaOS project (a folder with package.json).",
)
@ROOT_OPTION
def fork(
    agent: str,
    dest: Path | None,
    new_ref: str | None,
    repo: str | None,
    into: Path | None,
    root: Path,
) -> None:
    """Copy an agent at a published version (default: latest) and make it a new agent.

    Reads only that folder at that version's commit from the local clone (fetching just that
    folder when the clone is shallow or partial), then rewrites owner and slug (--as),
    resets the version to 0.1.0, records forked_from and empties secrets. Writes
    agents/NEWOWNER/NEWSLUG/ (or DEST) and validates it; with --into, writes
    PROJECT/characters/SLUG.json and prints how to start it.
    """
    from generator.flows.fork import ForkRequest
    from generator.flows.fork import fork as run
    from generator.flows.new import UserError

    try:
        result = run(ForkRequest(agent, root, dest, new_ref, repo, into))
    except UserError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    click.echo("\n".join(result.lines))
    sys.exit(0 if result.ok else 1)


@main.command()
@click.argument("agent", metavar="OWNER/SLUG")
@click.option(
    "--character",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Import this elizaOS character (0.x is migrated to 1.x).",
)
@ROOT_OPTION
def new(agent: str, character: Path | None, root: Path) -> None:
    """Scaffold agents/OWNER/SLUG/ with a manifest, a character and a README that validate.

    Never overwrites a file: running it again changes nothing and says so.
    """
    from generator.flows.new import UserError, new_agent

    try:
        lines = new_agent(root, agent, character)
    except UserError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    click.echo("\n".join(lines))


@main.command()
@click.argument("method", type=click.Choice(["github-org", "well-known", "dns-txt"]))
@click.argument("login")
@click.argument("domain", required=False)
@click.option(
    "--answers",
    type=click.Path(exists=True, path_type=Path),
    help="Decide from recorded answers, not the network: a folder of org.json, admins.json, "
    "members.json (github-org), the file's body (well-known), one TXT record a line (dns-txt).",
)
@click.option(
    "--record",
    "date",
    type=click.DateTime(["%Y-%m-%d"]),
    help="When verified, write the proof with this date into owners/LOGIN.yaml.",
)
@ROOT_OPTION
def verify(
    method: str, login: str, domain: str | None, answers: Path | None, date: Any, root: Path
) -> None:
    """Confirm LOGIN's org and members on GitHub, or its DOMAIN (well-known file, DNS TXT);
    exits 0 when the proof holds, 1 when it does not (each reason printed)."""
    from generator.flows import verify as v

    try:
        found = v.owner_record(root, login)
        login = login.lower()
        if method == "github-org":
            api = v.load_api_dir(answers) if answers else v.fetch_api(login)
            decision = v.org_decision(login, found, *api)
        elif not domain:
            raise click.UsageError(f"{method} needs DOMAIN")
        elif method == "well-known":
            status, body = (200, answers.read_bytes()) if answers else v.fetch_well_known(domain)
            decision = v.well_known_decision(login, domain.lower(), status, body)
        else:
            txt = answers.read_text("utf-8").splitlines() if answers else v.fetch_txt(domain)
            decision = v.txt_decision(login, domain.lower(), txt)
    except v.VerifyError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    click.echo("\n".join(decision.lines(login)))
    if decision.ok and date is not None:
        click.echo(f"wrote {v.record(root, login, decision, date.date()).as_posix()}")
    sys.exit(0 if decision.ok else 1)
