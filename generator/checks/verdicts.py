"""Per-agent verdicts kept between runs, keyed by the git blob ids of an agent folder's files.

The per-agent checks (secrets, persona, placeholders, schema...) were ~90% of a full `catalog
validate` at 10,000 agents (issue 13), and they read nothing but the agent's folder and the
inputs `environment()` digests. So their problems are kept in `catalog-verdicts.json` inside
the git folder (like the facts store, `facts.py`), under a key made of the folder's path and the
blob id of every file in it, as `git ls-files -s` gives them. Any file git does not vouch for
(changed, untracked or ignored, deleted, a link, assume-unchanged, unmerged), a folder listing
that differs from git's (an empty folder added), another version of the code, data or tools,
or a store this code did not write: the agent is checked again. The verdicts are those of a
fresh check (`tests/test_verdict_store.py`).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import sys
import unicodedata
from pathlib import Path

import yaml

from generator.checks.capabilities import TABLE
from generator.checks.facts import git_output, vouched
from generator.checks.plugins import REGISTRY_DIR
from generator.checks.problems import Problem

Ref = tuple[str, str]
STORE = "catalog-verdicts.json"
FORMAT = 1
"""Bump when what is stored changes shape."""
TOOLS = (
    "pydantic",
    "pydantic-core",
    "PyYAML",
    "detect-secrets",
    "mnemonic",
    "regex",
    "confusable-homoglyphs",
    "semver",
)
"""Distributions whose behaviour shapes a per-agent verdict (the generator's code is hashed)."""
_SEVERITIES = ("error", "warning", "notice")
FEW = 64
"""Up to this many agents checked, git lists their folders alone rather than all of agents/."""


@functools.cache
def environment() -> str:
    """Digest of everything besides the folder that the per-agent checks read: the checks'
    code, the plugin registry snapshot, data/capabilities.yaml, the tools' versions, Python's
    and its Unicode tables' versions."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{unicodedata.unidata_version}".encode())
    package = Path(__file__).resolve().parent
    sources = [*sorted(package.glob("*.py")), package.parent / "__init__.py"]
    data = [*sorted(REGISTRY_DIR.glob("*")), TABLE]
    for path in [*sources, *data]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in TOOLS:
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name}=\0".encode())
    digest.update(str(getattr(yaml, "__with_libyaml__", False)).encode())
    return digest.hexdigest()


class Verdicts:
    """The store of one checkout: what git vouches for, the stored verdicts, the new ones.

    Git's listing of agents/ (~0.8 s at 10,000 agents, three git processes) is read when first
    needed: at once when the store holds verdicts, else while the forked checks run
    (`list_folders`, called by `checks/loading.py`), since the keys are then needed only to
    keep the new verdicts."""

    def __init__(
        self,
        root: Path,
        store: Path | None,
        only: list[Ref] | None = None,
        attributes: Path | None = None,
    ) -> None:
        self.root = root
        self.store = store
        self.only = only
        self._keys: dict[Ref, tuple[str, frozenset[str]]] | None = None
        self.environment = _environment(root, attributes) if store else ""
        self.stored: dict[str, object] = _read(store, self.environment) if store else {}
        self.kept: dict[str, object] = {}
        self.changed = False

    @classmethod
    def open(cls, root: Path, only: list[Ref] | None = None) -> Verdicts | None:
        """The store of `root`, or None outside git (every agent is then checked); with `only`,
        git is asked about those folders alone (a one-agent check at 10,000 agents)."""
        dirs = git_output(root, "rev-parse", "--absolute-git-dir", "--git-path", "info/attributes")
        folder, _, attributes = (dirs or "").partition("\n")
        if not folder:
            return None
        return cls(root, Path(folder.strip(), STORE), only, root / attributes.strip())

    @property
    def keys(self) -> dict[Ref, tuple[str, frozenset[str]]]:
        """ref -> (folder key, the names git lists at the top of the folder, "/" after folders)
        for each folder whose every file git vouches for; empty when git cannot say (and then
        the store is neither read nor written, as outside git)."""
        if self._keys is None:
            self._keys = self._list()
        return self._keys

    def list_folders(self) -> None:
        """Read git's listing now (while forked workers check the agents)."""
        self.keys  # noqa: B018  # the property reads and keeps it

    def _list(self) -> dict[Ref, tuple[str, frozenset[str]]]:
        only, root = self.only, self.root
        few = only is not None and len(only) <= FEW
        paths = [f":(literal)agents/{o}/{s}" for o, s in only or ()] if few else ["agents"]
        found = vouched(root, *paths, untracked=True)
        if found is None:
            self.store, self.stored = None, {}
            return {}
        blobs, doubtful = found
        files: dict[Ref, list[tuple[str, str]]] = {}
        for path, blob in blobs.items():
            parts = path.split("/", 3)
            if len(parts) == 4:
                files.setdefault((parts[1], parts[2]), []).append((parts[3], blob))
        for path in doubtful:
            parts = path.split("/", 3)
            if len(parts) == 4:
                files.pop((parts[1], parts[2]), None)
        owners = {owner: _owner_attributes(root, owner) for owner in {o for o, _ in files}}
        return {ref: _key(ref, rows, owners[ref[0]]) for ref, rows in files.items()}

    def get(self, ref: Ref) -> list[Problem] | None:
        """The stored problems of an agent whose folder git vouches for, else None."""
        if not self.stored:
            return None  # nothing stored (a first run, another version): git's listing waits
        known = self.keys.get(ref)
        rows = self.stored.get(known[0]) if known else None
        if known is None or rows is None or not _same_listing(self.root, ref, known[1]):
            return None
        found = _problems(rows)
        if found is not None:
            self.kept[known[0]] = rows
        return found

    def put(self, ref: Ref, problems: list[Problem]) -> None:
        """Keep a freshly checked agent's problems, when git vouches for its folder."""
        known = self.keys.get(ref)
        if known is None:
            return
        self.kept[known[0]] = [list(_row(p)) for p in problems]
        self.changed = self.changed or known[0] not in self.stored

    def save(self, every: bool) -> None:
        """Write the store when it gained a verdict; `every` (the whole catalog was checked)
        also drops the verdicts of folders that are gone or changed."""
        if self.store is None:
            return
        rows = self.kept if every else {**self.stored, **self.kept}
        if not self.changed and (not every or rows.keys() == self.stored.keys()):
            return
        data = {"format": FORMAT, "environment": self.environment, "verdicts": rows}
        try:
            part = self.store.with_name(f"{self.store.name}.{os.getpid()}")
            part.write_text(json.dumps(data, sort_keys=True), "utf-8")
            part.replace(self.store)
        except OSError:
            pass  # a read-only checkout still validates, only slower next time


def _environment(root: Path, info: Path | None = None) -> str:
    """`environment()` and what changes how this checkout's files are checked out (line endings
    and filters: a blob id then stands for other bytes): the settings, and the attributes of the
    repository (`info/attributes` in the git folder), of its top and of agents/, and the user's
    (`_user`). An owner's folder's attributes are in its agents' keys (`_owner_attributes`); an
    agent folder's own `.gitattributes` is one of its files."""
    settings = r"^(core\.(autocrlf|eol|attributesfile)|filter\.)"
    config = git_output(root, "config", "--get-regexp", settings) or ""
    attributes = [root / ".gitattributes", root / "agents" / ".gitattributes", _user(root, config)]
    if info is not None:
        attributes.append(info)
    local = b"".join(_read_or_none(p) + b"\0" for p in attributes if p is not None)
    extra = hashlib.sha256(config.encode() + b"\0" + local).hexdigest()
    return f"{environment()}-{extra}"


def _user(root: Path, config: str) -> Path | None:
    """The user's own attributes file: `core.attributesFile` (the last one set; git reads a
    relative one from the top of the checkout), else git's default under `$XDG_CONFIG_HOME`
    or `~/.config`; None when no home folder can be found for `~`."""
    named = [line.split(" ", 1) for line in config.splitlines() if line.startswith("core.attr")]
    try:
        if named and len(named[-1]) == 2:
            return root / Path(named[-1][1]).expanduser()
        base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    except RuntimeError:  # no HOME and no password entry: git reads no such file either
        return None
    return Path(base, "git", "attributes")


def _read_or_none(path: Path) -> bytes:
    """A file's bytes; b"" when it is missing or not a file, a marker when it cannot be read (a
    verdict then stands for an unreadable file, and one made readable is checked again)."""
    try:
        return path.read_bytes() if path.is_file() else b""
    except OSError:
        return b"\1unreadable"


def _owner_attributes(root: Path, owner: str) -> bytes:
    """The `.gitattributes` of agents/<owner>/, which applies to every agent folder in it."""
    try:
        return (root / "agents" / owner / ".gitattributes").read_bytes()
    except OSError:  # none (the usual case), or a folder or a link there: nothing git reads
        return b""


def _key(
    ref: Ref, rows: list[tuple[str, str]], attributes: bytes = b""
) -> tuple[str, frozenset[str]]:
    digest = hashlib.sha256(f"{ref[0]}/{ref[1]}".encode("utf-8", "surrogateescape"))
    digest.update(b"\0" + hashlib.sha256(attributes).digest())
    for name, blob in sorted(rows):
        digest.update(b"\0" + name.encode("utf-8", "surrogateescape") + b"\0" + blob.encode())
    top = frozenset(n if "/" not in n else n.split("/", 1)[0] + "/" for n, _ in rows)
    return digest.hexdigest(), top


def _same_listing(root: Path, ref: Ref, top: frozenset[str]) -> bool:
    """Whether the folder holds exactly the files and folders git lists (an empty folder or a
    file git ignores is not in git's list; a link where git has a file is)."""
    try:
        with os.scandir(root / "agents" / ref[0] / ref[1]) as entries:
            found = set()
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    found.add(entry.name + "/")
                elif entry.is_file(follow_symlinks=False):
                    found.add(entry.name)
                else:
                    return False
    except OSError:
        return False
    return found == top


def _row(p: Problem) -> tuple[object, ...]:
    return (p.path, p.line, p.col, p.rule, p.message, p.hint, p.severity)


def _problems(rows: object) -> list[Problem] | None:
    """The problems a stored entry holds, or None when it is not exactly what `put` writes."""
    if not isinstance(rows, list):
        return None
    found = []
    for row in rows:
        if not (isinstance(row, list) and len(row) == 7):
            return None
        path, line, col, rule, message, hint, severity = row
        texts = all(isinstance(v, str) for v in (path, rule, message, hint))
        if not (texts and type(line) is int and type(col) is int and severity in _SEVERITIES):
            return None
        found.append(Problem(path, line, col, rule, message, hint, severity))
    return found


def _read(path: Path, environment: str) -> dict[str, object]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}  # no store yet, or a damaged one: check every agent
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    verdicts = data.get("verdicts")
    if data.get("environment") != environment or not isinstance(verdicts, dict):
        return {}
    return verdicts
