"""Persona text lint: instructions aimed at the runtime or at other agents, not a persona.

A character's bio, lore, system prompt, examples and style, and the manifest's summary and
description, reach a language model as its instructions. Text there that tells the model to
drop its instructions, reveal keys or a system prompt, send funds to a fixed address, sign a
wallet-draining approval or send readers to an airdrop claim is an attack on whoever runs the
agent or talks to it (issue 14). Each text is read as a reader sees it (escapes, entities and
base64 decoded, invisible characters dropped, NFKC, case-folded, look-alike letters and
leetspeak mapped; `persona_patterns.views`), one sentence at a time.

Precision comes first: a phrase counts only as an instruction, not when a negation or a
reporting word comes before it ("never share your seed phrase", "scammers ask you to...") or
when it is quoted. User turns of messageExamples are what others say to the agent and are not
read; the agent's own turns and postExamples are, but an amount sent to an address there is a
normal wallet answer unless bait words come with it. One signal alone is `persona-instruction`
(a warning); `persona-attack` (an error) is an instruction to send the funds of others to a
concrete destination, a drainer approval, an airdrop claim link with urgency, a secret sent to a
destination, or any steering phrase (override, prompt marker, "note to AI") in the same agent as
a secret or money target. The labelled set in tests/data/persona/ measures this.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import NamedTuple

from generator.checks import persona_kinds as pk
from generator.checks import persona_look as look
from generator.checks import persona_patterns as pat
from generator.checks.decode import base64_texts, may_hide_base64
from generator.checks.problems import Problem
from generator.checks.rules import problem

JsonPath = tuple[str | int, ...]
Locate = Callable[[JsonPath], tuple[int, int]]
_CONTEXT = 60
"""How many characters before a phrase are read for a negation or a reporting word."""
STEER = frozenset({"override", "marker", "ai"})
"""Kinds that turn the model against its instructions; with any target kind, an attack."""
WHAT = {
    "override": "tells the model to drop its instructions",
    "marker": "holds a prompt-format marker that poses as a system turn",
    "ai": "addresses AI agents that read it",
    "exfil": "asks for keys, secrets or the system prompt to be revealed",
    "phish": "asks readers to type a secret where the writer can read it",
    "money": "tells someone to send funds to a fixed destination",
    "drainer": "asks for a wallet-draining approval or signature",
    "airdrop": "baits readers with an airdrop or token claim",
}
_MONEY_WORD = re.compile(
    r"\b(?:funds?|tokens?|eth|sol|btc|usdc|usdt|crypto|coins?|balance|money|assets|nfts?"
    r"|wallets?|\d)\b",
    re.UNICODE,
)
_YOUR = re.compile(r"\b(?:your|ton|tes|vos|tu|tus|dein\w*|твои|свои)\b|你的", re.UNICODE)
_NOBODY = re.compile(r"^\W*(?:to|with)\s+(?:no\s*one|nobody)\b", re.UNICODE)
_WEAK_SECRET = re.compile(r"environment|env\s|credentials|passwords?|tokens?$|secrets$", re.UNICODE)
_POSSESSIVE = re.compile(r"\b(?:your|its|my|all|every|agent's|bot's|own)\b")


class Text(NamedTuple):
    """An author-written text: where, its strings (a list's items), whether an example. A named
    tuple: made 2.3x faster than a frozen dataclass, for ~11 texts of every agent."""

    path: JsonPath
    items: tuple[str, ...]
    example: bool = False
    listed: bool = False


@dataclass(frozen=True)
class Signal:
    """A phrase found: the path of its string, its kind, whether it alone is an attack."""

    path: JsonPath
    kind: str
    high: bool
    snippet: str


_KEYS = ("bio", "lore", "system", "topics", "adjectives", "knowledge")


def character_texts(data: object) -> list[Text]:
    """The author-written texts of a character (parsed JSON), the user turns left out."""
    if not isinstance(data, dict):
        return []
    get = data.get
    found = [_strings((key,), get(key)) for key in _KEYS]
    templates = get("templates")
    if isinstance(templates, dict):
        found += [_strings(("templates", str(name)), v) for name, v in templates.items()]
    style = get("style")
    if isinstance(style, dict):
        found += [_strings(("style", part), style.get(part)) for part in ("all", "chat", "post")]
    found.append(_strings(("postExamples",), get("postExamples"), True))
    texts = [text for text in found if text is not None]
    examples = get("messageExamples")
    if isinstance(examples, list):
        texts += _agent_turns(examples, _speaker(get("name")))
    return texts


def manifest_texts(data: object) -> list[Text]:
    """The summary and description of a manifest (parsed YAML)."""
    if not isinstance(data, dict):
        return []
    found = (
        _strings(("summary",), data.get("summary")),
        _strings(("description",), data.get("description")),
    )
    return [text for text in found if text is not None]


def _strings(path: JsonPath, value: object, example: bool = False) -> Text | None:
    """The text of a string or of a list's strings (other items read as empty), if any."""
    if isinstance(value, str):
        return Text(path, (value,), example)
    if isinstance(value, list):
        if {*map(type, value)} <= _STR:  # all strings: most lists
            items = tuple(value)
        else:
            items = tuple(v if isinstance(v, str) else "" for v in value)
        if any(items):
            return Text(path, items, example, True)
    return None


_STR = {str}


def _agent_turns(examples: list[object], me: str) -> list[Text]:
    """The agent's own turns of messageExamples, whose speaker is `me` or names the agent."""
    found = []
    for i, talk in enumerate(examples):
        for j, turn in enumerate(talk if isinstance(talk, list) else ()):
            if not isinstance(turn, dict):
                continue
            content = turn.get("content")
            if not isinstance(content, dict) or not isinstance(text := content.get("text"), str):
                continue
            who = _speaker(turn["name"] if "name" in turn else turn.get("user"))
            if who in (me, "agentname", "char", "agent"):
                found.append(Text(("messageExamples", i, j, "content", "text"), (text,), True))
    return found


def _speaker(name: object) -> str:
    """A speaker's name, letters and digits only, case-folded: `{{agentName}}` -> agentname."""
    if not isinstance(name, str):
        return ""
    return _folded(name) if len(name) <= 64 else _folded.__wrapped__(name)  # short ones kept


@functools.lru_cache(maxsize=1024)
def _folded(name: str) -> str:
    """A few speakers (`{{user1}}`, the agent) name every turn: a sixth of reading the texts."""
    return re.sub(r"\W|_", "", name).casefold()


def scan(texts: Iterable[Text]) -> list[Signal]:
    """Every phrase found in the texts, one per string and kind, in order."""
    found: dict[tuple[JsonPath, str], Signal] = {}
    for text in texts:
        for signal in _scan_text(text):
            found.setdefault((signal.path, signal.kind), signal)
    return list(found.values())


def _scan_text(text: Text) -> list[Signal]:
    """Signals of one text, its list's items read joined: a phrase is told at the item it starts."""
    raw = " ".join(text.items)
    hides = may_hide_base64(raw)  # False also says no word is 25 characters long
    if not hides and raw.isascii() and look.quiet(raw):
        return []  # most texts
    if raw.isascii() and "\\" not in raw and "&" not in raw and "%" not in raw:
        plain = raw.lower()  # what `views` makes of ASCII with nothing to decode
        skeleton = pat.unleet(plain)
        found = look.to_read(plain, hides)
        lengths = list(map(len, text.items))
    else:
        shown = [pat.views(item) if item else ("", "") for item in text.items]
        plain = " ".join(v[0] for v in shown)
        skeleton = " ".join(v[1] for v in shown)  # letters change, lengths do not
        found = look.to_read(plain)
        lengths = [len(v[0]) for v in shown]
    if skeleton != plain:
        found += look.to_read(skeleton)
    signals = []
    if found:
        starts = list(itertools.accumulate((n + 1 for n in lengths[:-1]), initial=0))
        for offset, piece, has in found:
            for start, kind, high, snippet in _signals(piece, text.example, has):
                index = bisect.bisect_right(starts, offset + start) - 1
                signals.append(Signal(_item_path(text, index), kind, high, snippet))
    if hides:
        for index, item in enumerate(text.items):
            for _, hidden in base64_texts(item):  # a hidden instruction is an attack
                for _, piece in look.pieces(pat.views(hidden)[1]):
                    for _, kind, _, snippet in _signals(piece, text.example):
                        signals.append(
                            Signal(_item_path(text, index), kind, True, f"{snippet} (base64)")
                        )
    return signals


def _item_path(text: Text, index: int) -> JsonPath:
    return (*text.path, index) if text.listed else text.path


def _mention(piece: str, start: int, end: int) -> bool:
    """Whether the phrase at piece[start:end] is mentioned, not meant: a negation or a
    reporting word just before it, quotes around it, or "with no one" just after it."""
    before = piece[max(0, start - _CONTEXT) : start]
    after = piece[end : end + _CONTEXT]
    if pat.MENTION.search(before) or _NOBODY.match(after):
        return True
    if pat.NEGATION.search(piece, start, end):
        return True
    return bool(pat.OPEN_QUOTE.search(before) and pat.CLOSE_QUOTE.search(after))


Found = tuple[int, str, bool, str]


def _signals(piece: str, example: bool, has: set[str] | None = None) -> Iterator[Found]:
    """(start, kind, high, snippet) of each phrase meant as an instruction in one piece, read
    by the expressions of the kinds it `has` (`pk.kinds`)."""
    has = pk.kinds(piece) if has is None else has
    for kind, regex in (
        ("override", pat.OVERRIDE_EN),
        ("override", pat.OVERRIDE_INTL),
        ("marker", pat.MARKER),
        ("ai", pat.AI_ADDRESS),
    ):
        if kind in has:
            for m in regex.finditer(piece):
                if not _mention(piece, m.start(), m.end()):
                    yield m.start(), kind, False, m.group()
                    break
    if "secret" in has:
        yield from _exfil(piece, "destination" in has)
    if "destination" in has:
        yield from _money(piece, example)
    for kind, regex in (("drainer", pat.DRAINER), ("airdrop", pat.AIRDROP)):
        if kind in has:
            yield from _bait(piece, kind, regex, "destination" in has)


def _bait(piece: str, kind: str, regex: re.Pattern[str], destination: bool) -> Iterator[Found]:
    """A drainer approval or an airdrop claim: high with a call, or with a link and urgency."""
    for m in regex.finditer(piece):
        if _mention(piece, m.start(), m.end()):
            continue
        linked = destination and bool(pat.DESTINATION.search(piece))
        if kind == "airdrop" and not (m.group().startswith("connect") or linked):
            continue  # "claim your staking rewards" is no bait without a link
        if kind == "drainer":
            high = not m.group().isalpha() or bool(pat.DRAINER_STRONG.search(piece))
        else:
            high = linked and bool(pat.URGENT.search(piece))
        yield m.start(), kind, high, m.group()
        return


def _exfil(piece: str, destination: bool) -> Iterator[Found]:
    for kind, regex in (("exfil", pat.EXFIL), ("phish", pat.PHISH)):
        for m in regex.finditer(piece):
            if _mention(piece, m.start(), m.end()) or _weak(m):
                continue
            sent = destination and bool(pat.DESTINATION.search(piece, m.end()))
            yield m.start(), kind, kind == "phish" or sent, m.group()
            break


def _weak(m: re.Match[str]) -> bool:
    """A general word (passwords, credentials, environment variables) that no possessive makes
    the runtime's or the reader's: "print the environment variables your app needs"."""
    groups = m.groupdict()
    target, filler = groups.get("target"), groups.get("filler")
    if not target or not _WEAK_SECRET.search(target):
        return False
    return not _POSSESSIVE.search(filler or "")


def _money(piece: str, example: bool) -> Iterator[Found]:
    for dest in pat.DESTINATION.finditer(piece):
        if "@" in dest.group() and "/" not in dest.group():
            continue  # an email address is where secrets go, not funds
        before = piece[max(0, dest.start() - 120) : dest.start()]
        verb = pat.MONEY.search(before)
        if verb is None:
            continue
        start = dest.start() - len(before) + verb.start()
        what = before[max(0, verb.start() - 8) : verb.start()] + verb.group("what")
        # the words just before the verb too: "把所有资金转账到" puts "all funds" first
        if _mention(piece, start, dest.end()):
            continue
        if not (_MONEY_WORD.search(what) or pat.ADDRESS.fullmatch(dest.group())):
            continue
        bait = bool(pat.BAIT.search(piece) or pat.ALWAYS.search(piece))
        high = bait or (not example and bool(pat.ALL_FUNDS.search(what) or _YOUR.search(what)))
        if high or not example:
            yield start, "money", high, piece[start : dest.end()]
            return


def grade(signals: list[Signal]) -> list[tuple[Signal, str]]:
    """Each signal with its rule: `persona-attack` when it alone is an attack, or when steering
    and a target come together in the agent; `persona-instruction` otherwise."""
    kinds = {s.kind for s in signals}
    both = bool(kinds & STEER) and bool(kinds - STEER)
    return [(s, "persona-attack" if s.high or both else "persona-instruction") for s in signals]


@dataclass(frozen=True)
class Source:
    """One file's author-written texts: its path, its texts and where a path is written."""

    path: str
    texts: tuple[Text, ...]
    locate: Locate


def persona_problems(sources: Iterable[Source]) -> list[Problem]:
    """The persona problems of one agent (its manifest and character read together)."""
    marked: list[tuple[Source, Signal]] = []
    for source in sources:
        marked += [(source, s) for s in scan(source.texts)]
    rules = grade([s for _, s in marked])
    found = []
    for (source, signal), (_, rule) in zip(marked, rules, strict=True):
        line, col = source.locate(signal.path)
        snippet = " ".join(signal.snippet.split())
        snippet = snippet if len(snippet) <= 60 else snippet[:59] + "…"
        message = f"{label(signal.path)} {WHAT[signal.kind]}: {snippet!r}"
        found.append(problem(rule, source.path, message, None, line, col))
    return found


def label(path: JsonPath) -> str:
    """`bio[2]`, `messageExamples[0][1].content.text`: a path as an author writes it."""
    out = str(path[0]) if path else "text"
    for part in path[1:]:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def under_moderation(problems: Iterable[Problem], state: str) -> list[Problem]:
    """An agent that moderation.yaml already delisted, flagged or removed keeps its persona
    problems as warnings: maintainers decided about it, and it must not stop the catalog."""
    return [
        replace(p, severity="warning", message=f"{p.message} (moderation: {state})")
        if p.rule == "persona-attack"
        else p
        for p in problems
    ]


def page_notes(manifest: object, character: object) -> tuple[str, ...]:
    """What the agent page says of a version's persona text: one line per phrase found in its
    summary, description and character, so visitors see the warning the validator gives."""
    texts = tuple(getattr(manifest, key, None) or "" for key in ("summary", "description"))
    data = {"summary": texts[0], "description": texts[1]}
    read = (*manifest_texts(data), *character_texts(character))
    found = dict.fromkeys(k for text in read for k in _read(text))  # in `scan`'s order
    return tuple(f"{label(path)} {WHAT[kind]}." for path, kind in found)[:8]


@functools.lru_cache(maxsize=4096)
def _read(text: Text) -> tuple[tuple[JsonPath, str], ...]:
    """Where and what each signal of one text is, remembered: versions and forks share most
    texts (42% of the texts of the realistic 1,000-agent catalog's pages; performance.md)."""
    return tuple((s.path, s.kind) for s in _scan_text(text))
