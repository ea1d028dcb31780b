"""The commits of a pull request: what each would publish once merged, whatever the strategy.

History pins a version to the last first-parent commit holding it (history/reader.py). Merged
with a merge commit or squashed, a pull request adds one such commit: the final state, which
the gate checks. Rebased or fast-forwarded, every commit lands on main, so an earlier commit
holding a version the pull request does not end with (or a published version with other files)
would be published without any check, and a key any commit adds stays in the public history
whatever the strategy. These rules refuse both (issue 10). Five git processes read the whole
pull request (prefix, log, two tree listings, one `cat-file --batch`), never one per commit or
file; every output is read with -z, so no file name is quoted or split.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.checks.load import MANIFEST, MAX_MANIFEST_BYTES
from generator.checks.manifest import SEMVER_GRAMMAR
from generator.checks.problems import Problem
from generator.checks.rules import problem
from generator.checks.secrets import scan
from generator.checks.validate import Ref, UsageError
from generator.gitio import batch_blobs

_LOG = ["log", "-z", "-c", "--raw", "--no-renames", "--no-abbrev", "--reverse", "--topo-order"]
_FORMAT = "--format=\x1e%H%x00%P"
_NO_BLOB = "0" * 40
_GITLINK = "160000"
_SEMVER = re.compile(SEMVER_GRAMMAR, re.ASCII)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Every top-level `version:` line, quoted or not: the history reads the first such line.
_VERSION_LINE = re.compile(rb"""^version:[ \t]*(["']?)([^\s"'#]+)\1""", re.MULTILINE)
State = dict[str, str]
"""A folder's files: name inside the agent folder -> blob id."""


@dataclass
class _Commit:
    sha: str
    merge: bool
    changes: list[tuple[Ref, str, str | None, str]] = field(default_factory=list)
    """(agent, file name, new blob id or None when deleted, mode) for each changed file."""


@dataclass(frozen=True)
class _Repo:
    top: Path
    prefix: str
    """The catalog root inside the repository, "" or "sub/"."""

    def git(self, *args: str, stdin: bytes = b"") -> bytes:
        done = subprocess.run(["git", *args], cwd=self.top, input=stdin, capture_output=True)
        if done.returncode:
            message = done.stderr.decode(errors="replace").strip()
            raise UsageError(f"git {args[0]} failed: {message}")
        return done.stdout


def commit_problems(
    root: Path, base: str, head: str = "HEAD", only: Collection[Ref] | None = None
) -> list[Problem]:
    """Problems of the commits in `base..head` under agents/ (of the agents in `only`)."""
    where = _Repo(root, "").git("rev-parse", "--show-toplevel", "--show-prefix").decode()
    top, _, prefix = where.partition("\n")
    repo = _Repo(Path(top), prefix.strip())
    commits = list(_commits(repo, base, head))
    touched: dict[Ref, list[tuple[_Commit, list[tuple[str, str | None]]]]] = {}
    for commit in commits:
        for ref in dict.fromkeys(ref for ref, *_ in commit.changes):
            if only is None or ref in only:
                changes = [(name, new) for r, name, new, _ in commit.changes if r == ref]
                touched.setdefault(ref, []).append((commit, changes))
    if not touched:
        return []
    before, after = _tree(repo, base, touched), _tree(repo, head, touched)
    finals = {sha for state in after.values() for sha in state.values()}
    wanted = {s for state in (*before.values(), *after.values()) for s in state.values()}
    wanted |= {new for c in commits for _, _, new, mode in c.changes if new and mode != _GITLINK}
    blobs = _read_blobs(repo, wanted)
    versions = _Versions(blobs)
    found: list[Problem] = []
    for ref, commits_of in sorted(touched.items()):
        story = list(_replay(commits_of, before.get(ref, {})))
        found += _version_problems(ref, story, before.get(ref, {}), after.get(ref, {}), versions)
    return found + _secret_problems(commits, touched.keys(), finals, blobs)


def _commits(repo: _Repo, base: str, head: str) -> Iterator[_Commit]:
    """The pull request's commits under agents/, oldest first; merges with their own changes
    only (`-c`: the files that differ from every parent, such as a conflict's resolution)."""
    out = repo.git(*_LOG, _FORMAT, f"{base}..{head}", "--", repo.prefix + "agents")
    for block in out.decode("utf-8", errors="replace").split("\x1e")[1:]:
        sha, parents, *rest = block.split("\0")
        commit = _Commit(sha, len(parents.split()) > 1)
        tokens = iter(t.lstrip("\n") for t in rest)
        for meta in tokens:
            if not meta.startswith(":"):
                continue
            path = next(tokens, "")
            fields = meta.lstrip(":").split()
            mode, new = fields[(len(fields) - 1) // 2 - 1], fields[-2]
            place = _place(path, repo.prefix)
            if place:
                commit.changes.append((*place, None if new == _NO_BLOB else new, mode))
        yield commit


def _place(path: str, prefix: str) -> tuple[Ref, str] | None:
    """`agents/o/s/name` -> (("o", "s"), "name"); None outside an agent folder."""
    parts = path.removeprefix(prefix).split("/", 3)
    if len(parts) < 4 or parts[0] != "agents":
        return None
    return (parts[1], parts[2]), parts[3]


def _tree(repo: _Repo, rev: str, refs: Collection[Ref]) -> dict[Ref, State]:
    """The files of each agent folder in `refs` at `rev`."""
    out = repo.git("ls-tree", "-r", "-z", "--full-tree", rev, "--", repo.prefix + "agents")
    result: dict[Ref, State] = {}
    for entry in out.decode("utf-8", errors="replace").split("\0"):
        meta, _, path = entry.partition("\t")
        place = _place(path, repo.prefix)
        if place and place[0] in refs and len(meta.split()) == 3:
            result.setdefault(place[0], {})[place[1]] = meta.split()[2]
    return result


def _read_blobs(repo: _Repo, shas: Collection[str]) -> dict[str, bytes]:
    """Blob contents through one `git cat-file --batch`; objects not blobs are left out."""
    wanted = sorted(shas)
    out = repo.git("cat-file", "--batch", stdin="".join(s + "\n" for s in wanted).encode())
    return batch_blobs(out, wanted)


def _replay(
    changes: list[tuple[_Commit, list[tuple[str, str | None]]]], start: State
) -> Iterator[tuple[str, State]]:
    """The folder's state after each commit that touches it; not merges, which rebasing drops
    (merged with a merge commit, the pull request's commits are off the first-parent line)."""
    state = dict(start)
    for commit, files in changes:
        if commit.merge:
            continue
        for name, new in files:
            if new is None:
                state.pop(name, None)
            else:
                state[name] = new
        yield commit.sha, dict(state)


class _Versions:
    """The semantic versions the history could read in a manifest blob, once per blob."""

    def __init__(self, blobs: dict[str, bytes]) -> None:
        self.blobs = blobs
        self.known: dict[str, set[str]] = {}

    def __call__(self, state: State) -> set[str]:
        sha = state.get(MANIFEST, "")
        if sha not in self.known:
            self.known[sha] = _versions(self.blobs.get(sha))
        return self.known[sha]


def _versions(text: bytes | None) -> set[str]:
    """What history/manifests.py `read_version` could read, as a superset: every top-level
    version line, and the YAML value where the lines are not exactly one (as the history does).
    What the history refuses to read holds none: too large, binary, not UTF-8."""
    if text is None or len(text) > MAX_MANIFEST_BYTES or b"\0" in text:
        return set()
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return set()
    found = {m.group(2).decode() for m in _VERSION_LINE.finditer(text)}
    if len(found) != 1:
        try:
            data = yaml.load(text, Loader=_LOADER)
        except Exception:  # hostile text raises more than YAMLError (ValueError, RecursionError)
            data = None
        if isinstance(data, dict) and isinstance(data.get("version"), str):
            found.add(data["version"])
    return {v for v in found if len(v) <= 64 and _SEMVER.fullmatch(v)}


def _version_problems(
    ref: Ref, story: list[tuple[str, State]], base: State, final: State, versions: _Versions
) -> list[Problem]:
    """An earlier state would be published: it holds a version other than the final one and
    differs from the base, or it lost the manifest that the base and the final state hold."""
    rel = f"agents/{ref[0]}/{ref[1]}"
    text = versions.blobs.get(final.get(MANIFEST, ""))
    ends, published = versions(final), versions(base)
    where = _version_line(text) if text is not None else None
    path, line, col = (f"{rel}/{MANIFEST}", *where) if where else (rel, 0, 0)
    said: dict[str, tuple[str, str | None]] = {}
    """version ("" for a removal) -> message and fix, for the first commit that holds it."""
    for sha, state in story:
        if MANIFEST not in state and MANIFEST in base and MANIFEST in final:
            said.setdefault("", _removed(sha))
        if state != base:
            for version in sorted(versions(state) - ends):
                said.setdefault(version, _held(sha, version, published, ends))
    return [problem("version-intermediate", path, m, fix, line, col) for m, fix in said.values()]


def _removed(sha: str) -> tuple[str, str]:
    return (
        f"commit {sha[:12]} removes {MANIFEST}, which the final state keeps: merged by rebase or "
        "fast-forward, the agent's history would restart and its published versions lose their "
        "pages",
        f"squash the commits, or keep {MANIFEST} in every commit",
    )


def _held(sha: str, version: str, published: set[str], ends: set[str]) -> tuple[str, str | None]:
    if version not in published:
        return (
            f"commit {sha[:12]} sets version {version}, which this pull request does not publish "
            f"in the end: merged by rebase or fast-forward, {version} would be published with "
            "files no check saw",
            None,  # the rule's fix
        )
    then = f"set version {min(ends)}" if ends else "raise the version"
    return (
        f"commit {sha[:12]} changes the agent but keeps version {version}, already published: "
        f"merged by rebase or fast-forward, {version} would point at files no check saw",
        f"squash the commits, or {then} in the first commit that changes the agent",
    )


def _version_line(text: bytes) -> tuple[int, int] | None:
    """Line and column of the manifest's top-level version value."""
    match = re.search(rb"^version:[ \t]*", text, re.MULTILINE)
    if match is None:
        return None
    return text.count(b"\n", 0, match.start()) + 1, match.end() - match.start() + 1


def _secret_problems(
    commits: list[_Commit], refs: Collection[Ref], finals: set[str], blobs: dict[str, bytes]
) -> list[Problem]:
    """Key-shaped strings in the files the commits add, other than the final files (which the
    validator scans)."""
    found: list[Problem] = []
    seen = set(finals)
    for commit in commits:
        for ref, name, new, _ in commit.changes:
            if ref not in refs or new is None or new in seen or new not in blobs:
                continue
            seen.add(new)
            for key in scan(blobs[new].decode("utf-8", errors="replace")):
                found.append(
                    problem(
                        "secret-in-history",
                        f"agents/{ref[0]}/{ref[1]}/{name}",
                        f"commit {commit.sha[:12]} adds {key.kind} ({key.preview}) at line "
                        f"{key.line}: pushed commits are public, and merged or rebased this one "
                        "stays in the catalog's history",
                    )
                )
    return found
