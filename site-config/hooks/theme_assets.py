"""mkdocs hook: one stylesheet for the lean standalone pages, made of the built site's own.

Agent, version and owner pages and tombstones are static HTML that mkdocs only copies (50,000 at
10,000 agents; theming each would double the build, catalog/performance.md). To look like the
rest of the site they need Material's stylesheets, whose names carry a content hash that changes
with every Material release, and the catalog's. After the build this hook writes them, in the
order themed pages load them, into `assets/stylesheets/lean.css`: one link per lean page
instead of four (about 230 bytes less in each of 40,000 pages) and one request.

It also leaves out of the site what the theme ships for its own search, which this site does
not use (`plugins: []` in mkdocs.yml; the catalog's search is search/search.js): the lunr
languages and the search worker, and the source maps of the minified files: ~2.5 MB that no
page loads.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

OUTPUT = "assets/stylesheets/lean.css"
PARTS = (
    "assets/stylesheets/main.*.min.css",
    "assets/stylesheets/palette.*.min.css",
    "assets/stylesheets/catalog.css",
    "search/search.css",
)
"""Material's stylesheet and palette, then the catalog's (mkdocs.yml extra_css), by glob."""
_MAP = re.compile(rb"/\*# sourceMappingURL=[^*]*\*/")
UNUSED = ("assets/javascripts/lunr", "assets/javascripts/workers")
"""The theme's search, loaded only when its search plugin is on."""


def on_post_build(config: Any, **_: Any) -> None:
    """Write lean.css from the built stylesheets (same bytes for the same build)."""
    site = Path(config.site_dir)
    parts = []
    for pattern in PARTS:
        found = sorted(site.glob(pattern))
        if len(found) != 1:
            raise PluginError(
                f"theme_assets: expected one {pattern} in the built site, found {len(found)}; "
                "the theme changed its file names: update site-config/hooks/theme_assets.py"
            )
        parts.append(_MAP.sub(b"", found[0].read_bytes()).strip() + b"\n")
    blob = b"".join(parts)
    target = site / OUTPUT
    if not target.is_file() or target.read_bytes() != blob:
        target.write_bytes(blob)
    _unused(site, config)


def _unused(site: Path, config: Any) -> None:
    """Remove the theme's search files (unless its search plugin is on) and source maps."""
    if not any(name.split("/")[-1] == "search" for name in config.plugins):
        for folder in UNUSED:
            shutil.rmtree(site / folder, ignore_errors=True)
    for found in sorted(site.glob("assets/**/*.map")):
        found.unlink()
