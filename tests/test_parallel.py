"""`beside`: a function run in a forked process while the caller goes on, without a thread, so
the caller can still fork its workers (the build validates beside the history)."""

from __future__ import annotations

import itertools
import os
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.history.gitrun import HistoryError
from generator.parallel import PART, Parts, Workers, beside, can_fork, chunk_sizes

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs fork and two cores")


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def _refuse(message: str) -> None:
    raise HistoryError(message)


def _numbered(count: int) -> Parts[str, int]:
    return Parts("head", list(range(count)))


def _unpicklable() -> object:
    return lambda: None


def _square(kind: str, items: list[int]) -> list[int]:
    return [i * i for i in items]


def test_the_function_runs_in_another_process_and_workers_still_fork() -> None:
    with beside(_pid_and, 21) as pending:
        assert can_fork()  # no executor thread beside us
        with Workers(_square, True) as workers:
            assert workers.parallel
            workers.submit("square", list(range(50)))
            squares = [n for chunk in workers.results() for n in chunk]
        pid, doubled = pending.result()
    assert pid != os.getpid() and doubled == 42
    assert squares == [i * i for i in range(50)]


def test_what_the_function_raises_is_raised_by_result() -> None:
    with beside(_refuse, "a shallow clone") as pending, pytest.raises(HistoryError) as raised:
        pending.result()
    assert str(raised.value) == "a shallow clone"


def _wait(pid_file: Path) -> None:
    pid_file.write_text(str(os.getpid()))
    time.sleep(600)


def test_a_cancelled_process_stops(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    with beside(_wait, pid_file) as pending:
        while not pid_file.exists() or not pid_file.read_text():
            time.sleep(0.01)
        pending.cancel()
    with pytest.raises(ProcessLookupError):  # ended and reaped
        os.kill(int(pid_file.read_text()), 0)


def test_a_result_in_parts_comes_back_whole_and_in_order() -> None:
    for count in (0, 1, PART, 2 * PART + 1):
        with beside(_numbered, count) as pending:
            sent = pending.result()
        assert sent == Parts("head", list(range(count)))


def test_a_result_that_cannot_be_pickled_is_an_error_not_a_hang() -> None:
    with beside(_unpicklable) as pending, pytest.raises(Exception) as raised:
        pending.result()
    assert "pickle" in str(raised.value)


def _chunk_and_pid(kind: str, items: list[int]) -> tuple[int, list[int]]:
    return os.getpid(), items


def test_many_small_chunks_come_back_in_order_each_of_the_least_size_or_the_rest() -> None:
    with Workers(_chunk_and_pid, True) as workers:
        workers.submit("chunks", list(range(1000)), per_worker=16, least=40)
        done = workers.results()
    chunks = [items for _, items in done]
    assert [n for chunk in chunks for n in chunk] == list(range(1000))
    assert [len(c) for c in chunks] == [40] * 25  # 1000 / (2 workers x 16) is under 40
    assert {pid for pid, _ in done} - {os.getpid()}  # checked in the workers
    with Workers(_chunk_and_pid, True) as workers:
        workers.submit("chunks", list(range(1000)), per_worker=16)
        sizes = [len(items) for _, items in workers.results()]
    assert sizes == chunk_sizes(1000, workers.count, 16, 1)
    assert sizes[0] == -(-1000 // (workers.count * 16)) and sizes[-2] < sizes[0]  # smaller last


@given(st.integers(1, 200_000), st.integers(1, 8), st.integers(1, 32), st.integers(1, 500))
def test_chunks_cover_every_item_and_get_smaller_towards_the_end(
    total: int, workers: int, per_worker: int, least: int
) -> None:
    """Every item is in one chunk; no chunk is larger than an even share of `workers *
    per_worker` chunks, or smaller than `least` (or a quarter of the largest) but the last;
    sizes never grow; and the last chunks are small beside the first, so two workers end within
    a small chunk of each other."""
    sizes = chunk_sizes(total, workers, per_worker, least)
    most = max(least, -(-total // (workers * per_worker)))
    assert sum(sizes) == total and all(s > 0 for s in sizes)
    assert all(s <= most for s in sizes)
    assert all(s >= min(most, max(least, most // 4)) for s in sizes[:-1])
    assert all(a >= b for a, b in itertools.pairwise(sizes[:-1]))
    fewest = max(least, most // 4)
    if total >= 4 * workers * most and most > fewest >= 3:
        assert sizes[-2] == fewest
