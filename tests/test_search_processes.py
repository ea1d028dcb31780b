"""The processes of `catalog search`'s checks (`generator.search.processes`): a child never
waits for the search to read its output, which can be far larger than a pipe holds (`find`
prints 384 KB for the 12,000 folders of 10,000 agents)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator.search.processes import finish, spawn


@pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="outputs go through pipes here")
def test_a_child_ends_before_its_large_output_is_read(tmp_path: Path) -> None:
    running = spawn([["head", "-c", "1000000", "/dev/zero"], ["git", "--version"]], tmp_path)
    assert running is not None
    pid = running[0][0]
    deadline = time.monotonic() + 10
    ended = None
    while ended is None and time.monotonic() < deadline:  # not reaped: finish waits for it
        ended = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        time.sleep(0.01)
    assert ended is not None, "the child is still writing: its output is not read until finish"
    outputs = finish(running)
    assert outputs is not None
    assert outputs[0] == "\0" * 1_000_000
    assert outputs[1].startswith("git version ")


def test_a_failing_child_fails_the_check(tmp_path: Path) -> None:
    """Not a git checkout: git fails, and the outputs are None (the search checks in full)."""
    assert finish(spawn([["git", "rev-parse", "HEAD"]], tmp_path)) is None
