"""The pull-request gate: every check the build runs, on the merge result of a pull request.

`catalog validate --base REV --author LOGIN` runs `gate`. It is the build's own path up to the
writer, in memory: the rules of the change against its base (`checks.change`: versions, owners,
who may change what), then the build's load of the whole catalog (`catalog.assemble`: every
per-agent and catalog-wide rule, history, moderation, settings), then the build's rendering of
each touched agent's pages and of the catalog-wide files (`site.check`). The build calls the
same functions and stops on the same problem lines, so a pull request that passes the gate
builds (catalog/architecture.md, "Green pull request, green main").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from generator.catalog.assemble import load_catalog
from generator.catalog.changes import between
from generator.catalog.model import Agent
from generator.checks.change import validate_change
from generator.checks.problems import Problem, agent_of
from generator.checks.rules import problem
from generator.checks.validate import Ref, Report
from generator.site import render
from generator.site.check import render_problems


def gate(
    root: Path,
    base: str,
    author: str | None,
    only: list[Ref] | None = None,
    maintainer: bool = False,
) -> Report:
    """Judge the working tree (the merge result) against `base`, as the build would."""
    change = validate_change(root, base, author, only, maintainer)
    if not change.ok:
        return _strict(change.problems, change)
    loaded = load_catalog(root)
    found = set(change.problems) | set(loaded.report.problems)
    catalog = loaded.catalog
    if catalog is not None:
        touched = [catalog.by_ref[a.ref] for a in change.agents if a.ref in catalog.by_ref]
        renderer = render.Renderer(root, catalog, render.Slots.load())
        found.update(render_problems(renderer, touched, {}))
        found.update(p for agent in touched if (p := _changed(agent)))
    return _strict(found, change)


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
