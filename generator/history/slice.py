"""The history of a few agent folders, read as `reader.read_history` reads the whole catalog.

The pull-request gate's fast path needs the history of the agents a change touches only: one
`git log` limited to their folders, one `git cat-file --batch` for their manifests, so the cost
follows the change, not the catalog. The same replay (`reader._walk`) gives the same dates,
versions and departures, with one exception this module refuses to guess about: a folder that
git saw moved (an agent.yaml renamed from or to another folder) continues or hands over a
history that lies outside the limited log. When any touched folder was ever moved, `read_slice`
answers None and the caller reads the whole history.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator.history.gitrun import _begin, _git
from generator.history.reader import (
    _LOG,  # reader's own log: the same commits, the same diffs, the same replay
    MANIFEST,
    History,
    _commits,
    _date,
    _finish_departures,
    _releases,
    _walk,
)


def read_slice(root: Path, refs: Iterable[str]) -> History | None:
    """History of the folders `refs` ("owner/slug") on the checked-out branch; None when one of
    them was ever moved in or out (read the whole history then)."""
    begun = _begin(root)
    if begun is None:
        return History({}, {}, "", None)
    top, prefix, head, stamp = begun
    wanted = sorted(set(refs))
    if not wanted:
        return History({}, {}, head, _date(stamp), top)
    specs = [f":(literal){prefix}agents/{ref}" for ref in wanted]
    log = _git(top, *_LOG, "--", *specs)
    if _moved(top, log, prefix, set(wanted)):
        return None
    folders, departures = _walk(log, prefix)
    every, skipped, parsed = _releases(top, folders, departures.keys(), False)
    departures = _finish_departures(departures, every)
    agents = {ref: h for ref, h in every.items() if ref not in departures}
    return History(agents, departures, head, _date(stamp), top, skipped, parsed)


def _moved(top: Path, log: str, prefix: str, wanted: set[str]) -> bool:
    """Whether, in the commits where a wanted folder's agent.yaml appeared or went, the whole
    log of agents/ (as `read_history` reads it) pairs it with another folder's agent.yaml."""
    commits = sorted(
        {
            commit
            for commit, _, changes in _commits(log, prefix)
            for status, old, new, _ in changes
            if status[0] in "ADR" and any(f and f[1] == MANIFEST for f in (old, new))
        }
    )
    if not commits:
        return False
    options = ("--no-walk=unsorted", "--first-parent", "--raw", "--no-abbrev", "-M")
    whole = _git(top, "log", *options, "--format=\x1e%H %ct", *commits, "--", prefix + "agents")
    for _, _, changes in _commits(whole, prefix):
        for status, old, new, _ in changes:
            if status[0] != "R" or not old or not new or old[0] == new[0]:
                continue
            if old[1] == new[1] == MANIFEST and (old[0] in wanted or new[0] in wanted):
                return True
    return False
