"""Bad input in one file (`SourceError`, which callers turn into a `Problem`) and the limits
that every reader of agent files applies (nesting, numbers)."""

from __future__ import annotations

import sys
from dataclasses import dataclass

MAX_DEPTH = 32
MAX_NUMBER_DIGITS = sys.get_int_max_str_digits() or 4300
"""Python refuses to print or parse integers longer than this (CVE-2020-10735)."""


@dataclass
class SourceError(Exception):
    """Bad input in one file, ready to become a Problem."""

    rule: str
    message: str
    hint: str = ""
    line: int = 0
    col: int = 0


def too_large(number: str, line: int = 0, col: int = 0) -> SourceError:
    """A number past Python's 4,300-digit limit, which nothing could print or compare."""
    return SourceError(
        "number-too-large",
        f"number {short(number)} has more than {MAX_NUMBER_DIGITS:,} digits",
        "quote it if it is text, or write a smaller number",
        line,
        col,
    )


def short(value: str) -> str:
    """repr of a value, cut to 40 characters: a message names a value, it does not hold it."""
    return repr(value) if len(value) <= 40 else repr(value[:40]) + "…"
