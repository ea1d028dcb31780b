"""Realistic synthetic agents: field sizes and vocabulary drawn from real agents.

Each synthetic agent copies the *shape* of one real character (how many bio lines, topics,
adjectives, style rules, message examples and posts it has) from the sample agents in `agents/`
and the real elizaOS characters in `tests/data/characters/`, and fills it with sentences drawn
from all of them; its README has the size of a sample README (headings, paragraphs and lists of
real sentences); its plugins follow the sample agents' mix plus a tail from the registry snapshot,
so the capability and plugin code paths run, with `financial` declared when a plugin moves money.
Text is only ever taken from files that validate cleanly in this repository, and anything the
catalog's checks would flag (links, handles, placeholders, non-ASCII) is left out, so every
synthetic catalog validates. The pool is read once per process (~50 ms).
"""

from __future__ import annotations

import functools
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
CHARACTERS = REPO / "tests" / "data" / "characters"
REGISTRY = REPO / "data" / "elizaos-plugin-registry" / "index.json"
CAPABILITIES = REPO / "data" / "capabilities.yaml"
_CLEAN = re.compile(r"^[^\x00-\x1f\x7f<>{}\[\]`$#@\\|*_~=^]+$")
"""Sentences kept: prose, without links, handles, templates, markup or control characters; the
letters, accents, typographic quotes and dashes and emoji of the real characters stay."""
_SKIP = re.compile(
    r"https?|www\.|\.(?:com|io|xyz|org|net|app)\b|read[- ]only|watch[- ]only|view[- ]only|official"
    r"|guarantee|giveaway",
    re.IGNORECASE,
)
"""Words that wake a rule beyond the text's own checks (read-only claims against plugins,
authority claims, money promises) or a link."""
FIELDS = ("bio", "topics", "adjectives", "all", "chat", "post", "examples", "turns", "posts")


@dataclass(frozen=True)
class Pool:
    """What realistic agents are made of: real sentences, words and field-size shapes."""

    sentences: tuple[str, ...]
    short: tuple[str, ...]
    lines: tuple[str, ...]
    topics: tuple[str, ...]
    adjectives: tuple[str, ...]
    shapes: tuple[dict[str, int], ...]
    readme_sizes: tuple[int, ...]
    plugins: tuple[str, ...]
    registry: tuple[str, ...]
    money: frozenset[str]
    wide: float = 0.0
    """The share of real characters with text past ASCII: a synthetic agent draws its text from
    every sentence with this chance, else from the ASCII ones (mixing them sentence by sentence
    would put text past ASCII in nearly every file, ~3x more than real agents have)."""

    def voice(self, rng: random.Random) -> Pool:
        """This pool, or with the chance `1 - wide` its sentences in ASCII alone."""
        return self if rng.random() < self.wide else _narrow()


@functools.cache
def _narrow() -> Pool:
    """`pool()` with its sentences in ASCII alone."""
    p = pool()

    def ascii_only(items: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(s for s in items if s.isascii())

    return Pool(
        *(ascii_only(x) for x in (p.sentences, p.short, p.lines, p.topics, p.adjectives)),
        p.shapes,
        p.readme_sizes,
        p.plugins,
        p.registry,
        p.money,
        0.0,
    )


def _text(value: object) -> list[str]:
    """Strings in a character field (a string, a list, or a list of lists of messages)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _text(v)]
    if isinstance(value, dict):  # a message: its text, directly or in its content
        content = value.get("content")
        return _text(value.get("text")) + (_text(content) if isinstance(content, dict) else [])
    return []


def _clean(items: list[str], low: int, high: int) -> set[str]:
    """The items of a length in [low, high] that the catalog's checks pass as they are. Words
    that wake a check (keys, tokens, wallets, AI, agents) and text past ASCII stay, as in real
    characters: the persona lint and the secret scanner then read them as they would a real
    agent's; a sentence they find something in is left out, so every catalog validates."""
    out = set()
    for s in items:
        s = " ".join(s.split())
        if low <= len(s) <= high and _CLEAN.match(s) and not _SKIP.search(s) and _passes(s):
            out.add(s)
    return out


def _passes(text: str) -> bool:
    """Whether no text check finds anything in `text`: persona signals, secrets, placeholders,
    invisible or reordering characters."""
    from generator.checks.hygiene import hygiene_problems
    from generator.checks.persona import Text, scan
    from generator.checks.placeholders import placeholder_problems
    from generator.checks.secrets import scan as secrets

    data = {"bio": [text]}
    return not (
        scan([Text(("bio",), (text,))])
        or scan([Text(("postExamples",), (text,), True)])
        or any(True for _ in secrets(text))
        or any(True for _ in placeholder_problems("x", text))
        or hygiene_problems("x", text, data, [("bio",)], lambda _: (0, 0))
        or not text.isprintable()
    )


def _shape(char: dict[str, object]) -> dict[str, int]:
    """How many items each field of a real character holds (lore and knowledge count as bio)."""
    style = char.get("style") if isinstance(char.get("style"), dict) else {}
    assert isinstance(style, dict)
    examples = char.get("messageExamples") or []
    turns = [len(e) for e in examples if isinstance(e, list)] if isinstance(examples, list) else []

    def n(value: object) -> int:
        return len(value) if isinstance(value, list) else int(isinstance(value, str))

    return {
        "bio": n(char.get("bio")) + n(char.get("lore")) + n(char.get("knowledge")),
        "topics": n(char.get("topics")),
        "adjectives": n(char.get("adjectives")),
        "all": n(style.get("all")),
        "chat": n(style.get("chat")),
        "post": n(style.get("post")),
        "examples": len(turns),
        "turns": max(2, round(sum(turns) / len(turns))) if turns else 2,
        "posts": n(char.get("postExamples")),
        "system": int(isinstance(char.get("system"), str)),
    }


@functools.cache
def pool() -> Pool:
    """Read the real characters, sample agents and registry once."""
    chars: list[dict[str, object]] = []
    for path in sorted(CHARACTERS.glob("*.json")) + sorted(REPO.glob("agents/*/*/character.json")):
        data = json.loads(path.read_text("utf-8"))
        chars.extend(c for c in (data if isinstance(data, list) else [data]) if isinstance(c, dict))
    real = [c for c in chars if isinstance(c.get("bio"), list | str) and c.get("messageExamples")]
    sentences, short, lines, topics, adjectives = set(), set(), set(), set(), set()
    for c in real:
        style = c.get("style") if isinstance(c.get("style"), dict) else {}
        assert isinstance(style, dict)
        prose = _text(c.get("bio")) + _text(c.get("lore")) + _text(c.get("postExamples"))
        sentences |= _clean(prose + _text(c.get("knowledge")) + _text(c.get("system")), 30, 300)
        short |= _clean(_text(list(style.values())), 8, 120)
        lines |= _clean(_text(c.get("messageExamples")), 4, 280)
        topics |= _clean(_text(c.get("topics")), 3, 40)
        adjectives |= _clean(_text(c.get("adjectives")), 3, 24)
    samples = sorted(REPO.glob("agents/*/*/README.md"))
    readmes = [len(p.read_bytes()) for p in samples]
    for p in samples:  # the sample READMEs' prose lines join the sentences
        sentences |= _clean(p.read_text("utf-8").splitlines(), 30, 300)
    plugins: list[str] = []
    registry = json.loads(REGISTRY.read_text("utf-8"))
    for path in sorted(REPO.glob("agents/*/*/character.json")):
        listed = json.loads(path.read_text("utf-8")).get("plugins", [])
        plugins.extend(p for p in listed if p in registry)
    table = yaml.safe_load(CAPABILITIES.read_text("utf-8"))
    moving = {k for k, v in table["capabilities"].items() if v.get("money")}
    money = frozenset(p for p, caps in table["plugins"].items() if moving & set(caps))
    wide = sum(not json.dumps(c, ensure_ascii=False).isascii() for c in real) / len(real)
    return Pool(
        tuple(sorted(sentences)),
        tuple(sorted(short)),
        tuple(sorted(lines)),
        tuple(sorted(topics)),
        tuple(sorted(adjectives)),
        tuple(_shape(c) for c in real),
        tuple(sorted(readmes)),
        tuple(plugins),
        tuple(sorted(p for p in registry if p.startswith("@elizaos/plugin-") and _v1(p))),
        money,
        wide,
    )


def _v1(name: str) -> bool:
    """Whether the registry snapshot has an elizaOS 1.x release of plugin `name`."""
    from generator.checks.plugins import lookup

    return lookup(name).status == "ok"


def _pick(rng: random.Random, items: tuple[str, ...], k: int) -> list[str]:
    return rng.sample(items, min(k, len(items)))


def character(name: str, rng: random.Random, version: str) -> dict[str, object]:
    """A character with the field sizes of one real character and sentences from all of them."""
    p = pool().voice(rng)
    s = rng.choice(p.shapes)
    plugins = sorted(set(rng.sample(p.plugins, rng.randint(3, 5)) + _pick(rng, p.registry, 1)))
    examples = []
    for _ in range(max(1, min(s["examples"], 12))):
        turns = []
        for t in range(min(s["turns"], 4)):
            speaker = "{{name1}}" if t % 2 == 0 else name
            turns.append({"name": speaker, "content": {"text": rng.choice(p.lines)}})
        examples.append(turns)
    examples[0][-1]["content"] = {"text": f"Version {version}: {rng.choice(p.lines)}"}
    char: dict[str, object] = {
        "name": name,
        "username": name.lower().replace(" ", "-"),
        "bio": _pick(rng, p.sentences, max(1, min(s["bio"], 40))),
    }
    if s["system"]:
        char["system"] = " ".join(_pick(rng, p.sentences, 3))
    char |= {
        "topics": _pick(rng, p.topics, min(s["topics"], 40)),
        "adjectives": _pick(rng, p.adjectives, min(s["adjectives"], 30)),
        "plugins": plugins,
        "style": {k: _pick(rng, p.short, min(s[k], 30)) for k in ("all", "chat", "post") if s[k]},
        "messageExamples": examples,
    }
    if s["posts"]:
        char["postExamples"] = _pick(rng, p.sentences, min(s["posts"], 40))
    return char


def readme(name: str, rng: random.Random) -> str:
    """A README of the size of a sample README: headings, paragraphs and a list of sentences."""
    p = pool().voice(rng)
    target = rng.choice(p.readme_sizes)
    parts = [f"# {name}\n", " ".join(_pick(rng, p.sentences, 2)) + "\n"]
    size = sum(map(len, parts))
    for heading in ("What it does", "Run it", "Limitations", "Changes"):
        if size >= target:
            break
        parts.append(f"## {heading}\n")
        if rng.random() < 0.5:
            parts.append("".join(f"- {x}\n" for x in _pick(rng, p.sentences, 3)))
        else:
            parts.append(" ".join(_pick(rng, p.sentences, 2)) + "\n")
        size = sum(map(len, parts))
    return "\n".join(parts)


def manifest_extras(char: dict[str, object], owner: str, rng: random.Random) -> dict[str, object]:
    """The manifest fields real agents have beyond the minimal ones: maintainers, links, and
    `financial` when a plugin can move money (the sample agents declare it)."""
    extras: dict[str, object] = {}
    if rng.random() < 0.6:
        extras["maintainers"] = sorted({f"maint-{rng.randrange(400):03d}" for _ in range(2)})
    slug = str(char["username"])
    links: dict[str, str] = {"repository": f"https://github.com/{owner}/{slug}"}
    if rng.random() < 0.4:
        links["homepage"] = f"https://{owner}.github.io/{slug}/"
    plugins = char["plugins"]
    assert isinstance(plugins, list)
    if pool().money & set(plugins):
        extras["financial"] = {"actions": ["swap"], "custody": "user-wallet"}
    extras["links"] = links
    return extras


def summary(rng: random.Random) -> str:
    """A one-line summary of 10-160 characters taken from a real sentence."""
    text = rng.choice(pool().voice(rng).sentences)
    return text if len(text) <= 160 else text[:157].rsplit(" ", 1)[0].rstrip(",;:") + "."
