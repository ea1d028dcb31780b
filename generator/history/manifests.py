"""What an agent.yaml of the past holds: its version, or why it cannot publish one.

Old blobs were never all validated (history from before the gate, a direct push), so nothing
here trusts them: a manifest that is too large, binary, not UTF-8, not YAML, not a mapping, or
whose version is not a semantic version publishes no version, and the reason is kept to be
reported. The validator's own limits and grammar live in `checks`, which this stage may not
import; tests/test_history.py keeps the copies here equal to them.
"""

from __future__ import annotations

import re

import yaml

MAX_MANIFEST_BYTES = 64 * 1024
"""The validator's limit for agent.yaml (checks/load.py)."""
MAX_VERSION = 64
"""The validator's limit for a version string (checks/manifest.py)."""
# The regular expression published on semver.org (2.0.0): checks/manifest.py's SEMVER_GRAMMAR.
SEMVER_GRAMMAR = (
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
_SEMVER = re.compile(SEMVER_GRAMMAR, re.ASCII)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# `version: 1.2.3`, optionally quoted, optionally followed by a comment; semver characters only.
_VERSION_LINE = re.compile(
    rb"""^version:[ \t]*(["']?)([0-9A-Za-z.+-]+)\1[ \t]*(?:#.*)?\r?$""", re.MULTILINE
)
_PLAIN_NUMBER = re.compile(rb"[0-9]+(\.[0-9]+)?")


def read_version(text: bytes | None) -> tuple[str | None, str]:
    """The manifest's version and "", or None and why the manifest publishes none.

    A single top-level `version:` line is read directly (30x faster than parsing 50,000
    historical manifests); anything unusual goes through the YAML parser. Whether the rest of
    the file parses is `parse`'s question, asked only of the manifests a version is pinned to.
    """
    reason = _unusable(text)
    if reason or text is None:
        return None, reason or "is not a file"
    match = _VERSION_LINE.search(text)
    plain_number = match and not match.group(1) and _PLAIN_NUMBER.fullmatch(match.group(2))
    if match and not plain_number and _VERSION_LINE.search(text, match.end()) is None:
        return _checked(match.group(2).decode())
    data, reason = parse(text)
    if data is None:
        return None, reason
    if "version" not in data:
        return None, "has no version"
    return _checked(data["version"])


def parse(text: bytes) -> tuple[dict[str, object] | None, str]:
    """The manifest's data when it is a YAML mapping, else None and the reason."""
    reason = _unusable(text)
    if reason:
        return None, reason
    try:
        data = yaml.load(text, Loader=_LOADER)
    # Any exception: the safe loader also raises ValueError (a date like 2026-02-30),
    # RecursionError (deep nesting) and OverflowError on hostile text.
    except Exception:
        return None, "is not valid YAML"
    if not isinstance(data, dict):
        return None, "is not a mapping of keys"
    return data, ""


def _unusable(text: bytes | None) -> str:
    """Why these bytes cannot be a manifest at all, "" when they might be one."""
    if text is None:
        return "is not a file (a submodule, or an object missing from the clone)"
    if len(text) > MAX_MANIFEST_BYTES:
        return f"is {len(text):,} bytes, over the {MAX_MANIFEST_BYTES // 1024} KiB limit"
    if b"\0" in text:
        return "is binary"
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return "is not UTF-8"
    return ""


def _checked(version: object) -> tuple[str | None, str]:
    """`version` when it is a semantic version the validator would accept."""
    if isinstance(version, str) and len(version) <= MAX_VERSION and _SEMVER.fullmatch(version):
        return version, ""
    shown = repr(version) if len(repr(version)) <= 40 else repr(version)[:39] + "…"
    return None, f"has version {shown}, not a semantic version"
