"""The look-alike and reserved-name rules over a whole catalog (`NameChecks`): an agent name or
an owner a reader could take for another one (same skeleton, or one letter apart:
`lookalike.py`), and names that claim a reserved word. The validation builds them once for
every agent's name and owner, then asks about each checked agent (`checks/validate.py`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from generator.checks.lookalike import SCANS, Lookalikes, Skeleton, describe, reserved
from generator.checks.problems import Problem
from generator.checks.rules import problem


class Named(Protocol):
    """What the rules read of a checked agent (`checks/checked.py`'s `Brief`): its folder, the
    name a valid manifest gives (None without one), and where a manifest key is written."""

    @property
    def owner(self) -> str: ...

    @property
    def slug(self) -> str: ...

    @property
    def ref(self) -> str: ...

    @property
    def rel(self) -> str: ...

    @property
    def name(self) -> str | None: ...

    def position(self, *key: str) -> tuple[int, int]: ...


@dataclass(frozen=True)
class NameChecks:
    """The look-alike and reserved-name rules over a whole catalog's names and owners."""

    names: Lookalikes
    owners: Lookalikes
    moderated: frozenset[str] = frozenset()
    words: Mapping[str, str | None] = field(default_factory=dict)
    """Text -> `reserved(text)`, when already known (`name_facts`)."""

    @classmethod
    def of(
        cls,
        names: Mapping[str, str | None],
        moderated: Collection[str] = (),
        known: Mapping[str, Skeleton] | None = None,
        words: Mapping[str, str | None] | None = None,
        queries: int = 0,
    ) -> NameChecks:
        """From ref -> agent name (None when unreadable) for every agent of the catalog.
        `known` and `words`: skeletons and reserved words already computed (`name_facts`);
        `queries`: how many agents will be asked about (more than SCANS: the deletion index is
        built at once, without the scans before it).

        Agents in moderation.yaml are left out, both as suspects and as originals: maintainers
        have decided about them, and a delisted impersonator must not turn the agent it
        imitated into a suspect.
        """
        kept = {ref: name for ref, name in names.items() if ref not in moderated}
        named = {ref: name for ref, name in kept.items() if name}
        owners = {ref.partition("/")[0] for ref in kept}
        index = Lookalikes.of(named, {ref: ref.partition("/")[0] for ref in named}, known)
        index.scans = SCANS if queries > SCANS else 0
        who = {o: o for o in owners}
        return cls(index, Lookalikes.of(who, who, known), frozenset(moderated), dict(words or {}))

    def _reserved(self, text: str) -> str | None:
        return self.words[text] if text in self.words else reserved(text)

    def agent_problems(self, agent: Named) -> list[Problem]:
        """Reserved slug, and a name that is reserved, confusable or one letter from another."""
        found: list[Problem] = []
        if agent.owner not in self.owners.values or agent.ref in self.moderated:
            return found
        word = self._reserved(agent.slug)
        if word:
            found.append(
                problem(
                    "reserved-name",
                    agent.rel,
                    f"slug {agent.slug!r} uses the reserved name {word!r}",
                )
            )
        name = agent.name
        if name is None or agent.ref not in self.names.values:
            return found
        path = f"{agent.rel}/agent.yaml"
        named: list[tuple[str, str]] = []
        word = self._reserved(name)
        if word:
            named.append(("reserved-name", f"name {name!r} uses the reserved name {word!r}"))
        for rule, verb, keys in (
            ("name-confusable", "looks the same as", self.names.confusable(agent.ref)),
            ("name-lookalike", "is one letter away from", self.names.lookalike(agent.ref)),
        ):
            if keys:
                named.append(
                    (rule, f"name {name!r} {verb} {describe(keys, self.names.values, True)}")
                )
        # Where the name is written only when it is reported: a forked check's agent reads its
        # positions again when first asked (`YamlDoc`), ~0.1 ms each.
        line, col = agent.position("name") if named else (0, 0)
        return found + [problem(r, path, m, line=line, col=col) for r, m in named]

    def owner_problems(self, owners: Iterable[str]) -> list[Problem]:
        """A reserved owner, or one that looks like (or is one letter from) another owner."""
        found: list[Problem] = []
        asked = sorted(set(owners) & set(self.owners.values))
        if len(asked) > SCANS:  # the deletion index at once (`of`'s `queries`)
            self.owners.scans = SCANS
        for owner in asked:
            path = f"agents/{owner}"
            word = self._reserved(owner)
            if word:
                found.append(
                    problem(
                        "reserved-name", path, f"owner {owner!r} uses the reserved name {word!r}"
                    )
                )
            for rule, verb, keys in (
                ("owner-confusable", "looks the same as", self.owners.confusable(owner)),
                ("owner-lookalike", "is one letter away from", self.owners.lookalike(owner)),
            ):
                if keys:
                    found.append(
                        problem(
                            rule,
                            path,
                            f"owner {owner!r} {verb} {describe(keys, self.owners.values, False)}",
                        )
                    )
        return found
