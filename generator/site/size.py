"""How big a built site is for the host that receives it, above all GitHub Pages.

GitHub Pages takes a site as one tar file, made by `actions/upload-pages-artifact` with
`tar --dereference --hard-dereference -cf artifact.tar --exclude=.git --exclude=.github .`
(GNU tar), then zipped as a workflow artifact. Its documentation supports a site up to 1 GB
and no deployment longer than 10 minutes; `actions/deploy-pages` warns when the zipped upload
passes 1 GB. The tar is the larger of the two (a built catalog zips to about a sixth of it), so
`measure` reads the limit on the tar, whose size it works out exactly from the files' names and
sizes without writing it: every member (folder or file) takes a 512-byte header, a name over
100 bytes a second header and its own blocks, a file its bytes rounded up to 512, and the
archive two empty blocks, rounded up to GNU tar's 10,240-byte records. A hard-linked file counts
at each of its addresses (the tar copies it), a symbolic link as what it points to. The figures
are what `catalog site-size` prints and what the deploy workflow compares with Pages' limits
(`catalog/deploy.md`).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

PAGES_LIMIT = 1 << 30
"""GitHub Pages' supported size, 1 GB as `actions/deploy-pages` counts it (1,073,741,824)."""

WARN_SHARE = 0.8
"""From this share of `PAGES_LIMIT` on, the deploy warns: time to move to object storage."""

EXCLUDED = frozenset({".git", ".github"})
"""Names upload-pages-artifact leaves out of the tar, at any depth."""

BLOCK = 512
RECORD = 20 * BLOCK
NAME_FIELD = 100
"""A member name longer than this (in bytes, a folder's with its trailing `/`) takes a GNU
`././@LongLink` header and the name's own blocks."""


def _blocks(n: int) -> int:
    return -(-n // BLOCK) * BLOCK


def member(name: str, size: int) -> int:
    """Bytes one tar member takes: `name` as the tar stores it (`./a/b.html`, `./a/`), `size`
    its content's bytes (0 for a folder)."""
    length = len(os.fsencode(name))
    header = BLOCK if length <= NAME_FIELD else 2 * BLOCK + _blocks(length + 1)
    return header + _blocks(size)


def archive(members: int, record: int = RECORD) -> int:
    """A whole tar of `members` bytes of members: the end-of-archive blocks, whole records."""
    return -(-(members + 2 * BLOCK) // record) * record


@dataclass(frozen=True, slots=True)
class SiteSize:
    """A built site as its host sees it."""

    files: int
    folders: int
    bytes: int
    """What the files hold (what a host stores and object storage bills)."""
    tar: int
    """The tar GitHub Pages receives."""

    @property
    def share(self) -> float:
        """The tar's share of GitHub Pages' 1 GB."""
        return self.tar / PAGES_LIMIT

    def text(self, site: str) -> str:
        """Two lines for people."""
        return (
            f"{site}: {self.files:,} files in {self.folders:,} folders, {_mb(self.bytes)}\n"
            f"GitHub Pages artifact (tar): {_mb(self.tar)}, {self.share:.0%} of the 1 GB "
            "GitHub Pages supports"
        )

    def json(self) -> str:
        """One document for tools: the figures, the limit and the share."""
        doc = {**asdict(self), "pages_limit": PAGES_LIMIT, "share": round(self.share, 4)}
        return json.dumps(doc, indent=2)

    def summary(self) -> str:
        """A workflow job's summary, in Markdown: the figures, and the warning if any."""
        warning = self.warning()
        lines = [
            "### The site for GitHub Pages",
            "",
            "| files | folders | bytes | Pages artifact (tar) | of Pages' 1 GB |",
            "|---|---|---|---|---|",
            f"| {self.files:,} | {self.folders:,} | {_mb(self.bytes)} | {_mb(self.tar)} "
            f"| {self.share:.0%} |",
        ]
        if warning:
            lines += ["", f"> [!WARNING]\n> {warning}"]
        return "\n".join(lines) + "\n"

    def warning(self) -> str | None:
        """What an operator must hear when the site nears or passes Pages' limit, else None."""
        if self.share < WARN_SHARE:
            return None
        where = (
            "it is past the limit, and a deployment this large may fail or time out"
            if self.share > 1
            else "it is near the limit, and a larger deployment may fail or time out"
        )
        return (
            f"the site's GitHub Pages artifact is {_mb(self.tar)}, {self.share:.0%} of the 1 GB "
            f"GitHub Pages supports: {where}. Move to the object-storage deploy: "
            'catalog/deploy.md, "When to leave GitHub Pages".'
        )


def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def measure(site: Path, record: int = RECORD) -> SiteSize:
    """Walk `site` (links followed, a folder already on the path not entered again: GNU tar
    would loop) and count what its Pages tar holds, in tar records of `record` bytes. Raises
    FileNotFoundError when `site` is not a folder."""
    if not site.is_dir():
        raise FileNotFoundError(site)
    files = folders = size = members = 0
    pending: list[tuple[str, str, frozenset[tuple[int, int]]]] = [(str(site), ".", frozenset())]
    while pending:
        path, name, above = pending.pop()
        st = os.stat(path)
        here = above | {(st.st_dev, st.st_ino)}
        folders += 1
        members += member(f"{name}/", 0)
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.name in EXCLUDED:
                    continue
                child = f"{name}/{entry.name}"
                try:
                    est = entry.stat()  # follows a symbolic link, as --dereference does
                except FileNotFoundError:  # a link to nothing: tar skips it with a warning
                    continue
                if entry.is_dir():
                    if (est.st_dev, est.st_ino) not in here:
                        pending.append((entry.path, child, here))
                    continue
                files += 1
                size += est.st_size
                members += member(child, est.st_size)
    return SiteSize(files, folders, size, archive(members, record))
