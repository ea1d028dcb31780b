"""The site, built for a real git repository with history: pages, dates, versions, tombstones,
redirects, API, feed, badges, hostile author text, determinism and incremental rebuilds.

One sample catalog is built once per session (`built`) and shared, with the browser tests too.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from benchmarks.synth import copy_site_sources as site_sources
from tests.conftest import CHARACTER, REPO, Cli, GitRepo, write_agent

SITE_URL = "https://elizaos-community.github.io/public-agents-catalog/"
REPO_URL = "https://github.com/elizaos-community/public-agents-catalog"
HOSTILE_NAME = '<script>alert("n")</script> & {{ x }}: #1'
HOSTILE_README = """# Hostile

<script>alert("readme")</script>
<img src=x onerror=alert("img")>
<a href="javascript:alert('a')">raw link</a>
[md link](javascript:alert('md')) [entity](&#106;avascript:alert('e')) [ok](docs/more.md)
![pic](x" onerror="alert('pic'))
<iframe src="https://evil.example"></iframe><style>body{display:none}</style>
{{ config.extra }} {% include 'base.html' %}
--8<-- "/etc/passwd"
"""
HOSTILE_CHARACTER = {
    **CHARACTER,
    "name": HOSTILE_NAME,
    "bio": ['<img src=x onerror=alert("bio")>', "{{ config.site_name }} {% if 1 %}x{% endif %}"],
    "topics": ["<b>bold</b>", "javascript:alert(1)"],
    "system": "</pre><script>alert('system')</script>",
    "style": {"all": ['"><svg onload=alert(1)>'], "chat": ["ok"]},
    "messageExamples": [
        [
            {"name": "<i>user</i>", "content": {"text": "<script>alert('example')</script>"}},
            {"name": HOSTILE_NAME, "content": {"text": "[x](javascript:alert(1))"}},
        ]
    ],
}
MODERATION = """\
acme/legacy-bot:
  state: delisted
  reason: Impersonation <b>of</b> another agent
  issue: https://github.com/elizaos-community/public-agents-catalog/issues/1
  date: 2026-01-04
zed/harbor-fork:
  state: flagged
  reason: Broken plugin reference
  issue: https://github.com/elizaos-community/public-agents-catalog/issues/2
  date: 2026-01-04
acme/spam-bot:
  state: removed
  reason: Spam links in every reply
  issue: https://github.com/elizaos-community/public-agents-catalog/issues/3
  date: 2026-01-04
"""


ACME = """kind: org
name: Acme Harbor Works
links: {homepage: https://acme.example}
members:
  - {login: ines, role: admin}
  - {login: zed, role: publisher}
verification: {method: github-org, subject: acme, date: 2026-01-04}
"""


def sample_history(repo: GitRepo) -> dict[str, str]:
    """Four days of history; returns the commit of each day."""
    root = repo.root
    site_sources(root)
    write_agent(root, version="1.0.0", maintainers=["ines"])
    write_agent(root, slug="old-bot", name="Old Bot")
    write_agent(root, slug="tide-clock", name="Tide Clock")
    write_agent(root, slug="spam-bot", name="Spam Bot")
    commits = {"day1": repo.commit("First agents")}
    write_agent(
        root,
        version="1.1.0",
        maintainers=["ines"],
        summary="Answers harbor questions, now with tides.",
        character={**CHARACTER, "plugins": [*CHARACTER["plugins"], "@elizaos/plugin-evm"]},
    )
    write_agent(
        root,
        owner="mallory",
        slug="hostile-bot",
        name=HOSTILE_NAME,
        summary='Summary with <b>tags</b> & "quotes" {{ x }} and more',
        character=HOSTILE_CHARACTER,
        readme=HOSTILE_README,
    )
    write_agent(
        root,
        owner="zed",
        slug="harbor-fork",
        name="Harbor Fork",
        forked_from="acme/harbor-bot@1.0.0",
        tags=["assistant", "travel"],
    )
    write_agent(
        root,
        slug="legacy-bot",
        name="Legacy Bot",
        deprecated={"reason": "Superseded by Harbor Bot.", "replacement": "acme/harbor-bot"},
    )
    commits["day2"] = repo.commit("harbor-bot 1.1.0, hostile-bot, a fork and a legacy bot")
    (root / "agents/zed/tide-clock").parent.mkdir(exist_ok=True)
    repo.git("mv", "agents/acme/tide-clock", "agents/zed/tide-clock")
    moved = root / "agents/zed/tide-clock/agent.yaml"
    moved.write_text(moved.read_text().replace("owner: acme", "owner: zed"))
    shutil.rmtree(root / "agents/acme/old-bot")
    commits["day3"] = repo.commit("Move tide-clock, remove old-bot")
    (root / "moderation.yaml").write_text(MODERATION)
    (root / "owners").mkdir()
    (root / "owners/acme.yaml").write_text(ACME)  # an org and verified publisher (issue 15)
    commits["day4"] = repo.commit("Moderation decisions")
    return commits


@dataclass
class Built:
    """The shared sample site."""

    root: Path
    site: Path
    commits: dict[str, str]
    stdout: str

    def page(self, rel: str) -> str:
        return (self.site / rel).read_text("utf-8")

    def json(self, rel: str) -> dict[str, object]:
        return json.loads(self.page(rel))  # type: ignore[no-any-return]


_BUILT: dict[str, Built] = {}


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sample catalog, built once per session with the real `catalog build`."""
    if "site" not in _BUILT:
        root = tmp_path_factory.mktemp("sample")
        (root / "agents").mkdir()
        repo = GitRepo(root)
        repo.git("init", "--quiet", "--initial-branch=main")
        commits = sample_history(repo)
        result = Cli(root)("build")
        assert result.exit_code == 0, result.output
        _BUILT["site"] = Built(root, root / "site", commits, result.stdout)
    return _BUILT["site"]


def test_build_ends_with_a_summary(built: Built) -> None:
    last = built.stdout.splitlines()[-1]
    assert re.fullmatch(
        r"built 6 agents, 7 versions, \d+ pages \(\d+ files written, 0 deleted\) "
        r"in [\d.]+ s \(generator [\d.]+ s, site [\d.]+ s\)",
        last,
    ), last


def test_canonical_page(built: Built) -> None:
    page = built.page("agents/acme/harbor-bot/index.html")
    assert f'<link rel="canonical" href="{SITE_URL}agents/acme/harbor-bot/">' in page
    assert "<title>Harbor Bot - Public Agents Catalog</title>" in page
    assert "Answers harbor questions, now with tides." in page
    assert '<a href="../../../owners/acme/">acme</a>' in page
    assert '<a href="../../../owners/ines/">ines</a>' in page
    assert 'href="https://github.com/ines"' in page
    assert '<time datetime="2026-01-02">' in page and '<time datetime="2026-01-01">' in page
    assert re.search(r"Last updated</th><td><time[^>]*>2026-01-02<", page)
    assert re.search(r"First published</th><td><time[^>]*>2026-01-01<", page)
    assert '<a class="pac-tag" href="../../../tags/customer-support/">' in page
    assert "<code>@elizaos/plugin-sql</code>" in page and ">MIT<" in page
    assert "Knows every berth in the harbor." in page  # character preview
    assert "When does the ferry leave?" in page
    assert '<a href="1.0.0/">1.0.0</a>' in page and "<td>1.1.0 (latest)</td>" in page
    assert f"{REPO_URL}/commit/{built.commits['day1']}" in page
    assert '<a href="../../../agents/zed/harbor-fork/">Harbor Fork</a>' in page  # forks
    assert "Report this agent" in page and "git init --quiet harbor-bot-1.1.0" in page


def test_version_pages(built: Built) -> None:
    older = built.page("agents/acme/harbor-bot/1.0.0/index.html")
    assert "older version (1.0.0)" in older
    assert f"<code>{built.commits['day1']}</code>" in older and "2026-01-01" in older
    assert "Answers questions about harbor schedules and berths." in older  # 1.0.0's summary
    assert f'<link rel="canonical" href="{SITE_URL}agents/acme/harbor-bot/1.0.0/">' in older
    assert 'href="../../../../assets/stylesheets/lean.css"' in older
    latest = built.page("agents/acme/harbor-bot/1.1.0/index.html")  # the agent page shows it
    assert f'<link rel="canonical" href="{SITE_URL}agents/acme/harbor-bot/">' in latest
    assert "is the latest version of acme/harbor-bot" in latest and built.commits["day2"] in latest


def test_removed_agent_leaves_a_tombstone(built: Built) -> None:
    page = built.page("agents/acme/old-bot/index.html")
    assert "Removed on 2026-01-03" in page and '<meta name="robots" content="noindex">' in page
    assert "Removed on 2026-01-03" in built.page("agents/acme/old-bot/1.0.0/index.html")
    spam = built.page("agents/acme/spam-bot/index.html")  # removed by the maintainers
    assert "Removed on 2026-01-04" in spam and "Spam links in every reply" in spam
    assert not (built.site / "api/v1/agents/acme/spam-bot.json").exists()


def test_moved_agent_redirects(built: Built) -> None:
    page = built.page("agents/acme/tide-clock/index.html")
    assert '<meta http-equiv="refresh" content="0; url=../../../agents/zed/tide-clock/">' in page
    assert f'<link rel="canonical" href="{SITE_URL}agents/zed/tide-clock/">' in page
    assert 'location.replace("../../../agents/zed/tide-clock/"' in page
    version = built.page("agents/acme/tide-clock/1.0.0/index.html")
    assert "url=../../../../agents/zed/tide-clock/1.0.0/" in version
    assert (built.site / "agents/zed/tide-clock/1.0.0/index.html").is_file()


def test_moderation_states(built: Built) -> None:
    flagged = built.page("agents/zed/harbor-fork/index.html")
    assert "Flagged by the maintainers on 2026-01-04" in flagged and "git init" in flagged
    delisted = built.page("agents/acme/legacy-bot/index.html")
    assert (
        "Delisted on 2026-01-04" in delisted and "Impersonation &lt;b&gt;of&lt;/b&gt;" in delisted
    )
    assert "git init" not in delisted and '<meta name="robots" content="noindex">' in delisted
    assert "Superseded by Harbor Bot." in delisted
    assert '<a href="../../../agents/acme/harbor-bot/">Harbor Bot</a>' in delisted
    listed = {a["ref"] for a in built.json("api/v1/agents.json")["agents"]}  # type: ignore
    assert listed == {"acme/harbor-bot", "mallory/hostile-bot", "zed/harbor-fork", "zed/tide-clock"}
    for listing in ("index.html", "owners/acme/index.html", "tags/assistant/index.html"):
        assert "legacy-bot" not in built.page(listing), listing
    assert "legacy-bot" not in built.page("feed.xml")


def test_listing_pages(built: Built) -> None:
    home = built.page("index.html")
    assert home.index("zed/harbor-fork") < home.index("acme/harbor-bot")  # newest first
    assert 'href="tags/assistant/"' in home
    owner = built.page("owners/acme/index.html")
    assert "Harbor Bot" in owner and 'href="https://github.com/acme"' in owner
    assert '<h1>Acme Harbor Works <span class="pac-verified"' in owner
    assert '<a href="https://github.com/ines">ines</a> <span class="pac-ref">admin</span>' in owner
    mark = '<a href="../../../owners/acme/">acme</a> <span class="pac-verified"'
    assert mark in built.page("agents/acme/harbor-bot/index.html")
    assert '<span class="pac-verified"' not in built.page("owners/zed/index.html").split("<h2")[0]
    assert "Harbor Bot" in built.page("owners/ines/index.html")  # maintainers get a page
    tag = built.page("tags/travel/index.html")
    assert "Harbor Fork" in tag and "Harbor Bot" not in tag
    sitemap = built.page("sitemap.xml")
    assert f"<loc>{SITE_URL}agents/acme/harbor-bot/</loc>" in sitemap  # lean pages are listed
    assert f"<loc>{SITE_URL}owners/acme/</loc>" in sitemap
    assert f"<loc>{SITE_URL}submit/</loc>" in sitemap  # and mkdocs' own pages
    assert "legacy-bot" not in sitemap  # delisted: noindex, not in the sitemap
    ET.fromstring(sitemap)
    packed = gzip.decompress((built.site / "sitemap.xml.gz").read_bytes()).decode()
    assert packed == sitemap


def api_schemas() -> dict[str, dict[str, object]]:
    """The JSON Schemas documented on catalog/api.md, by $id."""
    text = (REPO / "catalog/api.md").read_text("utf-8")
    blocks = re.findall(r"```json\n(.*?)```", text, re.S)
    schemas = [json.loads(b) for b in blocks if '"$id"' in b]
    return {str(s["$id"]): s for s in schemas}


def test_api_matches_its_documented_schema(built: Built) -> None:
    schemas = api_schemas()
    jsonschema.validate(built.json("api/v1/agents.json"), schemas["agents.json"])
    agent = built.json("api/v1/agents/acme/harbor-bot.json")
    jsonschema.validate(agent, schemas["agent.json"])
    jsonschema.validate(built.json("api/v1/owners.json"), schemas["groups.json"])
    jsonschema.validate(built.json("api/v1/tags.json"), schemas["groups.json"])
    jsonschema.validate(built.json("api/v1/gone.json"), schemas["gone.json"])
    assert [v["version"] for v in agent["versions"]] == ["1.1.0", "1.0.0"]  # type: ignore
    assert agent["versions"][1]["commit"] == built.commits["day1"]  # type: ignore
    assert agent["created"] == "2026-01-01T12:00:00Z" and agent["forks"] == ["zed/harbor-fork"]
    assert agent["manifest"]["maintainers"] == ["ines"]  # type: ignore
    gone = {g["ref"]: g for g in built.json("api/v1/gone.json")["gone"]}  # type: ignore
    assert gone["acme/tide-clock"]["moved_to"] == "zed/tide-clock"
    assert gone["acme/old-bot"]["state"] == gone["acme/spam-bot"]["state"] == "removed"


def test_feed_is_valid_atom_of_new_versions(built: Built) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring(built.page("feed.xml"))
    entries = root.findall(f"{atom}entry")
    ids = [e.findtext(f"{atom}id") for e in entries]
    assert len(ids) == len(set(ids)) == 5
    dates = [e.findtext(f"{atom}updated") for e in entries]
    assert dates == sorted(dates, reverse=True)
    # zed/tide-clock 1.0.0 is pinned to its move (day 3): its last state, the first at its path
    assert root.findtext(f"{atom}updated") == dates[0] == "2026-01-03T12:00:00Z"
    titles = [e.findtext(f"{atom}title") for e in entries]
    assert f"{HOSTILE_NAME} 1.0.0" in titles and "Harbor Bot 1.0.0" in titles
    assert f"{SITE_URL}agents/acme/harbor-bot/1.1.0/" in ids


def test_badge_is_escaped_svg(built: Built) -> None:
    svg = ET.fromstring(built.page("agents/acme/harbor-bot/badge.svg"))
    assert "v1.1.0" in "".join(svg.itertext())
    legacy = ET.fromstring(built.page("agents/acme/legacy-bot/badge.svg"))
    assert "delisted" in "".join(legacy.itertext())


class _Tags(HTMLParser):
    """Every tag with its attributes, and the text inside script elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def test_hostile_text_never_reaches_html_unescaped(built: Built) -> None:
    pages = sorted(built.site.rglob("*.html"))
    assert any("hostile-bot" in str(p) for p in pages)
    for path in pages:
        parsed = _Tags()
        parsed.feed(path.read_text("utf-8"))
        for tag, attrs in parsed.tags:
            assert tag not in ("iframe", "style", "object", "embed"), (path, tag)
            for name, value in attrs.items():
                assert not name.startswith("on"), (path, tag, name)
                if name in ("href", "src") and value:
                    assert not value.strip().lower().startswith(("javascript:", "data:")), path
        assert not any("alert(" in script for script in parsed.scripts), path
    page = built.page("agents/mallory/hostile-bot/index.html")
    assert "&lt;script&gt;alert(&#34;n&#34;)&lt;/script&gt; &amp; {{ x }}: #1" in page
    assert "<title>&lt;script&gt;alert(&#34;n&#34;)&lt;/script&gt; &amp; {{ x }}: #1 - " in page
    assert '&lt;script&gt;alert("readme")&lt;/script&gt;' in page
    assert "{{ config.extra }} {% include 'base.html' %}" in page
    assert '--8&lt;-- "/etc/passwd"' in page
    assert (
        f'href="{REPO_URL}/blob/{built.commits["day2"]}/agents/mallory/hostile-bot/docs/more.md"'
        in page
    )


def test_hostile_text_is_escaped_in_data_files(built: Built) -> None:
    feed = built.page("feed.xml")
    assert "<script>" not in feed and "&lt;script&gt;" in feed
    data = built.json("browse.json")
    assert HOSTILE_NAME in [row[1] for row in data["agents"]]  # type: ignore
    assert ET.fromstring(built.page("agents/mallory/hostile-bot/badge.svg")) is not None


def _text(html: str) -> str:
    """The text of an HTML fragment, tags dropped, entities read."""
    import html as entities

    return entities.unescape(re.sub(r"<[^>]+>", "", html))


def test_every_list_marks_a_flagged_agent(built: Built) -> None:
    flagged = '<strong>Harbor Fork</strong></a> <span class="pac-state pac-state--flagged">'
    for listing in ("index.html", "owners/zed/index.html", "tags/travel/index.html"):
        assert flagged in built.page(listing), listing
    assert '<span class="pac-state' not in built.page("owners/acme/index.html")  # none flagged
    forks = built.page("agents/acme/harbor-bot/index.html")  # its forks are listed, flag too
    assert 'Harbor Fork</a> <span class="pac-state pac-state--flagged">flagged</span>' in forks
    rows = {row[0]: row for row in built.json("browse.json")["agents"]}  # type: ignore
    assert rows["zed/harbor-fork"][9] == "flagged" and rows["acme/harbor-bot"][9] == ""
    assert built.json("browse.json")["fields"][9] == "state"  # type: ignore
    head = built.json("search/index.json")
    chunks = range(-(-head["docs"] // head["chunk"]))  # type: ignore
    results = {r[0]: r for n in chunks for r in json.loads(built.page(f"search/d/{n}.json"))}
    assert results["zed/harbor-fork"][3:] == ["flagged"]
    # no state marker: an empty slot before its codes (it signs transactions and trades)
    assert results["acme/harbor-bot"][3:] == ["", "01"]
    summaries = {a["ref"]: a for a in built.json("api/v1/agents.json")["agents"]}  # type: ignore
    assert summaries["zed/harbor-fork"]["moderation"] == {
        "state": "flagged",
        "reason": "Broken plugin reference",
        "issue": "https://github.com/elizaos-community/public-agents-catalog/issues/2",
        "date": "2026-01-04",
    }
    assert summaries["acme/harbor-bot"]["moderation"] is None


def test_feed_entries_of_a_flagged_agent_say_so(built: Built) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    entries = ET.fromstring(built.page("feed.xml")).findall(f"{atom}entry")
    fork = next(e for e in entries if "harbor-fork" in (e.findtext(f"{atom}id") or ""))
    assert fork.findtext(f"{atom}title") == "Harbor Fork 1.0.0 (flagged)"
    assert (fork.findtext(f"{atom}summary") or "").startswith(
        "Flagged by the maintainers on 2026-01-04: Broken plugin reference. zed/harbor-fork 1.0.0"
    )
    terms = [c.get("term") for c in fork.findall(f"{atom}category")]
    assert terms == ["flagged", "assistant", "travel"]
    bot = next(e for e in entries if e.findtext(f"{atom}title") == "Harbor Bot 1.1.0")
    assert "flagged" not in [c.get("term") for c in bot.findall(f"{atom}category")]


def test_home_lists_show_dates(built: Built) -> None:
    home = built.page("index.html")
    updated, created = home.split('id="newly-published"')
    assert 'zed/tide-clock · updated <time datetime="2026-01-03">2026-01-03</time>' in updated
    verified = '<span class="pac-verified" title="Verified publisher: the catalog confirmed this '
    verified += "owner's organization or domain\">verified</span>"  # acme is a verified org
    assert f'acme/harbor-bot {verified} · first published <time datetime="2026-01-01">' in created
    assert "· updated" not in built.page("tags/travel/index.html")  # no date: no rewrite


def test_message_examples_name_user_and_agent(built: Built) -> None:
    page = built.page("agents/acme/harbor-bot/index.html")
    assert "{{name1}}" not in page
    assert "<p><strong>User</strong>: When does the ferry leave?</p>" in page
    assert '<p class="pac-turn--agent"><strong>Harbor Bot</strong>: At 9:40' in page


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("{{name1}}", "User"),
        ("{{user1}}", "User"),
        ("{{ user }}", "User"),
        ("{{user2}}", "User 2"),
        ("{{agentName}}", "Eliza"),
        ("Ask {{user2}} about {{agentName}}", "Ask User 2 about Eliza"),
        ("{{x}}", "{{x}}"),
    ],
)
def test_example_placeholders(raw: str, shown: str) -> None:
    from generator.site.render import fill_placeholders, preview

    assert fill_placeholders(raw, "Eliza") == shown
    examples = preview(
        {"name": "Eliza", "messageExamples": [[{"name": raw, "content": {"text": raw}}]]}
    )
    assert examples["examples"] == [[(shown, shown)]]


def test_fork_block_shows_the_short_command_first(built: Built) -> None:
    for rel in ("agents/acme/harbor-bot/index.html",):  # 1.1.0/, the latest, sends readers here
        page = built.page(rel)
        start = page.index('<section class="pac-fork no-copy"')
        block = page[start : page.index("</section>", start)]
        short = re.search(r'<code id="pac-fork-short">(.*?)</code>', block)
        assert (
            short
            and _text(short[1]) == "catalog fork acme/harbor-bot@1.1.0 --as YOUR-LOGIN/harbor-bot"
        )
        assert block.index("pac-fork-short") < block.index("<details")  # the git steps folded
        git = re.search(r'<code id="pac-fork-git">(.*?)</code>', block, re.S)
        assert git is not None
        steps = _text(git[1]).split(" &&\n")
        assert steps[0] == "git init --quiet harbor-bot-1.1.0" and len(steps) == 7
        assert steps[-1] == f"git checkout --quiet {built.commits['day2']}"
        assert "<button" not in block  # lean.js adds the copy buttons (test_site_look.py)
    older = built.page("agents/acme/harbor-bot/1.0.0/index.html")
    assert "<span>catalog fork</span> <span>acme/harbor-bot@1.0.0</span>" in older


def test_a_quoted_fork_command_stays_one_line() -> None:
    from generator.site.render import lines

    assert lines("git init a && cd a") == "git init a &&\ncd a"
    assert lines("git init 'a && b' && cd 'a && b'") == "git init 'a && b' && cd 'a && b'"


def test_version_pages_use_the_site_look(built: Built) -> None:
    older = built.page("agents/acme/harbor-bot/1.0.0/index.html")
    root = "../../../../"
    for asset in (
        "assets/stylesheets/lean.css",
        "assets/javascripts/lean.js",
        "assets/images/favicon.png",
        "search/search.js",
    ):
        assert f'"{root}{asset}"' in older, asset
        assert (built.site / asset).is_file(), asset
    lean = (built.site / "assets/stylesheets/lean.css").read_text("utf-8")
    parts = [*built.site.glob("assets/stylesheets/*.min.css"), built.site / "search/search.css"]
    parts.append(built.site / "assets/stylesheets/catalog.css")
    for part in parts:  # Material's stylesheet and palette, the catalog's and the search's
        text = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", part.read_text("utf-8")).strip()
        assert text in lean, part
    assert 'class="md-header md-header--shadow"' in older and 'md-typeset"' in older
    assert '<div class="admonition warning pac-older" role="note">' in older


def test_pages_preview_when_shared(built: Built) -> None:
    pages = {
        "agents/acme/harbor-bot/index.html": ("Harbor Bot", "agents/acme/harbor-bot/"),
        "agents/acme/harbor-bot/1.0.0/index.html": (
            "Harbor Bot 1.0.0",
            "agents/acme/harbor-bot/1.0.0/",
        ),
        "index.html": ("Public Agents Catalog", ""),
        "owners/acme/index.html": ("acme", "owners/acme/"),
        "browse/index.html": ("Browse agents", "browse/"),
    }
    for rel, (title, path) in pages.items():
        page = built.page(rel)
        assert f'<meta property="og:title" content="{title}">' in page, rel
        assert f'<meta property="og:url" content="{SITE_URL}{path}">' in page, rel
        assert re.search(r'<meta property="og:description" content="[^"]{10,}">', page), rel
        assert '<meta name="twitter:card" content="summary">' in page, rel
    hostile = built.page("agents/mallory/hostile-bot/index.html")
    assert '<meta property="og:title" content="&lt;script&gt;alert(&#34;n&#34;)' in hostile


def test_no_page_asks_github_for_repository_facts(built: Built) -> None:
    for path in built.site.rglob("*.html"):
        assert 'data-md-component="source"' not in path.read_text("utf-8"), path


def test_not_found_page_links_relative_to_a_chosen_base(built: Built) -> None:
    page = built.page("404.html")
    assert page.index('<base href="/public-agents-catalog/">') < page.index("<link")
    links = page.replace('<base href="/public-agents-catalog/">', "")
    assert not re.search(r'(href|src)="/public-agents-catalog/', links)
    assert 'href="assets/stylesheets/catalog.css"' in page and 'src="search/search.js"' in page
    assert "Go to the home page" in page and 'id="pac-missing"' in page


def test_readme_shows_what_make_screenshots_shoots() -> None:
    from tests.screenshots import PHONE, README_SHOTS

    readme = (REPO / "README.md").read_text("utf-8")
    shown = re.findall(r"\]\(catalog/assets/screenshots/([\w-]+)\.png\)", readme)
    assert sorted(shown) == sorted(shot.name for shot in README_SHOTS)
    folder = REPO / "catalog/assets/screenshots"
    assert sorted(p.stem for p in folder.glob("*.png")) == sorted(shown)  # none left behind
    assert {"light", "dark"} == {shot.scheme for shot in README_SHOTS}
    assert any(shot.size == PHONE for shot in README_SHOTS)
