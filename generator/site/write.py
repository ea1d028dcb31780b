"""The one writer: generated files into the docs folder, only those whose bytes changed.

Nothing else in the generator writes into `catalog/`; `build.py` hands it `{path: content}`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

GENERATED_DIRS = ("agents", "owners", "tags", "api", "search")
"""Folders of the docs folder that hold only generated files (git-ignored)."""


def write(docs: Path, outputs: Mapping[str, str | bytes]) -> list[str]:
    """Write the files whose bytes differ from what is on disk; return their paths.

    A new file is created exclusively (one system call when its folder exists); an existing
    one is read and compared, and replaced atomically only when it changed, so a live-reloading
    server never reads half a file. Plain `os` calls: ~60,000 new files take ~1 s on tmpfs.
    """
    written = []
    base = os.fspath(docs)
    for rel, content in sorted(outputs.items()):
        if rel.startswith("/") or ".." in rel.split("/"):
            raise ValueError(f"refusing to write outside the docs folder: {rel}")
        data = content.encode() if isinstance(content, str) else content
        path = os.path.join(base, rel)
        if _create(path, data) or _replace(path, data):
            written.append(rel)
    return written


_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _create(path: str, data: bytes) -> bool:
    """Write `path` if it does not exist yet (making its folder); False when it exists."""
    try:
        fd = os.open(path, _NEW, 0o644)
    except FileExistsError:
        return False
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, _NEW, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
    return True


def _replace(path: str, data: bytes) -> bool:
    """Replace an existing file whose bytes differ; False when they are the same."""
    with open(path, "rb") as current:
        if current.read() == data:
            return False
    head, name = os.path.split(path)
    temporary = os.path.join(head, f".{name}.tmp")
    with open(temporary, "wb") as out:
        out.write(data)
    os.replace(temporary, path)
    return True


def on_disk(docs: Path) -> list[str]:
    """Every file in the generated folders."""
    return [
        os.path.relpath(os.path.join(folder, name), docs).replace(os.sep, "/")
        for top in GENERATED_DIRS
        for folder, _, names in os.walk(docs / top)
        for name in names
    ]


def delete_stale(docs: Path, current: set[str], previous: list[str]) -> list[str]:
    """Remove the generated files of the last build that this build did not produce."""
    stale = sorted(set(previous) - current)
    for rel in stale:
        path = docs / rel
        path.unlink(missing_ok=True)
        for parent in path.parents:
            if parent == docs or any(parent.iterdir()):
                break
            parent.rmdir()
    return stale
