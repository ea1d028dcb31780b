"""Reading git's machine output: shared by the stages that run git (checks, history, flows).

The bottom of the layers: it imports nothing of ours, and only parses bytes that git printed;
running git stays with each caller (its own repository, environment and errors).
"""

from __future__ import annotations

from collections.abc import Sequence


def batch_blobs(out: bytes, wanted: Sequence[str]) -> dict[str, bytes]:
    """The blobs in `git cat-file --batch` output for the object ids `wanted`, asked in that
    order. Objects that are missing (a partial clone, "<sha> missing"), ambiguous, or not blobs
    (a submodule's commit) are left out."""
    pos, result = 0, {}
    for sha in wanted:
        end = out.find(b"\n", pos)
        if end < 0:
            break
        header = out[pos:end].split()
        if len(header) != 3 or not header[2].isdigit():
            pos = end + 1
            continue
        size = int(header[2])
        if header[1] == b"blob":
            result[sha] = out[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1
    return result
