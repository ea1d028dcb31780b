"""Rendering pieces without a build: the sanitizer, front matter, settings, badges and the
character preview, on hostile input."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.utils.meta import get_data

from generator.catalog.assemble import load_catalog
from generator.catalog.settings import SettingsError, read_site
from generator.site import render
from generator.site.outputs import Outputs, agent_files, agent_page, catalog_outputs
from generator.site.render import front_matter, page_meta, preview
from generator.site.sanitize import markdown_html, plain
from tests import test_site
from tests.test_site import Built

built = test_site.built  # the shared sample site (a session fixture)

BASE = "https://github.com/o/r/blob/abc/agents/o/s/"


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x][1]\n\n[1]: javascript:alert(1)",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox(1))",
        '![x](x" onerror="alert(1))',
        "<iframe src=https://evil.example></iframe>",
        "<style>body{display:none}</style>",
        '<div onclick="alert(1)">x</div>',
        "<svg onload=alert(1)>",
    ],
)
def test_markdown_never_yields_active_content(text: str) -> None:
    parsed = _Tags()
    parsed.feed(markdown_html(text, BASE))
    for tag, attrs in parsed.tags:
        assert tag in ("p", "a", "img"), (text, tag)
        for name, value in attrs:
            assert name in ("href", "src", "alt", "title", "rel"), (text, name)
            assert not (value or "").lower().startswith(("javascript:", "data:", "vbscript:"))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def test_raw_html_is_shown_as_text() -> None:
    assert markdown_html("<b>bold</b> and *em*") == "<p>&lt;b&gt;bold&lt;/b&gt; and <em>em</em></p>"


def test_relative_links_point_into_the_repository() -> None:
    html = markdown_html("[a](docs/x.md) [b](../../etc) [c](#top) [d](https://ok.example/)", BASE)
    assert f'href="{BASE}docs/x.md"' in html and f'href="{BASE}etc"' in html
    assert 'href="#top"' in html and 'href="https://ok.example/"' in html
    assert 'href="' not in markdown_html("[a](docs/x.md)", "")  # no commit yet: no link


def test_headings_move_down_one_level() -> None:
    assert markdown_html("# A\n\n## B\n\n###### F") == "<h2>A</h2>\n<h3>B</h3>\n<h6>F</h6>"


def test_plain_drops_characters_xml_and_yaml_refuse() -> None:
    assert plain("a\x00b\x1bc\x7fd\u2028e\ufffff\tg\nh") == "abcdef\tg\nh"


@pytest.mark.parametrize(
    "title",
    [
        '<script>alert("t")</script>',
        "a: b # c",
        "'single' \"double\" \\back",
        "{{ x }} {% y %}",
        "emoji 🤖 and ünïcödé",
        "---",
        "- item",
        "&amp; entity",
        "tab\there",
        "key: [1, 2]",
    ],
)
def test_front_matter_survives_any_title(title: str) -> None:
    page = front_matter(page_meta(title, "summary: with colon"), "<p>body</p>\n")
    body, meta = get_data(page)  # mkdocs' own front matter reader
    assert body.strip() == "<p>body</p>"
    assert meta["title"] == html.escape(title) and meta["description"] == "summary: with colon"
    assert meta["prerendered"] is True and meta["hide"] == ["toc"]


def test_character_preview_tolerates_any_shape() -> None:
    assert preview({"bio": 3, "style": "x", "messageExamples": [[1, {"content": 2}], "x"]}) == {
        "bio": [],
        "topics": [],
        "adjectives": [],
        "style": {},
        "examples": [],
        "system": "",
    }
    shown = preview(
        {
            "bio": "one line",
            "messageExamples": [[{"user": "old", "content": {"text": "hi"}}]] * 5,
            "style": {"all": ["a"], "post": []},
        }
    )
    assert shown["bio"] == ["one line"] and len(shown["examples"]) == 3
    assert shown["examples"][0] == [("old", "hi")] and shown["style"] == {"all": ["a"]}


def test_settings_come_from_mkdocs_yml_with_python_tags(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: My Catalog\nsite_url: https://x.example/sub\n"
        "repo_url: https://github.com/x/y/\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "extra:\n  key: !ENV [KEY, default]\n"
    )
    site = read_site(tmp_path)
    assert (site.site_url, site.repo_url, site.name) == (
        "https://x.example/sub/",
        "https://github.com/x/y",
        "My Catalog",
    )


def test_settings_need_absolute_urls(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nrepo_url: https://github.com/x/y\n")
    with pytest.raises(SettingsError, match="site_url"):
        read_site(tmp_path)


def test_remembered_macros_give_the_pages_rendered_without_them(
    built: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file of the sample catalog, each agent rendered twice (the second time from the
    memos), is the same as with no macro remembered: the canonical and version pages call the
    same macros with other roots, the listings with other agents."""
    catalog = load_catalog(built.root).catalog
    assert catalog is not None

    def outputs(remembered: tuple[str, ...]) -> Outputs:
        monkeypatch.setattr(render, "REMEMBERED", remembered)
        renderer = render.Renderer(built.root, catalog, render.Slots.load())
        files: Outputs = {}
        for _ in range(2):
            for agent in catalog.agents:
                files.update(agent_files(renderer, agent))
                files.update(agent_page(renderer, agent, ()))
        files.update(catalog_outputs(renderer))
        return files

    kept = outputs(render.REMEMBERED)
    assert any(path.endswith(".0/index.html") and "pac-older" in str(kept[path]) for path in kept)
    assert kept == outputs(())
