"""Per-agent memos: what the outputs derive from one agent, kept while the same agent comes back.

`catalog serve` keeps an unchanged agent's catalog `Agent` object from one rebuild to the next
(`assemble.LoadCache.models`), so anything computed from that object alone (its search document,
its digest, its row in the listings) can be reused by identity: an edited agent is a new object
and is computed again. Equality would be wrong here (slow, and an equal agent from another
catalog may sit beside different neighbours); identity is exact. A memo holds one entry per ref,
so its size is the catalog's, and a fresh `catalog build` only pays a dictionary lookup; a
one-shot build empties every memo (`forget`) once its catalog-wide files are made.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:  # annotations only: `catalog search` queries without loading the model
    from generator.catalog.model import Agent

T = TypeVar("T")
_CLEARS: list[Callable[[], Any]] = []
"""How to empty each memo and cache kept for the next build of the same process."""


def forgettable(clear: Callable[[], Any]) -> None:
    """Have `forget` call `clear` (an `lru_cache`'s `cache_clear`, say)."""
    _CLEARS.append(clear)


def forget() -> None:
    """Empty every memo: after a one-shot build's catalog-wide files nothing asks again, and at
    10,000 agents they hold ~90 MB (search documents, the terms of each text) that mkdocs can
    use instead."""
    for clear in _CLEARS:
        clear()


class ByAgent(Generic[T]):
    """`compute(agent, *extra)`, remembered per ref while the agent object (and extra) stay."""

    def __init__(self, compute: Callable[..., T]) -> None:
        self.compute = compute
        self.entries: dict[str, tuple[Agent, tuple[Hashable, ...], T]] = {}
        forgettable(self.entries.clear)

    def __call__(self, agent: Agent, *extra: Hashable) -> T:
        hit = self.entries.get(agent.ref)
        if hit is not None and hit[0] is agent and hit[1] == extra:
            return hit[2]
        value = self.compute(agent, *extra)
        self.entries[agent.ref] = (agent, extra, value)
        return value
