"""mkdocs hook: Material's built stylesheets under stable names, for the lean standalone pages.

Version pages and tombstones of versions are static HTML that mkdocs only copies (40,000 at
10,000 agents; theming each would double the build, catalog/performance.md). To look like the
rest of the site they link Material's stylesheets, whose names carry a content hash that changes
with every Material release. After the build, this hook links each one to a name without the
hash (`assets/stylesheets/material.css`, `material-palette.css`): one directory entry each.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

STABLE = {"main": "material.css", "palette": "material-palette.css"}
"""Material's stylesheet (`main.<hash>.min.css`, ...) -> its stable name in the same folder."""


def on_post_build(config: Any, **_: Any) -> None:
    """Link Material's hashed stylesheets to their stable names (a rebuild relinks)."""
    folder = Path(config.site_dir) / "assets" / "stylesheets"
    for stem, name in STABLE.items():
        found = sorted(folder.glob(f"{stem}.*.min.css"))
        if len(found) != 1:
            raise PluginError(
                f"theme_assets: expected one {folder}/{stem}.<hash>.min.css, found {len(found)}; "
                "the theme changed its file names: update site-config/hooks/theme_assets.py"
            )
        _link(found[0], folder / name)


def _link(source: Path, dest: Path) -> None:
    try:
        if dest.stat().st_ino == source.stat().st_ino:
            return
        dest.unlink()
    except FileNotFoundError:
        pass
    try:
        os.link(source, dest)
    except OSError:
        shutil.copyfile(source, dest)
