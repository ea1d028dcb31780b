"""`catalog registry-update`: refresh the repository's copy of the elizaOS plugin registry.

The registry's two files (`generated-registry.json`, `index.json`, downloaded by the scheduled
workflow `registry-refresh.yml`) are checked before anything is written: safe JSON, the shape
`checks/plugins.py` reads (pydantic), and no sudden loss of entries. Then both files and the
commit and date in SOURCE.md are written in a stable form, and a summary says what changed for
the catalog: plugins added and removed, npm versions, and the agents whose plugins changed
status. Nothing changed (same entries, same sources) writes nothing.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError

from generator.checks.agent import load_agent
from generator.checks.jsonpos import locate
from generator.checks.load import SourceError, load_json, read_text
from generator.checks.plugins import info_from, plugin_names
from generator.checks.problems import Problem, UsageError
from generator.checks.rules import problem
from generator.checks.validate import discover

SNAPSHOT = Path("data") / "elizaos-plugin-registry"
GENERATED, INDEX, SOURCE = "generated-registry.json", "index.json", "SOURCE.md"
MAX_BYTES = 16 * 1024 * 1024
"""The 2026-04-22 generated-registry.json is 329 KB: 50x room before a download is refused."""
SHRINK_LIMIT = 0.1
"""Losing more than a tenth of the plugins at once is a broken download until someone says not."""

_NAME = r"^(@[A-Za-z0-9][\w.-]*/)?[A-Za-z0-9][\w.-]*$"
"""An npm package name (scoped or not), as the registry keys its entries."""
_REPO = r"^[\w.-]+/[\w.-]+(#[^\s`]*)?$"
"""owner/name on GitHub, then an optional `#branch:folder` (one plugin lives in a monorepo)."""
Name = Annotated[str, Field(pattern=_NAME, max_length=214)]
Text = Annotated[str, Field(max_length=4000)]


class _Strict(BaseModel):
    """Types as JSON has them; fields the catalog does not read may come and go upstream."""

    model_config = ConfigDict(strict=True, frozen=True, extra="allow")


class _Branch(_Strict):
    version: Text | None = None
    branch: Text | None = None


class _Git(_Strict):
    repo: Annotated[str, Field(pattern=_REPO, max_length=300)]
    v0: _Branch | None = None
    v1: _Branch | None = None
    alpha: _Branch | None = None


class _Npm(_Strict):
    repo: Name | None = None
    v0: Text | None = None
    v1: Text | None = None
    alpha: Text | None = None


class _Supports(_Strict):
    v0: bool
    v1: bool
    alpha: bool = False


class _Entry(_Strict):
    git: _Git
    npm: _Npm
    supports: _Supports
    description: Text | None = None
    topics: list[Text] = []


class _Registry(_Strict):
    lastUpdatedAt: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}T")]
    registry: Annotated[dict[Name, _Entry], Field(min_length=1)]


class _Index(RootModel[dict[Name, str]]):
    root: Annotated[
        dict[Name, Annotated[str, Field(pattern=f"^github:{_REPO[1:]}", max_length=300)]],
        Field(min_length=1),
    ]
    model_config = ConfigDict(strict=True)


@dataclass
class Snapshot:
    """The registry's two files, parsed: plugin name -> entry, and name -> source."""

    updated: str
    entries: dict[str, Any]
    index: dict[str, str]

    def same_as(self, other: Snapshot) -> bool:
        return self.entries == other.entries and self.index == other.index


@dataclass
class Update:
    """What a refresh changes, in the words of the summary."""

    old: Snapshot
    new: Snapshot
    commit: str
    agents: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(agent ref, plugin, status before, status after) for each plugin whose status changed."""

    @property
    def changed(self) -> bool:
        return not self.old.same_as(self.new)


def read_download(path: Path, shown: str, model: type[BaseModel]) -> tuple[object, list[Problem]]:
    """The downloaded file parsed and checked against `model`; problems instead of a traceback."""
    try:
        text = read_text(path, MAX_BYTES)
        data = load_json(text)
    except SourceError as err:
        return None, [problem(err.rule, shown, err.message, err.hint or None, err.line, err.col)]
    try:
        model.model_validate(data)
    except ValidationError as err:
        found = []
        for issue in err.errors()[:5]:
            where = locate(text, tuple(issue["loc"]))
            at = ".".join(str(p) for p in issue["loc"]) or "the file"
            found.append(problem("registry-shape", shown, f"{at}: {issue['msg']}", None, *where))
        return None, found
    return data, []


def read_snapshot(folder: Path) -> Snapshot:
    """The snapshot kept in the repository (empty when there is none yet)."""
    try:
        generated = json.loads((folder / GENERATED).read_text("utf-8"))
        index = json.loads((folder / INDEX).read_text("utf-8"))
    except FileNotFoundError:
        return Snapshot("", {}, {})
    except (OSError, ValueError) as err:
        raise UsageError(f"{folder}: the snapshot cannot be read ({err})") from None
    entries = generated.get("registry") if isinstance(generated, dict) else None
    if not isinstance(entries, dict) or not isinstance(index, dict):
        raise UsageError(f"{folder}: the snapshot is not the registry's two files")
    return Snapshot(str(generated.get("lastUpdatedAt", "")), entries, index)


def prepare(
    root: Path, generated: Path, index: Path, commit: str, *, allow_shrink: bool = False
) -> tuple[Update | None, list[Problem]]:
    """Check the downloaded files against the snapshot in `root`; nothing is written here."""
    if not re.fullmatch(r"[0-9a-f]{40}", commit):
        raise UsageError(f"--commit {commit!r} is not a full 40-digit commit id")
    data, found = read_download(generated, str(generated), _Registry)
    listing, more = read_download(index, str(index), _Index)
    found += more
    if found or not isinstance(data, dict) or not isinstance(listing, dict):
        return None, found
    old = read_snapshot(root / SNAPSHOT)
    new = Snapshot(data["lastUpdatedAt"], data["registry"], listing)
    lost = len(set(old.entries) - set(new.entries))
    if not allow_shrink and lost > SHRINK_LIMIT * len(old.entries):
        return None, [
            problem(
                "registry-shrunk",
                str(generated),
                f"{lost} of the snapshot's {len(old.entries)} plugins are missing from the "
                f"download ({len(new.entries)} left)",
            )
        ]
    update = Update(old, new, commit)
    if update.changed:
        update.agents = _affected(root, old, new)
    return update, []


def _affected(root: Path, old: Snapshot, new: Snapshot) -> list[tuple[str, str, str, str]]:
    """Each catalog agent's plugins whose registry status differs between the snapshots."""
    rows = []
    for owner, slug in discover(root)[0]:
        agent = load_agent(root, owner, slug)
        for _, name in plugin_names(agent.character):
            if name.startswith((".", "/")):
                continue
            before = info_from(name, old.entries.get(name)).status
            after = info_from(name, new.entries.get(name)).status
            if before != after:
                rows.append((agent.ref, name, before, after))
    return sorted(set(rows))


def stable_json(data: object) -> str:
    """JSON as the snapshot keeps it: 2-space indent, UTF-8, a final newline; with the plugins
    sorted by name so a refresh's diff shows only what changed."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write(root: Path, update: Update) -> None:
    """Write both files and SOURCE.md, each whole (a temporary file renamed over the old)."""
    folder = root / SNAPSHOT
    new = update.new
    generated = {"lastUpdatedAt": new.updated, "registry": dict(sorted(new.entries.items()))}
    source = _source_text(folder / SOURCE, update)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (
        (GENERATED, stable_json(generated)),
        (INDEX, stable_json(dict(sorted(new.index.items())))),
        (SOURCE, source),
    ):
        partial = folder / f".{name}.partial"
        partial.write_text(text, "utf-8")
        os.replace(partial, folder / name)


_COUNTS = re.compile(r"\d+ plugins: \d+ support only 0\.x, \d+ only 1\.x, \d+ both, \d+ neither")
_COMMIT = re.compile(r"commit\s+[0-9a-f]{40} \(\d{4}-\d{2}-\d{2}\)")
_UPDATED = re.compile(r"\(`lastUpdatedAt` \d{4}-\d{2}-\d{2}\)")


def _source_text(path: Path, update: Update) -> str:
    """SOURCE.md with the new commit, date and counts; the rest of it as the maintainers wrote."""
    try:
        text = path.read_text("utf-8")
    except OSError as err:
        raise UsageError(f"{path}: cannot be read ({err})") from None
    day = update.new.updated[:10]
    for pattern, value in (
        (_COMMIT, f"commit\n{update.commit} ({day})"),
        (_UPDATED, f"(`lastUpdatedAt` {day})"),
        (_COUNTS, counts(update.new.entries)),
    ):
        if len(pattern.findall(text)) != 1:
            raise UsageError(f"{path}: no single {pattern.pattern!r} to update")
        text = pattern.sub(value, text)
    return text


def counts(entries: Mapping[str, Any]) -> str:
    """The snapshot's plugins by the elizaOS lines they support, as SOURCE.md states them."""
    both = v0 = v1 = 0
    for entry in entries.values():
        s = entry["supports"]
        both += s["v0"] and s["v1"]
        v0 += s["v0"] and not s["v1"]
        v1 += s["v1"] and not s["v0"]
    neither = len(entries) - both - v0 - v1
    return (
        f"{len(entries)} plugins: {v0} support only 0.x, {v1} only 1.x, {both} both, "
        f"{neither} neither"
    )
