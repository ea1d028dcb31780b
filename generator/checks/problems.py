"""Problems found in agents, and the three ways they are printed: text, github, json.

Severities: an error fails the check, a warning is printed and passes, a notice tells reviewers
something the check cannot decide (a catalog maintainer's change outside agent folders).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "notice"]
FORMATS = ("text", "github", "json")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class UsageError(Exception):
    """The command was called wrongly (a path outside agents/, an unknown revision...); here,
    in a module without dependencies, so the command line imports it for free."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file: where it is, which rule found it, and how to fix it."""

    path: str
    """Repository-relative POSIX path of the file (or folder) at fault."""
    line: int
    """1-based line, 0 when the problem concerns the whole file."""
    col: int
    """1-based column, 0 when unknown."""
    rule: str
    """Stable rule id, documented in the rules reference."""
    message: str
    """What is wrong, naming the offending value."""
    hint: str = ""
    """How to fix it, when there is a fix to give."""
    severity: Severity = "error"

    def location(self) -> str:
        path = printable(self.path)
        if self.line and self.col:
            return f"{path}:{self.line}:{self.col}"
        if self.line:
            return f"{path}:{self.line}"
        return path

    def text(self) -> str:
        fix = f"; {self.hint}" if self.hint else ""
        return printable(f"{self.location()}: {self.severity}[{self.rule}]: {self.message}{fix}")

    def github(self) -> str:
        """A GitHub Actions workflow command, so the problem shows on the pull request's line."""
        props = [f"file={printable(_escape_property(self.path))}"]
        if self.line:
            props.append(f"line={self.line}")
        if self.col:
            props.append(f"col={self.col}")
        props.append(f"title={_escape_property(self.rule)}")
        fix = f"; {self.hint}" if self.hint else ""
        return f"::{self.severity} {','.join(props)}::{_escape_data(printable(self.message + fix))}"


@dataclass(frozen=True)
class Rule:
    """A rule: its id, the group it belongs to, what it checks, and the usual fix."""

    id: str
    group: str
    checks: str
    fix: str
    severity: Severity = "error"


def printable(text: str) -> str:
    """`text` with each unprintable character escaped the way Python writes it (\\n, \\x1b,
    \\u202e), so a problem stays one visible line whatever a name or value holds; a byte of a
    file name that is not UTF-8 shows as \\xNN."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for an undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    return repr(char)[1:-1]


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def summary(problems: Sequence[Problem], checked: int) -> str:
    """The closing line: counts of errors, warnings and notices, and where they are."""
    errors, warnings, notices = (sum(p.severity == s for p in problems) for s in _SEVERITIES)
    noun = "agent" if checked == 1 else "agents"
    notes = f", {notices} notice{'s' * (notices != 1)}" if notices else ""
    if not errors and not warnings:
        return f"{checked} {noun} valid{notes}"
    parts = [f"{errors} error{'s' * (errors != 1)}"] if errors else []
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    touched, files = _touched([p for p in problems if p.severity != "notice"], checked)
    where = [f"{touched} of {checked} {noun}"] if touched or not files else []
    where += [files[0] if len(files) == 1 else f"{len(files)} other files"] if files else []
    return f"{', '.join(parts)}{notes} in {' and '.join(where)}"


_SEVERITIES = ("error", "warning", "notice")


def _touched(problems: Sequence[Problem], checked: int) -> tuple[int, list[str]]:
    """Agents with a problem, and the files outside agents/ with one.

    An owner folder's problem (`agents/Acme`) counts as one of its agents unless an agent in it
    has a problem of its own: "2 errors in 2 of 1 agent" counted the folder as a second agent.
    """
    inside = [p.path for p in problems if p.path.startswith("agents/") and not _loose(p.path)]
    groups = {agent_of(path) for path in inside}
    agents = {g for g in groups if g.count("/") >= 2}
    owners = {g for g in groups - agents if not any(a.startswith(g + "/") for a in agents)}
    files = sorted({printable(p.path) for p in problems if p.path not in inside})
    return min(len(agents) + len(owners), checked), files


def _loose(path: str) -> bool:
    """A file right under agents/ (agents/README.md): no owner folder, since logins have no dot."""
    return path.count("/") == 1 and "." in path


def agent_of(path: str) -> str:
    """`agents/acme/bot/agent.yaml` -> `agents/acme/bot`; other paths are their own group."""
    parts = path.split("/")
    return "/".join(parts[:3]) if len(parts) >= 3 and parts[0] == "agents" else path


def render(problems: Iterable[Problem], checked: int, fmt: str) -> str:
    """All problems in the chosen format, sorted, ending with the summary (text and github)."""
    ordered = sorted(problems)
    if fmt == "json":
        doc = {
            "agents_checked": checked,
            "errors": sum(p.severity == "error" for p in ordered),
            "warnings": sum(p.severity == "warning" for p in ordered),
            "notices": sum(p.severity == "notice" for p in ordered),
            "problems": [asdict(p) for p in ordered],
        }
        text = json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)
        # a lone surrogate (a JSON escape in a character, a non-UTF-8 file name) cannot be
        # written as UTF-8; inside a JSON string its \\u escape is the same value
        return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    lines = [p.github() if fmt == "github" else p.text() for p in ordered]
    lines.append(summary(ordered, checked))
    return "\n".join(lines)
