"""Find BIP-39 seed phrases: 12 to 24 words of one word list, whatever else the text says.

The word lists are the `mnemonic` package's (the BIP-39 reference implementation, 12 languages
of 2,048 words). A run of at least 12 words of one list separated only by spaces, line breaks,
hyphens or list numbers (`1. abandon 2. ability`) is a seed phrase, checksum or not: people
mistype and truncate them, and a wrong checksum still gives an attacker a few guesses. Words
separated by commas, quotes or bullets (an adjectives list, a JSON array, a bulleted list of
topics) count only when the BIP-39 checksum of the list's first or last 12, 15, 18, 21 or 24
words holds, since ordinary lists of common words are made of such separators. English prose
breaks runs quickly: `the`, `and`, `of`, `is` and `a` are in no list.

Tokens are looked up in one dictionary of word -> bit set of lists, and a run of listed words is
searched in the bytes of those lookups, so ordinary text costs one split (`_listed`) and one
C-level lookup per word.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import regex
from mnemonic import Mnemonic

from generator.checks import decode

MIN_WORDS = 12
LENGTHS = (12, 15, 18, 21, 24)
_WORD = regex.compile(r"(?<![\p{L}\p{M}\p{N}_])[\p{L}\p{M}]+(?![\p{L}\p{M}\p{N}_])")
"""A word, accents included whether composed or not (the lists are stored decomposed); letters
glued to digits (`word0`) are an identifier, not a word."""
_PLAIN_GAP = re.compile(r"-|[\s\u3000]*(?:#?\d{1,2}[.):]?[\s\u3000]+)?")
"""What may stand between two words of a written-out seed phrase: spaces and line breaks (the
ideographic space of the Japanese list too) with an optional list number, or one hyphen."""
_LIST_GAP = re.compile(r"[\s\u3000\-.)(#*\d,;'\"\[\]]*")
"""Separators of a list of words (commas, quotes, brackets, bullets): a run across them needs a
valid checksum."""


@dataclass(frozen=True)
class Seed:
    """A seed phrase found in a text: its start and end offsets and the number of words."""

    start: int
    end: int
    words: int


@functools.cache
def _lists() -> tuple[dict[str, int], tuple[tuple[str, dict[str, int]], ...]]:
    """word -> bit set of the lists holding it, and each list's name with its word indexes."""
    lookup: dict[str, int] = {}
    indexes = []
    for bit, language in enumerate(sorted(Mnemonic.list_languages())):
        words = Mnemonic(language).wordlist
        index = {}
        for number, word in enumerate(words):
            for form in {word, unicodedata.normalize("NFC", word)}:
                lookup[form] = lookup.get(form, 0) | (1 << bit)
                index[form] = number
        indexes.append((language, index))
    return lookup, tuple(indexes)


def _checksum_ok(numbers: list[int]) -> bool:
    """The BIP-39 checksum of a phrase given as word indexes (11 bits each)."""
    bits = "".join(format(n, "011b") for n in numbers)
    cut = len(bits) * 32 // 33
    entropy = int(bits[:cut], 2).to_bytes(cut // 8, "big")
    digest = format(hashlib.sha256(entropy).digest()[0], "08b")
    return bits[cut:] == digest[: len(bits) - cut]


def find_seeds(text: str) -> Iterator[Seed]:
    """Every seed phrase in `text`, by offsets, in order."""
    if not _listed_run(text):
        return
    lookup, _ = _lists()
    matches = list(_WORD.finditer(text))
    flags = "".join("1" if m.group().lower() in lookup else "0" for m in matches)
    for run in re.finditer(f"1{{{MIN_WORDS},}}", flags):
        for words in _split(text, matches[run.start() : run.end()], _LIST_GAP):
            yield from _judge(text, words)


_ASCII_WORDS = str.maketrans(
    {
        **{chr(c): " " for c in range(128)},
        **{c: c for c in string.ascii_lowercase},
        **{c: c.lower() for c in string.ascii_uppercase},
        **dict.fromkeys(string.digits),
        "_": "0",
    }
)
"""ASCII text lowercased, its digits dropped, `_` made `0` and the rest spaces. A word of a seed
phrase touches no digit and no `_`, and the text between two of its words (`_LIST_GAP`) holds
no letter and no `_`: each word stays a chunk of its own, with no chunk between them. A word
glued to digits may become listed (`abandon2`) or not (`x1y`); either way the phrase's words stay
in a row."""
_RUN = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+")


def _listed(text: str) -> bytes:
    """The first pass: one byte per word of the lowercased, composed text, 1 when a list holds
    it; twelve 1s in a row wherever a seed phrase is written. ASCII text is cut by
    `str.translate` and `str.split` (~3x faster than an expression) into chunks that are looked
    up as they are (dropping its digits spares a filter of words glued to them: ~25% of the
    pass); other text by the standard library's engine (~10x faster than `regex`), its words
    glued to digits or `_` left out. tests/test_scan_shortcuts.py compares the seed phrases
    found with those of the expression this replaced."""
    lookup, _ = _lists()
    words: Iterable[str]
    if text.isascii():
        words = text.translate(_ASCII_WORDS).split()
    else:
        runs = _RUN.findall(unicodedata.normalize("NFC", text.lower()))
        words = [w for w in runs if w.isalpha() or _LETTERS.fullmatch(w)]
    return bytes(map(lookup.__contains__, words))


_STRIDE = 4
_SAMPLED = b"\x01" * (MIN_WORDS // _STRIDE)
_ASCII_BYTES = bytes(
    c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 else ord("0") if c == ord("_") else ord(" ")
    for c in range(256)
)
"""`_ASCII_WORDS` for bytes (its digits given to `bytes.translate` to delete): letters
lowercased, `_` made `0`, every other byte a space."""
_DIGITS = string.digits.encode()


@functools.cache
def _ascii_listed() -> frozenset[bytes]:
    """The listed words that are ASCII, as bytes: the words `_listed_run` looks up."""
    return frozenset(w.encode() for w in _lists()[0] if w.isascii())


def _listed_run(text: str) -> bool:
    """Whether a seed phrase may be in `text`: whether `_listed(text)` holds twelve 1s in a row,
    for ASCII text and text whose characters past ASCII are no letters (`_sampled_run`); for
    other text, False only when no seed phrase is there (`_wild_run`), and otherwise the answer
    of `_listed`. tests/test_scan_shortcuts.py checks both."""
    if text.isascii():
        return _sampled_run(text.encode("ascii").translate(_ASCII_BYTES, _DIGITS).split())
    past, letters = letters_past_ascii(text)
    if not letters:  # emoji, dashes, quotes, spaces, numbers: ASCII words alone
        masked = text.encode("ascii", "replace")  # each of those a `?`, a space in the table
        return _sampled_run(masked.translate(_ASCII_BYTES, _DIGITS).split())
    if len(past) <= decode.FEW_PAST_ASCII and not _wild_run(text, past, letters):
        return False  # most text past ASCII: accents in a few words, no phrase near them
    return b"\x01" * MIN_WORDS in _listed(text)


def _sampled_run(words: list[bytes], flags: Callable[[list[bytes]], bytes] | None = None) -> bool:
    """Whether twelve of `words` (ASCII chunks) in a row are listed, or given a 1 by `flags`
    (one byte a chunk). Every fourth chunk is looked at first: twelve words in a row hold
    three of them in a row, and only around those are the others looked at (a quarter of the
    lookups and a few windows on realistic agents: the first pass ~35% faster;
    tests/test_scan_shortcuts.py). The text is cut as bytes (its digits deleted by
    `bytes.translate`), the three in a row found by `bytes.find`, and a window looked at whole
    only when the seven words inside the three are: ~30% less than `str` and an expression."""
    flags = flags or _listed_flags
    sampled = flags(words[_STRIDE - 1 :: _STRIDE])
    hit = sampled.find(_SAMPLED)
    while hit >= 0:
        at = hit * _STRIDE + _STRIDE - 1  # a run holding it starts 3 words before, at most
        inside = flags(words[at + 1 : at + 2 * _STRIDE])
        if inside.count(1) == len(inside) and b"\x01" * MIN_WORDS in flags(
            words[max(0, at - _STRIDE + 1) : at + MIN_WORDS]
        ):
            return True
        hit = sampled.find(_SAMPLED, hit + 1)
    return False


def _listed_flags(words: list[bytes]) -> bytes:
    """1 for each chunk a list holds (ASCII), 0 for the others."""
    return bytes(map(_ascii_listed().__contains__, words))


def letters_past_ascii(text: str) -> tuple[set[str], list[str]]:
    """The characters of `text` past ASCII, and those of them that are letters or marks
    (`_WORD`'s). With none of those (emoji, dashes, quotes, spaces, numbers), every word a seed
    phrase can have is ASCII, and the text with `?` for those characters gives the ASCII pass
    the same words, each a chunk of its own (a number touches no word of a phrase)."""
    past = decode.past_ascii(text)
    return past, [c for c in past if unicodedata.category(c)[0] in "LM"]


_WILD = bytes(c if c == 0 else _ASCII_BYTES[c] for c in range(256))
"""`_ASCII_BYTES` keeping NUL, the mark of a character past ASCII in a word."""


def _wild_run(text: str, past: set[str], letters: list[str]) -> bool:
    """Whether twelve chunks in a row are listed ASCII words or words with a letter past ASCII
    (wild: any list may hold them), in `text` with each letter or mark past ASCII (`letters` of
    the characters `past` it) made a NUL and every other one a space. Every word of a seed
    phrase is such a chunk of its own (it touches no number, `_`, letter or mark), and the
    separators between two of them (`_LIST_GAP`: spaces, digits, punctuation) leave no chunk
    between: so False says `find_seeds` finds nothing, at a few replaces and one lookup a chunk
    (~50 against ~130 µs a character file with accents; tests/test_scan_shortcuts.py)."""
    for char in past:
        text = text.replace(char, "\x00" if char in letters else " ")
    return _sampled_run(text.encode("ascii").translate(_WILD, _DIGITS).split(), _wild_flags)


def _wild_flags(words: list[bytes]) -> bytes:
    """`_listed_flags`, and 1 for each chunk holding a NUL (a letter past ASCII)."""
    flags = bytearray(map(_ascii_listed().__contains__, words))
    joined = b" ".join(words)  # the chunk of a NUL: the spaces before it
    at, chunk, counted = joined.find(0), 0, 0
    while at >= 0:
        chunk += joined.count(b" ", counted, at)
        flags[chunk] = 1
        counted = joined.find(b" ", at)
        if counted < 0:
            break
        at = joined.find(0, counted)
    return bytes(flags)


def _split(
    text: str, words: list[regex.Match[str]], gap: re.Pattern[str]
) -> list[list[regex.Match[str]]]:
    """`words` cut wherever the text between two of them is not a `gap`."""
    parts: list[list[regex.Match[str]]] = [[words[0]]]
    for before, word in itertools.pairwise(words):
        if gap.fullmatch(text, before.end(), word.start()):
            parts[-1].append(word)
        else:
            parts.append([word])
    return [part for part in parts if len(part) >= MIN_WORDS]


def _one_list(words: list[regex.Match[str]]) -> Iterator[tuple[list[regex.Match[str]], int]]:
    """Maximal stretches of `words` that share a word list, with the lists they share."""
    lookup, _ = _lists()
    begin, common = 0, 0
    for i, word in enumerate(words):
        bits = lookup[word.group().lower()]
        if common & bits:
            common &= bits
            continue
        if i - begin >= MIN_WORDS:
            yield words[begin:i], common
        begin, common = i, bits
    if len(words) - begin >= MIN_WORDS:
        yield words[begin:], common


def _judge(text: str, words: list[regex.Match[str]]) -> Iterator[Seed]:
    """The seed phrases among words joined by separators: written out, or a list that checks."""
    for plain in _split(text, words, _PLAIN_GAP):
        for stretch, _ in _one_list(plain):
            yield Seed(stretch[0].start(), stretch[-1].end(), len(stretch))
            return
    for stretch, common in _one_list(words):
        if _checks(stretch, common):
            yield Seed(stretch[0].start(), stretch[-1].end(), len(stretch))
            return


def _checks(words: list[regex.Match[str]], common: int) -> bool:
    """Whether the first or the last 12, 15, 18, 21 or 24 words of a list (of one shared word
    list) pass the checksum. Only those: among all the windows of a long list of common words,
    one in 16 passes by chance; a JSON array that is a seed phrase starts its list (a key ends
    a list, as `:` is no list separator) and may have one listed key word after it."""
    _, indexes = _lists()
    for bit, (_, index) in enumerate(indexes):
        if not common >> bit & 1:
            continue
        numbers = [index[w.group().lower()] for w in words]
        for size in LENGTHS:
            if size <= len(numbers) and (
                _checksum_ok(numbers[:size]) or _checksum_ok(numbers[-size:])
            ):
                return True
    return False
