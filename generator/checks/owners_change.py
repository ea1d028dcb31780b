"""A pull request's owner records and moves, read from git for the permission rules.

`checks.change` calls `read_owners` and `read_moves` once per gate run: one `git ls-tree` for
the records at the base, then a record is read when a rule asks for it (one `git show` at the
base, one file in the tree), one `git diff -M` for the moves (renames of agent.yaml into another
folder, as the history reads them, so a transfer the gate allows is the move the build will
redirect). Reading every record up front was ~8 s of a pull request at 10,000 agents (1,600
records, one `git show` each) for the two or three a change asks about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import git

from generator.checks.load import MANIFEST
from generator.checks.owners import (
    OWNERS,
    SUFFIX,
    OwnerRecord,
    owner_logins,
    parse_record,
    read_record,
)
from generator.checks.paths import ABSENT, ChangedPath
from generator.checks.permissions import Owners, Ref, record_problems
from generator.checks.problems import Problem


def _prefix(repo: git.Repo, root: Path) -> str:
    top = Path(repo.working_tree_dir or ".").resolve()
    rel = root.resolve().relative_to(top).as_posix()
    return "" if rel == "." else rel + "/"


class _Records(Mapping[str, OwnerRecord]):
    """Valid owner records by login, each read on first use (an invalid one is absent)."""

    def __init__(self, logins: dict[str, str], read: Callable[[str], OwnerRecord | None]) -> None:
        self._logins = logins  # login -> where to read it
        self._read = read
        self._records: dict[str, OwnerRecord | None] = {}

    def __getitem__(self, login: str) -> OwnerRecord:
        if login not in self._records:
            where = self._logins.get(login)
            self._records[login] = self._read(where) if where is not None else None
        record = self._records[login]
        if record is None:
            raise KeyError(login)
        return record

    def __iter__(self) -> Iterator[str]:
        return (login for login in sorted(self._logins) if login in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def read_owners(repo: git.Repo, root: Path, base: str) -> Owners:
    """The valid owner records at `base` and in the working tree, read as they are asked for."""
    prefix = _prefix(repo, root)
    try:
        listing = repo.git.ls_tree("--name-only", "-z", base, "--", f"{prefix}{OWNERS}/")
    except git.GitCommandError:
        listing = ""
    at_base = {
        name.rsplit("/", 1)[-1].removesuffix(SUFFIX): name
        for name in filter(None, listing.split("\0"))
        if name.endswith(SUFFIX)
    }

    def base_record(name: str) -> OwnerRecord | None:
        try:
            return parse_record(repo.git.show(f"{base}:{name}"), name)[0]
        except git.GitCommandError:
            return None

    now = {login: login for login in owner_logins(root)[0]}
    return Owners(_Records(at_base, base_record), _Records(now, lambda login: _record(root, login)))


def _record(root: Path, login: str) -> OwnerRecord | None:
    return read_record(root, login).record


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
