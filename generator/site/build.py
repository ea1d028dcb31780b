"""The build: load the catalog, render every output, write what changed, then build the site.

It writes into the docs folder (`catalog/`) only through `write.py`. Rendering is incremental:
`catalog/.generated.json` remembers, per agent, a fingerprint of everything its files depend on
(its content and history, the names of agents it links to, the templates and code), so an
unchanged agent is neither rendered nor read again, and only files whose bytes change are
written. Listings are rendered every time and written only when they differ.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from generator.catalog import memo
from generator.catalog.assemble import LoadCache, load_catalog
from generator.catalog.model import Catalog
from generator.catalog.settings import SettingsError
from generator.checks.problems import Problem
from generator.checks.problems import render as render_problems
from generator.checks.validate import Report
from generator.history.reader import HistoryError
from generator.parallel import Pending, Workers, beside, can_fork, collector_paused
from generator.search.related import RelatedCache, related_agents
from generator.search.similarity import Top
from generator.site import freshness, render
from generator.site.builder import (
    SiteError,
    build_site,
    copied_verbatim,
    link_generated,
    remove_from_site,
)
from generator.site.check import render_agent, render_catalog
from generator.site.incremental import FILES, PAGE, Plan, code_hash, fingerprint, page_mark
from generator.site.write import delete_stale, on_disk, write

DOCS = "catalog"
STATE = ".generated.json"
PARALLEL_MIN = 300
"""Agents to render before forking workers pays off (start-up ~50 ms; an agent ~1 ms)."""
T = TypeVar("T")
FAILURES = (HistoryError, SettingsError, SiteError)
"""What stops a build with one message (a shallow clone, a broken mkdocs.yml, a strict warning)."""


@dataclass
class BuildCache(LoadCache):
    """What a long-running build (`catalog serve`) keeps between rebuilds: loading's cache and
    the related agents of the last build, updated for what changed (`search/related.py`)."""

    related: RelatedCache = field(default_factory=RelatedCache)


@dataclass
class Generated:
    """What one run of the generator did, for the summary line and the tests."""

    agents: int = 0
    versions: int = 0
    pages: int = 0
    files: int = 0
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    rendered: int = 0
    """Agents rendered this time (the others were unchanged)."""
    problems: list[Problem] = field(default_factory=list)
    """Agents whose pages could not be rendered (`render-failed`): the build stops."""


def generate(
    root: Path, catalog: Catalog, clean: bool = False, cache: BuildCache | None = None
) -> Generated:
    """Render the catalog into `root/catalog/`, writing changed files and deleting stale ones.

    With the `cache` of a long-running build (`catalog serve`), related agents are updated
    from the last build's instead of computed for the whole catalog."""
    docs = root / DOCS
    state = {} if clean else _read_state(docs / STATE)
    # Without a record of the last build, whatever sits in the generated folders may be stale;
    # list it now, while it is at most the old files (in a fresh clone: nothing).
    previous = state["files"] if isinstance(state.get("files"), list) else on_disk(docs)
    code = code_hash(root, catalog)
    plan = Plan(docs, state.get("agents", {}) if state.get("code") == code else {})
    renderer = render.Renderer(root, catalog, render.Slots.load(), code)
    agents = catalog.agents
    marks = [fingerprint(agent, catalog) for agent in agents]
    files_todo = [i for i, a in enumerate(agents) if plan.todo(a.ref, FILES, marks[i])]
    with (
        _related_beside(catalog, cache) as pending,
        Workers(_job(docs, renderer), len(files_todo) >= PARALLEL_MIN) as workers,
    ):
        workers.submit(FILES, files_todo)
        # while the workers render, the catalog-wide work happens here
        related = pending.result()
        page_marks = [page_mark(marks[i], a, catalog, related) for i, a in enumerate(agents)]
        workers.submit(
            PAGE,
            [
                (i, related.get(a.ref, ()))
                for i, a in enumerate(agents)
                if plan.todo(a.ref, PAGE, page_marks[i])
            ],
        )
        outputs, failure = render_catalog(renderer)
        if cache is None:  # nothing here asks again: what the memos hold is for mkdocs to use
            memo.forget()
        # a one-shot build writes them while the workers finish their agents, not after them
        # on one core (~5,500 files at 10,000 agents, ~2 s; catalog/performance.md); a failed
        # one stops before mkdocs. `catalog serve` keeps them until every agent rendered.
        early = failure is None and cache is None
        wide = write(docs, outputs) if early else None
        done = workers.results()
    problems = [p for chunk in done for p in chunk[2]] + ([failure] if failure else [])
    if problems:  # stop before the state: the next build retries
        return Generated(problems=sorted(problems))
    wide = write(docs, outputs) if wide is None else wide
    written = [path for chunk in done for path in chunk[0]] + wide
    for chunk in done:
        for index, kind, paths in chunk[1]:
            mark = marks[index] if kind == FILES else page_marks[index]
            plan.remember(agents[index].ref, kind, mark, paths)
    current = plan.paths() | set(outputs)
    _write_state(docs / STATE, {"code": code, "agents": plan.entries, "files": sorted(current)})
    return Generated(
        agents=len(agents),
        versions=sum(len(a.versions) for a in agents),
        pages=sum(p.endswith((".md", ".html")) for p in current),
        files=len(current),
        written=sorted(written),
        deleted=delete_stale(docs, current, previous),
        rendered=len(plan.rendered),
    )


def _related_beside(
    catalog: Catalog, cache: BuildCache | None
) -> AbstractContextManager[Pending[Top]]:
    """Related agents: for a one-shot build of many agents, in a forked process started before
    the render workers (their pool's threads would stop it forking), so what the computation
    holds (~90 MB at 10,000 agents) is never on top of the catalog-wide files here
    (catalog/performance.md); else here, from `catalog serve`'s cache."""
    if cache is None and len(catalog.agents) >= PARALLEL_MIN and can_fork():
        return beside(_related, catalog)
    return nullcontext(
        _Here(lambda: related_agents(catalog, cache=cache.related if cache else None))
    )


def _related(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """`related_agents` as a plain dictionary, which pickles (its mapping proxy does not)."""
    return dict(related_agents(catalog))


@dataclass
class _Here(Generic[T]):
    """`compute()` in this process, when its result is asked for."""

    compute: Callable[[], T]

    def result(self) -> T:
        return self.compute()

    def cancel(self) -> bool:
        return False


def _job(docs: Path, renderer: render.Renderer) -> Callable[[str, list[Any]], Any]:
    """Render and write one chunk of agents' parts; returns written paths, what was made and
    the problems of agents that could not be rendered (`check.py`)."""
    agents = renderer.catalog.agents

    def job(kind: str, items: list[Any]) -> Chunk:
        written: list[str] = []
        made: list[tuple[int, str, list[str]]] = []
        problems: list[Problem] = []
        for item in items:
            index, related = item if kind == PAGE else (item, ())
            files, failure = render_agent(renderer, agents[index], kind, related)
            if failure is not None:
                problems.append(failure)
                continue
            written += write(docs, files)
            made.append((index, kind, sorted(files)))
        return written, made, problems

    return job


Chunk = tuple[list[str], list[tuple[int, str, list[str]]], list[Problem]]


def _read_state(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_state(path: Path, state: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state, sort_keys=True, separators=(",", ":")) + "\n", "utf-8")


@dataclass
class Built:
    """One build: the validation report, what the generator did, and the time of each phase."""

    report: Report
    catalog: Catalog | None = None
    generated: Generated | None = None
    generator_seconds: float = 0.0
    """Everything before the site build: load (validate, history, moderation), then render."""
    load_seconds: float = 0.0
    site_seconds: float = 0.0
    mkdocs: bool = True
    """Whether mkdocs ran (False: nothing it renders changed, the files went straight in)."""
    proof: freshness.Proof | None = None
    """What the last build's stamp proved (`freshness.check`)."""

    def report_text(self) -> str:
        """The validator's lines (errors stop the build; warnings are printed too)."""
        if self.proof and self.proof.unchanged:  # the same inputs: the last build's lines
            return str(self.proof.stamp["report"])
        return render_problems(self.report.problems, self.report.checked, "text")

    @property
    def ok(self) -> bool:
        """The build succeeded (or proved it had nothing to do)."""
        return self.generated is not None or bool(self.proof and self.proof.unchanged)

    def summary(self) -> str:
        """The closing line: agents, versions, pages, files written, time."""
        if self.proof and self.proof.unchanged:
            return self.proof.summary()
        g = self.generated
        if g is None:
            return "build stopped: fix the problems above"
        total = self.generator_seconds + self.site_seconds
        return (
            f"built {g.agents} agents, {g.versions} versions, {g.pages} pages "
            f"({len(g.written)} files written, {len(g.deleted)} deleted) in {total:.1f} s "
            f"(generator {self.generator_seconds:.1f} s, site {self.site_seconds:.1f} s)"
        )


def run(
    root: Path,
    site_dir: Path | None,
    clean: bool = False,
    cache: BuildCache | None = None,
    proof: freshness.Proof | None = None,
) -> Built:
    """Validate and load the catalog, generate its files, then build the site (if site_dir).

    With a site, a build first asks `freshness` whether the last one already built these inputs
    into that site; if it can prove so, it does nothing. After generating, when nothing mkdocs
    reads but generated files changed, the site is updated rather than rebuilt: the changed
    files go straight in when mkdocs would only copy them, else mkdocs rebuilds the changed
    pages alone (a dirty build)."""
    started = time.perf_counter()
    docs = root / DOCS
    keys: dict[str, str | None] = {}
    if site_dir is not None:
        proof = proof or freshness.check(root, DOCS, site_dir, clean)
        if proof.unchanged:
            return Built(Report(0, (), ()), generator_seconds=proof.seconds, proof=proof)
        outputs = _read_state(docs / STATE).get("files")
        outputs = outputs if isinstance(outputs, list) else []
        keys["inputs"] = proof.inputs
        keys["site_inputs"] = freshness.site_key(root, DOCS, site_dir, outputs)
        freshness.forget(docs)
    with collector_paused():
        loaded = load_catalog(root, cache=cache)
        if loaded.catalog is None:
            return Built(loaded.report)
        loading = time.perf_counter() - started
        generated = generate(root, loaded.catalog, clean, cache)
    if generated.problems:  # the same located lines the gate prints (`check.py`)
        problems = tuple(sorted((*loaded.report.problems, *generated.problems)))
        return Built(replace(loaded.report, problems=problems), loaded.catalog)
    built = Built(loaded.report, loaded.catalog, generated, time.perf_counter() - started, loading)
    built.proof = proof
    if site_dir is not None:
        started = time.perf_counter()
        same = proof is not None and proof.same_site_inputs(keys["site_inputs"])
        if same and _only_copied(generated):
            link_generated(docs, site_dir, generated.written)
            built.mkdocs = False
        elif same:  # only generated pages changed: mkdocs renders those, keeps the rest
            # their old outputs go too: mkdocs then rebuilds them whatever the clock's grain
            pages = [p for p in generated.written if p.endswith(".md")]
            remove_from_site(site_dir, generated.deleted + pages)
            build_site(root, site_dir, loaded.catalog.site.build_date, dirty=True)
        else:
            build_site(root, site_dir, loaded.catalog.site.build_date)
        built.site_seconds = time.perf_counter() - started
        if keys["inputs"] and keys["site_inputs"]:
            freshness.remember(
                docs, site_dir, **keys, report=built.report_text(), summary=_counts(generated)
            )
    return built


def _only_copied(generated: Generated) -> bool:
    """Whether every change is a generated file mkdocs would publish as is (none deleted)."""
    return not generated.deleted and all(map(copied_verbatim, generated.written))


def _counts(generated: Generated) -> str:
    return f"{generated.agents} agents, {generated.versions} versions, {generated.pages} pages"
