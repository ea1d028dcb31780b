"""Rules that compare the working tree with a base revision: versions, owners, who may change what.

Used for pull requests: `catalog validate --base <sha> --author <login>`. A handful of git calls
for the whole change, plus one per touched agent, never one per agent of the catalog. Every
changed path is judged (checks/paths.py), and agents that reference a deleted one are checked.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import git
import semver
import yaml

from generator.checks.agent import Agent
from generator.checks.commits import commit_problems
from generator.checks.load import MANIFEST, list_folder
from generator.checks.lookalike import Lookalikes
from generator.checks.owners import OWNERS, owner_logins, owner_record_problems
from generator.checks.owners_change import read_moves, read_owners, records_problems
from generator.checks.paths import (
    ABSENT,
    ChangedPath,
    changed_paths,
    parse_raw,
    path_problems,
    untracked_modes,
)
from generator.checks.permissions import Owners, agent_problems, transfer_problems
from generator.checks.problems import Problem
from generator.checks.rules import problem
from generator.checks.validate import Ref, Report, UsageError, discover, validate

Change = Literal["added", "modified", "deleted"]


@dataclass(frozen=True)
class BaseAgent:
    """An agent as it stood at the base revision."""

    owner: str | None
    maintainers: tuple[str, ...]
    version: str | None
    published: frozenset[str]


def open_repo(root: Path, base: str) -> tuple[git.Repo, str]:
    """The repository holding `root`, and `base` resolved to a commit sha."""
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise UsageError(f"--base needs a git repository, and {root} is not in one") from None
    try:
        sha = repo.git.rev_parse("--verify", "--quiet", f"{base}^{{commit}}")
    except git.GitCommandError:
        raise UsageError(f"--base {base}: unknown revision (fetch full history?)") from None
    return repo, sha


def read_changes(repo: git.Repo, root: Path, base: str) -> list[ChangedPath]:
    """Every path of the repository that differs between `base` and the working tree, with its
    git modes: the index (where a gitlink shows even without its folder), the working tree over
    it, then untracked files. Read with -z: names come as bytes, never quoted."""
    top = Path(repo.working_tree_dir or ".")
    raw = {"stdout_as_string": False, "strip_newline_in_stdout": False}
    entries: list[tuple[str, str, bytes]] = []
    for cached in (["--cached"], []):
        diff = repo.git.diff(
            "--raw",
            "-z",
            "--no-renames",
            "--no-abbrev",
            "--ignore-submodules=none",
            "--no-relative",
            *cached,
            base,
            "--",
            **raw,
        )
        entries.extend(parse_raw(diff))
    others = repo.git.ls_files("-z", "--others", "--exclude-standard", **raw)
    entries.extend(untracked_modes(others, top))
    return changed_paths(entries, top, root)


def changed_agents(
    repo: git.Repo, root: Path, base: str, paths: list[ChangedPath]
) -> dict[Ref, Change]:
    """Agents whose folder differs between `base` and the working tree (untracked files too)."""
    prefix = Path(root).resolve().relative_to(Path(repo.working_tree_dir or ".").resolve())
    agents_dir = (prefix / "agents").as_posix().removeprefix("./")
    touched = sorted({changed.agent for changed in paths if changed.agent})
    result: dict[Ref, Change] = {}
    for owner, slug in touched:
        now = (root / "agents" / owner / slug).is_dir()
        before = _show(repo, base, f"{agents_dir}/{owner}/{slug}/{MANIFEST}") is not None
        # Neither a folder now nor an agent before (a stray file, a gitlink where an agent
        # would be): judged as a change to that place, never as someone's deletion.
        change: Change = (
            "deleted" if before and not now else "added" if now and not before else "modified"
        )
        result[(owner, slug)] = change
    return result


def _show(repo: git.Repo, rev: str, path: str) -> str | None:
    try:
        return str(repo.git.show(f"{rev}:{path}"))
    except git.GitCommandError:
        return None


def base_agent(repo: git.Repo, root: Path, base: str, ref: Ref) -> BaseAgent | None:
    """Owner, maintainers, version and every version ever published at `base`."""
    prefix = Path(root).resolve().relative_to(Path(repo.working_tree_dir or ".").resolve())
    path = (prefix / "agents" / ref[0] / ref[1] / MANIFEST).as_posix().removeprefix("./")
    log = repo.git.log("--format=", "-p", "-U0", "--no-renames", base, "--", path)
    published = frozenset(
        line.split(":", 1)[1].strip().strip("'\"")
        for line in log.splitlines()
        if line.startswith("+version:")
    )
    text = _show(repo, base, path)
    data = _safe_yaml(text) if text is not None else None
    if not isinstance(data, dict):
        return BaseAgent(None, (), None, published) if published else None
    maintainers = data.get("maintainers")
    return BaseAgent(
        _str(data.get("owner")),
        tuple(m for m in maintainers if isinstance(m, str))
        if isinstance(maintainers, list)
        else (),
        _str(data.get("version")),
        published,
    )


def _safe_yaml(text: str) -> object:
    """The base's manifest, or None when it does not load: constructing a value raises
    ValueError or OverflowError on `2026-13-45` or a 5,000-digit number, not only YAMLError."""
    try:
        return yaml.safe_load(text)
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError):
        return None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def change_problems(
    agent: Agent | None,
    ref: Ref,
    change: Change,
    before: BaseAgent | None,
    author: str | None,
    owners: Owners | None = None,
) -> list[Problem]:
    """Version, owner and permission rules for one touched agent (checks/permissions.py)."""
    rel = f"agents/{ref[0]}/{ref[1]}"
    found: list[Problem] = []
    if author:
        judged = owners or Owners({}, {})
        found.extend(agent_problems(rel, ref, change, before, author.lower(), judged))
    if agent is None or agent.manifest is None or before is None:
        return found
    manifest = agent.manifest
    path = f"{rel}/{MANIFEST}"
    at = agent.doc.position if agent.doc else (lambda *_: (0, 0))
    if before.owner and manifest.owner != before.owner:
        found.append(
            problem(
                "owner-changed",
                path,
                f"owner changed from {before.owner!r} to {manifest.owner!r}",
                line=at(("owner",))[0],
                col=at(("owner",))[1],
            )
        )
    found.extend(_version_problems(manifest.version, before, path, at(("version",))))
    return found


def _version_problems(
    version: str, before: BaseAgent, path: str, where: tuple[int, int]
) -> list[Problem]:
    if before.version and _parse(before.version):
        old, new = _parse(before.version), _parse(version)
        if new is not None and old is not None and new <= old:
            bump = str(old.bump_patch())
            rule = "version-not-bumped" if new == old else "version-downgrade"
            what = "is still" if new == old else "is lower than the published"
            return [
                problem(
                    rule,
                    path,
                    f"the agent changed but version {version} {what} {before.version}",
                    f"set version: {bump} or higher",
                    *where,
                )
            ]
    if version in before.published:
        return [
            problem(
                "version-republished",
                path,
                f"version {version} was already published with other content",
                line=where[0],
                col=where[1],
            )
        ]
    return []


def _parse(version: str) -> semver.Version | None:
    try:
        return semver.Version.parse(version)
    except ValueError:
        return None


def validate_change(
    root: Path,
    base: str,
    author: str | None,
    only: list[Ref] | None,
    maintainer: bool = False,
    paths: list[ChangedPath] | None = None,
) -> Report:
    """Validate the agents touched since `base` (or `only`), plus the rules of the change: every
    changed path, and the agents that reference one the change deletes or moves. `paths` are
    `read_changes` of that base when the caller has read them already."""
    repo, sha = open_repo(root, base)
    if paths is None:
        paths = read_changes(repo, root, sha)
    changes = changed_agents(repo, root, sha, paths)
    refs, _ = discover(root)
    present = set(refs)
    targets = sorted(r for r in changes if r in present) if only is None else only
    removed = [f"{o}/{s}" for (o, s), change in changes.items() if change == "deleted"]
    # Owner records: all of them when the change touches owners/; else the touched agents'
    # owners' and, when a namespace comes or goes, those of the logins that look like it (what
    # that can change), judged against every login. All 1,600 took ~2 s at 10,000 agents.
    every = any(c.path.split("/")[0] == OWNERS for c in paths)
    report = validate(root, targets, removed=removed, every_record=every)
    by_ref = {(a.owner, a.slug): a for a in report.agents}
    found = list(report.problems)
    if not every:
        seen = {owner for owner, _ in targets}
        found.extend(_near_records(root, refs, _namespaces_changed(root, changes), seen))
    owners = read_owners(repo, root, sha)
    # A move is an agent.yaml renamed: without one deleted, git finds none (0.15 s saved).
    gone = any(c.new_mode == ABSENT and c.path.endswith(f"/{MANIFEST}") for c in paths)
    moved = read_moves(repo, root, sha) if gone else {}
    moves = {new: old for new, old in moved.items() if new in changes}
    for ref, change in changes.items():
        if only is not None and ref not in only and change != "deleted":
            continue
        if ref in moves.values():
            continue  # judged as the transfer, at its new place
        if ref in moves:
            found.extend(
                _transfer(repo, root, sha, moves[ref], ref, by_ref.get(ref), author, owners)
            )
            continue
        before = base_agent(repo, root, sha, ref)
        found.extend(change_problems(by_ref.get(ref), ref, change, before, author, owners))
    if author:
        found.extend(records_problems(paths, owners, author, maintainer))
    judged = [c for c in paths if only is None or c.agent in only]
    found.extend(_unreported(path_problems(judged, author, maintainer), found))
    found.extend(commit_problems(root, sha, only=only))  # what its commits would publish
    return Report(report.checked, tuple(sorted(found)), report.agents)


def _namespaces_changed(root: Path, changes: dict[Ref, Change]) -> set[str]:
    """Touched owners whose namespace appears or goes with the change (no agent folder now, or
    only ones it adds): the only ones that change which logins publish agents."""
    found = set()
    for owner in sorted({owner for owner, _ in changes}):
        folder = root / "agents" / owner
        now = (
            {e.name for e in list_folder(folder) if e.is_dir(follow_symlinks=False)}
            if (folder.is_dir() and not folder.is_symlink())
            else set()
        )
        added = {slug for (o, slug), change in changes.items() if o == owner and change == "added"}
        if now <= added:
            found.add(owner)
    return found


def _near_records(root: Path, refs: list[Ref], owners: set[str], judged: set[str]) -> list[Problem]:
    """The problems of the touched owners' records and of those whose login looks like one
    (but the `judged` ones): a namespace that appears or goes changes their verdict."""
    present = {owner for owner, _ in refs}
    listed = owner_logins(root)[0]
    logins = present | set(listed) | owners
    index = Lookalikes.of({o: o for o in logins}, {o: o for o in logins})
    near = {k for o in owners for k in (*index.confusable(o), *index.lookalike(o))}
    scope = ((near | owners) & set(listed)) - judged
    return owner_record_problems(root, present, scope) if scope else []


def _transfer(
    repo: git.Repo,
    root: Path,
    base: str,
    old: Ref,
    new: Ref,
    agent: Agent | None,
    author: str | None,
    owners: Owners,
) -> list[Problem]:
    """A moved agent: the author speaks for both namespaces (issue 15), and its version rises
    above the one published at the old place, whose versions and lineage it keeps."""
    before = base_agent(repo, root, base, old)
    found = transfer_problems(old, new, before, author.lower(), owners) if author else []
    if old[0] == new[0]:  # a new slug in the same namespace: the same agent, as before
        return found
    kept = replace(before, owner=new[0]) if before else None  # the owner changes by design
    return found + change_problems(agent, new, "modified", kept, None)


def _unreported(problems: list[Problem], found: list[Problem]) -> list[Problem]:
    """Path problems the agent checks did not already give (a symlink in an agent folder)."""
    seen = {(p.path, p.rule) for p in found}
    return [p for p in problems if (p.path, p.rule) not in seen]
