"""The browser search in real Chromium, on a real mkdocs-material site served from a subpath:
the box is in the header of every page, results link to canonical pages, author text stays
text, search.js ranks the judged queries exactly like the Python port
(generator/search/browser_query.py), and a cached search.js of another index format hands the
box over to the deployed one."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.catalog.model import Catalog
from generator.search.browser_index import CODES, FORMAT, browser_assets, index_files, slug_name
from generator.search.browser_query import BrowserIndex
from generator.search.documents import search_docs, terms
from tests.browser import serve
from tests.conftest import REPO, GitRepo
from tests.search_catalog import agent, catalog
from tests.test_search_quality import JUDGED, sample

PAGES = ("index.md", "agents/mira/parla/index.md", "owners/mira/index.md")


def build_site(cat: Catalog, dest: Path) -> Path:
    """A mkdocs-material site whose docs hold the search assets and a few pages."""
    docs = dest / "docs"
    for rel, blob in browser_assets(cat).items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_bytes(blob)
    for page in PAGES:
        (docs / page).parent.mkdir(parents=True, exist_ok=True)
        (docs / page).write_text(f"# {page}\n", "utf-8")
    config = {
        "site_name": "Catalog",
        "site_url": "https://example.org/catalog/",
        "theme": {"name": "material"},
        "plugins": [],
        "docs_dir": "docs",
        "site_dir": "site",
        "extra_javascript": ["search/search.js"],
        "extra_css": ["search/search.css"],
    }
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config), "utf-8")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(dest / "mkdocs.yml")],
        check=True,
        capture_output=True,
    )
    return dest / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    built = build_site(sample(), tmp_path_factory.mktemp("site"))
    base, server = serve(built, "catalog")
    yield base
    server.shutdown()


@pytest.fixture
def page(browser_page: Any) -> Any:
    """The shared fresh page from tests/browser.py (uncaught script errors in `page.errors`)."""
    return browser_page


def run(page: Any, query: str) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate("q => window.catalogSearch.query(q, 10)", query)
    return result


def test_search_box_is_in_the_header_of_every_page(site: str, page: Any) -> None:
    for path in ("", "agents/mira/parla/", "owners/mira/"):
        page.goto(site + path)
        assert page.locator(".md-header .pac-search__input").count() == 1, path
    assert page.errors == []


def test_typing_shows_ranked_results_linking_canonical_pages(site: str, page: Any) -> None:
    page.goto(site + "agents/mira/parla/")
    page.fill(".pac-search__input", "lint lantern")
    first = page.locator(".pac-search__link").first
    first.wait_for()
    assert first.locator(".pac-search__name").text_content() == "Lint Lantern"
    assert first.get_attribute("href") == site + "agents/nodewatch/lint-lantern/"
    page.press(".pac-search__input", "Enter")
    page.wait_for_url(site + "agents/nodewatch/lint-lantern/")


def test_misspelt_query_says_what_it_matched(site: str, page: Any) -> None:
    page.goto(site)
    page.fill(".pac-search__input", "margnalia")
    page.locator(".pac-search__link").first.wait_for()
    status = page.locator(".pac-search__status").text_content()
    assert "showing matches for \u201cmarginalia\u201d" in status


def test_slash_focuses_the_box_and_escape_closes(site: str, page: Any) -> None:
    page.goto(site)
    page.keyboard.press("/")
    page.keyboard.type("parla")
    page.locator(".pac-search__link").first.wait_for()
    page.keyboard.press("Escape")
    assert not page.locator(".pac-search__panel").is_visible()


def test_js_ranks_the_judged_queries_like_the_python_port(site: str, page: Any) -> None:
    port = BrowserIndex(index_files(sorted(search_docs(sample()), key=lambda d: d.ref)))
    page.goto(site)
    for judged in JUDGED:
        expected = port.query(judged.query, 10)
        got = run(page, judged.query)
        assert (got["refs"], got["scores"], got["corrected"]) == (
            list(expected.refs),
            list(expected.scores),
            expected.corrected,
        ), judged.query


def test_js_reads_words_like_python(site: str, page: Any) -> None:
    texts = [
        "Pàrla: l'Italiano!",
        "Moderators moderating DAO-proposals",
        "\uff26\uff35\uff2c\uff2c \uff57\uff4f\uff52\uff44\uff53",
        "naïve café — résumé",
        "Straße İstanbul",
        "x a 42 analyses statuses",
        "Ελληνικά κείμενα",
        "東京 agents",
        "plugin-discord @elizaos/plugin-sql",
    ]
    page.goto(site)
    got = page.evaluate("ts => ts.map(t => window.catalogSearch.terms(t))", texts)
    assert got == [terms(t) for t in texts]


def test_author_text_is_shown_as_text(tmp_path: Path, page: Any) -> None:
    evil = agent(
        "mallory/evil-bot",
        "<img src=x onerror=alert(1)> Evil",
        "<script>window.pwned = 1</script> summary text here.",
    )
    built = build_site(catalog(evil), tmp_path)
    base, server = serve(built)
    try:
        page.goto(base)
        page.fill(".pac-search__input", "evil")
        name = page.locator(".pac-search__name").first
        name.wait_for()
        assert name.text_content() == "<img src=x onerror=alert(1)> Evil"
        assert page.locator(".pac-search img").count() == 0
        assert page.evaluate("window.pwned") is None
    finally:
        server.shutdown()


def copy_checkout(dest: Path) -> Path:
    """The sample catalog as a fresh clone would have it, committed in a new repository."""
    for name in ("agents", "catalog", "site-config"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "moderation.yaml"):
        shutil.copy2(REPO / name, dest / name)
    repo = GitRepo(dest)
    repo.git("init", "--quiet", "--initial-branch=main")
    repo.commit("sample catalog")
    return dest


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real `catalog build` of the sample catalog, served under a subpath."""
    from generator.site.build import run as build

    root = copy_checkout(tmp_path_factory.mktemp("checkout"))
    built = build(root, root / "site", clean=True)
    assert built.catalog is not None
    base, server = serve(root / "site", "public-agents-catalog")
    yield base
    server.shutdown()


def test_real_site_has_the_box_on_every_page_and_finds_agents(real_site: str, page: Any) -> None:
    for path in ("", "browse/", "agents/mira/parla/", "owners/mira/", "reference/rules/"):
        page.goto(real_site + path)
        assert page.locator(".md-header .pac-search__input").count() == 1, path
    page.fill(".pac-search__input", "spanish conversation")
    first = page.locator(".pac-search__link").first
    first.wait_for()
    assert first.get_attribute("href") == real_site + "agents/mira/parla/"
    first.click()
    page.wait_for_url(real_site + "agents/mira/parla/")
    assert page.errors == []


def test_real_site_leaves_delisted_agents_out(real_site: str, page: Any) -> None:
    page.goto(real_site)
    refs = run(page, "elizaos official airdrop")["refs"]
    assert "claimdesk/eliza-airdrop-official" not in refs


def test_search_box_is_a_combobox_that_announces_results(site: str, page: Any) -> None:
    page.goto(site + "owners/mira/")
    box = page.locator(".pac-search__input")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-autocomplete") == "list"
    assert box.get_attribute("aria-expanded") == "false"
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    assert listbox.get_attribute("role") == "listbox"
    live = page.locator(".pac-search__live")
    assert live.get_attribute("aria-live") == "polite" and live.get_attribute("role") == "status"
    page.fill(".pac-search__input", "lint lantern")
    page.wait_for_function("document.querySelector('.pac-search__live').textContent !== ''")
    assert live.text_content() == page.locator(".pac-search__status").text_content()
    assert box.get_attribute("aria-expanded") == "true"
    options = page.locator("#pac-search-results [role=option]")
    assert options.count() >= 1 and box.get_attribute("aria-activedescendant") is None
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = options.nth(1)
    assert box.get_attribute("aria-activedescendant") == second.get_attribute("id")
    assert second.get_attribute("aria-selected") == "true"
    assert options.first.get_attribute("aria-selected") == "false"
    assert page.evaluate("document.activeElement.classList.contains('pac-search__input')")
    target = second.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    assert page.errors == []


def test_search_box_keeps_a_visible_focus_ring(site: str, page: Any) -> None:
    page.goto(site)
    ring = "e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth]"
    assert page.eval_on_selector(".pac-search__input", ring)[0] == "none"  # not focused yet
    page.keyboard.press("/")
    style, width = page.eval_on_selector(".pac-search__input", ring)
    assert style == "solid" and float(width.removesuffix("px")) >= 1
    colour = page.eval_on_selector(".pac-search__input", "e => getComputedStyle(e).outlineColor")
    header = page.eval_on_selector(".md-header", "e => getComputedStyle(e).backgroundColor")
    assert colour != header  # a ring the colour of the header would not show


def test_real_site_marks_flagged_agents_in_results(real_site: str, page: Any) -> None:
    page.goto(real_site)
    page.fill(".pac-search__input", "weather wren")
    first = page.locator(".pac-search__link").first
    first.wait_for()
    assert first.get_attribute("href") == real_site + "agents/tinkerbench/weather-wren/"
    assert first.locator(".pac-state--flagged").text_content() == "flagged"


def test_typing_key_by_key_searches_once_the_typist_pauses(site: str, page: Any) -> None:
    """The pause between keystrokes: no query runs (and nothing is fetched) for `l`, `li`,
    `lin`...; each query would redraw the results, so the redraws are counted."""
    page.goto(site)
    page.evaluate(
        """() => { window.redraws = 0;
        new MutationObserver(() => window.redraws++).observe(
            document.querySelector(".pac-search__panel"),
            { childList: true, subtree: true, characterData: true }); }"""
    )
    page.type(".pac-search__input", "lint lantern", delay=15)
    page.locator(".pac-search__link").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert 1 <= page.evaluate("window.redraws") <= 3  # 7 without the pause, as measured


def test_results_say_what_each_agent_can_do(site: str, page: Any) -> None:
    """Typed in the header box: the row of an agent with a wallet lists its capabilities in
    words, the money ones in bold too, inside the option a screen reader announces."""
    page.goto(site)
    page.fill(".pac-search__input", "harbor pilot")
    option = page.locator("#pac-search-results [role=option]").first
    option.wait_for()
    assert option.get_attribute("href") == site + "agents/harbor-labs/harbor-pilot/"
    line = option.locator(".pac-search__can")
    assert line.text_content() == (
        "Can: signs transactions, trades or swaps, sends chats to a hosted model"
    )
    assert line.locator("strong").all_text_contents() == ["signs transactions", "trades or swaps"]
    name = page.get_by_role("option", name="Harbor Pilot").first
    assert "Can: signs transactions, trades or swaps" in (name.text_content() or "")
    assert page.errors == []


def test_js_reads_capabilities_like_the_python_port(site: str, page: Any) -> None:
    """The labels each judged query's results show: search.js and browser_query.py decode the
    same row codes with the same table (index.json `can`)."""
    files = browser_assets(sample())
    port = BrowserIndex({k.removeprefix("search/"): v for k, v in files.items()})
    page.goto(site)
    shown = 0
    for judged in JUDGED:
        expected = port.query(judged.query, 10)
        got = run(page, judged.query)
        assert got["can"] == [list(labels) for labels in expected.can], judged.query
        shown += sum(1 for labels in expected.can if labels)
    assert shown > 0


def test_rows_carry_capability_codes_and_the_head_their_labels() -> None:
    """A row grows only by what it holds: the state slot is kept ("") when codes follow it."""
    files = browser_assets(sample())
    head = json.loads(files["search/index.json"])
    assert head["can"][:2] == [["signs transactions", "money"], ["trades or swaps", "money"]]
    assert ["posts in public on X", "public"] in head["can"]
    rows = {
        r[0]: r
        for n in range(-(-head["docs"] // head["chunk"]))
        for r in json.loads(files[f"search/d/{n}.json"])
    }
    assert rows["harbor-labs/harbor-pilot"][3:] == ["", "01" + CODES[len(head["can"]) - 1]]
    assert rows["tinkerbench/weather-wren"][3] == "flagged"
    plain = index_files([d for d in search_docs(sample()) if d.ref == "mira/solace"])
    assert json.loads(plain["d/0.json"]) == [[*json.loads(plain["d/0.json"])[0][:3]]]


@pytest.fixture(scope="module")
def split_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample catalog with every term shard over 64 bytes split by a longer prefix."""
    root = tmp_path_factory.mktemp("split")
    docs = sorted(search_docs(sample()), key=lambda d: d.ref)
    files = {f"search/{k}": v for k, v in index_files(docs, budget=64).items()}
    files |= {k: v for k, v in browser_assets(sample()).items() if k.endswith((".js", ".css"))}
    for rel, blob in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(blob)
    (root / "index.html").write_text(
        '<!doctype html><title>Catalog</title><script src="search/search.js"></script>', "utf-8"
    )
    base, server = serve(root, "catalog")
    yield base
    server.shutdown()


def test_typing_into_a_split_index_fetches_deeper_shards_and_finds_the_agent(
    split_site: str, page: Any
) -> None:
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url.split("/search/")[-1].split("?")[0]))
    page.goto(split_site)
    page.type(".pac-search__input", "margin", delay=200)  # slower than the pause: every key
    first = page.locator(".pac-search__link").first
    first.wait_for()
    assert first.get_attribute("href") == split_site + "agents/quill-collective/marginalia/"
    page.wait_for_load_state("networkidle")
    shards = [f for f in fetched if f.startswith("t/")]
    assert shards[:2] == ["t/ma.json", "t/mar.json"] and "t/marg.json" in shards, shards
    assert page.errors == []


def test_js_ranks_like_the_python_port_on_a_split_index(split_site: str, page: Any) -> None:
    """Every prefix of every judged query, as typed key by key, on the split index."""
    docs = sorted(search_docs(sample()), key=lambda d: d.ref)
    port = BrowserIndex(index_files(docs, budget=64))
    asked = [j.query[:end] for j in JUDGED for end in range(1, len(j.query) + 1)]
    page.goto(split_site)
    got = page.evaluate(
        "async qs => { const out = []; for (const q of qs) {"
        " const r = await window.catalogSearch.query(q, 10);"
        " out.push([r.refs, r.scores, r.corrected]); } return out; }",
        asked,
    )
    expected = [[list(r.refs), list(r.scores), r.corrected] for r in map(port.query, asked)]
    assert got == expected


NAMED = [
    ("nodewatch/lint-lantern", "Lint Lantern", ""),  # spelt by its slug: left out
    ("claimdesk/eliza-airdrop-official", "ElizaOS Official Airdrop", "ElizaOS Official Airdrop"),
    ("mira/parla", "parla", "parla"),  # not capitalised as the slug would spell it
    ("mira/trivia-tern-2", "Trivia Tern 2", ""),
    ("mira/solace", "Solace Bot", "Solace Bot"),
]


def test_rows_leave_out_the_names_their_slugs_spell_and_results_show_them() -> None:
    docs = sorted((d for d in search_docs(sample()) if d.ref == "mira/solace"), key=lambda d: d.ref)
    base = docs[0]
    made = sorted(
        (
            replace(base, ref=ref, owner=ref.split("/")[0], slug=ref.split("/")[1], name=name)
            for ref, name, _ in NAMED
        ),
        key=lambda d: d.ref,
    )
    files = index_files(made)
    head = json.loads(files["index.json"])
    rows = {
        r[0]: r
        for n in range(-(-head["docs"] // head["chunk"]))
        for r in json.loads(files[f"d/{n}.json"])
    }
    assert {ref: rows[ref][1] for ref, _, _ in NAMED} == {ref: kept for ref, _, kept in NAMED}
    index = BrowserIndex(files)
    assert [index.row(i)[1] for i in range(len(made))] == [d.name for d in made]


def test_js_shows_the_names_the_python_port_shows(site: str, page: Any) -> None:
    """Every judged query's results, their names spelt back from the slugs where the rows
    leave them out; and the slug spelling of every sample agent, in both languages."""
    port = BrowserIndex(index_files(sorted(search_docs(sample()), key=lambda d: d.ref)))
    page.goto(site)
    spelt = 0
    for judged in JUDGED:
        expected = port.query(judged.query, 10)
        got = run(page, judged.query)
        assert [r[1] for r in got["rows"]] == list(expected.names), judged.query
        spelt += sum(1 for r in got["rows"] if r[1] == slug_name(r[0].split("/")[1]))
    assert spelt > 0
    slugs = [d.ref.split("/")[1] for d in search_docs(sample())] + ["trivia-tern-2", "a-b-c"]
    assert page.evaluate("s => s.map(x => window.catalogSearch.slugName('o/' + x))", slugs) == [
        slug_name(s) for s in slugs
    ]


def test_a_query_typed_past_before_its_ranking_fetches_no_rows(site: str, page: Any) -> None:
    """The box asks whether the query is still wanted once it is ranked: when the visitor has
    typed on, no result row is fetched (the next query fetches its own)."""
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url.split("/search/")[-1].split("?")[0]))
    page.goto(site)
    assert (
        page.evaluate("() => window.catalogSearch.query('lint lantern', 10, () => false)") is None
    )
    page.wait_for_load_state("networkidle")
    assert any(f.startswith("t/") for f in fetched) and not any(f.startswith("d/") for f in fetched)
    refs = run(page, "lint lantern")["refs"]
    assert refs[0] == "nodewatch/lint-lantern" and any(f.startswith("d/") for f in fetched)


# ---- a cached search.js of another index format (after a deploy) ----

SCRIPT = REPO / "site-config" / "search" / "search.js"
DECLARED = re.compile(r"var FORMAT = (\d+);")


def copy_reading(fmt: int) -> str:
    """search.js as a build that read index format `fmt` would have shipped it."""
    text, count = DECLARED.subn(f"var FORMAT = {fmt};", SCRIPT.read_text("utf-8"))
    assert count == 1
    return text


def cached_old_script(page: Any, everywhere: bool) -> list[str]:
    """The page's first load of search.js gets a copy for the previous format, as from the
    browser's cache; with `everywhere`, so does every later load. Returns the loads seen."""
    loads: list[str] = []

    def answer(route: Any) -> None:
        loads.append(route.request.url)
        if everywhere or "?" not in route.request.url:
            route.fulfill(body=copy_reading(FORMAT - 1), content_type="text/javascript")
        else:
            route.continue_()

    page.route(re.compile(r"/search/search\.js(\?.*)?$"), answer)
    return loads


def test_the_script_reads_the_format_the_generator_writes() -> None:
    found = DECLARED.search(SCRIPT.read_text("utf-8"))
    assert found is not None and int(found.group(1)) == FORMAT


def test_an_old_script_hands_the_box_over_and_the_query_shows_names(
    site: str, browser_page: Any
) -> None:
    page = browser_page
    loads = cached_old_script(page, everywhere=False)
    page.goto(site)
    page.fill(".pac-search__input", "lint lantern")
    first = page.locator(".pac-search__link").first
    first.wait_for()
    docs = sorted(search_docs(sample()), key=lambda d: d.ref)
    want = BrowserIndex(index_files(docs)).query("lint lantern", 10)
    assert first.get_attribute("href") == site + f"agents/{want.refs[0]}/"
    shown = page.locator(".pac-search__name").evaluate_all(
        "names => names.map(n => n.firstChild.textContent)"
    )
    assert shown == list(want.names) and all(shown)
    assert page.locator(".pac-search").count() == 1
    assert page.input_value(".pac-search__input") == "lint lantern"
    assert page.evaluate("document.activeElement.classList.contains('pac-search__input')")
    assert len(loads) == 2 and "?v=" in loads[1]
    assert page.errors == []


def test_a_second_mismatch_says_search_is_unavailable(site: str, browser_page: Any) -> None:
    page = browser_page
    loads = cached_old_script(page, everywhere=True)
    page.goto(site)
    page.fill(".pac-search__input", "lint lantern")
    status = page.locator(".pac-search__status")
    status.wait_for()
    page.wait_for_function("() => document.querySelector('.pac-search__status').textContent !== ''")
    assert status.text_content() == "Search is unavailable; try again later"
    assert page.locator(".pac-search__link").count() == 0
    page.wait_for_load_state("networkidle")
    assert len(loads) == 2
