"""The folder half of `catalog search`'s stamp (`staleness`): every folder under agents/ must
have the inode and change time it had, since adding, removing or renaming anything changes its
folder. GNU `find` reads the stamp's list of folders and prints them, and the search compares
the bytes; without it (findutils < 4.9, BSD), a forked child compares them in Python.
"""

from __future__ import annotations

import os

from generator.search.processes import finish, spawn

TYPE_CHECKING = False
if TYPE_CHECKING:  # imported by the search's first step (`early`), before pathlib is needed
    from collections.abc import Callable
    from pathlib import Path

FOLDERS = "FOLDERS"
"""The folders under agents/ the stamp vouches for, for `find`: NUL-terminated paths from the
catalog root."""

_PRINT = ["-maxdepth", "0", "-printf", "%i %C@\\n"]
"""What `find` prints of each folder it is given, in the order given: inode and change time. At
10,000 agents (12,000 folders) ~30 ms of CPU, as much as Python's lstat of them, but without the
fork (~9 ms of CPU, the pages it copies) and the JSON of the folders (~4 ms) of the Python check.
The paths are relative to the catalog (`env -C`): absolute ones cost ~4 ms more to look up."""


def find_command(root: Path | str, listing: Path | str) -> list[str]:
    """`find` printing each folder named in `listing` (not its contents), from `root`."""
    where = ["env", "-C", os.path.abspath(root)]
    return [*where, "find", "-files0-from", os.path.abspath(listing), *_PRINT]


def record(listing: Path, root: Path, dirs: list[str], times: list[int]) -> str | None:
    """Write the list of `dirs` and return what `find` prints of them, when it shows each with
    the inode and change time the walk recorded (`times`); else None, and no list."""
    partial = listing.with_suffix(".partial")
    partial.write_text("".join(f"{d}\0" for d in dirs), "utf-8", errors="surrogateescape")
    os.replace(partial, listing)
    outputs = finish(spawn([find_command(root, listing)], root))  # None: find failed
    printed = outputs[0] if outputs else ""
    lines = printed.split("\n")
    if lines.pop() != "" or [_entry(line) for line in lines] != _pairs(times):
        listing.unlink(missing_ok=True)
        return None
    return printed


def _pairs(times: list[int]) -> list[tuple[int, int] | None]:
    return list(zip(times[0::2], times[1::2], strict=True))


def _entry(line: str) -> tuple[int, int] | None:
    """A folder as `find` printed it: inode and change time in ns (None: not read exactly, a
    time with more digits than nanoseconds or before 1970)."""
    inode, _, changed = line.partition(" ")
    seconds, _, fraction = changed.partition(".")
    if not (inode.isdigit() and seconds.isdigit() and fraction.isdigit()):
        return None
    if fraction[9:].strip("0"):
        return None
    return int(inode), int(seconds) * 10**9 + int(fraction[:9].ljust(9, "0"))


def same(root: Path, dirs: list[str], times: list[int]) -> bool:
    """Every folder as recorded, in Python: 12,000 lstat calls at 10,000 agents, ~30 ms."""
    base = os.fspath(root)
    prefix = "" if base == "." else base + os.sep
    lstat = os.lstat
    for path, inode, changed in zip(dirs, times[0::2], times[1::2], strict=True):
        st = lstat(prefix + path)
        if st.st_ctime_ns != changed or st.st_ino != inode:
            return False
    return True


def fork(check: Callable[[], bool]) -> tuple[int, int] | None:
    """Run `check` in a forked child, its answer one byte on a pipe; None without fork."""
    try:
        read, write = os.pipe()
        pid = os.fork()
    except (AttributeError, OSError):
        return None
    if pid == 0:  # the child: answer, then end at once (no teardown, no buffers flushed)
        answer = b"0"  # also when the check fails: "changed"
        try:
            os.close(read)
            answer = b"1" if check() else b"0"
        finally:
            os.write(write, answer)
            os._exit(0)
    os.close(write)
    return pid, read


def verdict(child: tuple[int, int]) -> bool:
    """The answer of a forked check (its process waited for)."""
    pid, read = child
    with os.fdopen(read, "rb") as pipe:
        answer = pipe.read()
    os.waitpid(pid, 0)
    return answer == b"1"
