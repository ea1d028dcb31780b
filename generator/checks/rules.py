"""The validator's rules: stable ids, what each checks and how to fix it.

The table is four modules (`rules_agent.py`, `rules_persona.py`, `rules_change.py`,
`rules_owners.py`), joined here. The rules reference page (`catalog/reference/rules.md`) is
generated from it by `catalog docs`, and a test keeps it in sync.
"""

from __future__ import annotations

from generator.checks.problems import Problem, Rule
from generator.checks.rules_agent import AGENT_RULES
from generator.checks.rules_change import CHANGE_RULES
from generator.checks.rules_owners import OWNER_RULES
from generator.checks.rules_persona import PERSONA_RULES

__all__ = ["RULES", "Rule", "problem"]

_OWNERS = tuple(Rule(i, "owners", checks, fix, level) for i, checks, fix, level in OWNER_RULES)
RULES: dict[str, Rule] = {r.id: r for r in (*AGENT_RULES, *PERSONA_RULES, *CHANGE_RULES, *_OWNERS)}
"""Every rule by id; ids are stable and never reused."""


def problem(
    rule: str, path: str, message: str, hint: str | None = None, line: int = 0, col: int = 0
) -> Problem:
    """A Problem for a registered rule; the hint defaults to the rule's usual fix."""
    spec = RULES[rule]
    if hint is None:
        hint = spec.fix[:1].lower() + spec.fix[1:].rstrip(".")
    return Problem(path, line, col, rule, message, hint, spec.severity)
