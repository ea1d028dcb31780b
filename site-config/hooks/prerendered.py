"""mkdocs hook: pages the generator marks `prerendered: true` already hold finished, safe HTML.

Their Markdown is one raw HTML block, which Markdown would pass through unchanged, but only after
Python-Markdown's HTML parser has walked every tag (about 60% of the mkdocs build of an agent
page, benchmarks/bench_build.py). This hook hands the HTML straight to the theme instead. Without
it the site is the same, only slower; another site builder needs no equivalent.
"""

from __future__ import annotations

from typing import Any

_KEY = "prerendered"
_HTML = "_prerendered_html"


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """Keep the HTML aside and give Markdown nothing to parse."""
    if page.meta.get(_KEY) is True:
        page.meta[_HTML] = markdown
        return ""
    return markdown


def on_page_content(html: str, page: Any, **_: Any) -> str:
    """Put the HTML back as the page's content."""
    kept = page.meta.pop(_HTML, None)
    return kept if isinstance(kept, str) else html
