"""Owner records: `owners/<login>.yaml` says who a namespace is and, for an org, who speaks for it.

A user namespace needs no record (the GitHub login that opens a pull request is the proof); an
org namespace must have one before its first agent, since an organization never opens a pull
request itself. The record is read like a manifest (checks/load.py: size, encoding, no aliases
or tags, positions) and validated by the strict, frozen model below, from which `catalog docs`
generates the editor schema `catalog/schema/owner.schema.json`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from generator.checks.load import MAX_MANIFEST_BYTES, SourceError, YamlDoc, list_folder, load_yaml
from generator.checks.load import read_text as _read_text
from generator.checks.lookalike import Lookalikes, describe, reserved
from generator.checks.manifest import NAME_GRAMMAR, HttpsUrl, Login
from generator.checks.problems import Problem
from generator.checks.rules import problem

OWNERS = "owners"
SUFFIX = ".yaml"
Role = Literal["admin", "publisher"]
Kind = Literal["user", "org"]
Method = Literal["github-org", "well-known", "dns-txt"]
DOMAIN_GRAMMAR = r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
_LOGIN = re.compile(NAME_GRAMMAR)
_STRICT = ConfigDict(extra="forbid", frozen=True, strict=True, use_attribute_docstrings=True)


class Member(BaseModel):
    """One member of an org namespace and what the catalog lets them do."""

    model_config = _STRICT

    login: Login
    """GitHub login of the member, lowercase."""
    role: Role
    """`admin` may change this record and every agent of the org; `publisher` may add agents
    and change those that list them in maintainers."""


class OwnerLinks(BaseModel):
    """Where the owner lives outside the catalog. Only https links are accepted."""

    model_config = _STRICT

    homepage: HttpsUrl | None = None
    """The owner's website."""
    github: HttpsUrl | None = None
    """The owner's GitHub page, e.g. https://github.com/harbor-labs."""


class Verification(BaseModel):
    """A proof the catalog's deploy workflow confirmed; only catalog maintainers record it."""

    model_config = _STRICT

    method: Method
    """`github-org`: GitHub's API confirmed the org and every member's role; `well-known`: the
    domain serves https://<domain>/.well-known/public-agents-catalog naming this owner;
    `dns-txt`: the domain's TXT record `_public-agents-catalog.<domain>` names this owner."""
    subject: Annotated[str, StringConstraints(min_length=1, max_length=253)]
    """What was proved: the org's login (github-org) or the domain (well-known, dns-txt)."""
    date: datetime.date
    """The day the proof was confirmed (YYYY-MM-DD); written by `catalog verify --record`."""

    @model_validator(mode="after")
    def _subject_form(self) -> Verification:
        grammar = NAME_GRAMMAR if self.method == "github-org" else DOMAIN_GRAMMAR
        if not re.match(grammar, self.subject):
            what = "an org login" if self.method == "github-org" else "a lowercase domain"
            raise ValueError(f"subject {self.subject!r} is not {what}")
        return self


class OwnerRecord(BaseModel):
    """An owner record: `owners/<login>.yaml`, the namespace `agents/<login>/`."""

    model_config = ConfigDict(**_STRICT, title="Public Agents Catalog owner record")

    kind: Kind
    """`user` (a person's login; a record is optional) or `org` (a GitHub organization; a
    record is required before its first agent)."""
    name: Annotated[
        str, StringConstraints(min_length=1, max_length=60, pattern=r"^\S(?:[^\r\n]*\S)?$")
    ]
    """Display name shown on the owner page (one line)."""
    links: OwnerLinks | None = None
    """Optional https links."""
    members: Annotated[list[Member], Field(max_length=200)] = []
    """For an org: its members with a role, at least one admin. A user record has none."""
    verification: Verification | None = None
    """Set by a catalog maintainer from `catalog verify`'s result; shows the verified mark."""

    @model_validator(mode="after")
    def _members_fit_kind(self) -> OwnerRecord:
        logins = [m.login for m in self.members]
        if self.kind == "user" and logins:
            raise ValueError("a user record has no members; use kind: org for a team")
        if self.kind == "org" and not any(m.role == "admin" for m in self.members):
            raise ValueError("an org record needs at least one member with role: admin")
        if len(set(logins)) != len(logins):
            raise ValueError("a member is listed twice")
        return self

    def role(self, login: str) -> Role | None:
        """The role of `login` (any case) in this org, or None."""
        folded = login.lower()
        return next((m.role for m in self.members if m.login == folded), None)

    @property
    def verified(self) -> bool:
        return self.verification is not None


@dataclass(frozen=True)
class Loaded:
    """One record file as read: the record (None when invalid), its parsed YAML, problems."""

    login: str
    record: OwnerRecord | None
    doc: YamlDoc | None
    problems: tuple[Problem, ...]


def parse_record(text: str, path: str) -> tuple[OwnerRecord | None, YamlDoc | None, list[Problem]]:
    """Parse and validate one record's text; problems name `path` and the offending line."""
    try:
        doc = load_yaml(text)
    except SourceError as err:
        return (
            None,
            None,
            [problem(err.rule, path, err.message, err.hint or None, err.line, err.col)],
        )
    try:
        return OwnerRecord.model_validate(doc.data), doc, []
    except ValidationError as err:
        found = []
        for detail in err.errors(include_url=False):
            loc = tuple(detail["loc"])
            line, col = doc.position(loc, key=detail["type"] == "extra_forbidden")
            where = ".".join(str(p) for p in loc) or "record"
            message = detail["msg"].removeprefix("Value error, ")
            found.append(
                problem("owner-record-invalid", path, f"{where}: {message}", line=line, col=col)
            )
        return None, doc, found


def read_record(root: Path, login: str) -> Loaded:
    """Read `owners/<login>.yaml` under `root` safely (never raises for bad input)."""
    path = f"{OWNERS}/{login}{SUFFIX}"
    try:
        text = _read_text(root / OWNERS / f"{login}{SUFFIX}", MAX_MANIFEST_BYTES)
    except SourceError as err:
        return Loaded(login, None, None, (problem(err.rule, path, err.message, err.hint or None),))
    record, doc, found = parse_record(text, path)
    return Loaded(login, record, doc, tuple(found))


def owner_logins(root: Path) -> tuple[list[str], list[Problem]]:
    """The logins of the records in `owners/` (from the file names, nothing read), and the
    files there that are not records."""
    folder = root / OWNERS
    if not folder.is_dir() or folder.is_symlink():
        return [], []
    logins: list[str] = []
    stray: list[Problem] = []
    for entry in list_folder(folder):
        login = entry.name.removesuffix(SUFFIX)
        rel = f"{OWNERS}/{entry.name}"
        if entry.name == "README.md":
            continue
        if not entry.name.endswith(SUFFIX) or not (_LOGIN.match(login) and len(login) <= 39):
            fix = (
                f"rename it to {OWNERS}/{login.lower()}{SUFFIX}" if login != login.lower() else None
            )
            stray.append(
                problem(
                    "owner-record-name", rel, f"{entry.name!r} is not <lowercase login>.yaml", fix
                )
            )
            continue
        logins.append(login)
    return logins, stray


def load_owners(root: Path) -> tuple[dict[str, Loaded], list[Problem]]:
    """Every record of `owners/` by login, and files there that are not records."""
    logins, stray = owner_logins(root)
    return {login: read_record(root, login) for login in logins}, stray


def records(root: Path) -> dict[str, OwnerRecord]:
    """The valid records by login (the build has refused invalid ones already)."""
    return {k: v.record for k, v in load_owners(root)[0].items() if v.record is not None}


def owner_record_problems(
    root: Path, agent_owners: set[str], only: Collection[str] | None = None
) -> list[Problem]:
    """Every record's problems, and a record's login or display name that is reserved, looks
    like another owner's, or claims a brand without a verification. With `only` (the owners of
    the agents `catalog validate PATHS` checks), only those logins' records are read and judged,
    still against every login: reading and comparing 1,600 records was 1.0 s of the 1.4 s of a
    one-agent check at 10,000 agents."""
    listed, found = owner_logins(root)
    if only is not None:
        found = []  # a stray file in owners/ is no problem of the agents asked about
    loaded = {login: read_record(root, login) for login in listed if only is None or login in only}
    logins = set(agent_owners) | set(listed)
    index = Lookalikes.of({o: o for o in logins}, {o: o for o in logins})
    for login, item in sorted(loaded.items()):
        found.extend(item.problems)
        path = f"{OWNERS}/{login}{SUFFIX}"
        word = reserved(login)
        if word:
            found.append(
                problem("reserved-name", path, f"owner {login!r} uses the reserved name {word!r}")
            )
        for rule, verb, found_keys in (
            ("owner-confusable", "looks the same as", index.confusable(login)),
            ("owner-lookalike", "is one letter away from", index.lookalike(login)),
        ):
            # A namespace that publishes agents is the original, not the suspect, of a record
            # with none (`harb0r-labs` next to harbor-labs).
            keys = [k for k in found_keys if k in agent_owners or login not in agent_owners]
            if keys:
                found.append(
                    problem(
                        rule, path, f"owner {login!r} {verb} {describe(keys, index.values, False)}"
                    )
                )
        record = item.record
        if record is None:
            continue
        claim = reserved(record.name)
        if claim and not record.verified:
            line, col = item.doc.position(("name",)) if item.doc else (0, 0)
            found.append(
                problem(
                    "reserved-name",
                    path,
                    f"name {record.name!r} claims {claim!r} and the owner is not verified",
                    line=line,
                    col=col,
                )
            )
        proof = record.verification
        if (
            proof
            and proof.method == "github-org"
            and (record.kind, proof.subject) != ("org", login)
        ):
            found.append(
                problem(
                    "owner-record-invalid",
                    path,
                    f"verification github-org {proof.subject!r} does not prove the org {login!r}",
                )
            )
    return found
