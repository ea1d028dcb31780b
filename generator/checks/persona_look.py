"""Which pieces of a text the persona lint reads: sentences, and windows of long ones.

`persona` reads a text piece by piece, each piece by the expressions of the kinds of phrase
`persona_kinds.kinds` finds a trigger of in it. Most texts hold no trigger anywhere, and most
pieces of the others hold none either: `to_read` finds where the triggers are in one look at the
whole text and cuts out only the pieces that hold one, so each text costs one pass over its words;
`quiet` answers first for plain text with nothing to read (tests/test_persona_look.py compares
both with reading every piece).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator

from generator.checks import persona_kinds as pk
from generator.checks.decode import FEW_PAST_ASCII, past_ascii

PIECE = 400
"""Longest piece of text an expression reads; longer sentences are read in overlapping windows,
so the work per piece is bounded whatever the input, and the whole scan is linear."""
_OVERLAP = 120
_END = re.compile("[.!?\n\u3002\uff01\uff1f](?:(?<=[\n\u3002\uff01\uff1f])|(?=\\s))")
"""The end of a sentence: `.`, `!` or `?` before a space, a line break, or the CJK full stop, `!`
or `?`; written as one character class first, which the search skips to (2.5x faster than the
alternation of `[.!?](?=\\s)` and the other ends, on the long texts of 1,000 realistic agents)."""
_STEP = PIECE - _OVERLAP
_PARTS: tuple[str, ...] = ("ignor", "vergiss", "oubli", "attention", "[", "<", "#", "0x", "@")
"""What `pk.kinds` looks for in a piece besides its words (for ASCII text)."""

_INTL_PARTS = tuple(
    (next(c for c in part if not c.isascii()), part)
    for parts in pk._INTL.values()
    for part in parts
)
"""What `pk.kinds` looks for in a piece with words past ASCII besides `_PARTS`, each with a
character of it past ASCII: a text without that character holds no such part."""

Found = tuple[int, str, set[str]]


def pieces(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) of each sentence, long ones cut into overlapping windows of `PIECE`."""
    start = 0
    for end in _END.finditer(text):
        yield from _cap(start, text[start : end.end()])
        start = end.end()
    yield from _cap(start, text[start:])


def _cap(offset: int, piece: str) -> Iterator[tuple[int, str]]:
    if len(piece) <= PIECE:
        if piece.strip():
            yield offset, piece
        return
    for at in range(0, len(piece) - _OVERLAP, _STEP):
        yield offset + at, piece[at : at + PIECE]


def no_window(text: str) -> bool:
    """Whether `pieces` cuts `text` at sentence ends alone (no sentence is longer than
    `PIECE`). Then a piece's words are words of the text and its characters are the text's, so
    a piece holds no kind of phrase when the whole text holds none (`pk.kinds` of the text): most
    texts are judged by one look at their words instead of one per sentence."""
    if len(text) <= PIECE:
        return True
    start = 0
    for end in _END.finditer(text):
        if end.end() - start > PIECE:
            return False
        start = end.end()
    return len(text) - start <= PIECE


def quiet(raw: str) -> bool:
    """Whether ASCII `raw`, in which `decode.may_hide_base64` finds no run, is read with nothing
    found: no escape, entity or percent sign, no leetspeak sign beside a letter (its skeleton is
    its lower case), no trigger word and none of `_PARTS`, and one window at most. Most texts are
    (80% of the realistic catalog's): one look at the text as written, without its lower case,
    skeleton or `to_read` (~3.5 µs a text, its join and base64 look included)."""
    if len(raw) > PIECE or _ODD.search(raw) is not None:
        return False
    words = raw.translate(_LOWER_WORDS)
    if "ignor" in words or "vergiss" in words or "oubli" in words or "attention" in words:
        return False
    return pk._ANY_TRIGGER.isdisjoint(words.split())


_ODD = re.compile(r"[\\&%\[<#@013457$](?:(?<=[\\&%\[<#@])|(?<=[a-zA-Z].)|(?=[a-zA-Z]))")
"""What `quiet` finds in the text itself: `decode.TRIGGERS`, the `_PARTS` that are no letters
(`0x` is a leetspeak sign beside a letter), and a sign `persona_patterns.unleet` reads beside
a letter; one character class first, which the search skips to."""
_LOWER_WORDS = str.maketrans(
    {chr(c): chr(c).lower() if chr(c).isalnum() else " " for c in range(128)}
)


def to_read(text: str, long_words: bool = True) -> list[Found]:
    """(offset, piece, kinds) of each piece of `text` that `pk.kinds` finds a kind in: what
    `[(o, p, k) for o, p in pieces(text) if (k := pk.kinds(p))]` gives. `long_words` False says
    the caller knows the text has no word of 25 characters (`decode.may_hide_base64` of it is
    False). ASCII text is looked at once, for where its trigger words and `_PARTS` are: only
    pieces that hold one, or whose window cuts a word into a trigger word, are read. Other
    text is looked at the same way, each letter or digit past ASCII made a `q` (no trigger word
    holds one) and every other character past ASCII a space, so the words keep their places;
    the parts of phrases in other languages are looked for too."""
    masked, looked_for = text, _PARTS
    if not text.isascii():
        past = past_ascii(text)
        if len(past) > FEW_PAST_ASCII:
            return _every(text)
        for char in past:  # a letter or digit past ASCII is in no trigger word; a `q` neither
            masked = masked.replace(char, "q" if char.isalnum() else " ")
        looked_for, long_words = (*_PARTS, *(p for c, p in _INTL_PARTS if c in past)), True
    words = masked.translate(pk._ASCII_WORDS)  # letters and digits, every other character a space
    listed = words.split()
    if long_words and max(map(len, listed), default=0) >= 25:
        return _every(text)
    parts = [part for part in looked_for if part in text]
    hits = () if pk._ANY_TRIGGER.isdisjoint(listed) else pk._ANY_TRIGGER.intersection(listed)
    if len(text) <= PIECE and (not (parts or hits) or not pk.kinds(text)):
        return []  # most texts: no trigger, or none a phrase needs, and no window
    starts = [m.end() for m in _END.finditer(text)]
    starts.insert(0, 0)
    stops = [*starts[1:], len(text)]
    read = set()  # (start, stop) of the pieces to read
    for first, last in _spans(text, words, parts, hits):
        at = bisect.bisect_right(starts, first) - 1
        start, stop = starts[at], stops[at]
        if stop - start <= PIECE:
            read.add((start, stop))
            continue
        low = max(0, -((start + PIECE - last) // _STEP))  # the first window that reaches `last`
        for k in range(low, (first - start) // _STEP + 1):
            if start + k * _STEP < stop - _OVERLAP:
                read.add((start + k * _STEP, min(start + k * _STEP + PIECE, stop)))
    for start, stop in zip(starts, stops, strict=True):
        if stop - start > PIECE:  # a long sentence: windows that cut a word into a trigger
            for at in range(start, stop - _OVERLAP, _STEP):
                if _cut(words, at, min(at + PIECE, stop)):
                    read.add((at, min(at + PIECE, stop)))
    found = [(start, text[start:stop]) for start, stop in sorted(read)]
    return [(start, piece, has) for start, piece in found if (has := pk.kinds(piece))]


def _spans(
    text: str, words: str, parts: list[str], hits: Iterable[str]
) -> Iterator[tuple[int, int]]:
    """(start, stop) of each of `parts` in `text` and of each trigger word of `hits` in it."""
    for part in parts:
        at = text.find(part)
        while at >= 0:
            yield at, at + len(part)
            at = text.find(part, at + 1)
    padded = f" {words} "  # a word of the text is a word between two spaces
    for hit in hits:
        at = padded.find(f" {hit} ")
        while at >= 0:
            yield at, at + len(hit)
            at = padded.find(f" {hit} ", at + len(hit))


def _every(text: str) -> list[Found]:
    """`to_read` by `pk.kinds` of every piece, after one look at the whole text."""
    if not pk.kinds(text) and no_window(text):
        return []
    return [(offset, piece, has) for offset, piece in pieces(text) if (has := pk.kinds(piece))]


def _cut(words: str, start: int, stop: int) -> bool:
    """Whether a window text[start:stop] of a long sentence cuts a word into a trigger word at
    either end (`words`: the text with every character but letters and digits a space); a word it
    holds whole is found by the look at the whole text."""
    if start and words[start - 1] != " " and words[start] != " ":
        end = words.find(" ", start, stop)
        if words[start : stop if end < 0 else end] in pk._ANY_TRIGGER:
            return True
    if stop < len(words) and words[stop] != " " and words[stop - 1] != " ":
        return words[max(words.rfind(" ", start, stop) + 1, start) : stop] in pk._ANY_TRIGGER
    return False
