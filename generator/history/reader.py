"""The history stage: one pass over `git log` gives every agent's dates, versions, moves, removals.

Two git processes for the whole catalog, whatever its size: one `git log --raw` over agents/,
then one `git cat-file --batch` reading the manifest blobs (to see which version each state of a
folder holds) and the files of each published version. Never one git call per agent or file
(measured in DESIGN.md: per-file `git log` costs 200 s at 5,000 files, one pass 1.7 s).

A version is pinned to the LAST first-parent commit at which its folder holds it: the state
just before the next version, the folder's removal or HEAD. The gate lets no change to an agent
through without a higher version, so that state is the one the gate validated, whatever the
merge strategy (a merge commit, a squash commit, or a rebased pull request's last commit; the
gate refuses pull requests whose earlier commits would publish anything else, see
checks/commits.py). The first commit holding a version may be a rebased pull request's first
draft, which no check saw (issue 10).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from generator.gitio import batch_blobs
from generator.history.gitrun import HistoryError as HistoryError  # the stage's error
from generator.history.gitrun import _begin, _git, _run
from generator.history.gitrun import head_commit as head_commit
from generator.history.manifests import parse, read_version

MANIFEST = "agent.yaml"
Ref = str  # "owner/slug"
_LOG = ("log", "--first-parent", "--reverse", "--raw", "--no-abbrev", "-M", "--format=\x1e%H %ct")
_LAST_SECOND = 253_402_300_799
"""9999-12-31T23:59:59Z, the latest date a datetime holds (git accepts commits dated later)."""


@dataclass(frozen=True)
class Release:
    """The last state of an agent's folder holding one version: its commit and its files."""

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
class Skipped:
    """An agent.yaml of the past that cannot be read: the state it belongs to publishes no
    version."""

    commit: str
    date: datetime
    path: str
    """The manifest's path from the catalog's root, as it was at that commit."""
    reason: str
    """What is wrong with it, e.g. "is not valid YAML"."""


@dataclass(frozen=True)
class History:
    """Every agent's history, the departures, and the head commit with its date."""

    agents: dict[Ref, AgentHistory]
    departures: dict[Ref, Departure]
    head: str
    head_date: datetime | None
    top: Path | None = None
    """The repository's top folder, for `read_blobs`."""
    skipped: tuple[Skipped, ...] = ()
    """Old manifests that publish no version, by path and date."""
    manifests: dict[str, dict[str, object]] = field(default_factory=dict)
    """Blob id -> data of the manifests parsed to make sure they are YAML mappings: every
    release's but each present agent's latest (the HEAD state, which validation reads)."""


@dataclass
class _Touch:
    ref: Ref
    """The folder as it was named at this commit (a moved folder keeps its old touches)."""
    commit: str
    date: datetime
    blobs: dict[str, str]
    manifest_changed: bool


@dataclass
class _Folder:
    created: tuple[str, datetime]
    touches: list[_Touch] = field(default_factory=list)


def read_history(root: Path, every_file: bool = False, older: bool = False) -> History:
    """History of `root/agents` on the checked-out branch (first-parent: as the branch saw it).

    Releases carry their manifest; `every_file` reads their other files too (a build needs only
    the manifests of older versions: reading every file doubles the time at 10,000 agents);
    `older` reads the files but READMEs of every release before a folder's last, in the same
    batch (a build's version pages read those characters: one git process each otherwise,
    ~3,000 at 10,000 agents)."""
    begun = _begin(root)
    if begun is None:
        return History({}, {}, "", None)
    top, prefix, head, stamp = begun
    log = _git(top, *_LOG, "--", prefix + "agents")
    folders, departures = _walk(log, prefix)
    every, skipped, parsed = _releases(top, folders, departures.keys(), every_file, older)
    departures = _finish_departures(departures, every)
    agents = {ref: h for ref, h in every.items() if ref not in departures}
    return History(agents, departures, head, _date(stamp), top, skipped, parsed)


def _date(stamp: str) -> datetime:
    """A commit's date. A commit can claim any date (`GIT_COMMITTER_DATE=@99999999999999` is
    accepted, a hand-made commit may have none): those are clamped, never a crash."""
    seconds = int(stamp) if stamp.isdigit() else 0
    return datetime.fromtimestamp(min(seconds, _LAST_SECOND), UTC)


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
        # A folder that moved away first, so its new place continues its history.
        for ref, manifest_changed in sorted(touched.items(), key=lambda t: (t[0] not in moves, t)):
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
    folder.touches.append(_Touch(ref, commit, date, dict(files), manifest_changed))


def _commits(
    log: str, prefix: str
) -> Iterator[
    tuple[str, datetime, list[tuple[str, tuple[Ref, str] | None, tuple[Ref, str] | None, str]]]
]:
    for block in log.split("\x1e")[1:]:
        lines = block.splitlines()
        commit, _, stamp = lines[0].strip().partition(" ")
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


def _releases(
    top: Path,
    folders: dict[Ref, _Folder],
    departed: Iterable[Ref],
    every_file: bool,
    older: bool = False,
) -> tuple[dict[Ref, AgentHistory], tuple[Skipped, ...], dict[str, dict[str, object]]]:
    """Read the manifest blobs in one batch, pin each version to the last state holding it
    (and read the files of those states when asked); note the manifests that publish nothing."""
    manifests = read_blobs(top, {t.blobs[MANIFEST] for f in folders.values() for t in f.touches})
    pins = _Pins(manifests, frozenset(departed))
    chosen = {ref: pins.of(ref, folder) for ref, folder in folders.items()}
    every = {sha for picks in chosen.values() for _, t in picks for sha in t.blobs.values()}
    if not every_file and older:
        every = {
            sha
            for picks in chosen.values()
            for _, t in picks[:-1]
            for name, sha in t.blobs.items()
            if name != "README.md"
        }
    read = every_file or older
    contents = read_blobs(top, every - manifests.keys()) | manifests if read else manifests
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
            for v, t in chosen[ref]
        ]
        result[ref] = AgentHistory(
            ref, folder.created[1], folder.created[0], last.date, last.commit, releases
        )
    skipped = tuple(sorted(pins.skipped.values(), key=lambda s: (s.path, s.date, s.commit)))
    return result, skipped, pins.parsed


class _Pins:
    """Which state of a folder each version is pinned to, and the manifests that pin nothing."""

    def __init__(self, manifests: dict[str, bytes], departed: frozenset[Ref]) -> None:
        self.manifests = manifests
        self.departed = departed
        self.versions = {sha: read_version(manifests.get(sha)) for sha in manifests}
        self.parsed: dict[str, dict[str, object]] = {}
        self.unparsed: dict[str, str] = {}
        self.skipped: dict[tuple[str, str], Skipped] = {}

    def of(self, ref: Ref, folder: _Folder) -> list[tuple[str, _Touch]]:
        """(version, state) of each version the folder held, ordered by those states."""
        holders: dict[str, list[int]] = {}
        for i, touch in enumerate(folder.touches):
            version, reason = self.versions.get(touch.blobs[MANIFEST]) or read_version(None)
            if version:
                holders.setdefault(version, []).append(i)
            elif touch.manifest_changed:
                self._skip(touch, reason)
        head = len(folder.touches) - 1 if ref not in self.departed else -1
        picks = []
        for version, states in holders.items():
            i = next((i for i in reversed(states) if i == head or self._parses(folder, i)), -1)
            if i >= 0:
                picks.append((i, version))
        return [(version, folder.touches[i]) for i, version in sorted(picks)]

    def _parses(self, folder: _Folder, i: int) -> bool:
        """Whether that state's manifest is a YAML mapping. Only pinned states are parsed (~0.13
        ms each with libyaml), and not the HEAD state, which validation reads."""
        touch = folder.touches[i]
        sha = touch.blobs[MANIFEST]
        if sha not in self.parsed and sha not in self.unparsed:
            data, reason = parse(self.manifests[sha])
            if data is None:
                self.unparsed[sha] = reason
            else:
                self.parsed[sha] = data
        if sha in self.unparsed:
            self._skip(touch, self.unparsed[sha])
        return sha in self.parsed

    def _skip(self, touch: _Touch, reason: str) -> None:
        path = f"agents/{touch.ref}/{MANIFEST}"
        self.skipped.setdefault(
            (touch.commit, path), Skipped(touch.commit, touch.date, path, reason)
        )


def read_blobs(top: Path, shas: Iterable[str]) -> dict[str, bytes]:
    """Contents of many blobs through one `git cat-file --batch` process. Objects that are
    missing (a partial clone) or not blobs (a submodule's commit) are left out."""
    wanted = sorted(shas)
    if not wanted:
        return {}
    out = _run(top, ["cat-file", "--batch"], "".join(s + "\n" for s in wanted).encode())
    return batch_blobs(out, wanted)


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
