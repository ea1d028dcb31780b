"""mkdocs hook: the generated static files are hard-linked into the site instead of copied.

At 10,000 agents the generator writes ~60,000 static files (version pages, API documents,
badges); mkdocs would copy each one, data and all, roughly doubling the mkdocs build
(catalog/performance.md). A hard link costs one directory entry. Where linking is impossible
(another file system), the file is copied. The site is the same either way.

Badges with the same bytes (one per agent, the same for every agent at the same version) are
all linked to one of them, so the site stores each once: a file takes at least one 4 KB
block, 41 MB for 10,000 badges. Every address still answers with its own file; a host
that receives the site (a Pages artifact, a bucket sync) gets a copy at each address.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from typing import Any

from mkdocs.structure.files import Files

GENERATED = ("agents/", "api/", "owners/", "search/")
"""Folders of the docs folder that only `catalog build` writes (git-ignored)."""
SHARED = (".svg",)
"""Files linked by content: badges. Pages and API documents name their agent, so they never
repeat; reading them too costs ~0.7 s a build at 10,000 agents for nothing."""
SHARED_MAX = 4096
"""Up to one block; larger identical files are rare."""
_pending: list[tuple[str, str]] = []


def on_files(files: Files, config: Any, **_: Any) -> Files:
    """Take the generated static files out of mkdocs' hands; pages stay."""
    keep = []
    _pending.clear()
    for file in files:
        if file.src_uri.startswith(GENERATED) and not file.is_documentation_page():
            _pending.append((file.abs_src_path, file.abs_dest_path))
        else:
            keep.append(file)
    return Files(keep)


def on_post_build(config: Any, **_: Any) -> None:
    """Link each generated file into the site (a live-reload rebuild relinks only changes)."""
    made: set[str] = set()
    first: dict[tuple[int, bytes], str] = {}
    for source, dest in _pending:
        folder = os.path.dirname(dest)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        target = _shared(source, first)
        try:
            if os.stat(dest).st_ino == os.stat(target).st_ino:
                continue
            os.unlink(dest)
        except FileNotFoundError:
            pass
        try:
            os.link(target, dest)
        except OSError:
            shutil.copyfile(target, dest)


def _shared(source: str, first: dict[tuple[int, bytes], str]) -> str:
    """The first generated file with the bytes of `source` when it is a small badge, else
    `source`.

    The generator never writes into an existing file (it replaces it), so a file linked
    from many addresses keeps its bytes until each address is relinked to its new content.
    """
    if not source.endswith(SHARED):
        return source
    size = os.stat(source).st_size
    if size > SHARED_MAX:
        return source
    with open(source, "rb") as f:
        data = f.read()
    key = (size, hashlib.blake2b(data, digest_size=16).digest())
    leader = first.setdefault(key, source)
    if leader != source:
        with open(leader, "rb") as f:
            if f.read() != data:  # a digest collision: keep the file's own
                return source
    return leader
