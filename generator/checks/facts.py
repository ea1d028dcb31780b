"""Cross-agent facts (name, version, references) of every agent, without parsing every manifest.

The one-agent and pull-request checks need the name and version of all the other agents.
Composing every manifest cost 77% of `catalog validate agents/<o>/<s>` at 10,000 agents
(issue 13). Here the facts are kept in `catalog-facts.json` inside the git folder (never seen
as a change by the gate, gone with the checkout), keyed by the git blob id of each manifest:
one `git ls-files` call gives the ids of the committed manifests and one `git diff-files` the
manifests that differ from them. Any doubt (not a git checkout, a changed, untracked, linked,
unmerged or assume-unchanged file, a cache miss) reads the file itself, so the verdicts are
those of a full parse.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import NamedTuple

import yaml
from yaml.nodes import MappingNode, ScalarNode

from generator.checks.load import MANIFEST, MAX_MANIFEST_BYTES, SourceError, read_text
from generator.checks.lookalike import (
    Skeleton,
    ascii_table,
    name_skeleton,
    skeleton_version,
)

Ref = tuple[str, str]
CACHE = "catalog-facts.json"
SKELETONS = "catalog-skeletons.json"
FORMAT = 1
"""Bump when `light_entry` changes what it reads: older caches are then ignored."""
RESTAT = 100
"""`git diff-files` names a file whose stat data differ from the index even when its bytes do
not (a copied checkout, a `touch`); past this many, git compares their content instead."""
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_PATHS = f":(glob)agents/*/*/{MANIFEST}"


class Entry(NamedTuple):
    """What the cross-agent rules need to know about any agent, checked or not (a tuple: the
    one-agent check builds 10,000 of them from the cache)."""

    name: str | None
    version: str | None
    references: tuple[str, ...] = ()
    """owner/slug of the agents it names in forked_from and deprecated.replacement: when a
    change removes one of them, this agent is checked too."""


def light_index(root: Path, refs: list[Ref]) -> dict[str, Entry]:
    """Name and version of every agent: from the blob-keyed cache when git vouches for the file."""
    blobs = _clean_blobs(root)
    folder = git_output(root, "rev-parse", "--absolute-git-dir") if blobs else None
    cache = Path(folder.strip(), CACHE) if folder else None
    cached = _read_cache(cache) if cache else {}
    kept: dict[str, Entry] = {}
    index: dict[str, Entry] = {}
    for owner, slug in refs:
        path = f"agents/{owner}/{slug}/{MANIFEST}"
        blob = blobs.get(path)
        entry = cached.get(blob) if blob else None
        if entry is None:
            entry = light_entry(root / path)
        if blob:
            kept[blob] = entry
        index[f"{owner}/{slug}"] = entry
    if cache and kept != cached:
        _write_cache(cache, kept)
    return index


def git_output(root: Path, *args: str) -> str | None:
    """What git printed (paths unquoted), or None when it failed or is missing."""
    return git_outputs(root, args)[0]


def git_outputs(root: Path, *commands: tuple[str, ...]) -> list[str | None]:
    """`git_output` of each command, run side by side: each process waits on the file system
    (stat, directory reads) more than it computes, and two cores run two at once."""
    running: list[subprocess.Popen[str] | None] = []
    for args in commands:
        try:
            running.append(
                subprocess.Popen(
                    ["git", "-c", "core.quotePath=off", *args],
                    cwd=root,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    text=True,
                    encoding="utf-8",
                    errors="surrogateescape",
                )
            )
        except OSError:
            running.append(None)
    found: list[str | None] = []
    for process in running:
        if process is None:
            found.append(None)
            continue
        out, _ = process.communicate()
        found.append(out if process.returncode == 0 else None)
    return found


def _clean_blobs(root: Path) -> dict[str, str]:
    """Path -> blob id of each manifest whose file is a plain, tracked, unchanged regular file."""
    # untracked files are not in `staged`; -o would walk agents/ for nothing (0.05 s against 0.15)
    found = vouched(root, _PATHS)
    if found is None:
        return {}
    blobs = found[0]
    for path in [p for p in blobs if p.count("/") != 3]:  # the glob's * also matches /
        del blobs[path]
    return blobs


def vouched(
    root: Path, *pathspecs: str, untracked: bool = False
) -> tuple[dict[str, str], set[str]] | None:
    """The files under `pathspecs` git vouches for (path -> blob id: tracked, unchanged, plain
    files, not assume-unchanged, skip-worktree or unmerged) and the paths it does not (changed,
    deleted, links, the rest; with `untracked`, also untracked and ignored files). None when
    git cannot say (not a checkout, no git)."""
    # diff-files matches the pathspecs before it stats (ls-files -m stats every tracked file of
    # the common prefix: 30,000 for the 10,000 manifests of agents/*/*/agent.yaml) and stats
    # in threads; it also names files whose stat data alone changed, which are doubted.
    others = [("ls-files", "-z", "-o", "--", *pathspecs)] if untracked else []
    staged, dirty, *new = git_outputs(
        root,
        ("ls-files", "-z", "-s", "-v", "--", *pathspecs),
        ("diff-files", "--name-only", "--relative", "-z", "--", *pathspecs),
        *others,
    )
    if dirty is not None and dirty.count("\0") > RESTAT:
        dirty = _changed_content(root, pathspecs)
    if staged is None or dirty is None or None in new:
        return None
    doubtful = set(dirty.split("\0")).union(*(n.split("\0") for n in new if n is not None))
    doubtful.discard("")
    blobs: dict[str, str] = {}
    for line in staged.split("\0"):
        head, _, path = line.partition("\t")
        fields = head.split(" ")  # tag mode blob stage
        if len(fields) != 4 or path in doubtful or path in blobs:
            if path:
                doubtful.add(path)
            continue
        tag, mode, blob, stage = fields
        if tag == "H" and mode in ("100644", "100755") and stage == "0":
            blobs[path] = blob
        else:
            doubtful.add(path)
    for path in doubtful.intersection(blobs):  # an unmerged path listed at stage 0 and 2
        del blobs[path]
    return blobs, doubtful


def _changed_content(root: Path, pathspecs: tuple[str, ...]) -> str | None:
    """The files under `pathspecs` whose bytes differ from the index, or that are gone, when
    many differ in stat data alone. Git first brings the index's stat data up to date, as any
    `git status` does, so the next run's diff-files names only real changes (a copied checkout
    otherwise cost every run ~3 s of hashing at 10,000 agents); where the index must not be
    written (`GIT_OPTIONAL_LOCKS=0`, a hook's index in `GIT_INDEX_FILE`) or cannot be (another
    git holds its lock), git compares the content without writing."""
    quiet = os.environ.get("GIT_OPTIONAL_LOCKS") == "0" or "GIT_INDEX_FILE" in os.environ
    if not quiet and git_output(root, "update-index", "-q", "--refresh") is not None:
        return git_output(root, "diff-files", "--name-only", "--relative", "-z", "--", *pathspecs)
    return git_output(root, "ls-files", "-z", "-m", "-d", "--", *pathspecs)


def _read_cache(path: Path) -> dict[str, Entry]:
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.get("format") != FORMAT:
            return {}
        return {
            blob: Entry(name, version, tuple(refs))
            for blob, (name, version, refs) in data["entries"].items()
        }
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return {}  # no cache, or one this version cannot read: parse


def _write_cache(target: Path, entries: dict[str, Entry]) -> None:
    rows = {b: [e.name, e.version, list(e.references)] for b, e in sorted(entries.items())}
    try:
        part = target.with_name(f"{target.name}.{os.getpid()}")
        part.write_text(json.dumps({"format": FORMAT, "entries": rows}), "utf-8")
        part.replace(target)
    except OSError:
        pass  # a read-only checkout still validates, only slower next time


def light_entry(path: Path) -> Entry:
    """The name and version a manifest spells, as strings; None for what cannot be read.

    Reads with the same limits as the full check (no links, no huge files) and only composes
    the YAML: constructing values raises on `2026-13-45` or a 5,000-digit number, and one such
    agent must not stop the targeted check of another. Its own check reports the value."""
    try:
        node = yaml.compose(read_text(path, MAX_MANIFEST_BYTES), Loader=_LOADER)
    except (SourceError, yaml.YAMLError, ValueError):
        return Entry(None, None)
    if not isinstance(node, MappingNode):
        return Entry(None, None)
    keys = [key.value for key, _ in node.value if isinstance(key, ScalarNode)]
    if len(set(keys)) != len(node.value):  # the full check refuses the manifest
        return Entry(None, None)
    strings = _strings(node)
    deprecated = next(
        (v for k, v in node.value if isinstance(k, ScalarNode) and k.value == "deprecated"), None
    )
    replacement = _strings(deprecated).get("replacement") if deprecated is not None else None
    named = {"forked_from": strings.get("forked_from"), "deprecated": {"replacement": replacement}}
    return Entry(strings.get("name"), strings.get("version"), references(named))


def _strings(node: yaml.Node) -> dict[str, str]:
    """The string values of a YAML mapping node's scalar keys ({} for any other node)."""
    if not isinstance(node, MappingNode):
        return {}
    return {
        key.value: value.value
        for key, value in node.value
        if isinstance(key, ScalarNode) and isinstance(value, ScalarNode) and value.tag == _STR
    }


def references(data: object) -> tuple[str, ...]:
    """owner/slug of forked_from and deprecated.replacement in a manifest's data, as written."""
    if not isinstance(data, dict):
        return ()
    fork, deprecated = data.get("forked_from"), data.get("deprecated")
    replacement = deprecated.get("replacement") if isinstance(deprecated, dict) else None
    named = (fork.partition("@")[0] if isinstance(fork, str) else None, replacement)
    return tuple(sorted({ref for ref in named if isinstance(ref, str) and ref}))


def name_skeletons(root: Path, names: list[str]) -> dict[str, Skeleton]:
    """The look-alike skeleton of each name, kept in `catalog-skeletons.json` inside the git
    folder between runs: computing 10,000 of them was ~0.2 s of every one-agent check. Keyed by
    the name itself and by `skeleton_version()` (the code and the confusables table), so a
    stored skeleton is the one `_skeleton` would compute; a file that is not exactly what this
    code writes is ignored, and every skeleton is computed again."""
    folder = git_output(root, "rev-parse", "--absolute-git-dir")
    store = Path(folder.strip(), SKELETONS) if folder else None
    version = skeleton_version()
    data = _read_json(store) if store else None
    if not isinstance(data, dict) or data.get("version") != version:
        data = {}
    table = data.get("ascii")
    stored: dict[str, Skeleton] = {}
    shaped = isinstance(table, dict) and sorted(table) == list(range(128))
    if shaped and all(isinstance(v, str) for v in table.values()):  # type: ignore[union-attr]
        ascii_table(table)  # ASCII names then need no confusables table
        stored = _read_skeletons(data)
    found = {name: stored.get(name) or name_skeleton(name) for name in names}
    if store and any(name not in stored for name in found):
        rows = dict(sorted(found.items()))
        _write_json(store, {"version": version, "ascii": ascii_table(), "skeletons": rows})
    return found


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text("utf-8"), object_pairs_hook=_int_keys)
    except (OSError, ValueError, RecursionError):
        return None


def _int_keys(pairs: list[tuple[str, object]]) -> dict[object, object]:
    """JSON objects, with the ASCII table's keys (code points, written as strings) as ints."""
    return {int(k) if k.isdigit() and len(k) <= 3 else k: v for k, v in pairs}


def _read_skeletons(data: dict[str, object]) -> dict[str, Skeleton]:
    rows = data.get("skeletons")
    if not isinstance(rows, dict):
        return {}
    return {
        name: (row[0], row[1], row[2])
        for name, row in rows.items()
        if isinstance(row, list)
        and len(row) == 3
        and isinstance(row[0], str)
        and isinstance(row[1], str)
        and type(row[2]) is int
    }


def _write_json(target: Path, data: object) -> None:
    try:
        part = target.with_name(f"{target.name}.{os.getpid()}")
        part.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        part.replace(target)
    except OSError:
        pass  # a read-only checkout still validates, only slower next time
