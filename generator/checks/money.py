"""Agents that can move money: the manifest must say what they do with funds, and must not claim
to be read-only while a plugin can sign transactions."""

from __future__ import annotations

import re
from collections.abc import Callable

from generator.checks.capabilities import derive
from generator.checks.manifest import Manifest
from generator.checks.plugins import plugin_names
from generator.checks.problems import Problem
from generator.checks.rules import problem

READ_ONLY = re.compile(r"\b(?:read|watch|view)[- ]only\b", re.IGNORECASE)
"""Claims that an agent only looks: "read-only", "watch-only", "view only"."""


def read_only_claim(manifest: Manifest) -> str:
    """The first "read-only"-like claim in the summary or description, or ""."""
    for text in (manifest.summary, manifest.description or ""):
        if claim := READ_ONLY.search(text):
            return claim.group(0)
    return ""


def money_problems(
    path: str,
    manifest: Manifest,
    character: object,
    readme: str | None,
    at: Callable[..., tuple[int, int]],
) -> list[Problem]:
    """financial-missing and read-only-claim for one agent."""
    money = [c for c in derive(name for _, name in plugin_names(character)) if c.money]
    if not money:
        return []
    found: list[Problem] = []
    labels = ", ".join(c.label for c in money)
    if manifest.financial is None:
        found.append(
            problem(
                "financial-missing",
                path,
                f"its plugins can move money ({labels}) but agent.yaml has no `financial`",
                "add `financial: {actions: [...], custody: none | user-wallet | agent-wallet}`",
                1,
                1,
            )
        )
    for field in ("summary", "description"):
        text = getattr(manifest, field) or ""
        claim = READ_ONLY.search(text)
        if claim and any(c.id == "signs-transactions" for c in money):
            found.append(
                problem(
                    "read-only-claim",
                    path,
                    f"{field} says {claim.group(0)!r} but a plugin can sign transactions",
                    "drop the claim, or remove the plugin that signs",
                    *at((field,)),
                )
            )
    if readme and (claim := READ_ONLY.search(readme)) and "signs" in labels:
        found.append(
            problem(
                "read-only-claim",
                path.rsplit("/", 1)[0] + "/README.md",
                f"README says {claim.group(0)!r} but a plugin can sign transactions",
                "drop the claim, or remove the plugin that signs",
            )
        )
    return found
