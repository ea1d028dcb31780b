"""Read agent files safely: one regular UTF-8 file under a size limit, a relative path kept
inside its folder, a folder's entries. Every refusal is a `SourceError` for the caller to word
as a problem; `load` re-exports these for its readers."""

from __future__ import annotations

import os
import stat
from operator import attrgetter
from pathlib import Path, PurePosixPath

from generator.checks.source import SourceError, short

_OPEN_REGULAR: int | None = (
    os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK | os.O_NOCTTY
    if hasattr(os, "O_NOFOLLOW")
    else None
)
"""How `read_text` opens a file it has not looked at: never through a link in the last step
(ELOOP), never waiting on a FIFO, never taking a terminal. None where the system has no
O_NOFOLLOW: every file is then looked at first (`read_checked`)."""


def read_text(path: Path | str, limit: int) -> str:
    """Read a regular file as UTF-8, refusing symlinks, non-files, big files and other encodings.

    Opened first, then asked what it is (open, fstat, read, close: ~7 us a file of a realistic
    agent) rather than looked at and then opened (`read_checked`: lstat, open, two fstat, lseek,
    two reads, close: ~11.5 us; ~0.13 s of CPU over the 30,000 files of 10,000 agents). What is
    not a regular file within `limit` read whole in one go (an open refused, a link, a folder, a
    FIFO, a socket, a size over, a file grown or shrunk meanwhile) is read again by
    `read_checked`, which refuses it with the words it always had. Only a device node (which
    git cannot commit) is opened before it is refused."""
    raw = _read_regular(path, limit)
    return read_checked(path, limit) if raw is None else _decoded(raw)


def _read_regular(path: Path | str, limit: int) -> bytes | None:
    """The bytes of a regular file of at most `limit` bytes, or None for anything else."""
    if _OPEN_REGULAR is None:
        return None
    try:
        fd = os.open(path, _OPEN_REGULAR)
    except (OSError, ValueError):  # missing, a link, a socket, unreadable, a NUL byte, too long
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        raw = os.read(fd, info.st_size + 1)  # a byte more than its size: growth is seen
    except OSError:
        return None
    finally:
        os.close(fd)
    return raw if len(raw) == info.st_size else None


def read_checked(path: Path | str, limit: int) -> str:
    """`read_text` looking before it opens: the reference the fast path falls back on."""
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise SourceError("file-missing", "file not found") from None
    except (OSError, ValueError) as err:  # a name too long for the file system, a NUL byte
        raise SourceError("file-missing", f"no file can have this name ({_reason(err)})") from None
    if stat.S_ISLNK(info.st_mode):
        raise SourceError(
            "symlink", "is a symbolic link", "commit the file itself; links are not followed"
        )
    if not stat.S_ISREG(info.st_mode):
        raise SourceError("file-type", "is not a regular file", "replace it with a regular file")
    if info.st_size > limit:
        raise SourceError(
            "file-too-large",
            f"is {info.st_size:,} bytes, over the {limit:,}-byte limit",
            "shorten it",
        )
    try:
        with open(path, "rb", buffering=0) as file:  # unbuffered: one read, no copy (~3 us)
            raw = file.readall()
    except OSError as err:
        raise SourceError(
            "file-type", f"cannot be read ({_reason(err)})", "commit a readable regular file"
        ) from None
    return _decoded(raw)


def _decoded(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise SourceError(
            "not-utf8",
            f"byte 0x{raw[err.start]:02x} is not valid UTF-8",
            "save the file as UTF-8",
            line,
            col,
        ) from None


def _reason(err: Exception) -> str:
    return err.strerror if isinstance(err, OSError) and err.strerror else str(err)


def inside(folder: Path, relative: str) -> Path:
    """Resolve `relative` under `folder`, refusing absolute paths and paths that leave it."""
    if _plain_name(relative):  # `character.json`: no parse, no folder between (~3 us)
        return folder / relative
    return inside_parsed(folder, relative)


def inside_parsed(folder: Path, relative: str) -> Path:
    """`inside` for any path: parsed, each folder between looked at (the plain name's reference)."""
    pure = PurePosixPath(relative)
    if "\0" in relative or any(len(part.encode("utf-8", "replace")) > 255 for part in pure.parts):
        raise SourceError(
            "file-missing",
            f"path {short(relative)} cannot name a file (a NUL byte, or a name over 255 bytes)",
            "use a file name inside the agent folder, e.g. character.json",
        )
    if pure.is_absolute() or "\\" in relative or (relative[1:2] == ":"):
        raise SourceError(
            "path-outside-agent",
            f"path {relative!r} is absolute",
            "use a file name inside the agent folder, e.g. character.json",
        )
    if ".." in pure.parts:
        raise SourceError(
            "path-outside-agent",
            f"path {relative!r} leaves the agent folder",
            "use a file name inside the agent folder, e.g. character.json",
        )
    parent = folder
    for part in pure.parts[:-1]:  # one step at a time: `a/a/a/...` costs one lstat per part
        parent = parent / part
        try:
            mode = parent.lstat().st_mode
        except OSError:
            break  # a missing folder: the file is reported missing when read
        if stat.S_ISLNK(mode):
            raise SourceError(
                "symlink", f"path {relative!r} goes through a symbolic link", "commit real folders"
            )
    return folder.joinpath(*pure.parts)


def _plain_name(relative: str) -> bool:
    """Whether `relative` is one file name that `inside` takes as it is: no separator, NUL,
    drive or dot name, and at most 63 characters (so at most 252 bytes in UTF-8)."""
    return (
        0 < len(relative) <= 63
        and relative not in (".", "..")
        and relative[1:2] != ":"
        and "/" not in relative
        and "\\" not in relative
        and "\0" not in relative
    )


def list_folder(folder: Path) -> list[os.DirEntry[str]]:
    """Entries of a folder, sorted by name."""
    with os.scandir(folder) as entries:
        return sorted(entries, key=_NAME)


_NAME = attrgetter("name")
