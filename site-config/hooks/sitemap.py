"""mkdocs hook: the sitemap lists the lean pages too (agents and owners), which mkdocs only copies.

mkdocs writes `sitemap.xml` from the pages it themes; agent and owner pages are standalone HTML
(`generator/site/render.py`), so the generator lists the ones search engines may index (listed
agents with the day they last changed, owners) in `.sitemap.txt` of the docs folder (a dotfile
mkdocs does not publish), and this hook adds them, to `sitemap.xml.gz` too.
"""

from __future__ import annotations

import gzip
import html
import io
from pathlib import Path
from typing import Any

LIST = ".sitemap.txt"
"""One page a line: its path under the site, a tab, and its last change (YYYY-MM-DD) or nothing."""


def on_post_build(config: Any, **_: Any) -> None:
    """Append the generator's pages to the built sitemap (same bytes for the same build)."""
    listed = Path(config.docs_dir) / LIST
    target = Path(config.site_dir) / "sitemap.xml"
    if not listed.is_file() or not target.is_file():
        return
    entries = []
    for line in listed.read_text("utf-8").splitlines():
        path, _, day = line.partition("\t")
        if path:
            lastmod = f"\n         <lastmod>{day}</lastmod>" if day else ""
            loc = html.escape(config.site_url + path)
            entries.append(f"    <url>\n         <loc>{loc}</loc>{lastmod}\n    </url>")
    text = target.read_text("utf-8")
    head, end, _ = text.rpartition("</urlset>")
    if not end:
        return
    text = head + "\n".join(entries) + "\n</urlset>\n"
    target.write_text(text, "utf-8")
    packed = target.with_name("sitemap.xml.gz")
    old = packed.read_bytes() if packed.is_file() else b""
    mtime = int.from_bytes(old[4:8], "little") if len(old) >= 8 else 0  # mkdocs' build time
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, filename=str(packed), mode="wb", mtime=mtime) as gz:
        gz.write(text.encode("utf-8"))
    packed.write_bytes(out.getvalue())
