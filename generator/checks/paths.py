"""Every path a pull request changes, read from git's NUL-separated output, and the path rules.

The gate judges each changed path, not only agent folders: a root `.gitattributes` or a submodule
changes how git checks out and reads the files every other rule looks at, and a file outside
`agents/` (moderation.yaml, workflows, the generator) changes the catalog itself. git's `-z`
output carries names as raw bytes, so no name (non-ASCII, spaces, newlines, quotes) is quoted,
split or lost; `change` runs git and hands the bytes here.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.checks.problems import Problem
from generator.checks.rules import problem

GITLINK = "160000"
SYMLINK = "120000"
ABSENT = "000000"
KEPT_FILES = frozenset({".gitkeep"})
"""Files named .git* that git itself never reads (an empty folder's placeholder)."""
_WHY = {
    ".gitattributes": "git attributes change how files are checked out and read (filters, line "
    "endings, encodings, export-ignore)",
    ".gitmodules": "it declares git submodules, whose files no check ever sees",
}
_OTHER_WHY = "git reads it (ignore rules and the like), and an agent folder holds only agent files"


@dataclass(frozen=True, order=True)
class ChangedPath:
    """One path that differs from the base revision, with its git mode before and after."""

    path: str
    """POSIX path relative to the catalog root (`../` when outside it); undecodable bytes are
    kept as surrogates, so the name still opens the file."""
    old_mode: str
    """git mode at the base: 100644, 100755, 120000 (symlink), 160000 (gitlink), 000000 (none)."""
    new_mode: str
    """git mode now; 000000 when the pull request deletes the path."""

    @property
    def verb(self) -> str:
        if self.old_mode == ABSENT:
            return "adds"
        return "deletes" if self.new_mode == ABSENT else "changes"

    @property
    def agent(self) -> tuple[str, str] | None:
        """The agent folder `agents/<owner>/<slug>/` the path is in, if any (git lists files,
        so a path of three parts is a file, link or gitlink where a folder would be)."""
        parts = self.path.split("/")
        return (parts[1], parts[2]) if len(parts) >= 4 and parts[0] == "agents" else None

    @property
    def owner_record(self) -> bool:
        """`owners/<name>.yaml`: judged by the owner record rules (checks/permissions.py), which
        let an org's admins change it, not as a file outside agent folders."""
        parts = self.path.split("/")
        return len(parts) == 2 and parts[0] == "owners" and parts[1].endswith(".yaml")


def parse_raw(output: bytes) -> Iterator[tuple[str, str, bytes]]:
    """(old mode, new mode, path) for each entry of `git diff --raw -z` output."""
    fields = output.split(b"\0")
    i = 0
    while i + 1 < len(fields) and fields[i].startswith(b":"):
        meta = fields[i][1:].split()
        old_mode, new_mode, status = meta[0].decode(), meta[1].decode(), meta[4]
        paths = 2 if status[:1] in (b"R", b"C") else 1  # only with renames, which we turn off
        for name in fields[i + 1 : i + 1 + paths]:
            yield old_mode, new_mode, name
        i += 1 + paths


def untracked_modes(output: bytes, top: Path) -> Iterator[tuple[str, str, bytes]]:
    """(000000, mode, path) for each entry of `git ls-files -z --others`: the mode `git add`
    would record (a folder listed with a trailing slash holds a repository: a gitlink)."""
    for name in output.split(b"\0"):
        if not name:
            continue
        if name.endswith(b"/"):
            yield ABSENT, GITLINK, name.rstrip(b"/")
            continue
        try:
            mode = os.lstat(top / os.fsdecode(name)).st_mode
        except OSError:
            continue
        if stat.S_ISLNK(mode):
            yield ABSENT, SYMLINK, name
        else:
            yield ABSENT, "100755" if mode & stat.S_IXUSR else "100644", name


def changed_paths(
    entries: Iterable[tuple[str, str, bytes]], top: Path, root: Path
) -> list[ChangedPath]:
    """Each changed path once, relative to the catalog root; later entries win (the working
    tree's view over the index's)."""
    prefix = root.resolve().relative_to(top.resolve()).as_posix()
    found: dict[str, ChangedPath] = {}
    for old_mode, new_mode, raw in entries:
        name = raw.decode("utf-8", "surrogateescape")
        if prefix != ".":
            name = PurePosixPath(os.path.relpath(name, prefix)).as_posix()
        found[name] = ChangedPath(name, old_mode, new_mode)
    return sorted(found.values())


def path_problems(
    paths: Iterable[ChangedPath], author: str | None, maintainer: bool
) -> list[Problem]:
    """Git-level files, gitlinks and symlinks anywhere; with an author, every path outside
    agent folders and owner records (an error for authors, a notice asking for review for
    catalog maintainers)."""
    found: list[Problem] = []
    for changed in paths:
        refused = _git_level(changed)
        if refused:
            found.append(refused)
        elif author and changed.agent is None and not changed.owner_record:
            found.append(_outside(changed, author.lower(), maintainer))
    return found


def _git_level(changed: ChangedPath) -> Problem | None:
    name = changed.path.rsplit("/", 1)[-1]
    under_agents = changed.path.startswith("agents/")
    if name in _WHY or (under_agents and name.startswith(".git") and name not in KEPT_FILES):
        why = _WHY.get(name, _OTHER_WHY)
        return problem("git-file", changed.path, f"this pull request {changed.verb} {name}: {why}")
    if changed.new_mode == GITLINK:
        return problem(
            "gitlink",
            changed.path,
            "is a git submodule entry (gitlink): its files live in another repository, where "
            "no check sees them",
        )
    if changed.new_mode == SYMLINK:
        return problem("symlink", changed.path, "is a symbolic link")
    return None


def _outside(changed: ChangedPath, author: str, maintainer: bool) -> Problem:
    if maintainer:
        return problem(
            "needs-maintainer",
            changed.path,
            f"{author}, a catalog maintainer, {changed.verb} a file outside agent folders",
        )
    return problem(
        "path-not-allowed",
        changed.path,
        f"{author} {changed.verb} a file outside agent folders",
        f"change only your agents (agents/{author}/<slug>/ or agents you maintain); propose "
        "changes to the catalog itself in an issue",
    )
