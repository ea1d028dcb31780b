"""Green commits: the commits whose whole catalog a full check proved green, kept under `.git/`.

The pull-request gate (`generator/gate.py`) judges only what a change touches when its base
commit is proven green: the gate's full path on a tree with nothing uncommitted, or a build that
made a site from such a tree, found no error in loading the whole catalog (every per-agent and
catalog-wide rule, history, moderation, settings) nor in rendering its catalog-wide files. A
proof is one small file per commit in `catalog-green/` of the git folder (never a change the
gate sees, gone with the clone), holding a key of what judged it: the generator's code and data
and the versions of the libraries it runs on. Another generator or library proves nothing: the
gate then takes its full path. A commit, not a tree, is proven: the history is part of what the
build renders (catalog/architecture.md, "Green pull request, green main").
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

FOLDER = "catalog-green"
FORMAT = 1
"""Bump when what a proof vouches for changes: older proofs then prove nothing."""
KEEP = 64
"""Proofs kept (the newest): a base older than that many green commits takes the full path."""
DISTRIBUTION = "public-agents-catalog"


def code_digest(package: Path) -> str:
    """Digest of every Python source and template of the generator package (a new release or a
    local edit of the generator re-runs the whole build)."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".html", ".yaml", ".json") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def git_output(root: Path, *args: str) -> bytes | None:
    """What `git args` prints in `root`, or None when it fails (not a repository, no git)."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=root,
            capture_output=True,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
            check=False,
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


@functools.cache
def judge_key() -> str:
    """Digest of what judges a catalog: the generator's code and data, its libraries' versions
    and Python's (a new release of any of them may judge an agent differently)."""
    # Imported here: `freshness` (and the no-op rebuild, before it imports the build) needs
    # only `prove` and `code_digest` of this module.
    from generator.checks.capabilities import TABLE
    from generator.checks.plugins import REGISTRY_DIR

    digest = hashlib.sha256(f"{FORMAT}\0{code_digest(Path(__file__).parents[1])}\0".encode())
    for path in [TABLE, *sorted(REGISTRY_DIR.rglob("*"))]:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(_versions().encode())
    return digest.hexdigest()


def _versions() -> str:
    """`name=version` of every runtime dependency of the generator's distribution, and Python."""
    try:
        requires = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:  # not installed: nothing vouches for the libraries
        requires = ["-"]
    pairs = []
    for name in sorted({_name(r) for r in requires if "extra ==" not in r}):
        try:
            pairs.append(f"{name}={metadata.version(name)}")
        except (metadata.PackageNotFoundError, ValueError):
            pairs.append(f"{name}=-")
    return ";".join(pairs) + f";python={sys.version_info[:3]}"


def _name(requirement: str) -> str:
    """The distribution name a requirement line starts with (`pyyaml>=6` -> `pyyaml`)."""
    end = next((i for i, c in enumerate(requirement) if not (c.isalnum() or c in "-_.")), None)
    return requirement[:end].strip()


def _where(root: Path) -> tuple[Path, str] | None:
    """`catalog-green/` in the repository's common git folder (shared by its worktrees), and
    where the catalog sits in the repository ("" at the top); one git call."""
    found = git_output(
        root, "rev-parse", "--path-format=absolute", "--git-common-dir", "--show-prefix"
    )
    lines = found.decode().split("\n") if found else []
    return (Path(lines[0], FOLDER), lines[1]) if len(lines) >= 2 and lines[0] else None


def prove(root: Path, commit: str) -> Path | None:
    """Record that `commit` is green for this generator; the oldest proofs beyond KEEP go."""
    where = _where(root)
    if where is None or not commit:
        return None
    folder, prefix = where
    stamp = {"commit": commit, "key": judge_key(), "prefix": prefix}
    try:
        folder.mkdir(exist_ok=True)
        path = folder / f"{commit}.json"
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(stamp, sort_keys=True) + "\n", "utf-8")
        temporary.replace(path)
        proofs = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
        for old in proofs[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:  # a read-only git folder: nothing is proven, the next gate runs in full
        return None
    return path


def proven(root: Path, commit: str) -> Path | None:
    """The proof that `commit` is green for this very generator, or None."""
    where = _where(root)
    if where is None or len(commit) != 40:
        return None
    folder, prefix = where
    path = folder / f"{commit}.json"
    try:
        stamp = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    same = (
        isinstance(stamp, dict)
        and stamp.get("commit") == commit
        and stamp.get("key") == judge_key()
        and stamp.get("prefix") == prefix
    )
    return path if same else None
