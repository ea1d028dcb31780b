"""Run the build's per-agent jobs in forked worker processes, one per core, or here.

Rendering and writing 10,000 agents' ~70,000 files is the bulk of the generator phase; on two
cores the workers halve it while this process computes what needs the whole catalog (related
agents, listings, the search index). Workers are forked, so they share the catalog without
pickling it; only small job descriptions go to them and lists of paths come back.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from multiprocessing.pool import AsyncResult, Pool
from types import TracebackType
from typing import Any

Job = Callable[[str, list[Any]], Any]
"""job(kind, items) -> result; runs in a worker (or here) on one chunk of items."""
MAX_WORKERS = 4
CHUNKS_PER_WORKER = 4
_JOB: Job | None = None
"""The job the forked workers run (set just before the fork, inherited by the children)."""


def _run(kind: str, items: list[Any]) -> Any:
    assert _JOB is not None
    return _JOB(kind, items)


class Workers:
    """A pool of forked workers running `job`, or inline execution when not `parallel`."""

    def __init__(self, job: Job, parallel: bool) -> None:
        self.job = job
        self.count = min(len(os.sched_getaffinity(0)), MAX_WORKERS)
        # Never fork a process running other threads (`catalog serve`): their locks would be
        # copied held. A handful of changed agents is rendered inline anyway.
        self.parallel = parallel and self.count > 1 and threading.active_count() == 1
        self.pool: Pool | None = None
        self.pending: list[AsyncResult[Any] | list[Any]] = []

    def __enter__(self) -> Workers:
        global _JOB
        if self.parallel:
            _JOB = self.job
            self.pool = multiprocessing.get_context("fork").Pool(self.count)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        global _JOB
        if self.pool is not None:
            self.pool.terminate() if error else self.pool.close()
            self.pool.join()
        _JOB = None

    def submit(self, kind: str, items: list[Any]) -> None:
        """Start `job(kind, chunk)` on chunks of `items` (inline: run it now)."""
        if not items:
            return
        if self.pool is None:
            self.pending.append([self.job(kind, items)])
            return
        size = max(1, -(-len(items) // (self.count * CHUNKS_PER_WORKER)))
        chunks = [(kind, items[i : i + size]) for i in range(0, len(items), size)]
        self.pending.append(self.pool.starmap_async(_run, chunks))

    def results(self) -> list[Any]:
        """Every chunk's result, in submission order (waits for the workers)."""
        done: list[Any] = []
        for pending in self.pending:
            done.extend(pending if isinstance(pending, list) else pending.get())
        return done
