"""Untrusted Markdown (README, description) to safe HTML; untrusted text to XML-safe text.

Two layers: markdown-it-py (CommonMark with tables and strikethrough, raw HTML off, so an author's
`<script>` shows as text; no linkify), then nh3 (ammonia) with an allowlist of the tags Markdown
produces and http(s)/mailto links only, so a `javascript:` link, an event handler or a `style`
never reaches a page. Time is linear in the size of the text, nesting is bounded (`NESTING`) and
so are the cells tables fill in (`TABLE_CELLS`): the worst README found at the 256 KB limit takes
under 5 s (~35x an ordinary one), where Python-Markdown took 140 s on 16 KB of `[` and recursed
past Python's limit on nested lists (catalog/performance.md, benchmarks/bench_render.py).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Sequence
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_block.table import table
from markdown_it.token import Token

TAGS = frozenset(
    {
        *("a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "hr"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "i", "img", "li", "ol", "p", "pre", "strong"),
        *("sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
    }
)
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
SCHEMES = frozenset({"http", "https", "mailto"})
NESTING = 20
"""Deepest nesting of blocks (quotes, lists) and inline spans (links, emphasis) that renders;
deeper content is dropped (blocks) or shown as text (inline), which keeps the parser's recursion
far from Python's limit. 20 levels hold lists nested 9 deep."""
TABLE_CELLS = 4096
"""Table cells a document may hold beyond one per two characters of its text. A table fills in
the cells its short rows lack, so without a bound per document 1.4 KB of text can ask for 65,536
cells (markdown-it's bound per table), and 256 KB for 12 million (3 minutes, 100 MB of HTML);
a real cell takes at least two characters (`x|`), so real tables never meet the bound."""
_RELATIVE = re.compile(r"^(?![a-zA-Z][a-zA-Z0-9+.-]*:|//|#)")
_LINKS = {"link_open": "href", "image": "src"}
# Characters XML 1.0 forbids, plus the C1 controls, line/paragraph separators and lone
# surrogates that YAML front matter refuses; untrusted text loses them before reaching a feed,
# badge or page header.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")

# CommonMark without raw HTML or linkify; GitHub's tables and ~~strikethrough~~ on top. The raw
# HTML rules return at once when `html` is off, so they go from the chains too: the parser no
# longer calls them at each line and each `<` (the same tokens; catalog/performance.md).
_MD = (
    MarkdownIt(
        "commonmark", {"html": False, "linkify": False, "typographer": False, "maxNesting": NESTING}
    )
    .enable(["table", "strikethrough"])
    .disable(["html_block", "html_inline"])
)
_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags={"script", "style"},
    attributes={k: set(v) for k, v in ATTRIBUTES.items()},
    url_schemes=set(SCHEMES),
    link_rel="nofollow noopener noreferrer ugc",
    strip_comments=True,
)


def _bounded_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's table rule, with no more rows than the document's cells left allow."""
    valid = table(state, start, end, True)  # the header alone, no cells made yet
    if silent or not valid:
        return valid
    delimiter = state.src[state.bMarks[start + 1] : state.eMarks[start + 1]]
    columns = sum(1 for cell in delimiter.split("|") if cell.strip())  # as the rule counts them
    left: int = state.env["table_cells"]
    rows = max(0, left // columns - 1)  # the header row counts too
    found = table(state, start, min(end, start + 2 + rows), False)
    state.env["table_cells"] = left - columns * (state.line - start - 1)
    return found


_MD.block.ruler.at("table", _bounded_table, {"alt": ["paragraph", "reference"]})


def markdown_html(text: str, base: str = "") -> str:
    """Safe HTML for untrusted Markdown; relative links resolve against `base` or are dropped.

    Headings move one level down, so the page's own title stays the only h1.
    """
    text = plain(text)
    tokens = _MD.parse(text, {"table_cells": TABLE_CELLS + len(text) // 2})
    for token in _walk(tokens):
        _adjust(token, base)
    return _CLEANER.clean(_MD.renderer.render(tokens, _MD.options, {})).rstrip("\n")


def _walk(tokens: Sequence[Token]) -> Iterator[Token]:
    """Block tokens and the inline tokens inside them (markdown-it nests one level only)."""
    for token in tokens:
        yield token
        yield from token.children or ()


def _adjust(token: Token, base: str) -> None:
    """Demote a heading, rebase a relative link or image, spell ~~strikethrough~~ as <del>."""
    if token.type in ("heading_open", "heading_close"):
        token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    elif token.type in ("s_open", "s_close"):
        token.tag = "del"
    elif token.type in _LINKS:
        _rebase(token, _LINKS[token.type], base)


def _rebase(token: Token, attr: str, base: str) -> None:
    """Points a relative link or image at the agent's folder in the repository, or drops it."""
    value = token.attrs.get(attr)
    if not isinstance(value, str) or not _RELATIVE.match(value):
        return
    if base:
        token.attrs[attr] = base + _inside(value)
    else:
        del token.attrs[attr]


def _inside(path: str) -> str:
    """A relative path kept inside the agent folder (leading ./ and ../ dropped)."""
    path = posixpath.normpath(path) if path else ""
    while path.startswith("../"):
        path = path[3:]
    return "" if path in (".", "..") else path


def plain(text: str) -> str:
    """Text without control characters (XML 1.0 and YAML refuse them; nobody needs them)."""
    return _CONTROL.sub("", text)


def texts(value: Any, limit: int = 50) -> list[str]:
    """The strings in an untrusted str-or-list value (character bio, topics, style lines)."""
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [plain(v) for v in items[:limit] if isinstance(v, str) and v.strip()]
