"""mkdocs hook: the generated static files are hard-linked into the site instead of copied.

At 10,000 agents the generator writes ~60,000 static files (version pages, API documents,
badges); mkdocs would copy each one, data and all, roughly doubling the mkdocs build
(catalog/performance.md). A hard link costs one directory entry. Where linking is impossible
(another file system), the file is copied. The site is the same either way.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

from mkdocs.structure.files import Files

GENERATED = ("agents/", "api/", "owners/")
"""Folders of the docs folder that only `catalog build` writes (git-ignored)."""
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
    for source, dest in _pending:
        folder = os.path.dirname(dest)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        try:
            if os.stat(dest).st_ino == os.stat(source).st_ino:
                continue
            os.unlink(dest)
        except FileNotFoundError:
            pass
        try:
            os.link(source, dest)
        except OSError:
            shutil.copyfile(source, dest)
