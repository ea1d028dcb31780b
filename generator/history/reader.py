"""The history stage: one pass over `git log` gives every agent's dates, versions, moves, removals.

Two git processes for the whole catalog, whatever its size: one `git log --raw` over agents/,
then one `git cat-file --batch` reading the manifest blobs (to see where each version value first
appeared) and the files of each published version. Never one git call per agent or file
(measured in DESIGN.md: per-file `git log` costs 200 s at 5,000 files, one pass 1.7 s).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

MANIFEST = "agent.yaml"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Ref = str  # "owner/slug"
# `version: 1.2.3`, optionally quoted, optionally followed by a comment; semver characters only.
_VERSION_LINE = re.compile(
    rb"""^version:[ \t]*(["']?)([0-9A-Za-z.+-]+)\1[ \t]*(?:#.*)?\r?$""", re.MULTILINE
)


class HistoryError(Exception):
    """The repository cannot give a trustworthy history (not a repository, shallow clone)."""


@dataclass(frozen=True)
class Release:
    """Where one version value first appeared, and the agent's files at that commit."""

    version: str
    commit: str
    date: datetime
    blobs: dict[str, str]
    """File name (agent.yaml, character.json, README.md...) -> blob id at that commit."""
    files: dict[str, bytes]
    """File name -> content at that commit, for the files read: agent.yaml always (it was read
    to find the version), every file with `read_history(root, every_file=True)`; the others
    through `read_blobs`."""


@dataclass
class AgentHistory:
    """What git says about one agent folder."""

    ref: Ref
    created: datetime
    created_commit: str
    updated: datetime
    updated_commit: str
    releases: list[Release] = field(default_factory=list)


@dataclass(frozen=True)
class Departure:
    """An agent folder that left: removed (moved_to None) or moved to another owner/slug."""

    ref: Ref
    date: datetime
    commit: str
    last_version: str | None
    moved_to: Ref | None
    versions: tuple[str, ...]


@dataclass(frozen=True)
class History:
    """Every agent's history, the departures, and the head commit with its date."""

    agents: dict[Ref, AgentHistory]
    departures: dict[Ref, Departure]
    head: str
    head_date: datetime | None
    top: Path | None = None
    """The repository's top folder, for `read_blobs`."""


@dataclass
class _Touch:
    commit: str
    date: datetime
    blobs: dict[str, str]
    manifest_changed: bool


@dataclass
class _Folder:
    created: tuple[str, datetime]
    touches: list[_Touch] = field(default_factory=list)


def read_history(root: Path, every_file: bool = False) -> History:
    """History of `root/agents` on the checked-out branch (first-parent: as the branch saw it).

    Releases carry their manifest; `every_file` reads their other files too (a build needs only
    the manifests of older versions: reading every file doubles the time at 10,000 agents)."""
    top, prefix = _repository(root)
    if _git(top, "rev-parse", "--is-shallow-repository").strip() == "true":
        raise HistoryError(
            "this clone is shallow, so dates and versions would be wrong; run `git fetch "
            "--unshallow` (in GitHub Actions: actions/checkout with fetch-depth: 0)"
        )
    if not _git(top, "rev-parse", "--verify", "--quiet", "HEAD", check=False).strip():
        return History({}, {}, "", None)
    head, stamp = _git(top, "log", "-1", "--format=%H %ct").split()
    log = _git(
        top,
        "log",
        "--first-parent",
        "--reverse",
        "--raw",
        "--no-abbrev",
        "-M",
        "--format=\x1e%H %ct",
        "--",
        prefix + "agents",
    )
    folders, departures = _walk(log, prefix)
    every = _releases(top, folders, every_file)
    departures = _finish_departures(departures, every)
    agents = {ref: h for ref, h in every.items() if ref not in departures}
    return History(agents, departures, head, _date(stamp), top)


def head_commit(root: Path) -> str:
    """The checked-out commit, "" when there is none yet."""
    return _git(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).strip()


def _repository(root: Path) -> tuple[Path, str]:
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    except HistoryError:
        raise HistoryError(
            f"{root} is not in a git repository; the catalog's dates and "
            "versions come from git (git init, then commit the agents)"
        ) from None
    rel = root.resolve().relative_to(top.resolve()).as_posix()
    return top, "" if rel == "." else rel + "/"


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


def _date(stamp: str) -> datetime:
    return datetime.fromtimestamp(int(stamp), UTC)


def _agent_file(path: str, prefix: str) -> tuple[Ref, str] | None:
    """`agents/o/s/file` -> ("o/s", "file"); None for anything else."""
    parts = path.removeprefix(prefix).split("/")
    if len(parts) != 4 or parts[0] != "agents" or path.startswith('"'):
        return None
    return f"{parts[1]}/{parts[2]}", parts[3]


def _walk(log: str, prefix: str) -> tuple[dict[Ref, _Folder], dict[Ref, Departure]]:
    """Replay the log, oldest first, tracking each folder's files, moves and removals.

    Departed folders stay in the result under their old ref (with `departures` saying so), so
    their versions are known for tombstones; a moved folder continues under its new ref.
    """
    blobs: dict[Ref, dict[str, str]] = {}
    folders: dict[Ref, _Folder] = {}
    departures: dict[Ref, Departure] = {}
    for commit, date, changes in _commits(log, prefix):
        touched: dict[Ref, bool] = {}
        moves: dict[Ref, Ref] = {}
        for status, old, new, sha in changes:
            if status[0] in "RD" and old:
                blobs.setdefault(old[0], {}).pop(old[1], None)
                touched[old[0]] = touched.get(old[0], False) or old[1] == MANIFEST
            if status[0] != "D" and new:
                blobs.setdefault(new[0], {})[new[1]] = sha
                touched[new[0]] = touched.get(new[0], False) or new[1] == MANIFEST
            if (
                status[0] == "R"
                and old
                and new
                and old[1] == new[1] == MANIFEST
                and old[0] != new[0]
            ):
                moves[old[0]] = new[0]
        for ref, manifest_changed in sorted(touched.items()):
            _record(ref, manifest_changed, commit, date, blobs, folders, departures, moves)
    return folders, departures


def _record(
    ref: Ref,
    manifest_changed: bool,
    commit: str,
    date: datetime,
    blobs: dict[Ref, dict[str, str]],
    folders: dict[Ref, _Folder],
    departures: dict[Ref, Departure],
    moves: dict[Ref, Ref],
) -> None:
    files = blobs.get(ref, {})
    if MANIFEST not in files:
        if ref in folders and ref not in departures:  # lost its manifest: removed or moved
            departures[ref] = Departure(ref, date, commit, None, moves.get(ref), ())
            if ref in moves:
                moved = folders[ref]
                folders[moves[ref]] = _Folder(moved.created, list(moved.touches))
        return
    folder = folders.get(ref)
    if folder is None or ref in departures:  # new, or back after leaving: a new history
        departures.pop(ref, None)
        folder = folders[ref] = _Folder((commit, date))
    folder.touches.append(_Touch(commit, date, dict(files), manifest_changed))


def _commits(
    log: str, prefix: str
) -> Iterator[
    tuple[str, datetime, list[tuple[str, tuple[Ref, str] | None, tuple[Ref, str] | None, str]]]
]:
    for block in log.split("\x1e")[1:]:
        lines = block.splitlines()
        commit, stamp = lines[0].split()
        changes = []
        for line in lines[1:]:
            if not line.startswith(":"):
                continue
            meta, *paths = line.split("\t")
            _, _, _, sha, status = meta[1:].split()
            old = _agent_file(paths[0], prefix)
            new = _agent_file(paths[-1], prefix) if len(paths) > 1 else old
            changes.append((status, old, new, sha))
        yield commit, _date(stamp), changes


def _releases(top: Path, folders: dict[Ref, _Folder], every_file: bool) -> dict[Ref, AgentHistory]:
    """Read manifest blobs in one batch, find where each version first appeared (and read the
    files of those commits when asked)."""
    manifests = read_blobs(
        top, {t.blobs[MANIFEST] for f in folders.values() for t in f.touches if t.manifest_changed}
    )
    chosen: dict[Ref, list[tuple[str, _Touch]]] = {}
    for ref, folder in folders.items():
        seen: set[str] = set()
        for touch in folder.touches:
            version = _version(manifests.get(touch.blobs[MANIFEST], b""))
            if version and version not in seen:
                seen.add(version)
                chosen.setdefault(ref, []).append((version, touch))
    every = {sha for picks in chosen.values() for _, t in picks for sha in t.blobs.values()}
    contents = read_blobs(top, every - manifests.keys()) | manifests if every_file else manifests
    result: dict[Ref, AgentHistory] = {}
    for ref, folder in sorted(folders.items()):
        last = folder.touches[-1]
        releases = [
            Release(
                v,
                t.commit,
                t.date,
                dict(sorted(t.blobs.items())),
                {n: contents[s] for n, s in sorted(t.blobs.items()) if s in contents},
            )
            for v, t in chosen.get(ref, [])
        ]
        result[ref] = AgentHistory(
            ref, folder.created[1], folder.created[0], last.date, last.commit, releases
        )
    return result


def _version(text: bytes) -> str | None:
    """The manifest's version. A top-level `version:` line is read directly (it is 30x faster
    than parsing 50,000 historical manifests); anything unusual falls back to the YAML parser."""
    match = _VERSION_LINE.search(text)
    plain_number = (
        match and not match.group(1) and re.fullmatch(rb"[0-9]+(\.[0-9]+)?", match.group(2))
    )
    if match and not plain_number and _VERSION_LINE.search(text, match.end()) is None:
        return match.group(2).decode()
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError:
        return None
    version = data.get("version") if isinstance(data, dict) else None
    return version if isinstance(version, str) else None


def read_blobs(top: Path, shas: Iterable[str]) -> dict[str, bytes]:
    """Contents of many blobs through one `git cat-file --batch` process."""
    wanted = sorted(shas)
    if not wanted:
        return {}
    out = _run(top, ["cat-file", "--batch"], "".join(s + "\n" for s in wanted).encode())
    pos, result = 0, {}
    for sha in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        if len(header) < 3:  # "<sha> missing"
            pos = end + 1
            continue
        size = int(header[2])
        result[sha] = out[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1
    return result


def _finish_departures(
    departures: dict[Ref, Departure], agents: dict[Ref, AgentHistory]
) -> dict[Ref, Departure]:
    """Follow chains of moves to the agent's final place; note each departed agent's versions."""
    result = {}
    for ref, gone in departures.items():
        target, hops = gone.moved_to, 0
        while target and target in departures and hops < 100:
            target, hops = departures[target].moved_to, hops + 1
        versions = tuple(r.version for r in agents[ref].releases)
        result[ref] = Departure(
            ref, gone.date, gone.commit, versions[-1] if versions else None, target, versions
        )
    return result
