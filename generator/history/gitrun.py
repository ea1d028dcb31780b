"""Running git for the history stage: one error type, the calls, and where a read begins.

`_run` feeds git its input through a file and reads its output in one go; `_begin` finds the
repository, refuses a shallow clone and reads HEAD, for the whole history (`reader`) and a few
folders' (`slice`) alike.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path


class HistoryError(Exception):
    """The repository cannot give a trustworthy history (not a repository, shallow clone)."""


def head_commit(root: Path) -> str:
    """The checked-out commit, "" when there is none yet."""
    return _git(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).strip()


def _begin(root: Path) -> tuple[Path, str, str, str] | None:
    """The repository's top, the catalog's folder in it, HEAD and HEAD's commit time; None
    before the first commit. A shallow clone is refused: its dates and versions would be wrong.
    Two git calls (the gate's fast path reads a few folders' history, where each call counts)."""
    top, prefix, shallow = _repository(root)
    if shallow:
        raise HistoryError(
            "this clone is shallow, so dates and versions would be wrong; run `git fetch "
            "--unshallow` (in GitHub Actions: actions/checkout with fetch-depth: 0)"
        )
    found = _git(top, "log", "-1", "--format=%H %ct", check=False).strip()
    if not found:  # no commit yet, or a log that fails for another reason: say which
        if not _git(top, "rev-parse", "--verify", "--quiet", "HEAD", check=False).strip():
            return None
        found = _git(top, "log", "-1", "--format=%H %ct").strip()
    head, _, stamp = found.partition(" ")
    return top, prefix, head, stamp


def _repository(root: Path) -> tuple[Path, str, bool]:
    """The repository's top, the catalog's folder in it, and whether the clone is shallow."""
    try:
        found = _git(root, "rev-parse", "--show-toplevel", "--is-shallow-repository").split("\n")
    except HistoryError:
        raise HistoryError(
            f"{root} is not in a git repository; the catalog's dates and "
            "versions come from git (git init, then commit the agents)"
        ) from None
    top = Path(found[0].strip())
    rel = root.resolve().relative_to(top.resolve()).as_posix()
    return top, "" if rel == "." else rel + "/", found[1:2] == ["true"]


def _git(cwd: Path, *args: str, check: bool = True) -> str:
    return _run(cwd, args, b"", check).decode("utf-8", errors="replace")


def _run(cwd: Path, args: Iterable[str], stdin: bytes, check: bool = True) -> bytes:
    """Run git; its input goes through a file and errors to another, so the output is read in
    one go rather than through communicate()'s poll loop of 32 KB reads (~0.8 s for the log
    and blobs of 10,000 agents)."""
    with tempfile.TemporaryFile() as given, tempfile.TemporaryFile() as errors:
        given.write(stdin)
        given.seek(0)
        done = subprocess.run(
            ["git", *args], cwd=cwd, stdin=given, stdout=subprocess.PIPE, stderr=errors
        )
        if check and done.returncode:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()
            raise HistoryError(f"git {next(iter(args))} failed: {message}")
    return done.stdout
