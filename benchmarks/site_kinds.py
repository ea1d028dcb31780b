"""Where a built site's bytes and disk blocks go, by kind of file (agent pages, badges, ...).

"bytes" is what the files hold (what a deploy uploads and object storage bills); "disk" is
what they take on the file system (each file rounded up to its blocks, 4 KB here; a hard link
counted once, as bench_goals.py's site row counts). Not a test.

    python benchmarks/site_kinds.py benchmarks/.work/realistic-10000/site
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

KINDS = (
    "agent pages",
    "latest versions' addresses",
    "older version pages",
    "badges",
    "API: one document per agent",
    "API listings",
    "owner pages",
    "tag pages",
    "search index shards",
    "sitemaps",
    "feed",
    "home, browse data, hand-written pages, assets",
)


def kind(rel: str, latest: frozenset[str]) -> str:
    """The kind of the site file at `rel` (a `/` path); `latest`: the latest versions' folders
    (a removed or moved agent's version addresses count with the older version pages)."""
    parts = rel.split("/")
    top = parts[0]
    if top == "agents" and len(parts) == 4:
        return "badges" if parts[3] == "badge.svg" else "agent pages"
    if top == "agents" and len(parts) == 5:
        folder = "/".join(parts[:4])
        return "latest versions' addresses" if folder in latest else "older version pages"
    if top == "api":
        return "API: one document per agent" if parts[2:3] == ["agents"] else "API listings"
    named = {"owners": "owner pages", "tags": "tag pages", "search": "search index shards"}
    if top in named and len(parts) > 1:
        return named[top] if top != "search" or len(parts) > 2 else KINDS[-1]
    if top.startswith("sitemap"):
        return "sitemaps"
    return "feed" if top == "feed.xml" else KINDS[-1]


def latest_folders(site: Path) -> frozenset[str]:
    """Each agent's latest version's folder: the one its page's versions table marks latest."""
    found = set()
    for page in site.glob("agents/*/*/index.html"):
        text = page.read_text("utf-8", "replace")
        mark = text.find(" (latest)</td>")
        start = text.rfind("<td>", 0, mark)
        if mark > 0 and start > 0:
            version = text[start + 4 : mark].rpartition(">")[2].split(" (")[0]
            found.add(f"{page.parent.relative_to(site).as_posix()}/{version}")
    return frozenset(found)


def breakdown(site: Path) -> dict[str, tuple[int, int, int]]:
    """Per kind: files, bytes, disk (hard links once)."""
    latest = latest_folders(site)
    files: Counter[str] = Counter()
    size: Counter[str] = Counter()
    disk: Counter[str] = Counter()
    seen: set[int] = set()
    for folder, _, names in os.walk(site):
        for name in names:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            k = kind(os.path.relpath(path, site).replace(os.sep, "/"), latest)
            files[k] += 1
            size[k] += st.st_size
            if st.st_ino not in seen:
                seen.add(st.st_ino)
                disk[k] += st.st_blocks * 512
    return {k: (files[k], size[k], disk[k]) for k in KINDS if files[k]}


def table(site: Path) -> str:
    """The breakdown as a Markdown table, largest on disk first, then the whole site."""
    rows = sorted(breakdown(site).items(), key=lambda kv: -kv[1][2])
    lines = ["| files | count | bytes | disk | bytes per file |", "|---|---|---|---|---|"]
    for name, (n, b, d) in rows:
        lines.append(
            f"| {name} | {n:,} | {b / 1e6:.1f} MB | {d / 1e6:.1f} MB | {b / n / 1e3:.1f} KB |"
        )
    n, b, d = (sum(r[1][i] for r in rows) for i in range(3))
    lines.append(f"| **whole site** | {n:,} | **{b / 1e6:.1f} MB** | **{d / 1e6:.1f} MB** | |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(Path(sys.argv[1] if len(sys.argv) > 1 else "site")))
