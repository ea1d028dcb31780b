"""The git processes of `staleness`, started with `os.posix_spawnp` where the system has it:
`subprocess` (with selectors and signal) was ~5 ms of a search's start-up before the first git
process could start (issue 13); elsewhere (Windows), `subprocess` as before."""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing and pathlib: ~5 ms of start-up before the git processes could start
    from pathlib import Path
    from typing import Any, TypeAlias

    Started: TypeAlias = list[Any]
    """The running processes: (pid, pipe) pairs, or `subprocess.Popen` objects without
    `os.posix_spawnp`."""


def spawn(commands: list[list[str]], root: Path | str) -> Started | None:
    """Start each command (git in `root`), its output in an anonymous file (a pipe where the
    system has none) and its errors discarded; None when one cannot start (those already
    started are waited for). A pipe holds 64 KB: `find` printing the 12,000 folders of 10,000
    agents (384 KB) stopped after a sixth of them until the search, busy with its imports and
    query, read it, and finished its ~30 ms of work after the query instead of beside it."""
    if not hasattr(os, "posix_spawnp"):
        return _popen(commands, root)
    started: Started = []
    for command in commands:
        read, write, in_file = _output()
        actions = [
            (os.POSIX_SPAWN_DUP2, write, 1),
            (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
        ]
        argv = command  # git is given its own cwd option; `env -C` is its own
        if command[0] == "git":
            argv = [command[0], "-C", os.fspath(root), *command[1:]]
        try:
            pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
        except OSError:
            os.close(read)
            finish(started)
            return None
        finally:
            if not in_file:
                os.close(write)
        started.append((pid, read, in_file))
    return started


def _output() -> tuple[int, int, bool]:
    """Where a child writes: an anonymous file in memory (Linux: `memfd_create`), read once the
    child has ended, so that it never waits for this process to read; else a pipe (not
    inherited: the child keeps only the copy on its stdout). (read, write, whether a file)"""
    try:
        made = os.memfd_create("output", os.MFD_CLOEXEC)
    except (AttributeError, OSError):
        read, write = os.pipe()
        return read, write, False
    return made, made, True


def finish(running: Started | None) -> list[str] | None:
    """The outputs of the processes; None when any failed (not a git checkout)."""
    if running is None:
        return None
    if running and not isinstance(running[0], tuple):
        return _communicate(running)
    outputs: list[str] = []
    failed = False
    for pid, output, in_file in running:
        chunks = []
        try:
            if in_file:  # complete once the child has ended
                _, status = os.waitpid(pid, 0)
                os.lseek(output, 0, os.SEEK_SET)
            while chunk := os.read(output, 1 << 16):
                chunks.append(chunk)
        finally:
            os.close(output)
        if not in_file:
            _, status = os.waitpid(pid, 0)
        failed = failed or os.waitstatus_to_exitcode(status) != 0
        outputs.append(b"".join(chunks).decode("utf-8", "surrogateescape"))
    return None if failed else outputs


def _popen(commands: list[list[str]], root: Path | str) -> Started | None:
    import subprocess

    started: Started = []
    try:
        for command in commands:
            stdout, stderr = subprocess.PIPE, subprocess.DEVNULL
            started.append(subprocess.Popen(command, cwd=root, stdout=stdout, stderr=stderr))
    except OSError:
        _communicate(started)
        return None
    return started


def _communicate(running: Started) -> list[str] | None:
    outputs = [(p.communicate()[0], p.returncode) for p in running]
    if any(code for _, code in outputs):
        return None
    return [out.decode("utf-8", "surrogateescape") for out, _ in outputs]
