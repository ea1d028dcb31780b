"""Whether `catalog search`'s index is stale: a full fingerprint of its inputs, and a stamp that
vouches for a fingerprint as long as nothing it watched has changed since (issue 13).

The fingerprint is HEAD plus the content of every input git does not vouch for: what `git status`
lists under agents/ and of the settings (changed, new, ignored) and the entries git was told not
to look at (assume-unchanged, skip-worktree). Outside git (where the catalog cannot be loaded
anyway) it is the size and times of every file. With the stamp it writes, a full check costs
~0.6 s of CPU at 10,000 agents (git status reads every folder, and so does the walk recording
them), so a search first asks the stamp, `CHECKED` (~0.1 s of CPU, most of it in processes
beside the query's imports):

- HEAD and the git index file are what they were (`git add`, commit and checkout rewrite the
  index file, so its inode and change time move);
- `git diff-files` (lstat of every tracked file against the stat data of the index, in C, with
  git's racy-git rule) names no file besides those the stamp watches itself;
- every folder under agents/ has the inode and change time it had (a file or folder added,
  removed or renamed anywhere changes its folder): GNU `find` reads the list of folders the
  stamp wrote (`FOLDERS`) and prints their inodes and change times, which must be the bytes the
  stamp holds (where `find` has no `-files0-from`, a forked child compares them in Python);
- every watched file (what git listed, what diff-files named, the settings) has the inode,
  size and times it had.

A change time cannot be set by hand, so an edit that keeps a file's size and modification time
still moves it. Like git's index, a time in the same clock tick as the check cannot vouch for
what happened after it: the stamp is written only when every time it records is older than a
file made at the start of the check, else the next search checks in full again (the index file
is the exception: git replaces it by renaming a new file over it, so a rewrite moves its inode).
What neither git nor this sees: a clock set back, and an edit in the tick in which `git add`
read the file (git's own racy window).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from generator.search.early import CACHE as _CACHE
from generator.search.early import CHECKED, DIFF, GIT, REV, start
from generator.search.folders import FOLDERS, fork, verdict
from generator.search.folders import record as _record
from generator.search.folders import same as _same_folders
from generator.search.processes import finish as _finish
from generator.search.processes import spawn as _spawn
from generator.search.version import SCHEMA_VERSION

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is ~3 ms of start-up before the git processes could start
    from typing import Any

    from generator.search.processes import Started

CACHE = Path(_CACHE)
"""The index and its stamps, under the catalog root."""

INPUTS = ("moderation.yaml", "mkdocs.yml")
"""The settings the index is built from, beside agents/."""
STAMP_VERSION = 3
"""3: the head on the first line says how the folders are checked; after it, what `find` prints
for them (`"folders": "find"`), or their paths and times as JSON for the forked check."""

_REV, _DIFF = REV, DIFF
_STATUS = [
    *(*GIT, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=matching"),
    *("--", "agents", *INPUTS),
]
"""Like any `git status`, it may refresh the stat data of the index (when the lock is free), so
that files touched but not changed are not named by diff-files afterwards: after 10,000
manifests were touched, one full check (~1 s of CPU) and the stamp watches none of them."""
_FLAGS = ["git", "ls-files", "-v", "-z", "--", "agents", *INPUTS]

FORK = False
"""Set by the console script's search (`cli.quick`), a process of its own: without `find`, the
folder check (~30 ms at 10,000 agents) runs in a forked child, beside the imports of the query,
so the two cores share the work; in-process callers (the tests' CLI runner, serve) check in
their process."""

Stat = list[int] | None
"""inode, size, modification and change times (ns) of a file; None when it is missing."""


class Staleness:
    """The checks of one search, their git processes started at construction so that they run
    beside the imports of the query (whoosh) in this process, or before it (`started`: what
    `early.start` gave for `root` and `cache`, in the console script)."""

    def __init__(
        self, root: Path, cache: Path, started: tuple[bool, Started | None] | None = None
    ) -> None:
        self.root = root
        self.cache = cache
        self.find, quick = started or start(root, cache)
        self.quick: Started | None = quick
        self.full: _Full | None = None if self.quick else _Full(root, cache)
        forked = self.quick and FORK and not self.find
        self.folders = fork(self._folders_checked) if forked else None

    def unchanged(self, fingerprint: str) -> bool:
        """Whether the stamp vouches that the inputs still have `fingerprint`."""
        running, self.quick = self.quick, None
        folders, self.folders = self.folders, None
        if running is None:
            return False
        outputs = _finish(running)
        folders_same = verdict(folders) if folders else None
        head, folders_part = _read_stamp(self.cache / CHECKED)
        stamp = _parse(head)
        if stamp.get("version") != STAMP_VERSION or stamp.get("fingerprint") != fingerprint:
            return False
        try:
            same = self._same_git(stamp, outputs) and self._same_files(stamp)
            if not same or outputs is None:
                return False
            if stamp["folders"] == "find":  # what find printed now, byte for byte as recorded
                return self.find and outputs[2] == folders_part.decode("utf-8", "surrogateescape")
            if folders_same is None:
                return self._same_dirs(_parse(folders_part))
            return folders_same
        except (OSError, LookupError, TypeError, ValueError):
            return False

    def _folders_checked(self) -> bool:
        """The folder check alone, from the stamp as it is now (a stamp replaced meanwhile by
        another search's is newer, so folders unchanged since this one are unchanged since it)."""
        return self._same_dirs(_parse(_read_stamp(self.cache / CHECKED)[1]))

    def _same_git(self, stamp: dict[str, Any], outputs: list[str] | None) -> bool:
        """HEAD and the index file as recorded, and git sees no change in a file not watched."""
        git: dict[str, Any] = stamp["git"]
        if outputs is None:
            return False
        rev, changed = outputs[:2]
        _, prefix, index, head = rev.split("\n")[:4]
        now = [head, index, _file_stat(self.root / index)]
        if now != [git["head"], git["index"], git["index_stat"]]:
            return False
        watched = stamp["files"]
        return all(p[len(prefix) :] in watched for p in changed.split("\0") if p)

    def _same_files(self, stamp: dict[str, Any]) -> bool:
        files: dict[str, Stat] = stamp["files"]
        return all(_file_stat(self.root / path) == known for path, known in files.items())

    def _same_dirs(self, stamp: dict[str, Any]) -> bool:
        return _same_folders(self.root, stamp["dirs"], stamp["dir_times"])

    def fingerprint(self) -> str:
        """The full fingerprint of the inputs (what the index would be built from)."""
        if self.full is None:
            _finish(self.quick)  # an unused quick check
            self.quick = None
            self.full = _Full(self.root, self.cache)
        return self.full.result()

    def record(self) -> None:
        """Write the stamp for the fingerprint just computed (none when a time it would record is
        not older than the check: the next search checks in full)."""
        if self.full is not None:
            self.full.record()


class _Full:
    """A full check: its reference time first, then git status beside the walk of agents/."""

    def __init__(self, root: Path, cache: Path) -> None:
        self.root = root
        self.cache = cache
        self.reference, self.device = _now(cache)
        self.running = _spawn([_REV, _STATUS, _FLAGS], root)
        self.files: dict[str, Stat] = {}
        self.dirs: list[str] = []
        self.dir_times: list[int] = []
        self.git: dict[str, Any] | None = None
        self.fingerprint = ""

    def result(self) -> str:
        if self.fingerprint:
            return self.fingerprint
        running = self.running or []
        first = _finish(running[:1]) if running else None  # a few ms: whether this is git
        self._walk("agents", files=first is None)
        rest = _finish(running[1:])
        # After status, which may have refreshed the index: the files it still names are watched.
        after = _finish(_spawn([_DIFF], self.root)) if rest is not None else None
        outputs = None
        if first is not None and rest is not None and after is not None:
            outputs = first + rest + after
        lines = [SCHEMA_VERSION]
        if outputs is None:  # outside git: every file, by its stat (content when racy)
            self.files = {p: s for p, s in self.files.items() if p.startswith("agents/")}
            for path in sorted(set(self.files) | set(INPUTS)):
                lines.append(self._line(path, self._watch(path), content=False))
        else:
            rev, status, flags, stat_dirty = outputs
            _, prefix, index, head = rev.split("\n")[:4]
            listed = _listed(status, flags, prefix)
            dirty = {p[len(prefix) :] for p in stat_dirty.split("\0") if p[len(prefix) :]}
            for path in sorted(listed | dirty | set(INPUTS)):
                if path in listed:
                    lines += self._content_lines(path)
                else:
                    self._watch(path)
            self.git = {"head": head, "index": index, "index_stat": _file_stat(self.root / index)}
            lines.insert(1, head)
        self.fingerprint = _sha256("\n".join(lines).encode())
        return self.fingerprint

    def _walk(self, folder: str, files: bool) -> None:
        """Every folder under agents/ (inode and change time) and, when asked, every file."""
        path = self.root / folder
        try:
            st = os.lstat(path)
            with os.scandir(path) as listing:
                entries = sorted((e.name, e.is_dir(follow_symlinks=False)) for e in listing)
        except OSError:
            return
        self.dirs.append(folder)
        self.dir_times += [st.st_ino, st.st_ctime_ns]
        for name, is_dir in entries:
            if is_dir:
                self._walk(f"{folder}/{name}", files)
            elif files:
                self.files[f"{folder}/{name}"] = _file_stat(path / name)

    def _watch(self, path: str) -> Stat:
        known = self.files[path] = _file_stat(self.root / path)
        return known

    def _line(self, path: str, known: Stat, content: bool) -> str:
        """A path and its stat, or its content when asked or when it changed in this tick."""
        if known is None:
            return f"{path}\0-"
        if content or known[3] >= self.reference:
            return f"{path}\0{_digest(self.root / path)}"
        return f"{path}\0" + "\0".join(map(str, known))

    def _content_lines(self, path: str) -> list[str]:
        """A path git listed, by content (a folder git lists as ignored: each file in it)."""
        full = self.root / path.rstrip("/")
        if full.is_symlink() or not full.is_dir():
            return [self._line(path, self._watch(path), content=True)]
        found: list[str] = []
        for folder, dirs, names in os.walk(full):
            dirs.sort()
            for name in sorted(names):
                rel = Path(folder, name).relative_to(self.root).as_posix()
                found.append(self._line(rel, self._watch(rel), content=True))
        return found

    def record(self) -> None:
        stamp_path = self.cache / CHECKED
        # Not the index file: git rewrites it as a new file (index.lock renamed over it), so
        # any rewrite after its stat was taken moves its inode.
        times = [s[3] for s in self.files.values() if s] + self.dir_times[1::2]
        if not (self.git and _trusted(self.root / "agents", self.device)):
            stamp_path.unlink(missing_ok=True)
            return
        if any(t >= self.reference for t in times):
            stamp_path.unlink(missing_ok=True)  # the next search checks in full
            return
        found = _record(self.cache / FOLDERS, self.root, self.dirs, self.dir_times)
        head = {
            "version": STAMP_VERSION,
            "fingerprint": self.fingerprint,
            "git": self.git,
            "files": self.files,
            "folders": "walk" if found is None else "find",
        }
        folders = {"dirs": self.dirs, "dir_times": self.dir_times}
        rest = json.dumps(folders, separators=(",", ":")) if found is None else found
        partial = stamp_path.with_suffix(".partial")
        text = json.dumps(head, separators=(",", ":")) + "\n" + rest
        partial.write_text(text, "utf-8", errors="surrogateescape")
        os.replace(partial, stamp_path)


def _listed(status: str, flags: str, prefix: str) -> set[str]:
    """The paths (from the catalog root) git status lists, renamed ones under both names, and
    the entries git does not look at (`ls-files -v`: lower-case tag or S)."""
    paths: set[str] = set()
    entries = iter(status.split("\0"))
    for entry in entries:
        paths.add(entry[3:])
        if entry[:1] in ("R", "C"):  # `XY new`, then the old path in the next entry
            paths.add(next(entries, ""))
    for entry in flags.split("\0"):
        if entry[:1].islower() or entry[:1] == "S":
            paths.add(entry[2:])
    paths.discard("")
    return {p[len(prefix) :] for p in paths if p.startswith(prefix)}


def _file_stat(path: Path) -> Stat:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _digest(path: Path) -> str:
    try:
        if path.is_symlink():
            return "link:" + os.readlink(path)
        return _sha256(path.read_bytes())
    except OSError:
        return "-"


def _sha256(data: bytes) -> str:
    import hashlib  # only for a full check: ~3 ms of start-up (OpenSSL)

    return hashlib.sha256(data).hexdigest()


def _now(cache: Path) -> tuple[int, int]:
    """The file system's time now, and its device: the times of a file made in the cache."""
    import tempfile

    try:
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=cache) as made:
            st = os.fstat(made.fileno())
    except OSError:
        return 0, -1
    return st.st_mtime_ns, st.st_dev


def _trusted(agents: Path, device: int) -> bool:
    """Whether change times vouch for agents/: on POSIX (Windows reports creation times), in a
    real folder (not a link, whose own times do not move with the folder it names), on the
    file system of the cache whose clock the check read."""
    try:
        st = os.lstat(agents)
    except OSError:
        return False
    return os.name == "posix" and stat.S_ISDIR(st.st_mode) and st.st_dev == device


def _read_stamp(path: Path) -> tuple[bytes, bytes]:
    """The stamp's head (what the git and file checks read), and what follows: the folders."""
    try:
        head, _, folders = path.read_bytes().partition(b"\n")
    except OSError:
        return b"", b""
    return head, folders


def _parse(line: bytes) -> dict[str, Any]:
    try:
        data = json.loads(line)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
