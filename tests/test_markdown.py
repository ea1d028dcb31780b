"""Untrusted Markdown on hostile input: it renders, the output is safe, and the work done grows
linearly with the size of the text (issue 10: Python-Markdown took 140 s on 16 KB of `[`).

Linearity is measured without a clock: the number of Python and C function calls made while
rendering `n` and `4n` characters of each hostile family, which is deterministic. The wall-time
figures are in benchmarks/bench_render.py and catalog/performance.md.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.checks.load import MAX_README_BYTES
from generator.site.sanitize import (
    ATTRIBUTES,
    NESTING,
    SCHEMES,
    TABLE_CELLS,
    TAGS,
    markdown_html,
    plain,
)

BASE = "https://github.com/o/r/blob/abc/agents/o/s/"


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


def _nested_list(marker: str) -> Callable[[int], str]:
    """Each item one level deeper than the last, cut to n characters."""

    def make(n: int) -> str:
        lines, size, depth = [], 0, 0
        while size < n:
            lines.append(" " * (len(marker) + 1) * depth + f"{marker} item {depth}\n")
            size, depth = size + len(lines[-1]), depth + 1
        return "".join(lines)[:n]

    return make


def _table(n: int) -> str:
    """A header of k columns and k one-cell rows: the parser fills in k*k cells."""
    k = max(1, n // 7)
    return "x|" * k + "\n" + "-|" * k + "\n" + "x\n" * k


def _tables(n: int) -> str:
    """Tables of 181 columns and 362 one-cell rows: 65,536 cells to fill from 1.4 KB each."""
    return _repeat("x|" * 181 + "\n" + "-|" * 181 + "\n" + "x\n" * 362 + "\n")(n)


# Each family: n -> about n characters of one kind of hostile input.
FAMILIES: dict[str, Callable[[int], str]] = {
    "block quotes": _repeat(">"),
    "spaced quotes": _repeat("> "),
    "list markers on one line": _repeat("- "),
    "ordered markers on one line": _repeat("1. "),
    "nested bullet lists": _nested_list("-"),
    "nested ordered lists": _nested_list("1."),
    "emphasis around one letter": lambda n: "*" * (n // 2) + "a" + "*" * (n // 2),
    "strong around one letter": lambda n: "__" * (n // 4) + "a" + "__" * (n // 4),
    "mixed emphasis": _repeat("**_* "),
    "unclosed emphasis": _repeat("*a "),
    "strikethrough": _repeat("~~a"),
    "brackets": _repeat("["),
    "closing brackets": _repeat("]"),
    "image openers": _repeat("!["),
    "image openers on lines": _repeat("![\n"),
    "empty links": _repeat("[]("),
    "link openers": _repeat("[](("),
    "links across lines": _repeat("]([\n"),
    "reference openers": _repeat("[a]["),
    "emphasis and brackets": _repeat("*["),
    "backticks": _repeat("`"),
    "escaped backticks": _repeat("\\``"),
    "code spans": _repeat("`a"),
    "reference definitions": _repeat("[a]: b\n"),
    "references used": lambda n: "[a] " * (n // 4) + "\n\n[a]: https://x.example\n",
    "unclosed definition titles": _repeat("[x]: x '"),
    "angle brackets": _repeat("<"),
    "empty tags": _repeat("<>"),
    "cdata openers": _repeat("a <![CDATA["),
    "autolinks": _repeat("<http://a"),
    "entities": _repeat("&amp;"),
    "entity openers": _repeat("&#"),
    "ampersands": _repeat("&"),
    "backslashes": _repeat("\\"),
    "pipes": _repeat("|"),
    "table cells to fill": _table,
    "tables of cells to fill": _tables,
    "headings": _repeat("#"),
    "setext underlines": _repeat("a\n===\n"),
    "fences": _repeat("```\n"),
    "one long line": _repeat("a"),
    "short lines": _repeat("a\n"),
    "blank lines": _repeat("\n"),
    "tabs": _repeat("\t"),
    "tabbed list markers": _repeat("-\t"),
    "NULs": _repeat("\x00"),
    "control characters": _repeat("".join(map(chr, range(32))) + "\x7f\x85\u2028"),
    "lone surrogates": _repeat("\ud800a\udfff["),
}


class _Html(HTMLParser):
    """Every start tag and its attributes, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def assert_safe(html: str) -> None:
    """Only allowlisted tags and attributes, no handlers, only http(s)/mailto URLs."""
    assert "<script" not in html.lower() and "<style" not in html.lower()
    assert plain(html) == html  # no character XML or YAML refuses
    parsed = _Html()
    parsed.feed(html)
    parsed.close()
    for tag, attrs in parsed.tags:
        assert tag in TAGS, tag
        for name, value in attrs:
            assert name in ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set()), name
            if name in ("href", "src"):
                scheme = _SCHEME.match(value or "")
                assert scheme is None or scheme.group(1).lower() in SCHEMES, value


def calls(render: Callable[[], Any]) -> int:
    """Python and C function calls made by `render()`: a deterministic measure of work."""
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        count += event in ("call", "c_call")

    sys.setprofile(profile)
    try:
        render()
    finally:
        sys.setprofile(None)
    return count


def growth(render: Callable[[str], object], make: Callable[[int], str], n: int) -> float:
    """How much more work 4n characters take than n (4 when linear, 16 when quadratic)."""
    small, large = make(n), make(4 * n)
    render(small)  # first-call set-up (rule caches) is not part of the growth
    return calls(lambda: render(large)) / calls(lambda: render(small))


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_hostile_input_renders_safely_in_linear_work(family: str) -> None:
    make = FAMILIES[family]
    assert growth(lambda text: markdown_html(text, BASE), make, 1024) <= 5.0
    assert_safe(markdown_html(make(16 * 1024), BASE))
    assert_safe(markdown_html(make(4 * 1024)))  # no commit to link to: relative links go


def test_the_heaviest_family_renders_at_the_size_limit() -> None:
    assert_safe(markdown_html(FAMILIES["image openers"](MAX_README_BYTES), BASE))  # the most work


def _rescanning(text: str) -> int:
    """A parser that looks for the closing bracket again at every `[`, as Python-Markdown did."""
    return sum(any(_is_close(c) for c in text[i:]) for i, ch in enumerate(text) if ch == "[")


def _is_close(char: str) -> bool:
    return char == "]"


def test_the_call_count_sees_quadratic_work() -> None:
    assert growth(_rescanning, _repeat("["), 256) > 12


def test_nesting_deeper_than_the_bound_is_cut() -> None:
    html = markdown_html(">" * 10_000 + " deep\n\nafter")
    assert html.count("<blockquote>") == NESTING and html.endswith("<p>after</p>")
    assert "deep" not in html


def test_nine_nested_lists_still_render() -> None:
    html = markdown_html(_nested_list("-")(300))
    assert "<li>item 8\n<ul>" in html and "item 9" not in html


def test_table_cells_are_bounded_per_document() -> None:
    text, budget = _tables(64 * 1024), TABLE_CELLS + 64 * 1024 // 2
    html = markdown_html(text)
    cells = html.count("<td>")  # header cells, real ones, count against the budget too
    assert budget - html.count("<th>") <= cells <= budget
    assert_safe(html)
    assert 181 * text.count("x\n") > 80 * cells  # without the bound: 181 cells a row


def test_real_tables_are_never_cut() -> None:
    text = "a|b|c|d\n-|-|-|-\n" + "1|2|3|4\n" * 5_000  # the narrowest real cells
    assert markdown_html(text).count("<td>") == 20_000 > TABLE_CELLS


def test_commonmark_with_tables_strikethrough_and_fences() -> None:
    html = markdown_html("a | b\n--|--:\n1 | 2\n\n~~old~~ <me@x.example>\n\n```py\nx < 1\n```\n")
    assert html == (
        "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
        "<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n"
        '<p><del>old</del> <a href="mailto:me@x.example" rel="nofollow noopener noreferrer ugc">'
        "me@x.example</a></p>\n<pre><code>x &lt; 1\n</code></pre>"
    )


def test_no_linkify_and_relative_images_rebased() -> None:
    html = markdown_html("see https://x.example ![logo](./img/logo.png)", BASE)
    assert html == f'<p>see https://x.example <img src="{BASE}img/logo.png" alt="logo"></p>'
    assert markdown_html("![logo](img/logo.png)") == '<p><img alt="logo"></p>'


_BUDGET = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,  # the same examples every run: the suite stays deterministic
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
_ANY_CHARACTER = st.characters(exclude_categories=())  # lone surrogates and controls included
_PIECES = [
    *"[]()!*_`~<>&#\\|-:=+.'\" \n\t\r\x00\x0b\ud800\u2028",
    *("    ", "> ", "- ", "1. ", "```", "~~~", "---", "***", "[a]: ", "![", "](", "]["),
    *("http://x", "//x", "javascript:", "JaVaScRiPt:", "data:text/html,", "vbscript:", "mailto:"),
    *("<script>", "</script>", "<img src=x onerror=", "onclick=", "&#106;", "&#x6A;", "&amp;"),
    *("<https://x>", "<a href=", "<!--", "<![CDATA[", "\\", "%6A", "&colon;", "\u202e"),
]


@_BUDGET
@given(text=st.text(_ANY_CHARACTER, max_size=2000), base=st.sampled_from(["", BASE]))
def test_any_text_renders_safely(text: str, base: str) -> None:
    assert_safe(markdown_html(text, base))


@_BUDGET
@given(pieces=st.lists(st.sampled_from(_PIECES), max_size=400), base=st.sampled_from(["", BASE]))
def test_any_markdownish_text_renders_safely(pieces: list[str], base: str) -> None:
    assert_safe(markdown_html("".join(pieces), base))
