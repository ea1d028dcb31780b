"""Turn pydantic's validation errors on a manifest into Problems with rule ids, lines and fixes."""

from __future__ import annotations

import difflib
import re

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from generator.checks.load import YamlDoc
from generator.checks.manifest import FIELD_NAMES, SEMVER_GRAMMAR, Manifest
from generator.checks.problems import Problem
from generator.checks.rules import problem

LAST_UPDATED_KEYS = frozenset(
    {
        "last_updated",
        "lastupdated",
        "last-updated",
        "updated",
        "updated_at",
        "updatedat",
        "modified",
        "date",
        "created",
        "created_at",
        "published",
        "published_at",
    }
)
_FIELD_RULES = {
    "version": "version-invalid",
    "owner": "login-invalid",
    "maintainers": "login-invalid",
    "license": "license-invalid",
    "tags": "tag-invalid",
    "links": "link-not-https",
    "forked_from": "forked-from-invalid",
}


def manifest_problems(err: ValidationError, doc: YamlDoc, path: str) -> list[Problem]:
    """One Problem per pydantic error, placed on the line of the offending key or value."""
    return [_one(detail, doc, path) for detail in err.errors(include_url=False)]


def _one(detail: ErrorDetails, doc: YamlDoc, path: str) -> Problem:
    loc = tuple(detail["loc"])
    dotted = _dotted(loc)
    kind = detail["type"]
    if kind == "extra_forbidden":
        line, col = doc.position(loc, key=True)
        return _unknown_key(loc, dotted, path, line, col)
    line, col = doc.position(loc)
    if kind == "missing":
        return problem(
            "missing-key",
            path,
            f"required key {dotted!r} is missing",
            f"add {dotted}: (see the manifest reference)",
            line,
            col,
        )
    value = detail.get("input")
    rule = _FIELD_RULES.get(str(loc[0]), "manifest-schema") if loc else "manifest-schema"
    if loc and loc[0] == "links" and kind != "string_pattern_mismatch":
        rule = "manifest-schema"
    message = f"{dotted}: {_describe(detail)}"
    return problem(rule, path, message, _hint(rule, kind, loc, value), line, col)


def _unknown_key(loc: tuple[object, ...], dotted: str, path: str, line: int, col: int) -> Problem:
    key = str(loc[-1])
    if len(loc) == 1 and key.lower().replace(" ", "_") in LAST_UPDATED_KEYS:
        return problem(
            "last-updated-set",
            path,
            f"{key!r} cannot be set by hand: the last-updated date comes from git",
            f"remove {key!r}",
            line,
            col,
        )
    choices = sorted(FIELD_NAMES) if len(loc) == 1 else _nested_fields(loc[:-1])
    close = difflib.get_close_matches(key, choices, n=1, cutoff=0.6)
    hint = (
        f"did you mean {close[0]!r}?" if close else f"remove it; known keys: {', '.join(choices)}"
    )
    return problem("unknown-key", path, f"unknown key {dotted!r}", hint, line, col)


def _nested_fields(parent: tuple[object, ...]) -> list[str]:
    field = Manifest.model_fields.get(str(parent[0]))
    annotation = getattr(field, "annotation", None)
    for candidate in getattr(annotation, "__args__", (annotation,)):
        fields = getattr(candidate, "model_fields", None)
        if fields:
            return sorted(fields)
    return []


def _dotted(loc: tuple[object, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _describe(detail: ErrorDetails) -> str:
    kind, value = detail["type"], detail.get("input")
    if kind == "string_pattern_mismatch":
        return f"{value!r} has the wrong form"
    if kind == "value_error":
        return re.sub(r"^Value error, ", "", detail["msg"])
    if kind in ("string_type", "list_type", "dict_type", "model_type", "literal_error"):
        return f"{detail['msg'].lower()}, got {_shown(value)}"
    return f"{detail['msg']}"


def _shown(value: object) -> str:
    """The value's type and the value itself, or its size when it would not fit on a line: a
    message never ends in the middle of a value (it was once cut at 200 characters)."""
    text = repr(value)
    if len(text) <= 120 or not isinstance(value, str | list | dict):
        return f"{_typename(value)} {text}"
    unit = {str: "characters", list: "items", dict: "keys"}[type(value)]
    return f"{_typename(value)} of {len(value):,} {unit}"


def _typename(value: object) -> str:
    return {
        bool: "boolean",
        int: "number",
        float: "number",
        type(None): "null",
        str: "string",
        list: "list",
        dict: "mapping",
    }.get(type(value), type(value).__name__)


def _hint(rule: str, kind: str, loc: tuple[object, ...], value: object) -> str | None:
    """A fix for this value, "" for none, None for the rule's usual fix."""
    if kind == "string_type" and isinstance(value, int | float):
        if rule == "version-invalid":
            return 'write a quoted MAJOR.MINOR.PATCH, e.g. version: "1.0.0"'
        return f'quote it: "{value}"'
    if rule == "version-invalid":
        return _version_hint(value)
    if rule == "login-invalid" and isinstance(value, str) and value.lower() != value:
        return f"write it in lowercase: {value.lower()}"
    if rule == "tag-invalid" and isinstance(value, str):
        fixed = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        return f"write it as {fixed!r}" if fixed else "use lowercase words joined by hyphens"
    if rule == "license-invalid":
        return ""
    return None


def _version_hint(value: object) -> str:
    text = str(value)
    if text.lower() in ("latest", "*", "x"):
        return "a manifest pins one exact version, e.g. 1.0.0"
    if text[:1] in "^~>=<" or " " in text:
        return "ranges are not allowed: write one exact version, e.g. 1.0.0"
    prefixed = text[:1] in "vV"
    fixed = _full_version(text[1:] if prefixed else text)
    if prefixed:
        return f"drop the 'v' prefix: {fixed}" if fixed else "drop the 'v' prefix, e.g. 1.0.0"
    return f"write MAJOR.MINOR.PATCH: {fixed}" if fixed else "write MAJOR.MINOR.PATCH, e.g. 1.0.0"


def _full_version(text: str) -> str | None:
    """`1.2` -> `1.2.0`: the valid version a short one stands for, so no advice is refused."""
    match = re.fullmatch(r"(\d+(?:\.\d+){0,2})([-+].*)?", text)
    if match is None:
        return None
    parts = match[1].split(".")
    candidate = ".".join(parts + ["0"] * (3 - len(parts))) + (match[2] or "")
    return candidate if re.fullmatch(SEMVER_GRAMMAR, candidate) else None
