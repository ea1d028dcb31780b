"""What search sees of an agent: one flat document per listed agent, and the word rules that the
browser index, the related-agents scorer and their tests share.

The whoosh index (`index.py`) analyses these same fields with whoosh's own analyzers; the browser
index (`browser_index.py`) and `related.py` use `terms()` below, which `site-config/search/
search.js` reimplements word for word (a browser test checks they agree).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from generator.catalog.memo import ByAgent, forgettable
from generator.search.version import FIELD_BOOSTS as FIELD_BOOSTS  # shared with browser_index

if TYPE_CHECKING:  # the model (pydantic) is not needed to query: ~0.15 s of start-up
    from generator.catalog.model import Agent, Catalog

MAX_TEXT = 4000
"""Characters of description/README that are indexed: the opening says what an agent is, and a
cap keeps one long README from growing the browser index (measured in catalog/performance.md)."""

STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "so",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
        "elizaos",
        "plugin",
    }
)
"""Words never indexed: English glue, and the two words every plugin name carries."""

# (suffix, replacement): a tiny English stemmer, applied identically in search.js. Order matters.
SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ations", "ate"),
    ("ation", "ate"),
    ("ators", "ate"),
    ("ator", "ate"),
    ("ies", "y"),
    ("sses", "ss"),
    ("ing", ""),
    ("ers", "er"),
    ("ed", ""),
    ("s", ""),
)
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchDoc:
    """The searchable fields of one listed agent, plus what a result line shows."""

    ref: str
    owner: str
    slug: str
    name: str
    summary: str
    version: str
    url: str
    """Canonical page URL: the site's URL joined with the agent's path."""
    tags: tuple[str, ...]
    plugins: tuple[str, ...]
    """Full plugin package names, e.g. @elizaos/plugin-discord."""
    topics: tuple[str, ...]
    bio: str
    text: str
    """The description and/or README, cut at MAX_TEXT characters."""

    def field_text(self, field: str) -> str:
        """The text of a searchable field, as the analyzers read it."""
        if field == "tags":
            return " ".join(t.replace("-", " ") for t in self.tags)
        if field == "plugins":
            return " ".join(plugin_words(p) for p in self.plugins)
        if field == "topics":
            return " . ".join(self.topics)
        value = getattr(self, field)
        return value.replace("-", " ") if field in ("slug", "owner") else str(value)

    @property
    def digest(self) -> str:
        """A hash of everything indexed, so an unchanged agent is never re-indexed."""
        blob = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def plugin_words(plugin: str) -> str:
    """`@elizaos/plugin-discord` -> `discord`; other packages keep their name's words."""
    short = plugin.rsplit("/", 1)[-1]
    return short.removeprefix("plugin-").replace("-", " ")


def plugin_keys(plugin: str) -> tuple[str, ...]:
    """Every spelling `--plugin` accepts for a plugin: full name, package name, short name."""
    short = plugin.rsplit("/", 1)[-1].lower()
    return tuple(sorted({plugin.lower(), short, short.removeprefix("plugin-")}))


def search_doc(agent: Agent, site_url: str) -> SearchDoc:
    """The search document of one agent."""
    manifest = agent.manifest
    text = "\n\n".join(t for t in (manifest.description, agent.readme) if t)
    return SearchDoc(
        ref=agent.ref,
        owner=agent.owner,
        slug=agent.slug,
        name=manifest.name,
        summary=manifest.summary,
        version=manifest.version,
        url=site_url.rstrip("/") + "/" + agent.path,
        tags=tuple(manifest.tags),
        plugins=agent.plugins,
        topics=_strings(agent.character.get("topics")),
        bio=" ".join(_strings(agent.character.get("bio"))),
        text=text[:MAX_TEXT],
    )


def search_docs(catalog: Catalog) -> list[SearchDoc]:
    """Documents of the listed agents (delisted and removed ones are never searchable), by ref."""
    return [_remembered(a, catalog.site.site_url) for a in catalog.agents if a.listed]


_remembered = ByAgent(search_doc)
"""The browser index and related agents both ask; `catalog serve` asks again on every edit."""


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def words(text: str) -> list[str]:
    """Lowercase words without accents: NFKD, marks dropped, split on anything not a letter or
    digit (search.js: normalize('NFKD'), /[\\p{L}\\p{N}]+/gu)."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return _WORD.findall(text.lower())


@functools.lru_cache(maxsize=1 << 17)
def stem(word: str) -> str:
    """Strip one common English suffix, so `moderators`, `moderation` and `moderate` meet.

    Cached: a 10,000-agent catalog stems ~400,000 words, mostly the same few thousand."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word[-2] in "isu":
                return word
            return word[: -len(suffix)] + replacement
    return word


def terms(text: str) -> list[str]:
    """Index terms of a text: words of two characters or more, stopwords out, stemmed."""
    return list(_terms(text))


@functools.lru_cache(maxsize=1 << 17)
def _terms(text: str) -> tuple[str, ...]:
    """Cached: the browser index and related agents read the same texts, and `catalog serve`
    reads them again on every edit while only the edited agent's texts are new."""
    stems = (stem(w) for w in words(text) if len(w) >= 2 and w not in STOPWORDS)
    return tuple(s for s in stems if s not in STOPWORDS)


forgettable(_terms.cache_clear)


def all_terms(texts: Iterable[str]) -> list[str]:
    """Terms of several texts, in order."""
    return [t for text in texts for t in terms(text)]
