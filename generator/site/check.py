"""Rendering as a check: an agent whose pages cannot be rendered is a located problem.

The pull-request gate (`generator/gate.py`) renders what a pull request touches with these
functions, and the build renders every agent through the same ones, so both stop on the same
problem line -- never a traceback, never a gate that passes a pull request the build refuses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from generator.catalog.model import Agent
from generator.checks.problems import Problem
from generator.checks.rules import problem
from generator.site import render
from generator.site.incremental import FILES, PAGE
from generator.site.outputs import Outputs, agent_files, agent_page, catalog_outputs

Rendered = tuple[Outputs, Problem | None]


def render_agent(
    renderer: render.Renderer, agent: Agent, kind: str, related: Sequence[str]
) -> Rendered:
    """One part of an agent (`files` or `page`), or the problem that stopped it."""
    try:
        files = (
            agent_page(renderer, agent, related) if kind == PAGE else agent_files(renderer, agent)
        )
    except Exception as err:  # whatever the author's text breaks, it is located
        return {}, failed(f"agents/{agent.ref}", err)
    return files, None


def render_catalog(renderer: render.Renderer) -> Rendered:
    """The catalog-wide files (listings, API listings, feed, search index), or the problem."""
    try:
        return catalog_outputs(renderer), None
    except Exception as err:  # see render_agent
        return {}, failed("agents", err)


def render_problems(
    renderer: render.Renderer, agents: Iterable[Agent], related: Mapping[str, Sequence[str]]
) -> list[Problem]:
    """Render the agents' pages and the catalog-wide files in memory; what failed, located."""
    found = []
    for agent in agents:
        for kind in (FILES, PAGE):
            found.append(render_agent(renderer, agent, kind, related.get(agent.ref, ()))[1])
    found.append(render_catalog(renderer)[1])
    return [p for p in found if p is not None]


def failed(path: str, err: Exception) -> Problem:
    """The `render-failed` problem for an exception raised while rendering `path`."""
    reason = " ".join(f"{type(err).__name__}: {err}".split())[:300]
    return problem("render-failed", path, f"its pages cannot be rendered ({reason})")
