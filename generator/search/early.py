"""The quick checks of `catalog search`'s stamp (`staleness`), started first thing in a search's
process: `git diff-files` and `find` are ~115 ms of CPU at 10,000 agents beside the ~90 ms of
the search's own start-up, imports and query (issue 13), so the sooner they start, the sooner
both cores share the work (the first starts ~17 ms after the process, was 27-31 ms). This
module imports nothing but `os` (pathlib, json and typing are ~6 ms of start-up), so that the
console script can start them before its other imports.
"""

from __future__ import annotations

import os

from generator.search.folders import FOLDERS, find_command
from generator.search.processes import spawn

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from generator.search.processes import Started

CACHE = os.path.join(".cache", "search")
"""The index and its stamps, under the catalog root."""
CHECKED = "CHECKED"
"""The stamp, in the index's folder: without it, a search checks in full (`staleness._Full`)."""

GIT = ["git", "-c", "core.checkStat=default", "-c", "core.trustctime=true"]
"""Git compares every stat field it records, whatever the repository's settings say."""
REV = ["git", "rev-parse", "--show-toplevel", "--show-prefix", "--git-path", "index", "HEAD"]
DIFF = [*GIT, "diff-files", "--name-only", "-z", "--", "agents"]


def start(root: Path | str, cache: Path | str) -> tuple[bool, Started | None]:
    """Start the stamp's checks of `root` (its index in `cache`): whether `find` checks the
    folders, and the processes, whose outputs `finish` gives as [rev-parse, diff-files, find]
    (None: no stamp to check, or git cannot start). The longest, diff-files, starts first (each
    start holds this process ~1-3 ms, as `posix_spawnp` waits for the exec)."""
    if not os.path.isfile(os.path.join(cache, CHECKED)):
        return False, None
    listing = os.path.join(cache, FOLDERS)
    find = os.path.isfile(listing)
    commands = [DIFF, *([find_command(root, listing)] if find else []), REV]
    running = spawn(commands, root)
    return find, None if running is None else running[-1:] + running[:-1]
