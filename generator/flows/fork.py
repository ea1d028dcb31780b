"""Fork: copy one agent's folder at the commit of one version, then make it a new agent.

The command on every agent and version page and `catalog fork` run the same git steps: an empty
repository, a non-cone sparse checkout of `/agents/<owner>/<slug>/` only, a shallow fetch of ONE
commit without blobs (`--depth 1 --filter=blob:none`), and a checkout that downloads only that
folder's files. No clone of the catalog. Every step exists since git 2.25 (`sparse-checkout init
--no-cone` then `set` works from 2.25 to today; `set --no-cone` needs 2.35). GitHub serves
partial-clone filters and fetches of a commit by id; a self-hosted server needs
`uploadpack.allowFilter` (and `uploadpack.allowAnySHA1InWant` for protocol v0 clients).
`catalog fork` first reads the folder from the clone it runs in, which holds the commit unless it
is shallow or partial, and only fetches when the clone lacks it (issue 12).
"""

from __future__ import annotations

import functools
import json
import os
import shlex
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import git

from generator.catalog.model import Agent, PublishedVersion, Site
from generator.catalog.settings import CONFIG, SettingsError, read_site
from generator.checks.load import MAX_CHARACTER_BYTES, SourceError, load_json, load_yaml, read_text
from generator.checks.moderation import load_moderation
from generator.checks.validate import validate
from generator.flows.new import (
    FIRST_VERSION,
    UserError,
    comment_header,
    json_text,
    manifest_text,
    parse_ref,
    refuse_keys,
    shown,
    strip_secrets,
    taken_names,
    unique_name,
)
from generator.history.reader import HistoryError, Release, read_history

_HEX = frozenset("0123456789abcdef")
# Never let git wait for a password: a mistyped https URL on GitHub asks for one.
_GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "", "SSH_ASKPASS": ""}


def fetch_steps(repo_url: str, owner: str, slug: str, commit: str) -> list[tuple[str, ...]]:
    """The git arguments, run in a new empty repository, that bring one agent folder at `commit`."""
    parse_ref(f"{owner}/{slug}")
    if len(commit) not in (40, 64) or not set(commit) <= _HEX:
        raise ValueError(f"not a full commit id: {commit!r}")
    return [
        ("remote", "add", "origin", repo_url),
        ("sparse-checkout", "init", "--no-cone"),
        ("sparse-checkout", "set", f"/agents/{owner}/{slug}/"),
        ("fetch", "--depth", "1", "--filter=blob:none", "origin", commit),
        ("checkout", "--quiet", commit),
    ]


def fork_command(site: Site, agent: Agent, version: PublishedVersion) -> str:
    """The shell command shown on agent and version pages; every value is quoted for the shell."""
    if len(version.commit) not in (40, 64) or not set(version.commit) <= _HEX:
        raise ValueError(f"not a full commit id: {version.commit!r}")
    dest = shlex.quote(f"{agent.slug}-{version.version}")
    steps = _quoted_steps(site.repo_url, agent.owner, agent.slug).replace(
        _PLACEHOLDER, version.commit
    )
    return f"git init --quiet {dest} && cd {dest} && {steps}"


_PLACEHOLDER = "f" * 40
"""A commit id that only stands for one: `_quoted_steps` is built once per agent, and each
version's command puts its commit in place of this (hex needs no shell quoting)."""


@functools.lru_cache(maxsize=1 << 14)
def _quoted_steps(repo_url: str, owner: str, slug: str) -> str:
    """`fetch_steps` as shell text for a placeholder commit: quoting ~40,000 version pages'
    commands word by word cost ~0.15 ms each."""
    if _PLACEHOLDER in repo_url:
        raise ValueError(f"unexpected repository URL: {repo_url!r}")
    steps = fetch_steps(repo_url, owner, slug, _PLACEHOLDER)
    return " && ".join(shlex.join(["git", *step]) for step in steps)


@dataclass(frozen=True)
class ForkRequest:
    """What `catalog fork` was asked to do."""

    spec: str
    """OWNER/SLUG or OWNER/SLUG@VERSION."""
    root: Path
    """The catalog clone whose git history lists the versions."""
    dest: Path | None = None
    new_ref: str | None = None
    repo: str | None = None
    into: Path | None = None


@dataclass(frozen=True)
class ForkResult:
    """Lines to print, and whether the new agent passed validation."""

    lines: list[str]
    ok: bool = True


def fork(request: ForkRequest) -> ForkResult:
    """`catalog fork`: fetch the version's folder and write it as a new agent or into a project."""
    ref, _, wanted = request.spec.partition("@")
    owner, slug = parse_ref(ref)
    target = _target(request, ref)  # refuse a bad destination before any network work
    release = _release(request.root, ref, wanted or None)
    lines = _moderation_lines(request.root, ref)
    with tempfile.TemporaryDirectory(prefix="catalog-fork-") as tmp:
        if copy_local_folder(request.root, owner, slug, release.commit, Path(tmp)):
            source = "the local repository (no network)"
        else:
            source = request.repo or _default_repo(request.root)
            fetch_into(source, owner, slug, release.commit, Path(tmp))
        files = read_folder(Path(tmp), owner, slug, release.commit)
    lines.append(f"fetched {ref}@{release.version} (commit {release.commit[:12]}) from {source}")
    refuse_keys(files, f"agents/{ref}")
    if request.into is not None:
        return ForkResult(lines + _into_project(request.into, target, files))
    return _as_agent(request, target, files, f"{ref}@{release.version}", lines)


def _target(request: ForkRequest, ref: str) -> Path:
    """Where the fork goes: characters/<slug>.json in the project, or the new agent folder."""
    new = parse_ref(request.new_ref) if request.new_ref else None
    if request.into is not None:
        if request.dest is not None:
            raise UserError("give either DEST or --into PROJECT, not both")
        if not (request.into / "package.json").is_file():
            raise UserError(
                f"{shown(request.into)} has no package.json: --into needs an elizaOS "
                "project (create one with: elizaos create)"
            )
        target = request.into / "characters" / f"{(new or parse_ref(ref))[1]}.json"
    elif new is None:
        raise UserError(
            "say whose fork it is: --as YOUR-LOGIN/NEW-SLUG "
            f"(e.g. --as octo-cat/{ref.split('/')[1]})"
        )
    elif request.new_ref == ref:
        raise UserError(f"--as {ref} is the agent itself; choose your own OWNER/SLUG")
    else:
        target = request.dest or request.root / "agents" / new[0] / new[1]
    if target.exists() or target.is_symlink():
        raise UserError(f"{shown(target)} already exists; choose another destination, or remove it")
    return target


def _release(root: Path, ref: str, wanted: str | None) -> Release:
    """The published version `wanted` (default: the latest), from the catalog's git history."""
    try:
        history = read_history(root)
    except HistoryError as err:
        raise UserError(f"{err}; catalog fork reads versions from a clone of the catalog") from None
    agent = history.agents.get(ref)
    if agent is None or not agent.releases:
        gone = "was removed from" if ref in history.departures else "is not in"
        raise UserError(
            f"unknown agent {ref}: it {gone} the catalog's history at {shown(root)}; "
            "check the spelling, or git pull"
        )
    for release in agent.releases:
        if release.version == (wanted or agent.releases[-1].version):
            return release
    published = ", ".join(r.version for r in agent.releases)
    raise UserError(f"unknown version {ref}@{wanted}; published: {published}")


def _moderation_lines(root: Path, ref: str) -> list[str]:
    """Refuse delisted and removed agents; warn about flagged ones."""
    decision = load_moderation(root)[0].get(ref)
    if decision is None:
        return []
    if decision.state != "flagged":
        raise UserError(
            f"{ref} is {decision.state} ({decision.reason}; {decision.issue}): it cannot be forked"
        )
    return [f"warning: {ref} is flagged: {decision.reason} ({decision.issue})"]


def _default_repo(root: Path) -> str:
    """repo_url from mkdocs.yml when the site is configured, else the local clone itself."""
    if not (root / CONFIG).is_file():
        return str(root.resolve())
    try:
        return read_site(root).repo_url
    except SettingsError as err:
        raise UserError(f"{err}; or pass --repo URL") from None


def copy_local_folder(root: Path, owner: str, slug: str, commit: str, work: Path) -> bool:
    """Write the agent folder at `commit` from the clone at `root` into `work`; False when the
    clone lacks the commit or one of its files (a shallow or partial clone). Never reaches the
    network: `protocol.allow=never` turns a partial clone's on-demand fetch into a failure."""
    folder = f"agents/{owner}/{slug}/"
    try:
        repo = git.Repo(root)
        listing = _local(repo, "ls-tree", "-z", "--full-tree", commit, "--", folder)
        entries = [entry.split("\t", 1) for entry in listing.decode().split("\0") if entry]
        for meta, path in entries:
            mode, kind, oid = meta.split()
            if kind != "blob":
                continue  # a subfolder: the sparse checkout brings it, the fork never reads it
            target = work / path
            target.parent.mkdir(parents=True, exist_ok=True)
            content = _local(repo, "cat-file", "blob", oid)
            if mode == "120000":
                target.symlink_to(content.decode())  # read_folder refuses it, as after a fetch
            else:
                target.write_bytes(content)
    except (git.GitError, OSError, ValueError):  # ValueError: a path that is not UTF-8
        shutil.rmtree(work / "agents", ignore_errors=True)
        return False
    return bool(entries)


def _local(repo: git.Repo, *args: str) -> bytes:
    """One git command on the local clone, as bytes, never fetching a missing object."""
    out: bytes = repo.git.execute(
        ["git", "-c", "protocol.allow=never", *args],
        env={**os.environ, **_GIT_ENV},
        stdout_as_string=False,
        strip_newline_in_stdout=False,
    )
    return out


def fetch_into(url: str, owner: str, slug: str, commit: str, work: Path) -> None:
    """Run the fetch steps with gitpython in `work`: the page's command, over the network."""
    try:
        repo = git.Repo.init(work)
        for step in fetch_steps(url, owner, slug, commit):
            repo.git.execute(["git", *step], env={**os.environ, **_GIT_ENV})
    except git.GitCommandError as err:
        raise UserError(
            f"could not fetch {commit[:12]} from {url}: {_reason(err)}; "
            "check --repo and your network"
        ) from None


def read_folder(work: Path, owner: str, slug: str, commit: str) -> dict[str, str]:
    """The agent folder's files in `work` as text, by name."""
    folder = work / "agents" / owner / slug
    try:
        return {
            p.name: read_text(p, MAX_CHARACTER_BYTES)
            for p in sorted(folder.iterdir())
            if p.is_file()
        }
    except (OSError, SourceError) as err:
        why = err.message if isinstance(err, SourceError) else err.strerror
        raise UserError(f"agents/{owner}/{slug} at {commit[:12]} cannot be read: {why}") from None


def _reason(err: git.GitCommandError) -> str:
    """git's own first `fatal:` line, without gitpython's wrapping."""
    text = str(err.stderr or "").strip().removeprefix("stderr:").strip().strip("'")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    fatal = [line.split("fatal:", 1)[1].strip() for line in lines if "fatal:" in line]
    return (fatal or lines or [f"git exited with {err.status}"])[0]


def _as_agent(
    request: ForkRequest, dest: Path, files: dict[str, str], parent: str, lines: list[str]
) -> ForkResult:
    """Write the fork as agents/<new owner>/<new slug>/ (or DEST) and validate it."""
    assert request.new_ref is not None
    owner, slug = parse_ref(request.new_ref)
    new_files, notes = rebrand(files, parent, owner, slug, taken_names(request.root))
    dest.mkdir(parents=True)
    for name, text in new_files.items():
        (dest / name).write_text(text, encoding="utf-8")
        lines.append(f"wrote {shown(dest / name)}")
    lines += [f"- {note}" for note in notes]
    return _checked(request.root, dest, lines)


def rebrand(
    files: dict[str, str], parent: str, owner: str, slug: str, taken: dict[str, str]
) -> tuple[dict[str, str], list[str]]:
    """The parent's files made into a new agent: owner, name, version, lineage, no secrets."""
    data = _manifest(files.get("agent.yaml", ""), parent)
    notes = [
        f"owner: {data.get('owner')} -> {owner}",
        f"version: {data.get('version')} -> {FIRST_VERSION}",
        f"forked_from: {parent}",
    ]
    name = unique_name(str(data.get("name", slug)), owner, taken, f"{owner}/{slug}")
    if name != data.get("name"):
        notes.append(f"name: {data.get('name')} -> {name} (names are unique in the catalog)")
    dropped = [key for key in ("maintainers", "links", "deprecated") if data.pop(key, None)]
    if dropped:
        notes.append(f"dropped {', '.join(dropped)}: they described the parent")
    data.update(name=name, owner=owner, version=FIRST_VERSION, forked_from=parent)
    result = dict(files)
    result["agent.yaml"] = manifest_text(data, comment_header(files["agent.yaml"]))
    character_name = str(data.get("character", "character.json"))
    if character_name in files:
        character, stripped = _character(files[character_name], character_name)
        if stripped:
            result[character_name] = json_text(character)
            notes += stripped
    return result, notes


def _manifest(text: str, parent: str) -> dict[str, Any]:
    try:
        data = load_yaml(text).data
    except SourceError as err:
        raise UserError(f"{parent}: its agent.yaml cannot be read: {err.message}") from None
    if not isinstance(data, dict):
        raise UserError(f"{parent}: its agent.yaml is not a manifest")
    return data


def _character(text: str, name: str) -> tuple[dict[str, Any], list[str]]:
    try:
        data = load_json(text)
    except SourceError as err:
        raise UserError(f"{name}:{err.line}:{err.col}: {err.message}") from None
    if not isinstance(data, dict):
        raise UserError(f"{name} is not a character (a JSON object)")
    return data, strip_secrets(data)


def _checked(root: Path, dest: Path, lines: list[str]) -> ForkResult:
    """Validate the new agent when it sits in the catalog at `root`."""
    try:
        owner, slug = dest.resolve().relative_to((root / "agents").resolve()).parts
    except ValueError:
        return ForkResult(
            [
                *lines,
                "next: move it to agents/<owner>/<slug>/ in your clone of "
                "the catalog and run catalog validate",
            ]
        )
    report = validate(root, [(owner, slug)])
    lines += [p.text() for p in report.problems if p.path.startswith(f"agents/{owner}/{slug}")]
    verdict = "valid" if report.ok else "has problems: fix them before you submit"
    return ForkResult(
        [*lines, f"{shown(dest)} {verdict}; next: commit it and open a pull request"], report.ok
    )


def _into_project(project: Path, target: Path, files: dict[str, str]) -> list[str]:
    """Put the character where an elizaOS project loads it, and say how to start it."""
    manifest = _manifest(files.get("agent.yaml", ""), target.stem)
    name = str(manifest.get("character", "character.json"))
    character, notes = _character(files.get(name, "{}"), name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json_text(character), encoding="utf-8")
    lines = [f"wrote {shown(target)}", *(f"- {note}" for note in notes)]
    cd = f"cd {shlex.quote(shown(project))} && "
    missing = _missing_plugins(project / "package.json", character)
    if missing:
        lines.append(f"install its plugins: {cd}bun add {shlex.join(missing)}")
    start = shlex.quote(f"characters/{target.name}")
    return [*lines, f"start it: {cd}elizaos start --character {start}"]


def _missing_plugins(package: Path, character: dict[str, Any]) -> list[str]:
    """Plugins the character lists that package.json does not depend on."""
    try:
        data = json.loads(package.read_text("utf-8"))
    except (OSError, ValueError):
        return []
    have: set[str] = set()
    for key in ("dependencies", "devDependencies"):
        if isinstance(data, dict) and isinstance(data.get(key), dict):
            have.update(data[key])
    plugins = character.get("plugins")
    return (
        [p for p in plugins if isinstance(p, str) and p not in have]
        if isinstance(plugins, list)
        else []
    )
