"""Load the agents a validation checks: from `catalog serve`'s cache, with their problems from
the verdict store, or checked, in forked workers when there are many.

The per-agent checks read one folder each, so a cold `catalog validate` of 10,000 agents
(~0.75 ms each) splits over the cores: forked workers check chunks of agents and send them back
pickled, as plain values (`checks/checked.py`): whole `Agent`s for the build and the gate, a
`Brief` of each for `catalog validate`, which prints problems alone (~0.6 KB against ~1.1 KB a
realistic agent, and nothing to rebuild here). They come back in the order asked, each with
the problems a check here gives, so the report is the same.
One core, a handful of agents, or another thread running (`catalog serve` watches files; a fork
would copy its held locks): they are checked here, one by one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import cast

from generator.checks.agent import Agent, load_agent
from generator.checks.checked import Brief
from generator.checks.load import list_folder
from generator.checks.lookalike import Facts, name_facts
from generator.checks.verdicts import Verdicts
from generator.parallel import Workers

Ref = tuple[str, str]
AgentCache = dict[Ref, tuple[tuple[tuple[str, int, int], ...], Agent]]
FORK_FROM = 200
"""Fewer agents to check than this are checked here: a pool costs ~0.1 s to start, and 200
realistic agents take ~0.5 s."""
CHUNKS = 16
"""Chunks per worker (of 100 agents or more): one worker may end its last chunk while the other
still checks one, on one core: with four a worker (1,250 agents each at 10,000) that was up to
~1 s. What a chunk costs beyond its agents (a task sent, a result received) is small beside the
~0.25 s its ~310 agents take (at 10,000, two workers); the last chunks are smaller
(`parallel.chunk_sizes`: ~0.1 s of 100 agents), so the workers end within ~0.05 s of each
other instead of ~0.25 s."""


def load_agents(
    root: Path,
    refs: list[Ref],
    cache: AgentCache | None,
    verdicts: Verdicts | None,
    meanwhile: Callable[[], object] = lambda: None,
    facts: Facts | None = None,
) -> list[Agent]:
    """The agents `refs` names, in that order: reused from `cache` when no file of the folder
    changed since, read with their stored problems when `verdicts` holds them, else checked.
    `meanwhile()` runs here while forked workers check (and not at all without them); git's
    listing for the store is read then too, when nothing stored needed it. `facts` gets the
    `name_facts` of each checked agent's slug, name and owner, computed where it is checked."""
    return cast(list[Agent], _load(root, refs, cache, verdicts, meanwhile, False, facts))


def load_briefs(
    root: Path,
    refs: list[Ref],
    verdicts: Verdicts | None,
    meanwhile: Callable[[], object] = lambda: None,
    facts: Facts | None = None,
) -> list[Brief]:
    """What the cross-agent rules read of the agents `refs` names (`Brief`), as `load_agents`
    gets them, for `catalog validate`, which prints problems alone: the forked checks keep no
    character and README (`load_agent`'s `lean`) and send briefs back, and a stored verdict's
    agent reads its manifest alone."""
    return cast(list[Brief], _load(root, refs, None, verdicts, meanwhile, True, facts))


def _load(
    root: Path,
    refs: list[Ref],
    cache: AgentCache | None,
    verdicts: Verdicts | None,
    meanwhile: Callable[[], object],
    lean: bool,
    facts: Facts | None,
) -> list[Agent | Brief]:
    found: dict[Ref, Agent | Brief] = {}
    signatures = {}
    if cache is not None:
        for ref in refs:
            signatures[ref] = _signature(root / "agents" / ref[0] / ref[1])
            hit = cache.get(ref)
            if hit is not None and hit[0] == signatures[ref]:
                found[ref] = hit[1]
    todo = [ref for ref in refs if ref not in found]
    unchecked = []
    for ref in todo:
        stored = verdicts.get(ref) if verdicts else None
        if stored is None:
            unchecked.append(ref)
            continue
        agent = load_agent(root, *ref, check=False, lean=lean)
        agent.problems = stored
        found[ref] = Brief.of(agent) if lean else agent

    def beside() -> None:
        if verdicts and unchecked:
            verdicts.list_folders()  # the keys of the verdicts to keep
        meanwhile()

    for checked in _checked(root, unchecked, beside, lean, facts):
        found[checked.owner, checked.slug] = checked
        if verdicts:
            verdicts.put((checked.owner, checked.slug), checked.problems)
    if cache is not None:
        for ref in todo:
            whole = found[ref]
            assert isinstance(whole, Agent)  # a cache is `load_agents`' alone
            cache[ref] = (signatures[ref], whole)
    return [found[ref] for ref in refs]  # all agents, or all briefs


def _checked(
    root: Path,
    refs: list[Ref],
    beside: Callable[[], object],
    lean: bool = False,
    facts: Facts | None = None,
) -> list[Agent | Brief]:
    """`load_agent` of each ref (a `Brief` of it when `lean`), in order: in forked workers when
    there are many, while this process runs `beside()` (~0.8 s of git and ~0.5 s of owner
    records at 10,000 agents that were spent before and after the workers' ~5 s on two cores);
    with `facts`, their names'."""
    many = len(refs) >= FORK_FROM  # a few agents' names: after the skeleton store is read
    _SENT.clear()
    job = functools.partial(_check_chunk, lean=lean, names=many and facts is not None)
    workers = Workers(job, many)
    first = [job(str(root), refs[:1])] if workers.parallel else []  # see `_check_chunk`
    with workers:  # the job is inherited by the fork, not pickled
        workers.submit(str(root), refs[len(first) :], CHUNKS, least=FORK_FROM // 2)
        if workers.parallel:
            beside()
        agents: list[Agent | Brief] = []
        for chunk, known in [*first, *workers.results()]:
            agents.extend(chunk)
            if facts is not None:
                facts.update(known)
        return agents


def _check_chunk(
    root: str, refs: list[Ref], lean: bool = False, names: bool = False
) -> tuple[list[Agent | Brief], Facts]:
    """One worker's share (or all of them, checked here), and with `names` the `name_facts`
    of its agents' slugs, names and owners. Before the fork the first agent is checked here:
    the tables a check loads on first use (the confusables table, the BIP-39 lists, the
    capabilities table, the character rules: ~0.12 s) are then inherited by every worker
    instead of loaded in each, and this process needs the first of them anyway."""
    base = Path(root)
    agents = [load_agent(base, *ref, lean=lean) for ref in refs]
    sent: list[Agent | Brief] = [Brief.of(a) for a in agents] if lean else [*agents]
    if not names:
        return sent, {}
    texts = [text for text in _spelled(agents) if text not in _SENT]  # owners come back
    _SENT.update(texts)
    return sent, name_facts(texts)


_SENT: set[str] = set()
"""The texts whose `name_facts` this process sent back with an earlier chunk of the same check
(a forked worker keeps it from chunk to chunk; `_checked` clears it first): an owner's facts
once a worker, not once a chunk (~0.1 s of CPU at 10,000 agents in 1,600 namespaces)."""


def _spelled(agents: list[Agent]) -> list[str]:
    """Every slug, owner and name (as the manifest or its bare data spells it) of `agents`."""
    texts = {a.slug for a in agents} | {a.owner for a in agents}
    for agent in agents:
        data = agent.doc.data if agent.doc else None
        name = agent.manifest.name if agent.manifest else None
        if name is None and isinstance(data, dict):
            name = data.get("name")
        if isinstance(name, str):
            texts.add(name)
    return sorted(texts)


def _signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, modification time and size of every entry of a folder."""
    try:
        entries = list_folder(folder)
    except OSError:
        return ()
    stats = [(e.name, e.stat(follow_symlinks=False)) for e in entries]
    return tuple((name, st.st_mtime_ns, st.st_size) for name, st in stats)
