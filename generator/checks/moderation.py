"""moderation.yaml: the maintainers' public decisions about reported agents.

One entry per agent, `owner/slug: {state, reason, issue, date}`. `flagged` shows a banner with the
report's link, `delisted` keeps the page (with a notice) out of listings, search, the API listing
and the feed and hides the fork command, `removed` turns the page into a tombstone. The file is
guarded by CODEOWNERS, so only maintainers change it; the catalog policy (catalog/policy.md) says
how a report becomes an entry.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, ValidationError

from generator.checks.load import SourceError, YamlDoc, list_folder, load_yaml, read_text
from generator.checks.manifest import AGENT_REF_GRAMMAR, HTTPS_URL_GRAMMAR, ONE_LINE
from generator.checks.problems import Problem
from generator.checks.rules import problem

ModerationState = Literal["flagged", "delisted", "removed"]
MODERATION_FILE = "moderation.yaml"
MAX_MODERATION_BYTES = 1024 * 1024
_REF = re.compile(AGENT_REF_GRAMMAR)


@dataclass(frozen=True)
class Moderation:
    """A maintainer's decision about an agent, from moderation.yaml."""

    state: ModerationState
    reason: str
    issue: str
    """Link to the report issue."""
    date: str
    """ISO date of the decision (YYYY-MM-DD)."""


def _real_date(value: str) -> str:
    dt.date.fromisoformat(value)  # raises ValueError for 2026-02-30
    return value


class Entry(BaseModel):
    """A maintainer's decision about one agent."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, use_attribute_docstrings=True
    )

    state: Literal["flagged", "delisted", "removed"]
    """flagged: banner on the page; delisted: out of listings, search, API listing and feed, fork
    command hidden; removed: the page becomes a tombstone."""
    reason: Annotated[str, StringConstraints(min_length=3, max_length=280, pattern=ONE_LINE)]
    """Why, in one line; shown on the page."""
    issue: Annotated[str, StringConstraints(max_length=2000, pattern=HTTPS_URL_GRAMMAR)]
    """https link to the report issue, so the decision can be read and appealed in public."""
    date: Annotated[
        str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_real_date)
    ]
    """Date of the decision, YYYY-MM-DD."""


def load_moderation(root: Path) -> tuple[dict[str, Moderation], list[Problem]]:
    """Every entry of `root/moderation.yaml` (none when the file is absent) and its problems."""
    path = root / MODERATION_FILE
    if not path.exists() and not path.is_symlink():
        return {}, []
    try:
        doc = load_yaml(read_text(path, MAX_MODERATION_BYTES))
    except SourceError as err:
        return {}, [_invalid(err.message, err.hint or None, (err.line, err.col))]
    if doc.data is None:
        return {}, []
    if not isinstance(doc.data, dict):
        return {}, [_invalid("expected a mapping of owner/slug to entries", None, (1, 1))]
    known = _agent_refs(root)
    decisions: dict[str, Moderation] = {}
    found: list[Problem] = []
    for ref, raw in doc.data.items():
        entry = _entry(doc, ref, raw, found)
        if entry is None:
            continue
        if ref not in known:
            found.append(_unknown(ref, doc.position((ref,), key=True)))
        decisions[ref] = Moderation(entry.state, entry.reason, entry.issue, entry.date)
    return dict(sorted(decisions.items())), found


def _entry(doc: YamlDoc, ref: str, raw: object, found: list[Problem]) -> Entry | None:
    """Validate one entry, adding a problem for each fault; None when it is unusable."""
    if not _REF.fullmatch(ref):
        found.append(
            _invalid(
                f"{ref!r} is not owner/slug",
                "write the agent as owner/slug, e.g. acme/harbor-bot",
                doc.position((ref,), key=True),
            )
        )
        return None
    if isinstance(raw, dict) and isinstance(raw.get("date"), dt.date):
        raw = {**raw, "date": raw["date"].isoformat()}  # YAML reads 2026-01-05 as a date
    try:
        return Entry.model_validate(raw)
    except ValidationError as err:
        for error in err.errors():
            loc = tuple(str(part) for part in error["loc"])
            message, hint = _describe(loc, error["type"], error["msg"])
            found.append(_invalid(f"{ref}: {message}", hint, doc.position((ref, *loc))))
        return None


def _describe(loc: tuple[str, ...], kind: str, message: str) -> tuple[str, str]:
    """What is wrong with one field, and the fix."""
    field = ".".join(loc)
    if kind == "missing":
        return f"{field} is missing", f"add {field}"
    if kind == "extra_forbidden":
        return f"unknown key {field!r}", "the keys are state, reason, issue and date"
    if kind in {"model_type", "model_attributes_type"}:
        return "expected a mapping", "give state, reason, issue and date"
    if field == "state":
        return f"state: {message}", "use flagged, delisted or removed"
    if field == "issue":
        return "issue is not an https link", "link the report issue, https://github.com/..."
    if field == "date":
        return "date is not a real date", "write the date of the decision as YYYY-MM-DD"
    return f"{field}: {message}", "write it on one line, 3-280 characters"


def _agent_refs(root: Path) -> set[str]:
    """owner/slug of every agent folder in the working tree."""
    agents = root / "agents"
    if not agents.is_dir():
        return set()
    return {
        f"{owner.name}/{slug.name}"
        for owner in list_folder(agents)
        if owner.is_dir(follow_symlinks=False)
        for slug in list_folder(Path(owner.path))
        if slug.is_dir(follow_symlinks=False)
    }


def _invalid(message: str, hint: str | None, where: tuple[int, int]) -> Problem:
    return problem("moderation-invalid", MODERATION_FILE, message, hint, *where)


def _unknown(ref: str, where: tuple[int, int]) -> Problem:
    return problem(
        "moderation-unknown-agent",
        MODERATION_FILE,
        f"{ref} has no folder under agents/",
        line=where[0],
        col=where[1],
    )
