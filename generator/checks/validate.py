"""The validate stage: discover agents, check each, then check the catalog as a whole."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import semver

from generator.checks.agent import Agent
from generator.checks.checked import Brief, Cited
from generator.checks.facts import Entry, light_index, name_skeletons
from generator.checks.load import MANIFEST, YamlDoc, list_folder
from generator.checks.loading import AgentCache as AgentCache  # assemble imports it here
from generator.checks.loading import load_agents, load_briefs
from generator.checks.lookalike import Facts, Skeleton
from generator.checks.moderation import load_moderation
from generator.checks.names import NameChecks
from generator.checks.owners import owner_record_problems
from generator.checks.persona import under_moderation
from generator.checks.problems import Problem
from generator.checks.problems import UsageError as UsageError  # the gate imports it here
from generator.checks.rules import problem
from generator.checks.verdicts import Verdicts

Ref = tuple[str, str]


@dataclass(frozen=True)
class Report:
    """Every problem found, and how many agents were checked."""

    checked: int
    problems: tuple[Problem, ...]
    agents: tuple[Agent, ...]

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def discover(root: Path) -> tuple[list[Ref], list[Problem]]:
    """All `agents/<owner>/<slug>` folders, sorted, and stray files or links around them."""
    refs: list[Ref] = []
    found: list[Problem] = []
    base = root / "agents"
    if not base.is_dir():
        raise UsageError(f"no agents/ folder in {root}")
    for owner in list_folder(base):
        if not _is_dir(owner, f"agents/{owner.name}", found):
            continue
        for slug in list_folder(Path(owner.path)):
            if _is_dir(slug, f"agents/{owner.name}/{slug.name}", found):
                refs.append((owner.name, slug.name))
    return refs, found


def _is_dir(entry: os.DirEntry[str], rel: str, found: list[Problem]) -> bool:
    """Whether an entry is a real folder; links and stray files are problems. The entry's type
    comes from the directory listing itself (no lstat per entry: 20,000 fewer system calls at
    10,000 agents, ~0.2 s of each validation)."""
    if entry.is_dir(follow_symlinks=False):
        return True
    if entry.is_symlink():
        found.append(problem("symlink", rel, "is a symbolic link"))
    elif not rel.endswith("/.gitkeep") and rel != "agents/README.md":
        found.append(problem("stray-file", rel, "file outside any agent folder"))
    return False


def select(root: Path, paths: Iterable[str], refs: list[Ref] | None = None) -> list[Ref]:
    """The agents named by paths on the command line: agent or owner folder, agents/, a file.

    Without `refs`, only the folders the paths name are listed (one owner folder for an agent,
    not the 10,000 agents of the catalog), with the same rules as `discover`."""
    chosen: set[Ref] = set()
    top = (root / "agents").resolve()
    for raw in paths:
        try:
            target = Path(raw).resolve()
            found = target.exists()
        except (OSError, ValueError, RuntimeError):  # too long, a NUL byte, a symlink loop
            found = False
        if not found:
            raise UsageError(f"{raw}: no such file or folder")
        try:
            parts = target.relative_to(top).parts
        except ValueError:
            raise UsageError(f"{raw}: not inside {root / 'agents'}") from None
        known = refs if refs is not None else _discover_under(root, parts[:1])
        chosen.update(r for r in known if r[: len(parts[:2])] == tuple(parts[:2]))
    return sorted(chosen)


def _discover_under(root: Path, owner: tuple[str, ...]) -> list[Ref]:
    """`discover`'s agents, of one owner folder when `owner` names one."""
    if not owner:
        return discover(root)[0]
    base = root / "agents"
    found: list[Problem] = []
    entry = next((e for e in list_folder(base) if e.name == owner[0]), None)
    if entry is None or not _is_dir(entry, f"agents/{entry.name}", found):
        return []
    slugs = list_folder(Path(entry.path))
    return [(entry.name, s.name) for s in slugs if _is_dir(s, f"{entry.path}/{s.name}", found)]


def validate(
    root: Path,
    only: list[Ref] | None = None,
    cache: AgentCache | None = None,
    removed: Collection[str] = (),
    every_record: bool = True,
    store: bool = True,
    lean: bool = False,
) -> Report:
    """Check the whole catalog, or only the given agents (cross-agent rules still see them all).

    With a `cache` (kept by a long-running `catalog serve`), an agent whose files did not change
    since the last call is not read again; cross-agent rules always run on the whole catalog.
    `removed` names the agents a pull request deletes or moves (owner/slug): the agents that
    reference them are checked too, and the problems say the pull request removed the target.
    `every_record=False` with `only` judges only the owner records of those agents' owners (what
    `catalog validate PATHS` asks about); the gate and the build judge every record.
    With `store` (outside tests, always), the per-agent verdicts come from `verdicts.py` when
    git vouches for every file of the folder. `lean` (`catalog validate`, which prints the
    problems alone): the report holds no agents, and the forked checks send back a `Brief` of
    each (`load_briefs`); the problems are the same. The cross-agent rules read briefs either way.
    """
    refs, found = discover(root)
    moderation, moderation_problems = load_moderation(root)
    found.extend(_removal_noted(moderation_problems, removed))  # global (issue 5)
    targets = refs if only is None else only
    verdicts = Verdicts.open(root, only) if store else None
    scope = None if every_record or only is None else {owner for owner, _ in only}
    owners = {owner for owner, _ in refs}
    records: list[Problem] = []  # issue 15; read while forked workers check, if any
    read: list[bool] = []

    def read_records() -> None:
        records.extend(owner_record_problems(root, owners, scope))
        read.append(True)

    facts: Facts = {}  # the checked agents' names' skeletons and reserved words
    agents: list[Agent] = []
    if lean:
        briefs = load_briefs(root, targets, verdicts, read_records, facts)
    else:
        agents = load_agents(root, targets, cache, verdicts, read_records, facts)
        briefs = [Brief.of(agent) for agent in agents]
    index = {b.ref: b.entry for b in briefs}
    if only is not None:
        index = light_index(root, refs) | index
    names = names_index(index)
    named = {ref: entry.name for ref, entry in index.items()}
    spelled = {n for n in named.values() if n} | {ref.partition("/")[0] for ref in named}
    known = name_skeletons(root, sorted(spelled)) if only else {}
    known.update((text, fact[0]) for text, fact in facts.items())
    words = {text: fact[1] for text, fact in facts.items()}
    lookalikes = _name_checks(named, moderation, known, words, len(briefs))
    for brief in briefs:
        state = moderation[brief.ref].state if brief.ref in moderation else ""
        found.extend(under_moderation(brief.problems, state) if state else brief.problems)
        found.extend(catalog_problems(brief, index, names, removed))
        found.extend(lookalikes(brief))
    found.extend(lookalikes.checks.owner_problems(b.owner for b in briefs))
    if not read:  # no workers: after the names' skeletons were read from their store
        read_records()
    found.extend(records)
    referring = referencing(index, removed, set(targets))
    if lean:
        referrers = load_briefs(root, referring, verdicts)
    else:
        referrers = [Brief.of(a) for a in load_agents(root, referring, cache, verdicts)]
    if verdicts:
        verdicts.save(every=only is None)
    for brief in referrers:
        found.extend(reference_problems(brief, index, removed))
    return Report(len(briefs) + len(referrers), tuple(sorted(found)), tuple(agents))


class _NameProblems:
    """The look-alike rules over one set of names, remembering each checked agent's problems."""

    def __init__(
        self,
        names: dict[str, str | None],
        moderated: Collection[str],
        known: Mapping[str, Skeleton] | None = None,
        words: Mapping[str, str | None] | None = None,
        queries: int = 0,
    ) -> None:
        self.names = names
        self.moderated = frozenset(moderated)
        self.checks = NameChecks.of(names, moderated, known, words, queries)
        self.found: dict[str, tuple[YamlDoc | None, Cited | None, list[Problem]]] = {}

    def __call__(self, brief: Brief) -> list[Problem]:
        """An agent's problems, again when its manifest document is another (`catalog serve`
        keeps an unchanged agent, and its document, between rebuilds)."""
        hit = self.found.get(brief.ref)
        if hit is None or hit[0] is not brief.doc or hit[1] != brief.cited:
            hit = self.found[brief.ref] = (
                brief.doc,
                brief.cited,
                self.checks.agent_problems(brief),
            )
        return hit[2]


_LAST: list[_NameProblems] = []
"""The last build's name checks: `catalog serve` revalidates on every edit, and unless a name
changed, the look-alike index and every unchanged agent's verdict stay the same (0.5 s at
10,000 agents)."""


def _name_checks(
    names: dict[str, str | None],
    moderated: Collection[str],
    known: Mapping[str, Skeleton] | None = None,
    words: Mapping[str, str | None] | None = None,
    queries: int = 0,
) -> _NameProblems:
    if _LAST and _LAST[0].names == names and _LAST[0].moderated == frozenset(moderated):
        return _LAST[0]
    _LAST[:] = [_NameProblems(names, moderated, known, words, queries)]
    return _LAST[0]


def referencing(index: dict[str, Entry], removed: Collection[str], skip: set[Ref]) -> list[Ref]:
    """Agents of `index` (other than `skip`) that name one of the `removed` agents."""
    gone = set(removed)
    if not gone:
        return []
    found = (ref for ref, entry in sorted(index.items()) if gone.intersection(entry.references))
    return [r for r in (_ref(ref) for ref in found) if r not in skip]


def _ref(ref: str) -> Ref:
    owner, _, slug = ref.partition("/")
    return owner, slug


def _removal_noted(problems: list[Problem], removed: Collection[str]) -> list[Problem]:
    """moderation.yaml's unknown-agent problems, saying when the pull request removed the agent."""
    noted = []
    for found in problems:
        ref = found.message.split(" ", 1)[0]
        if found.rule == "moderation-unknown-agent" and ref in removed:
            found = replace(
                found,
                message=f"{found.message}: this pull request deletes or moves it",
                hint="keep the agent (deprecate it instead of deleting it), or ask a catalog "
                f"maintainer to remove the {ref} entry in the same pull request",
            )
        noted.append(found)
    return noted


def names_index(index: dict[str, Entry]) -> dict[str, list[str]]:
    """Agents by case-folded name, so duplicate names are found in one pass."""
    names: dict[str, list[str]] = {}
    for ref, entry in sorted(index.items()):
        if entry.name:
            names.setdefault(entry.name.casefold(), []).append(ref)
    return names


def catalog_problems(
    brief: Brief,
    index: dict[str, Entry],
    names: dict[str, list[str]],
    removed: Collection[str] = (),
) -> list[Problem]:
    """Rules that compare one agent with the rest: names, forks, replacements."""
    if brief.cited is None:
        return []
    name = brief.cited.name
    others = [ref for ref in names.get(name.casefold(), []) if ref != brief.ref]
    found: list[Problem] = []
    if others:
        message = f"name {name!r} is also used by {', '.join(others)}"
        where = brief.position("name")
        found.append(problem("duplicate-name", _manifest(brief), message, None, *where))
    return found + reference_problems(brief, index, removed)


def _manifest(brief: Brief) -> str:
    return f"{brief.rel}/{MANIFEST}"


def reference_problems(
    brief: Brief, index: dict[str, Entry], removed: Collection[str] = ()
) -> list[Problem]:
    """forked_from and deprecated.replacement must name agents of the catalog; when `removed`
    (this pull request) took the named agent away, the problem says so and how to keep it."""
    cited = brief.cited
    if cited is None:
        return []
    path = _manifest(brief)
    found: list[Problem] = []
    if cited.forked_from:
        where = brief.position("forked_from")
        found.extend(_fork_problems(brief, cited.forked_from, index, path, where, removed))
    replacement = cited.replacement
    if replacement and (replacement not in index or replacement == brief.ref):
        where = brief.position("deprecated", "replacement")
        message = f"replacement {replacement!r} is not an agent of the catalog"
        hint = None
        if replacement in removed:
            message += ": this pull request deletes or moves it"
            hint = _keep(replacement, f"ask {brief.owner} to change the replacement first")
        found.append(problem("replacement-unknown", path, message, hint, *where))
    return found


def _keep(ref: str, other: str) -> str:
    return f"deprecate {ref} instead of deleting it, or {other}"


def _fork_problems(
    brief: Brief,
    fork: str,
    index: dict[str, Entry],
    path: str,
    where: tuple[int, int],
    removed: Collection[str],
) -> list[Problem]:
    ref, _, version = fork.partition("@")
    parent = index.get(ref)
    hint = None
    if ref == brief.ref:
        message = "an agent cannot be forked from itself"
    elif parent is None:
        message = f"forked_from {ref!r} is not an agent of the catalog"
        if ref in removed:
            message += ": this pull request deletes or moves it"
            hint = _keep(ref, f"ask {brief.owner} to update forked_from first")
    elif parent.version and _newer(version, parent.version):
        message = f"{ref} has not published {version} (its latest is {parent.version})"
    else:
        return []
    return [problem("forked-from-unknown", path, message, hint, *where)]


def _newer(version: str, than: str) -> bool:
    try:
        return bool(semver.Version.parse(version) > semver.Version.parse(than))
    except ValueError:
        return False


def forget() -> None:
    """Drop the name checks kept for the next call (`_LAST`): a one-shot build makes none, and
    they hold every checked agent with its parsed YAML and the look-alike index (~90 MB at
    10,000 agents)."""
    _LAST.clear()
