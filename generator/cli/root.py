"""Where the catalog is: shared by the click commands and the search answered before click."""

from __future__ import annotations

import os
from pathlib import Path


def find_root(start: Path) -> Path:
    """The catalog around `start`, relative to it: the nearest folder from `start` up holding
    agents/ and mkdocs.yml (so `catalog` works from agents/acme/bot/, and from catalog/ with its
    generated agents/ pages), else `start` itself."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / "agents").is_dir() and (folder / "mkdocs.yml").is_file():
            return Path(os.path.relpath(folder, here))
    return Path(".")
