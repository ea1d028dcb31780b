"""Run the build's per-agent jobs in forked worker processes, one per core, or here.

Rendering and writing 10,000 agents' ~70,000 files is the bulk of the generator phase; on two
cores the workers halve it while this process computes what needs the whole catalog (related
agents, listings, the search index). Workers are forked, so they share the catalog without
pickling it; only small job descriptions go to them and lists of paths come back.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.pool import AsyncResult, Pool
from types import TracebackType
from typing import Any, Generic, ParamSpec, Protocol, TypeVar, cast

Job = Callable[[str, list[Any]], Any]
"""job(kind, items) -> result; runs in a worker (or here) on one chunk of items."""
MAX_WORKERS = 4
CHUNKS_PER_WORKER = 4
_JOB: Job | None = None
"""The job the forked workers run (set just before the fork, inherited by the children)."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector for one build.

    Loading 10,000 agents allocates ~1 million long-lived objects, and the collector walks all
    of them again at each of its full passes: ~2 s of a 5 s load, and ~1 s of CPU in rendering.
    The build makes almost no reference cycles (peak memory is the same without the
    collector), and reference counting frees everything else as usual. Forked workers inherit
    the pause. The previous state comes back afterwards, so `catalog serve` collects between
    rebuilds.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


P = ParamSpec("P")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
H = TypeVar("H")
Item = TypeVar("Item")


def cores() -> int:
    """CPUs this process may run on (all of the machine's where the system cannot say)."""
    if hasattr(os, "sched_getaffinity"):  # Linux
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether forking is possible, safe and useful: a system with fork (not Windows), two
    cores or more, and no other thread running here (`catalog serve` watches files in a
    thread; a fork would copy its locks held)."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and cores() > 1
        and threading.active_count() == 1
    )


class Pending(Protocol[T_co]):
    """A result on its way: `result()` waits for it (raising what the function raised)."""

    def result(self) -> T_co: ...

    def cancel(self) -> object: ...


@contextmanager
def beside(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Iterator[Pending[T]]:
    """Run `function` while the caller goes on: in a forked process when `can_fork()` (its Python
    work then uses the other core instead of taking turns with ours for the interpreter lock;
    the result comes back pickled), else in a thread. The process is a plain one, no executor:
    an executor's thread would stop `Workers` forking until it ends (`can_fork`), and the
    build's validation forks its workers while the history is read beside it."""
    if not can_fork():
        with ThreadPoolExecutor(1) as executor:
            yield executor.submit(function, *args, **kwargs)
        return
    forked = _Forked(function, *args, **kwargs)
    try:
        yield forked
    finally:
        forked.cancel()


class _Forked(Generic[T]):
    """`function(*args)` in a forked child that sends back its result, or what it raised."""

    def __init__(self, function: Callable[..., T], *args: object, **kwargs: object) -> None:
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        target = functools.partial(_send, sender, function, *args, **kwargs)
        self.process = context.Process(target=target)  # not a daemon: it may fork workers
        self.process.start()
        sender.close()  # ours: the child's end alone stays open, so its exit is seen
        self.outcome: tuple[bool, Any] | None = None

    def result(self) -> T:
        if self.outcome is None:
            try:
                self.outcome = self._receive()
            except EOFError:  # killed, or ended without sending (out of memory)
                self.process.join()
                code = self.process.exitcode
                self.outcome = (False, ChildProcessError(f"the forked process ended ({code})"))
        ok, value = self.outcome
        if not ok:
            raise value
        return cast(T, value)

    def _receive(self) -> tuple[bool, Any]:
        ok, value, parts = self.receiver.recv()
        for _ in range(parts):  # a `Parts`: its items follow, a slice at a time
            value.items.extend(self.receiver.recv())
        return ok, value

    def cancel(self) -> bool:
        """Stop the child if it still runs (and reap it either way)."""
        if self.process.is_alive() and self.outcome is None:
            self.process.terminate()
        self.process.join()
        self.receiver.close()
        return True


@dataclass
class Parts(Generic[H, Item]):
    """A result that `beside` sends back from its process in parts: `head`, then `items` a few
    hundred at a time, so that process never holds the pickled bytes of all of them at once
    (10,000 checked agents pickle to ~42 MB, which would come on top of validation's peak)."""

    head: H
    items: list[Item]


PART = 500
"""Items of a `Parts` pickled and sent at a time."""


def _send(sender: Connection, function: Callable[..., object], *args: Any, **kwargs: Any) -> None:
    try:
        value = function(*args, **kwargs)
    except BaseException as err:  # whatever it raised is raised in the parent
        sender.send((False, err, 0))
        return
    if not isinstance(value, Parts):
        try:
            sender.send((True, value, 0))
        except Exception as err:  # not picklable: pickling failed before a byte was sent
            sender.send((False, err, 0))
        return
    items = value.items
    sender.send((True, Parts(value.head, []), -(-len(items) // PART)))
    for start in range(0, len(items), PART):
        sender.send(items[start : start + PART])


def _run(kind: str, items: list[Any]) -> Any:
    assert _JOB is not None
    return _JOB(kind, items)


class Workers:
    """A pool of forked workers running `job`, or inline execution when not `parallel`."""

    def __init__(self, job: Job, parallel: bool) -> None:
        self.job = job
        self.count = min(cores(), MAX_WORKERS)
        # A handful of changed agents (what `catalog serve` sees) is rendered inline anyway.
        self.parallel = parallel and can_fork()
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

    def submit(
        self, kind: str, items: list[Any], per_worker: int = CHUNKS_PER_WORKER, least: int = 1
    ) -> None:
        """Start `job(kind, chunk)` on chunks of `items` (inline: run it now): about `per_worker`
        chunks for each worker, of `least` items or more. The workers take the chunks one at a
        time (the pool would hand them out four by four), so when one ends its last chunk the
        other is at most a chunk from its end; the chunks get smaller towards the end
        (`chunk_sizes`), so that is a small one."""
        if not items:
            return
        if self.pool is None:
            self.pending.append([self.job(kind, items)])
            return
        chunks, at = [], 0
        for size in chunk_sizes(len(items), self.count, per_worker, least):
            chunks.append((kind, items[at : at + size]))
            at += size
        self.pending.append(self.pool.starmap_async(_run, chunks, chunksize=1))

    def results(self) -> list[Any]:
        """Every chunk's result, in submission order (waits for the workers)."""
        done: list[Any] = []
        for pending in self.pending:
            done.extend(pending if isinstance(pending, list) else pending.get())
        return done


def chunk_sizes(total: int, workers: int, per_worker: int, least: int) -> list[int]:
    """Sizes of the chunks `total` items are cut into for `workers`: `total / (workers *
    per_worker)` at most, and a quarter of what is left for each worker once that is less (a
    worker that takes the last big chunk while the other is ending its own then finishes about
    when the other finishes the small ones left), never less than a quarter of the most nor
    `least` but the last."""
    most = max(least, -(-total // (workers * per_worker)))
    fewest = max(least, most // 4)
    sizes, left = [], total
    while left > 0:
        size = min(left, max(fewest, min(most, -(-left // (4 * workers)))))
        sizes.append(size)
        left -= size
    return sizes
