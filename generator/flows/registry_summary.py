"""The summary of a registry refresh, in Markdown: the pull request's body and the command's
output. Every value from the download is shown in a code span, cut short and stripped of
backticks and control characters, so a hostile entry cannot add links or mentions to it."""

from __future__ import annotations

import re
from typing import Any

from generator.flows.registry import Update

MAX_ROWS = 100
"""Rows per list: a pull request body holds 65,536 characters."""

_STATUS = {
    "ok": "published for 1.x",
    "unknown": "not in the registry",
    "unpublished": "listed without a release",
    "no-1x": "released for 0.x only",
}
_RULE = {
    "unknown": "plugin-unknown",
    "unpublished": "plugin-unpublished",
    "no-1x": "plugin-0x-only",
}
_UNSAFE = re.compile(r"[`\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LINES = (("v1", "1.x"), ("v0", "0.x"), ("alpha", "alpha"))


def code(value: object) -> str:
    """A value from the download as a harmless code span of at most 60 characters."""
    text = _UNSAFE.sub("", str(value)) or " "
    return f"`{text[:60]}{'…' if len(text) > 60 else ''}`"


def _releases(entry: Any) -> dict[str, str]:
    npm = entry.get("npm") or {}
    return {label: str(npm.get(key) or "none") for key, label in _LINES}


def _rows(title: str, rows: list[str]) -> list[str]:
    if not rows:
        return []
    more = [f"- … and {len(rows) - MAX_ROWS} more"] if len(rows) > MAX_ROWS else []
    return [f"### {title} ({len(rows)})", "", *rows[:MAX_ROWS], *more, ""]


def summary(update: Update) -> str:
    """What the refresh changes: counts, the catalog agents affected, then each list."""
    old, new = update.old, update.new
    if not update.changed:
        return (
            f"The registry at commit {update.commit[:12]} lists the same {len(new.entries)} "
            "plugins, releases and sources as the snapshot: nothing to update.\n"
        )
    added = sorted(set(new.entries) - set(old.entries))
    removed = sorted(set(old.entries) - set(new.entries))
    kept = sorted(set(new.entries) & set(old.entries))
    releases = []
    support = []
    for name in kept:
        before, after = _releases(old.entries[name]), _releases(new.entries[name])
        moved = [f"{k} {code(before[k])} → {code(v)}" for k, v in after.items() if before[k] != v]
        if moved:
            releases.append(f"- `{name}`: {', '.join(moved)}")
        if old.entries[name].get("supports") != new.entries[name].get("supports"):
            support.append(f"- `{name}`: {_line(old.entries[name])} → {_line(new.entries[name])}")
    sources = [
        f"- `{name}`: {code(old.index[name])} → {code(new.index[name])}"
        for name in sorted(set(old.index) & set(new.index))
        if old.index[name] != new.index[name]
    ]
    agents = [
        f"- `{ref}`: `{plugin}` was {_STATUS[before]}, now {_STATUS[after]}"
        + (f" (warning {_RULE[after]})" if after in _RULE else " (its warning goes away)")
        for ref, plugin, before, after in update.agents
    ]
    lines = [
        "## elizaOS plugin registry refresh",
        "",
        f"`data/elizaos-plugin-registry/` from elizaos-plugins/registry commit "
        f"`{update.commit}` (registry updated {new.updated[:10]}; the snapshot was of "
        f"{old.updated[:10] or 'nothing'}).",
        "",
        f"{len(new.entries)} plugins (was {len(old.entries)}): {len(added)} added, "
        f"{len(removed)} removed, {len(releases)} with other npm releases, "
        f"{len(support)} with other elizaOS support, {len(sources)} with another source.",
        "",
        "### Catalog agents affected",
        "",
        *(agents or ["None: every plugin a catalog agent names keeps its registry status."]),
        "",
        *_rows("Plugins added", [f"- `{n}`: {_line(new.entries[n])}" for n in added]),
        *_rows("Plugins removed", [f"- `{n}`" for n in removed]),
        *_rows("npm releases changed", releases),
        *_rows("elizaOS support changed", support),
        *_rows("Sources moved", sources),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _line(entry: Any) -> str:
    """The elizaOS lines an entry supports, with its npm release for each."""
    supports = entry.get("supports") or {}
    npm = _releases(entry)
    lines = [f"{label} {code(npm[label])}" for key, label in _LINES if supports.get(key)]
    return ", ".join(lines) or "no supported release"
