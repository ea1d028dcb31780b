"""The pull-request gate: every check the build runs, on the merge result of a pull request.

`catalog validate --base REV --author LOGIN` runs `gate`. It is the build's own path up to the
writer, in memory: the rules of the change against its base (`checks.change`: versions, owners,
who may change what, and every rule of the touched agents against every other agent), then the
build's load of the catalog (`catalog.assemble`: history, moderation, settings), then the
build's rendering of each touched agent's pages and of the catalog-wide files (`site.check`).
The build calls the same functions and stops on the same problem lines, so a pull request that
passes the gate builds (catalog/architecture.md, "Green pull request, green main").

Two paths give the same verdict and the same errors. The full path loads and renders the whole
catalog (~45 s at 10,000 agents). When the base commit is proven green (`site.green`: a full
gate or a build found it without error, with this very generator) and the change touches
agent folders only, nothing outside the touched agents can have changed its verdict, so the fast
path reads the history of their folders alone and renders them and the catalog-wide files over
a catalog of just them (`catalog.partial`). On any doubt it takes the full path, which then
proves its own commit green when it judged a tree with nothing uncommitted.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from generator.catalog.assemble import history_problems, load_catalog
from generator.catalog.changes import between
from generator.catalog.model import Agent, Catalog
from generator.catalog.partial import partial_catalog
from generator.catalog.settings import SettingsError
from generator.checks.agent import Agent as Checked
from generator.checks.agent import load_agent
from generator.checks.change import open_repo, validate_change
from generator.checks.paths import ChangedPath, changed_paths, parse_raw, untracked_modes
from generator.checks.problems import Problem, agent_of
from generator.checks.rules import problem
from generator.checks.validate import Ref, Report, UsageError
from generator.history.reader import HistoryError, head_commit
from generator.history.slice import read_slice
from generator.site import green, render
from generator.site.builder import SiteError
from generator.site.check import render_problems
from generator.site.green import git_output

FAILURES = (HistoryError, SettingsError, SiteError)
"""What stops the gate with one message, as it stops the build (`site.build.FAILURES`): the gate
loads like the build, without importing the build's site step."""


@dataclass(frozen=True)
class Verdict:
    """The gate's report, and which path judged it (for the line `catalog validate` prints)."""

    report: Report
    proof: Path | None
    """The base's green proof when the fast path judged; None on the full path."""
    why: str
    """Why that path, in a few words."""

    def line(self) -> str:
        """One line for people: which path judged the pull request, and why."""
        if self.proof is not None:
            return f"gate: {self.why} ({self.proof}): judged what the change touches"
        return f"gate: whole catalog loaded: {self.why}"


@dataclass(frozen=True)
class Scope:
    """What the fast path judges: the base's proof and the agent folders the change touches."""

    proof: Path
    refs: frozenset[str]
    """owner/slug of every folder changed in the working tree or in a commit since the base."""


def gate(
    root: Path,
    base: str,
    author: str | None,
    only: list[Ref] | None = None,
    maintainer: bool = False,
) -> Report:
    """Judge the working tree (the merge result) against `base`, as the build would."""
    return judge(root, base, author, only, maintainer).report


def judge(
    root: Path,
    base: str,
    author: str | None,
    only: list[Ref] | None = None,
    maintainer: bool = False,
    fast: bool = True,
) -> Verdict:
    """`gate`, saying which path judged (`fast=False` forces the full one, for comparisons)."""
    repo, sha = open_repo(root, base)
    paths = read_changes(Path(repo.working_tree_dir or "."), root, sha)
    change = validate_change(root, sha, author, only, maintainer, paths)
    if not change.ok:
        return Verdict(_strict(change.problems, change), None, "the change has errors")
    scope = fast_scope(root, sha, only, paths) if fast else "asked for the full path"
    if isinstance(scope, Scope):
        found = _touched(root, change, scope)
        if found is not None:
            why = f"base {scope.proof.stem[:12]} is proven green"
            return Verdict(_strict(found, change), scope.proof, why)
        scope = "a touched agent folder was moved in the history"
    return Verdict(_strict(_full(root, change), change), None, scope)


def read_changes(top: Path, root: Path, sha: str) -> list[ChangedPath]:
    """`checks.change.read_changes`, its three git commands run side by side: the working
    tree's diff stats every tracked file while the walk for untracked files reads every folder
    (at 10,000 agents ~0.1 s and ~0.15 s, one after the other before)."""
    diff = ("diff", "--raw", "-z", "--no-renames", "--no-abbrev", "--ignore-submodules=none")
    commands = [
        (*diff, "--no-relative", "--cached", sha, "--"),
        (*diff, "--no-relative", sha, "--"),
        ("ls-files", "-z", "--others", "--exclude-standard"),
    ]
    running = [
        subprocess.Popen(["git", *c], cwd=top, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for c in commands
    ]
    outputs = []
    for command, process in zip(commands, running, strict=True):
        out, err = process.communicate()
        if process.returncode:
            message = err.decode("utf-8", "replace").strip()
            raise UsageError(f"git {command[0]} failed: {message}")
        outputs.append(out)
    cached, worktree, others = outputs
    entries = [*parse_raw(cached), *parse_raw(worktree), *untracked_modes(others, top)]
    return changed_paths(entries, top, root)


def fast_scope(
    root: Path, sha: str, only: list[Ref] | None, paths: list[ChangedPath]
) -> Scope | str:
    """The fast path's scope, or why the full path judges: the base commit `sha` is proven
    green, it is HEAD's first-parent ancestor, and every path changed since (`paths`,
    `read_changes`) is inside an agent folder."""
    if only is not None:
        return "PATHS given"
    proof = green.proven(root, sha)
    if proof is None:
        return f"base {sha[:12]} is not proven green by this generator"
    since = _since(root, sha)
    if since is None:
        return f"base {sha[:12]} is not a first-parent ancestor of HEAD"
    refs = set(since)
    for changed in paths:
        if changed.agent is None:
            return f"{changed.path} is outside agent folders"
        refs.add("/".join(changed.agent))
    return Scope(proof, frozenset(refs))


def _since(root: Path, base: str) -> set[str] | None:
    """Agent folders the commits base..HEAD touch, or None when HEAD does not descend from
    `base` along first parents (its history would not be the base's plus those commits)."""
    head = head_commit(root)
    if head == base:
        return set()
    chain = git_output(root, "rev-list", "--first-parent", "--parents", f"{base}..HEAD")
    lines = chain.decode().split("\n") if chain else []
    last = lines[-2].split() if len(lines) >= 2 else []
    if len(last) < 2 or last[1] != base:
        return None
    options = ("--first-parent", "--format=", "--name-only", "-z", "--no-renames", "--relative")
    names = git_output(root, "log", *options, f"{base}..HEAD", "--", ":(literal)agents")
    parts = [n.split("/") for n in (names or b"").decode("utf-8", "replace").split("\0")]
    return {f"{p[1]}/{p[2]}" for p in parts if len(p) >= 4 and p[0] == "agents"}


def _touched(root: Path, change: Report, scope: Scope) -> set[Problem] | None:
    """The fast path: the touched agents' history, pages and share of the catalog-wide files;
    None when their history cannot be read apart from the rest."""
    checked = {a.ref: a for a in change.agents}
    for ref in sorted(scope.refs - checked.keys()):  # changed by commits, as at the base
        owner, _, slug = ref.partition("/")
        if (root / "agents" / owner / slug / "agent.yaml").is_file():
            checked[ref] = load_agent(root, owner, slug)
    for ref in sorted(_linked(checked.values()) - checked.keys()):
        owner, _, slug = ref.partition("/")
        if (root / "agents" / owner / slug).is_dir():
            checked[ref] = load_agent(root, owner, slug)
    history = read_slice(root, scope.refs | checked.keys())
    if history is None:
        return None
    catalog = partial_catalog(root, list(checked.values()), history)
    found = set(change.problems) | set(history_problems(history))
    touched = [catalog.by_ref[a.ref] for a in change.agents if a.ref in catalog.by_ref]
    found.update(render_problems(_renderer(root, catalog), touched, {}))
    found.update(p for agent in touched if (p := _changed(agent)))
    return found


def _linked(agents: Iterable[Checked]) -> set[str]:
    """The agents the given ones link to (forked_from, deprecated.replacement): their pages show
    those agents' names, markers and latest versions."""
    linked = set()
    for agent in agents:
        manifest = agent.manifest
        if manifest is None:
            continue
        if manifest.forked_from:
            linked.add(manifest.forked_from.partition("@")[0])
        if manifest.deprecated and manifest.deprecated.replacement:
            linked.add(manifest.deprecated.replacement)
    return {ref for ref in linked if ref.count("/") == 1 and ".." not in ref}


def _full(root: Path, change: Report) -> set[Problem]:
    """The full path: the build's whole load and the catalog-wide renders; a green result on a
    tree with nothing uncommitted proves HEAD green for the next pull requests."""
    loaded = load_catalog(root)
    found = set(change.problems) | set(loaded.report.problems)
    catalog = loaded.catalog
    if catalog is None:
        return found
    touched = [catalog.by_ref[a.ref] for a in change.agents if a.ref in catalog.by_ref]
    rendered = render_problems(_renderer(root, catalog), touched, {})
    found.update(rendered)
    found.update(p for agent in touched if (p := _changed(agent)))
    if loaded.report.ok and not rendered and _committed(root):
        green.prove(root, catalog.head_commit)
    return found


def _renderer(root: Path, catalog: Catalog) -> render.Renderer:
    """The build's renderer, with jinja2's bytecode cache (a folder of this user's in the
    temporary folder; a template is compiled again when its text changes): compiling the
    page templates was ~50 ms of CPU of every gate."""
    renderer = render.Renderer(root, catalog, render.Slots.load())
    with contextlib.suppress(OSError, RuntimeError):  # no safe folder: compile as before
        renderer.env.bytecode_cache = jinja2.FileSystemBytecodeCache()
    return renderer


def _committed(root: Path) -> bool:
    """Whether the catalog's tree is HEAD's, nothing modified or untracked (ignored files aside)."""
    status = git_output(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", ".")
    return status == b""


def _changed(agent: Agent) -> Problem | None:
    """A notice saying what the agent's new version changes from its last published one."""
    before = [v for v in agent.versions if v.version != agent.manifest.version]
    d = between(before[-1].character if before else None, agent.character)
    if not d:
        return None
    path = f"agents/{agent.ref}/{agent.manifest.character}"
    return problem("capability-change", path, "; ".join(d.lines()))


def _strict(found: Iterable[Problem], change: Report) -> Report:
    """`catalog new`'s placeholder text and a missing `financial` declaration, warnings while an
    author works, are errors in a pull request that changes the agent (issues 12 and 14)."""
    touched = {f"agents/{a.ref}" for a in change.agents}
    problems = {
        replace(p, severity="error")
        if p.rule in ("placeholder-text", "financial-missing") and agent_of(p.path) in touched
        else p
        for p in found
    }
    return Report(change.checked, tuple(sorted(problems)), change.agents)
