"""Whether a build can prove nothing changed since the last one, from git and a stamp, cheaply.

A build reads the repository at HEAD (history, manifests, READMEs, settings, templates) plus
whatever is not committed yet, and the generator's code. `inputs_key` digests exactly that:
HEAD, `git status` of the tree (without the generated files) with the bytes of every changed
or untracked file, the generator's sources and the versions of the tools that shape the site.
After a build that succeeded, `catalog/.built.json` remembers the key and a marker of the site
it built (`site_marker`); a build whose key and site marker match has nothing to do. Anything
else (no git, a corrupt, stale or copied stamp, a site rebuilt or removed by hand) gives no
proof, and the build runs in full: a stamp can only ever skip work, never publish a stale page.
At 10,000 agents the check costs one `git rev-parse` and one `git status` (~0.3 s, mostly
git's stat of ~30,000 tracked files) against ~140 s for a build that proves it by rebuilding.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.site.green import code_digest, prove
from generator.site.write import GENERATED_DIRS

STAMP = ".built.json"
"""In the docs folder, next to the generator's `.generated.json`; git-ignored, never published."""
TOOLS = ("mkdocs", "mkdocs-material", "jinja2", "markdown-it-py", "nh3", "pydantic")
"""Distributions whose version changes the site's bytes (the generator's own code is hashed)."""
_GIT_ENV = {"GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}


def _tools() -> str:
    versions = []
    for name in TOOLS:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    return ";".join(versions) + f";python={sys.version_info[:3]}"


def _git(root: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=root,
            capture_output=True,
            env={**os.environ, **_GIT_ENV},
            check=False,
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


TOP_OUTPUTS = ("index.md", "browse.json", "feed.xml", ".sitemap.txt")
"""The generated files at the top of the docs folder (git-ignored, as GENERATED_DIRS are)."""


def _excluded(root: Path, docs: str, site_dir: Path, outputs: list[str]) -> list[str]:
    """Pathspecs of what the build writes: the generated folders and files, the site."""
    specs = [f":(exclude){docs}/{top}" for top in GENERATED_DIRS]
    top = sorted({*TOP_OUTPUTS, *(rel for rel in outputs if "/" not in rel)})
    specs += [f":(exclude,literal){docs}/{rel}" for rel in top]
    specs += [f":(exclude,literal){docs}/{name}" for name in (".generated.json", STAMP)]
    try:
        inside = site_dir.resolve().relative_to(root.resolve())
    except ValueError:
        inside = None
    if inside is not None and inside.parts:
        specs.append(f":(exclude,literal){inside.as_posix()}")
    return specs


def _status(root: Path, specs: list[str]) -> bytes | None:
    """`git status` of `specs`, untracked files included; b"" when nothing differs from HEAD."""
    options = ("--porcelain=v1", "-z", "--untracked-files=all", "--no-renames")
    return _git(root, "status", *options, "--", *specs)


def _changes(root: Path, status: bytes | None) -> hashlib._Hash | None:
    """A digest of `git status` (`_status`) with the bytes each changed or untracked file holds
    now (not only "modified": a second edit of a modified file changes the digest)."""
    if status is None:
        return None
    digest = hashlib.sha256(status + b"\0")
    for entry in status.split(b"\0"):
        rel = entry[3:].decode("utf-8", "surrogateescape")
        path = root / rel
        if len(entry) > 3 and path.is_file():
            digest.update(rel.encode("utf-8", "surrogateescape") + b"\0" + path.read_bytes())
    return digest


def inputs_key(root: Path, docs: str, site_dir: Path, outputs: list[str]) -> str | None:
    """Digest of everything a build reads, or None when git cannot tell (not a repository).

    `outputs` are the generated files of the last build (its top-level ones are excluded, as
    the generated folders are, so a build's own output never counts as a change)."""
    head = _git(root, "rev-parse", "--verify", "HEAD")
    specs = [".", *_excluded(root, docs, site_dir, outputs)]
    status = _status(root, specs)
    digest = _changes(root, status)
    if head is None or digest is None:
        return None
    code = code_digest(Path(__file__).parents[1])
    extra = [head.decode(), code, _tools(), os.environ.get("SOURCE_DATE_EPOCH", "")]
    digest.update("\0".join([*extra, str(site_dir.resolve())]).encode())
    key = digest.hexdigest()
    if status == b"":  # the build reads HEAD's tree as committed: a success proves HEAD green
        _COMMITTED[key] = (root, head.decode().strip())
    return key


_COMMITTED: dict[str, tuple[Path, str]] = {}
"""Inputs keys computed on a tree with nothing uncommitted -> (root, HEAD): `remember` proves
that commit green (`green.py`) after the build made a site from it."""


SITE_INPUTS = ("mkdocs.yml", "site-config")
"""Besides the docs folder's hand-written pages: what the site builder reads."""


def site_key(root: Path, docs: str, site_dir: Path, outputs: list[str]) -> str | None:
    """Digest of what mkdocs reads that the generator does not write: its settings, theme
    overrides and hooks, the hand-written pages (by git blob id, plus uncommitted changes)."""
    specs = [*SITE_INPUTS, docs, *_excluded(root, docs, site_dir, outputs)]
    listed = _git(root, "ls-files", "-s", "-z", "--", *specs)
    digest = _changes(root, _status(root, specs))
    if listed is None or digest is None:
        return None
    digest.update(listed + b"\0" + _tools().encode())
    return digest.hexdigest()


def site_marker(site_dir: Path) -> list[int] | None:
    """Identity of the built site: inode, size and time of the sitemap every mkdocs build
    rewrites (a site rebuilt, replaced or removed by anything else no longer matches)."""
    try:
        stat = os.stat(site_dir / "sitemap.xml")
        index = os.stat(site_dir / "index.html")
    except OSError:
        return None
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns, index.st_ino, index.st_mtime_ns]


def read_stamp(docs: Path) -> dict[str, Any]:
    """The last successful build's stamp; {} when missing or unreadable (a full build)."""
    return _json(docs / STAMP)


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def forget(docs: Path) -> None:
    """Drop the stamp before a build changes anything: an interrupted build proves nothing."""
    (docs / STAMP).unlink(missing_ok=True)


def remember(docs: Path, site_dir: Path, **fields: object) -> None:
    """Stamp a successful build of `site_dir`: its input keys, summary and report."""
    marker = site_marker(site_dir)
    if marker is None:
        return
    stamp = {"site": marker, **fields}
    docs.mkdir(parents=True, exist_ok=True)
    (docs / STAMP).write_text(json.dumps(stamp, sort_keys=True) + "\n", "utf-8")
    committed = _COMMITTED.get(str(fields.get("inputs")))
    if committed is not None:
        prove(*committed)


@dataclass
class Proof:
    """What the last build's stamp proves about this one (`check`)."""

    stamp: dict[str, Any] = field(default_factory=dict)
    inputs: str | None = None
    """This build's inputs key; None outside git (nothing can be proven, nothing is stamped)."""
    seconds: float = 0.0

    @property
    def unchanged(self) -> bool:
        """The last build made the site from these very inputs: nothing to do."""
        return (
            self.inputs is not None
            and self.stamp.get("inputs") == self.inputs
            and self.stamp.get("site") == self.stamp_site
            and isinstance(self.stamp.get("summary"), str)
            and isinstance(self.stamp.get("report"), str)
        )

    stamp_site: list[int] | None = None
    """The marker of the site as it is now (compared with the stamp's)."""

    def same_site_inputs(self, key: str | None) -> bool:
        """Whether mkdocs would read the same settings, theme and hand-written pages as for the
        site as it is (then only the generated files that changed need to reach it)."""
        return (
            key is not None
            and self.stamp.get("site_inputs") == key
            and self.stamp.get("site") == self.stamp_site
        )

    def summary(self) -> str:
        """The closing line of a build that had nothing to do."""
        return (
            f"nothing changed since the last build ({self.stamp['summary']}; "
            f"0 files written) in {self.seconds:.1f} s"
        )


def check(root: Path, docs: str, site_dir: Path, clean: bool) -> Proof:
    """Read the stamp and compute this build's inputs key (`--clean` trusts no stamp)."""
    started = time.perf_counter()
    state = _json(root / docs / ".generated.json")
    outputs = state.get("files")
    outputs = outputs if isinstance(outputs, list) else []
    stamp = {} if clean else read_stamp(root / docs)
    key = inputs_key(root, docs, site_dir, [o for o in outputs if isinstance(o, str)])
    proof = Proof(stamp, key, stamp_site=site_marker(site_dir))
    proof.seconds = time.perf_counter() - started
    return proof
