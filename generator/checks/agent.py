"""Load one agent folder and run every rule that needs only that folder."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from generator.checks import jsonpos, secrets
from generator.checks.checked import Agent as Agent
from generator.checks.hygiene import CHARACTER_FIELDS, MANIFEST_FIELDS, hygiene_problems
from generator.checks.load import (
    MANIFEST,
    MAX_CHARACTER_BYTES,
    MAX_MANIFEST_BYTES,
    MAX_OTHER_BYTES,
    MAX_README_BYTES,
    README,
    SourceError,
    inside,
    list_folder,
    load_json,
    load_yaml,
    read_text,
)
from generator.checks.manifest import MAX_CHARACTER_PATH, NAME_GRAMMAR, Manifest
from generator.checks.money import money_problems
from generator.checks.persona import Source, character_texts, manifest_texts, persona_problems
from generator.checks.placeholders import placeholder_problems
from generator.checks.plugins import plugin_problems
from generator.checks.problems import Problem
from generator.checks.rules import problem
from generator.checks.schema_errors import manifest_problems
from generator.checks.vocabulary import VOCABULARY

_NAME = re.compile(NAME_GRAMMAR)
LICENSE_FILES = frozenset({"LICENSE", "LICENSE.md", "LICENSE.txt"})


def load_agent(root: Path, owner: str, slug: str, check: bool = True, lean: bool = False) -> Agent:
    """Read and check one agent; never raises for bad input. With `check` false, only read it:
    the same fields, no problems (its problems come from the verdict store, `verdicts.py`).
    `lean` keeps no character and README (checked all the same): the problems alone are wanted."""
    agent = Agent(owner, slug, root.joinpath("agents", owner, slug))  # one parse, not three
    if check:
        _check_names(agent)
    manifest_alone = lean and not check  # a stored verdict's agent, for cross-agent rules
    raw = _read_manifest(agent, check)
    char_path = raw.get("character", "character.json") if isinstance(raw, dict) else None
    char_name = char_path if isinstance(char_path, str) else "character.json"
    if check:
        _check_folder(agent, char_name)
    if isinstance(char_path, str) and len(char_path) <= MAX_CHARACTER_PATH and not manifest_alone:
        _read_character(agent, char_path, check)
    if not manifest_alone:
        _read_readme(agent, check)
    if not check:
        agent.problems.clear()
        return agent
    if agent.manifest:
        _check_manifest(agent, agent.manifest)
        at = agent.doc.position if agent.doc else (lambda *_: (0, 0))
        mpath = f"{agent.rel}/{MANIFEST}"
        agent.problems += money_problems(mpath, agent.manifest, agent.character, agent.readme, at)
    agent.problems += persona_problems(agent.persona)  # manifest and character read together
    agent.persona.clear()  # the sources hold the texts; only the problems stay
    if lean:
        agent.character = agent.readme = None
    return agent


def _source_problem(err: SourceError, path: str) -> Problem:
    return problem(err.rule, path, err.message, err.hint or None, err.line, err.col)


def _check_names(agent: Agent) -> None:
    if not _is_login(agent.owner):
        agent.add(
            problem(
                "owner-invalid",
                f"agents/{agent.owner}",
                f"owner folder {agent.owner!r} is not a lowercase GitHub login",
                f"rename it to {agent.owner.lower()!r}"
                if agent.owner.lower() != agent.owner
                else None,
            )
        )
    if not (_NAME.match(agent.slug) and 3 <= len(agent.slug) <= 40):
        agent.add(
            problem(
                "slug-invalid",
                agent.rel,
                f"slug folder {agent.slug!r} breaks the "
                "slug grammar (3-40 chars, lowercase words joined by hyphens)",
            )
        )


def _read_manifest(agent: Agent, check: bool = True) -> object:
    path = f"{agent.rel}/{MANIFEST}"
    try:
        text = read_text(f"{agent.folder}/{MANIFEST}", MAX_MANIFEST_BYTES)  # no Path: ~2 us
        doc = load_yaml(text)
    except SourceError as err:
        if err.rule == "file-missing":
            agent.add(problem("manifest-missing", agent.rel, f"{agent.rel} has no {MANIFEST}"))
        else:
            agent.add(_source_problem(err, path))
        return None
    if check:
        _scan_secrets(agent, text, path, doc.data, doc.position)
        agent.problems.extend(hygiene_problems(path, text, doc.data, MANIFEST_FIELDS, doc.position))
        agent.persona.append(Source(path, tuple(manifest_texts(doc.data)), doc.position))
    agent.doc = doc
    if not isinstance(doc.data, dict):
        agent.add(
            problem(
                "manifest-not-mapping",
                path,
                f"the manifest is {'empty' if doc.data is None else 'not a mapping'}",
                line=1,
                col=1,
            )
        )
        return doc.data
    try:
        agent.manifest = Manifest.model_validate(doc.data)
    except ValidationError as err:
        if check:
            agent.problems.extend(manifest_problems(err, doc, path))
    owner = doc.data.get("owner")
    if isinstance(owner, str) and owner != agent.owner:
        line, col = doc.position(("owner",))
        agent.add(
            problem(
                "owner-mismatch",
                path,
                f"owner {owner!r} differs from the folder owner {agent.owner!r}",
                _owner_fix(agent.owner, owner),
                line,
                col,
            )
        )
    return doc.data


def _is_login(name: str) -> bool:
    return bool(_NAME.match(name)) and len(name) <= 39


def _owner_fix(folder: str, owner: str) -> str:
    """Only the fixes that lead to a valid owner, so this advice never contradicts owner-invalid
    or login-invalid (a folder 'Acme' was once told both 'rename it' and 'set owner: Acme')."""
    fixes = [f"set owner: {folder}"] if _is_login(folder) else []
    fixes += [f"move the agent to agents/{owner}/"] if _is_login(owner) else []
    return ", or ".join(fixes) or (
        f"rename the folder to a lowercase GitHub login, e.g. {folder.lower()!r}, "
        "and set owner to the same"
    )


def _check_folder(agent: Agent, char_name: str) -> None:
    allowed = {MANIFEST, README, PurePosixPath(char_name).as_posix(), *LICENSE_FILES}
    try:
        entries = list_folder(agent.folder)
    except NotADirectoryError:
        return
    for entry in entries:
        rel = f"{agent.rel}/{entry.name}"
        if entry.is_symlink():  # the listing's file types: no lstat per file (~4 us each)
            if entry.name not in (MANIFEST, char_name):  # those report it when read
                agent.add(problem("symlink", rel, "is a symbolic link"))
        elif entry.is_dir(follow_symlinks=False):
            agent.add(problem("file-type", rel, "subfolders are not allowed in an agent folder"))
        elif entry.name not in allowed:
            agent.add(problem("file-type", rel, f"unexpected file {entry.name!r}"))
        elif entry.name in LICENSE_FILES:
            try:
                read_text(entry.path, MAX_OTHER_BYTES)
            except SourceError as err:
                agent.add(_source_problem(err, rel))


def _read_character(agent: Agent, relative: str, check: bool = True) -> None:
    mpath = f"{agent.rel}/{MANIFEST}"
    doc = agent.doc

    def at() -> tuple[int, int]:
        """Where `character:` is written, read only for a problem (`YamlDoc`)."""
        return doc.position(("character",)) if doc else (0, 0)

    try:
        target = inside(agent.folder, relative)
    except SourceError as err:
        agent.add(problem(err.rule, mpath, f"character: {err.message}", err.hint, *at()))
        return
    path = f"{agent.rel}/{relative}"
    if not relative.endswith(".json"):
        agent.add(
            problem(
                "character-type",
                mpath,
                f"character {relative!r} is not a .json file",
                None,
                *at(),
            )
        )
        return
    try:
        text = read_text(target, MAX_CHARACTER_BYTES)
        data = load_json(text)
    except SourceError as err:
        if err.rule == "file-missing":
            agent.add(
                problem(
                    "file-missing",
                    mpath,
                    f"character file {relative!r} not found",
                    f"add {path} or fix the path",
                    *at(),
                )
            )
        else:
            agent.add(_source_problem(err, path))
        return
    agent.character = data
    if not check:
        return
    from generator.checks.character_issues import check_character  # not for a stored verdict

    positions = _Positions(text)
    _scan_secrets(agent, text, path, data, positions.locate, json_text=True)
    agent.problems.extend(hygiene_problems(path, text, data, CHARACTER_FIELDS, positions.locate))
    _check_character_secrets(agent, data, positions, path)
    agent.problems.extend(plugin_problems(path, data, positions.locate))
    agent.persona.append(Source(path, tuple(character_texts(data)), positions.locate))
    for issue in check_character(data):
        where = positions.locate(issue.path)
        hint = (
            issue.hint.replace("<file>", path)
            if "<file>" in issue.hint
            else issue.hint.replace("catalog migrate", f"catalog migrate {path}", 1)
        )
        agent.add(problem(issue.rule, path, issue.message, hint, *where))


class _Positions:
    """The character's positions, read once when the first problem needs one."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.read: jsonpos.Positions | None = None

    def locate(self, path: tuple[str | int, ...]) -> tuple[int, int]:
        self.read = self.read or jsonpos.Positions(self.text)
        return self.read.locate(path)


def _check_character_secrets(agent: Agent, data: object, positions: _Positions, path: str) -> None:
    if not isinstance(data, dict):
        return
    places: list[tuple[tuple[str | int, ...], object]] = [(("secrets",), data.get("secrets"))]
    settings = data.get("settings")
    if isinstance(settings, dict):
        places.append((("settings", "secrets"), settings.get("secrets")))
    upper = str(data.get("name", "AGENT")).upper().replace(" ", "_")
    for where, value in places:
        if not isinstance(value, dict):
            continue
        for key, held in value.items():
            if held not in (None, ""):
                agent.add(
                    problem(
                        "secret-in-character",
                        path,
                        f"{'.'.join(map(str, where))}.{key} holds a value",
                        f"remove it and set CHARACTER.{upper}.{key} in the environment",
                        *positions.locate((*where, key)),
                    )
                )


def _read_readme(agent: Agent, check: bool = True) -> None:
    path = f"{agent.rel}/{README}"
    try:
        agent.readme = read_text(f"{agent.folder}/{README}", MAX_README_BYTES)
    except SourceError as err:
        if err.rule != "file-missing":
            agent.add(_source_problem(err, path))
        return
    if check:
        _scan_secrets(agent, agent.readme, path)


def _scan_secrets(
    agent: Agent,
    text: str,
    path: str,
    data: object = None,
    locate: Callable[[secrets.Path], tuple[int, int]] | None = None,
    json_text: bool = False,
) -> None:
    agent.problems.extend(placeholder_problems(path, text))  # the same three files, one pass
    for found in secrets.scan_file(text, data, locate, json_text):
        agent.add(
            problem(
                "secret-pattern",
                path,
                f"this looks like {found.kind} ({found.preview})",
                line=found.line,
                col=found.col,
            )
        )


def _check_manifest(agent: Agent, manifest: Manifest) -> None:
    path = f"{agent.rel}/{MANIFEST}"
    at: Callable[..., tuple[int, int]] = agent.doc.position if agent.doc else (lambda *_: (0, 0))
    if manifest.description is None and agent.readme is None:
        agent.add(
            problem(
                "description-missing",
                path,
                "no description in agent.yaml and no README.md beside it",
                line=1,
                col=1,
            )
        )
    for key in ("tags", "maintainers"):
        seen: set[str] = set()
        for i, item in enumerate(getattr(manifest, key)):
            if item in seen:
                agent.add(
                    problem(
                        "duplicate-entry",
                        path,
                        f"{key} lists {item!r} twice",
                        f"remove the second {item!r}",
                        *at((key, i)),
                    )
                )
            seen.add(item)
    if manifest.owner in manifest.maintainers:
        message = f"{manifest.owner!r} is the owner and need not be a maintainer"
        where = at(("maintainers", manifest.maintainers.index(manifest.owner)))
        agent.add(problem("maintainer-is-owner", path, message, None, *where))
    for i, tag in enumerate(manifest.tags):
        near = near_vocabulary(tag)
        if near:
            agent.add(
                problem(
                    "tag-near-vocabulary",
                    path,
                    f"tag {tag!r} is close to the vocabulary tag {near!r}",
                    f"use {near!r}",
                    *at(("tags", i)),
                )
            )


def near_vocabulary(tag: str) -> str | None:
    """The vocabulary word a free tag almost spells, if any."""
    if tag in VOCABULARY:
        return None
    plural = [tag[:-1]] if tag.endswith("s") else []
    plural += [tag[:-2]] if tag.endswith("es") else []
    for variant in plural:
        if variant in VOCABULARY:
            return variant
    close = difflib.get_close_matches(tag, VOCABULARY, n=1, cutoff=0.85)
    return close[0] if close else None
