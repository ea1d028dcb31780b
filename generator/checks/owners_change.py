"""A pull request's owner records and moves, read from git for the permission rules.

`checks.change` calls `read_owners` and `read_moves` once per gate run: one `git ls-tree` and
one `git show` per record at the base, one `git diff -M` for the moves (renames of agent.yaml
into another folder, as the history reads them, so a transfer the gate allows is the move the
build will redirect).
"""

from __future__ import annotations

from pathlib import Path

import git

from generator.checks.load import MANIFEST
from generator.checks.owners import OWNERS, SUFFIX, OwnerRecord, parse_record, records
from generator.checks.paths import ABSENT, ChangedPath
from generator.checks.permissions import Owners, Ref, record_problems
from generator.checks.problems import Problem


def _prefix(repo: git.Repo, root: Path) -> str:
    top = Path(repo.working_tree_dir or ".").resolve()
    rel = root.resolve().relative_to(top).as_posix()
    return "" if rel == "." else rel + "/"


def read_owners(repo: git.Repo, root: Path, base: str) -> Owners:
    """Every valid owner record at `base` and in the working tree."""
    prefix = _prefix(repo, root)
    base_records: dict[str, OwnerRecord] = {}
    try:
        listing = repo.git.ls_tree("--name-only", "-z", base, "--", f"{prefix}{OWNERS}/")
    except git.GitCommandError:
        listing = ""
    for name in filter(None, listing.split("\0")):
        file = name.rsplit("/", 1)[-1]
        if not file.endswith(SUFFIX):
            continue
        try:
            text = repo.git.show(f"{base}:{name}")
        except git.GitCommandError:
            continue
        record = parse_record(text, name)[0]
        if record is not None:
            base_records[file.removesuffix(SUFFIX)] = record
    return Owners(base_records, records(root))


def read_moves(repo: git.Repo, root: Path, base: str) -> dict[Ref, Ref]:
    """New place -> old place of every agent whose agent.yaml git sees renamed to another
    folder between `base` and the working tree."""
    prefix = _prefix(repo, root)
    diff = repo.git.diff(
        "-M", "--name-status", "-z", "--no-relative", base, "--", f"{prefix}agents/"
    )
    fields = diff.split("\0")
    moves: dict[Ref, Ref] = {}
    i = 0
    while i < len(fields) - 1:
        status = fields[i]
        if status.startswith("R") and i + 2 < len(fields):
            old, new = (_agent(p.removeprefix(prefix)) for p in fields[i + 1 : i + 3])
            if old and new and old != new:
                moves[new] = old
            i += 3
        else:
            i += 2 if status[:1] not in "RC" else 3
    return moves


def _agent(path: str) -> Ref | None:
    parts = path.split("/")
    ok = len(parts) == 4 and parts[0] == "agents" and parts[3] == MANIFEST
    return (parts[1], parts[2]) if ok else None


def records_problems(
    paths: list[ChangedPath], owners: Owners, author: str, maintainer: bool
) -> list[Problem]:
    """The owner record rules for every record the pull request creates, changes or deletes."""
    found: list[Problem] = []
    for changed in paths:
        login = changed.path.split("/")[-1].removesuffix(SUFFIX)
        new = owners.head.get(login)
        if changed.owner_record and (new is not None or changed.new_mode == ABSENT):
            # A record that does not validate is owner-record-invalid already.
            old = owners.base.get(login)
            found.extend(record_problems(login, old, new, author.lower(), maintainer))
    return found
