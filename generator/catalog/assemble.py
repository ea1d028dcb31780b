"""Gather everything the outputs need: validate -> history -> moderation -> the Catalog.

`load_catalog` is the one entry point of the build before rendering. It refuses to build a
catalog with validation errors (the caller prints them), so nothing is ever dropped silently.
"""

from __future__ import annotations

import functools
import json
import marshal
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from generator.catalog import model
from generator.catalog.settings import read_site, source_date_epoch
from generator.checks.agent import Agent as Checked
from generator.checks.manifest import Manifest
from generator.checks.owners import records
from generator.checks.problems import Problem
from generator.checks.rules import problem
from generator.checks.validate import AgentCache, Report, forget, validate
from generator.history.manifests import parse
from generator.history.reader import (
    MANIFEST,
    Departure,
    History,
    Release,
    head_commit,
    read_blobs,
    read_history,
)
from generator.parallel import Parts, beside, can_fork

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Loaded(NamedTuple):
    """The catalog (None when validation failed) and the validation report behind it."""

    catalog: model.Catalog | None
    report: Report


@dataclass
class LoadCache:
    """What a long-running build (`catalog serve`) keeps of loading between rebuilds."""

    agents: AgentCache = field(default_factory=dict)
    """Checked agents with the signature of their folder's files."""
    history: History | None = None
    """The history of the last build; reused while HEAD stays the same commit."""
    manifests: Mapping[str, object] = field(default_factory=dict)
    """Older versions' manifests parsed with that history (blob id -> data)."""
    models: dict[str, tuple[tuple[object, ...], model.Agent]] = field(default_factory=dict)
    """ref -> (what the agent was assembled from, the catalog's Agent): an unchanged agent
    keeps its Agent object between rebuilds, so what the outputs derive from it is reused."""


def load_catalog(
    root: Path, site: model.Site | None = None, cache: LoadCache | None = None
) -> Loaded:
    """Validate `root`, read its history and moderation, and assemble the Catalog.

    History is read beside validation, in a forked process when possible: its git processes
    and its own Python work then overlap with the validator's (~2 s saved at 10,000 agents, see
    catalog/performance.md). A one-shot load validates in a forked process too (`_validated`),
    forked after the history's, and that process forks the check workers. Validation problems
    win over history errors.
    """
    checked = cache.agents if cache else None
    history = cache.history if cache else None
    manifests = cache.manifests if cache else {}
    if history is not None and history.head != head_commit(root):
        history = None
    if history is None:
        with beside(_read_history, root, can_fork()) as pending:
            report = _validated(root, checked)
            if not report.ok:
                pending.cancel()
                return Loaded(None, report)
            history, parsed = pending.result()
            manifests = marshal.loads(parsed) if parsed else history.manifests
    else:
        report = validate(root, cache=checked)
        if not report.ok:
            return Loaded(None, report)
    warnings = (*report.problems, *history_problems(history))
    checked_agents = report.agents
    # A one-shot load keeps no checked agent past assembly (nor the name checks holding them):
    # the catalog holds what it needs of them, and their YAML with positions is ~60 MB at
    # 10,000 agents.
    report = Report(report.checked, tuple(sorted(warnings)), checked_agents if cache else ())
    if cache:
        cache.history, cache.manifests = history, manifests
    moderation = _moderation(root)
    built = build_date(history)
    if site is None:
        site = read_site(root)
    site = model.Site(site.site_url, site.repo_url, site.name, built)
    models = cache.models if cache else {}
    agents = [
        _assembled(a, history, manifests, built, moderation.get(a.ref), models)
        for a in checked_agents
    ]
    if cache is None:
        forget()
    gone = [_gone(ref, d) for ref, d in history.departures.items()]
    owners = records(root)  # validated with the agents above
    return Loaded(model.build_catalog(site, agents, gone, history.head, owners), report)


def _validated(root: Path, cache: AgentCache | None) -> Report:
    """`validate`; for a one-shot load, in a forked process of its own (`catalog serve`'s cache
    lives here) that sends back the report with each agent's manifest, character and README
    alone. What only validation reads (YAML with positions, the look-alike index, its
    garbage) then never lands here: ~150 MB less resident at 10,000 agents, under the build's
    peak (catalog/performance.md). It forks its check workers itself (`checks/loading.py`)."""
    if cache is not None or not can_fork():
        return validate(root, cache=cache)
    with beside(_slim_report, root) as pending:
        sent = pending.result()
    return Report(sent.head[0], sent.head[1], tuple(sent.items))


def _slim_report(root: Path) -> Parts[tuple[int, tuple[Problem, ...]], Checked]:
    """The count and problems of `validate(root)`, then what assembly reads of each agent (none
    when validation failed: the caller prints the problems alone)."""
    report = validate(root)
    agents = list(map(_slim, report.agents)) if report.ok else []
    return Parts((report.checked, report.problems), agents)


def _slim(agent: Checked) -> Checked:
    return Checked(
        agent.owner, agent.slug, agent.folder, agent.manifest, None, agent.character, agent.readme
    )


def _read_history(root: Path, marshalled: bool) -> tuple[History, bytes]:
    """The history and, when `marshalled`, its parsed older manifests apart (blob id -> plain
    data). Run in the history's own process, whose core is otherwise idle while validation
    runs; parsing there spares the render workers ~1 s of CPU at 10,000 agents, and marshal
    brings plain data back ~5x faster than pickle brings objects. Without a process of its own
    (`marshalled` false) the parsed manifests stay in the history."""
    history = read_history(root, older=True)
    if not marshalled:
        return history, b""
    parsed: dict[str, object] = {}
    for sha, data in history.manifests.items():
        try:
            marshal.dumps(data)  # dates and other YAML types stay for the parser in this process
        except ValueError:
            continue
        parsed[sha] = data
    return replace(history, manifests={}), marshal.dumps(parsed)


def history_problems(history: History) -> list[Problem]:
    """A warning for each old manifest the history could not read (it publishes no version)."""
    return [
        problem(
            "history-unreadable",
            s.path,
            f"as of {s.date:%Y-%m-%d}, commit {s.commit[:12]}, agent.yaml {s.reason}, so that "
            "state publishes no version",
        )
        for s in history.skipped
    ]


def build_date(history: History) -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else the head commit's date."""
    return source_date_epoch() or history.head_date or EPOCH


def _moderation(root: Path) -> dict[str, model.Moderation]:
    """Moderation decisions; `validate` has already reported any problem in moderation.yaml."""
    from generator.checks.moderation import load_moderation

    return load_moderation(root)[0]


def _assembled(
    checked: Checked,
    history: History,
    manifests: Mapping[str, object],
    built: datetime,
    moderation: model.Moderation | None,
    models: dict[str, tuple[tuple[object, ...], model.Agent]],
) -> model.Agent:
    """`_agent`, or the Agent of the last build when made from the same objects."""
    sources = (checked, history, built, moderation)
    hit = models.get(checked.ref)
    if hit and hit[0][0] is checked and hit[0][1] is history and hit[0][2:] == sources[2:]:
        return hit[1]
    agent = _agent(checked, history, manifests, built, moderation)
    models[checked.ref] = (sources, agent)
    return agent


def _agent(
    checked: Checked,
    history: History,
    manifests: Mapping[str, object],
    built: datetime,
    moderation: model.Moderation | None,
) -> model.Agent:
    assert checked.manifest is not None  # validation passed
    manifest = checked.manifest
    character = checked.character if isinstance(checked.character, dict) else {}
    past = history.agents.get(checked.ref)
    releases = past.releases if past else []
    versions: list[model.PublishedVersion] = [
        _StoredVersion(r, manifest, history.top, manifests.get(r.blobs[MANIFEST], _UNPARSED))
        for r in releases
        if r.version != manifest.version
    ]
    current = next((r for r in releases if r.version == manifest.version), None)
    versions.append(
        model.PublishedVersion(
            manifest.version,
            current.commit if current else "",
            current.date if current else built,
            manifest,
            character,
            checked.readme,
        )
    )
    return model.Agent(
        owner=checked.owner,
        slug=checked.slug,
        manifest=manifest,
        character=character,
        readme=checked.readme,
        created=past.created if past else built,
        updated=past.updated if past else built,
        updated_commit=past.updated_commit if past else "",
        versions=tuple(versions),
        moderation=moderation,
    )


_UNPARSED = object()


class _StoredVersion(model.PublishedVersion):
    """A PublishedVersion whose manifest, character and README are parsed on first use.

    Parsing every historical manifest costs ~3.5 s at 10,000 agents with 40,000 versions; most
    outputs need only the version, commit and date.
    """

    _release: Release
    _current: Manifest
    _top: Path | None
    _parsed: object
    """The manifest's data parsed by the history process, or _UNPARSED."""

    def __init__(
        self, release: Release, current: Manifest, top: Path | None, parsed: object = _UNPARSED
    ) -> None:
        # Straight into __dict__: the frozen dataclass's __setattr__ refuses, and 40,000
        # object.__setattr__ calls cost half a second.
        self.__dict__.update(
            version=release.version,
            commit=release.commit,
            date=release.date,
            _release=release,
            _current=current,
            _top=top,
            _parsed=parsed,
        )

    @functools.cached_property
    def manifest(self) -> Manifest:
        data = self._parsed
        if data is _UNPARSED:
            data = parse(self._release.files.get(MANIFEST, b""))[0]
        try:
            return Manifest.model_validate(data)
        # An old shape: today's, with its version. Any exception, not only ValidationError: an
        # old blob no check saw must never stop the build (a validator may raise on hostile text).
        except Exception:
            return self._current.model_copy(update={"version": self._release.version})

    @functools.cached_property
    def character(self) -> Mapping[str, object]:
        blobs = self._release.blobs
        name = self.manifest.character if self.manifest.character in blobs else "character.json"
        try:
            data = json.loads(self._file(name) or b"{}")
        except (ValueError, RecursionError):  # not JSON (not UTF-8 is a ValueError), too deep
            return {}
        return data if isinstance(data, dict) else {}

    @functools.cached_property
    def readme(self) -> str | None:
        raw = self._file("README.md")
        return raw.decode("utf-8", errors="replace") if raw is not None else None

    def _file(self, name: str) -> bytes | None:
        """A file of this version: read by the history already, or from git now."""
        release = self._release
        if name in release.files:
            return release.files[name]
        sha = release.blobs.get(name)
        if sha is None or self._top is None:
            return None
        return read_blobs(self._top, [sha]).get(sha)


def _gone(ref: str, departure: Departure) -> model.Gone:
    owner, slug = ref.split("/")
    moved = departure.moved_to
    reason = f"moved to {moved}" if moved else "removed from the catalog by its owner"
    return model.Gone(
        owner,
        slug,
        departure.date,
        departure.commit,
        departure.last_version,
        reason,
        moved,
        departure.versions,
    )
