"""Where a built site's bytes go, by kind of file (agent pages, badges, ...).

"tar" is what the files take in the tar GitHub Pages receives (`generator/site/size.py`: a
header each, contents in 512-byte blocks, a hard link copied; the folders' headers are a row
of their own); "bytes" what the files hold (what object storage bills); "disk" what they take
on the file system (each file rounded up to its blocks, 4 KB here; a hard link counted once).
Not a test.

    python benchmarks/site_kinds.py benchmarks/.work/realistic-10000/site
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.site.size import archive, member

HOME = "home, browse data, hand-written pages, assets"
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
    HOME,
    "folders",
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
        return named[top] if top != "search" or len(parts) > 2 else HOME
    if top.startswith("sitemap"):
        return "sitemaps"
    return "feed" if top == "feed.xml" else HOME


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


def breakdown(site: Path) -> dict[str, tuple[int, int, int, int]]:
    """Per kind: files, bytes, disk (hard links once), tar (the archive's end aside)."""
    latest = latest_folders(site)
    files: Counter[str] = Counter()
    size: Counter[str] = Counter()
    disk: Counter[str] = Counter()
    tar: Counter[str] = Counter()
    seen: set[int] = set()
    for folder, _, names in os.walk(site):
        rel = os.path.relpath(folder, site).replace(os.sep, "/")
        files["folders"] += 1
        tar["folders"] += member("./" if rel == "." else f"./{rel}/", 0)
        for name in names:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            r = os.path.relpath(path, site).replace(os.sep, "/")
            k = kind(r, latest)
            files[k] += 1
            size[k] += st.st_size
            tar[k] += member(f"./{r}", st.st_size)
            if st.st_ino not in seen:
                seen.add(st.st_ino)
                disk[k] += st.st_blocks * 512
    return {k: (files[k], size[k], disk[k], tar[k]) for k in KINDS if files[k]}


def table(site: Path) -> str:
    """The breakdown as a Markdown table, largest in the tar first, then the whole site."""
    rows = sorted(breakdown(site).items(), key=lambda kv: -kv[1][3])
    lines = [
        "| files | count | tar | bytes | disk | bytes per file |",
        "|---|---|---|---|---|---|",
    ]
    for name, (n, b, d, t) in rows:
        each = f"{b / n / 1e3:.1f} KB" if name != "folders" else ""
        lines.append(
            f"| {name} | {n:,} | {t / 1e6:.1f} MB | {b / 1e6:.1f} MB | {d / 1e6:.1f} MB | {each} |"
        )
    n, b, d = (sum(r[1][i] for r in rows if r[0] != "folders") for i in range(3))
    t = archive(sum(r[1][3] for r in rows))
    lines.append(
        f"| **whole site** | {n:,} files | **{t / 1e6:.1f} MB** | **{b / 1e6:.1f} MB** "
        f"| **{d / 1e6:.1f} MB** | |"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(Path(sys.argv[1] if len(sys.argv) > 1 else "site")))
