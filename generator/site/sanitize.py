"""Untrusted Markdown (README, description) to safe HTML; untrusted text to XML-safe text.

Two layers: Python-Markdown with raw HTML turned off (an author's `<script>` shows as text), then
nh3 (ammonia) with an allowlist of the tags Markdown produces and http(s)/mailto links only, so a
`javascript:` link, an event handler or a `style` never reaches a page.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from typing import Any

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

TAGS = frozenset(
    {
        *("a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "hr"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "i", "img", "li", "ol", "p", "pre", "strong"),
        *("sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
    }
)
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
SCHEMES = frozenset({"http", "https", "mailto"})
_RELATIVE = re.compile(r"^(?![a-zA-Z][a-zA-Z0-9+.-]*:|//|#)")
_HEADING = re.compile(r"<(/?)h([1-5])>")
# Characters XML 1.0 forbids, plus the C1 controls, line/paragraph separators and lone
# surrogates that YAML front matter refuses; untrusted text loses them before reaching a feed,
# badge or page header.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


class _Rebase(Treeprocessor):
    """Points relative links and images at the agent's folder in the repository."""

    base = ""

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            attr = "href" if element.tag == "a" else "src" if element.tag == "img" else ""
            value = element.get(attr) if attr else None
            if value is None or not _RELATIVE.match(value):
                continue
            if self.base:
                element.set(attr, self.base + _inside(value))
            else:
                del element.attrib[attr]


def _inside(path: str) -> str:
    """A relative path kept inside the agent folder (leading ./ and ../ dropped)."""
    path = posixpath.normpath(path) if path else ""
    while path.startswith("../"):
        path = path[3:]
    return "" if path in (".", "..") else path


def _markdown() -> tuple[markdown.Markdown, _Rebase]:
    md = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"], output_format="html")
    # No raw HTML: the block preprocessor and the inline pattern that pass it through go away,
    # so raw tags are escaped and shown as text.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    rebase = _Rebase(md)
    md.treeprocessors.register(rebase, "rebase", 0)
    return md, rebase


_MD, _REBASE = _markdown()
_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags={"script", "style"},
    attributes={k: set(v) for k, v in ATTRIBUTES.items()},
    url_schemes=set(SCHEMES),
    link_rel="nofollow noopener noreferrer ugc",
    strip_comments=True,
)


def markdown_html(text: str, base: str = "") -> str:
    """Safe HTML for untrusted Markdown; relative links resolve against `base` or are dropped.

    Headings move one level down, so the page's own title stays the only h1.
    """
    _MD.reset()
    _REBASE.base = base
    html = _MD.convert(plain(text))
    return _HEADING.sub(_demote, _CLEANER.clean(html))


def _demote(match: re.Match[str]) -> str:
    return f"<{match.group(1)}h{int(match.group(2)) + 1}>"


def plain(text: str) -> str:
    """Text without control characters (XML 1.0 and YAML refuse them; nobody needs them)."""
    return _CONTROL.sub("", text)


def texts(value: Any, limit: int = 50) -> list[str]:
    """The strings in an untrusted str-or-list value (character bio, topics, style lines)."""
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [plain(v) for v in items[:limit] if isinstance(v, str) and v.strip()]
