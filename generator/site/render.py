"""Catalog -> the pages of one agent: canonical page, version pages, tombstones, redirects.

Pages are returned as `{path under the docs folder: text}`; nothing here writes. Every page of an
agent (canonical page, version pages, tombstones, redirects) is a lean standalone HTML file
rendered by our jinja2 templates (autoescaped, the README sanitized) that mkdocs only copies:
the site's look comes from one shared stylesheet and script (`_lean.html`), not from the theme's
chrome repeated in each page (~25 KB of a themed agent page), and 50,000 pages at 10,000 agents
would otherwise double the mkdocs build (catalog/performance.md).

Two stages fill slots on agent pages: `flows.fork.fork_command(site, agent, version)` and
`flows.report.report_url(site, agent, version)`; the related agents (ref -> refs, from
`search.related.related_agents`) are passed in by the build.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2

from generator.catalog.changes import upstream, version_changes
from generator.catalog.model import Agent, Catalog, Gone, PublishedVersion, Site
from generator.checks.money import read_only_claim
from generator.checks.persona import page_notes
from generator.checks.plugins import lookup as plugin_lookup
from generator.flows.fork import fork_command
from generator.flows.report import report_url
from generator.site.sanitize import markdown_html, plain, texts

TEMPLATES = "site-config/pages"
VersionHook = Callable[[Site, Agent, PublishedVersion], str]


@dataclass(frozen=True)
class Slots:
    """What other stages contribute to agent pages: the fork command and the report link."""

    fork: VersionHook | None = None
    report: VersionHook | None = None

    @classmethod
    def load(cls) -> Slots:
        """The catalog's fork command and report link (a test renders pages without them)."""
        return cls(fork=fork_command, report=report_url)


def environment(root: Path) -> jinja2.Environment:
    """The page templates of `site-config/pages`, autoescaped, failing on undefined names."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / TEMPLATES),
        auto_reload=False,  # one environment per build: no stat of the template per page
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        day=day, short=lambda sha: sha[:10], texts=texts, plain=plain, state=state, lines=lines
    )
    return env


def state(agent: Agent) -> str:
    """The marker lists show next to an agent: its moderation state, else "deprecated", else ""."""
    if agent.moderation is not None:
        return agent.moderation.state
    return "deprecated" if agent.manifest.deprecated else ""


def lines(command: str) -> str:
    """A fork command one step per line (`&&` at a line's end continues it in any shell),
    unless a quoted word could hold the separator: then it stays one line."""
    return command if "'" in command else command.replace(" && ", " &&\n")


def day(value: datetime | None) -> str:
    """YYYY-MM-DD in UTC."""
    return value.astimezone(UTC).strftime("%Y-%m-%d") if value else ""


def front_matter(meta: Mapping[str, object], body: str) -> str:
    """A Markdown page: YAML front matter and the body.

    Each value is written as a JSON string or list, which YAML reads as a double-quoted scalar
    (`plain` has removed the characters YAML refuses); 15x faster than yaml.dump.
    """
    head = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in sorted(meta.items()))
    return f"---\n{head}---\n\n{body}"


def page_meta(title: str, description: str, *, robots: bool = True) -> dict[str, object]:
    """Front matter for untrusted title/summary: material prints both unescaped, so we escape."""
    meta: dict[str, object] = {
        "title": html.escape(plain(title)),
        "description": html.escape(plain(description)),
        "hide": ["toc"],
        "prerendered": True,  # site-config/hooks/prerendered.py: no Markdown pass needed
    }
    if not robots:
        meta["robots"] = "noindex"
    return meta


REMEMBERED = ("abilities", "mark", "marker", "persona", "person", "plugin_links", "tags")
"""Macros of `_macros.html` whose HTML follows from their arguments and the catalog's constants
(the plugin registry, verified owners) alone; most agents share their plugins, tags and owner
with others, so each distinct call is rendered once per build (catalog/performance.md)."""


def remember_macros(env: jinja2.Environment) -> None:
    """Put `REMEMBERED` calls in front of the macros module every page template imports (the
    environment's one instance, as no page passes globals of its own)."""
    module = env.get_template("_macros.html").module
    for name in REMEMBERED:
        setattr(module, name, _remembered(getattr(module, name)))


def _remembered(macro: Callable[..., str]) -> Callable[..., str]:
    """`macro`, its result kept per arguments (a list counts as the tuple of its items); called
    as it is when an argument cannot be a key."""
    memo: dict[tuple[object, ...], str] = {}

    def call(*args: object, **kwargs: object) -> str:
        if kwargs or any(isinstance(a, jinja2.Undefined) for a in args):
            return macro(*args, **kwargs)
        key = tuple(tuple(a) if isinstance(a, list) else a for a in args)
        try:
            found = memo.get(key)
        except TypeError:  # unhashable
            return macro(*args)
        if found is None:
            if len(memo) >= 4096:
                memo.clear()
            found = memo[key] = macro(*args)
        return found

    return call


class Renderer:
    """Renders one agent's pages (or a departed agent's) against the whole catalog."""

    def __init__(
        self, root: Path, catalog: Catalog, slots: Slots | None = None, code: str = ""
    ) -> None:
        self.catalog = catalog
        self.site = catalog.site
        self.slots = slots or Slots()
        self.env = environment(root)
        self.env.globals["verified"] = catalog.verified  # the verified mark (issue 15)
        self.env.globals["plugin"] = plugin_lookup  # registry entry and npm package per plugin
        self.env.globals["read_only_claim"] = read_only_claim  # the money notice (issue 14)
        self.env.globals["changes"] = version_changes  # what a version changed (issue 14)
        self.env.globals["persona_notes"] = page_notes  # the persona lint's warning (issue 14)
        self._remembering = False  # at the first page: the gate sets a bytecode cache first
        self.code = code
        """Digest of the templates and rendering code (`incremental.code_hash`), for memos."""

    def version_pages(self, agent: Agent) -> dict[str, str]:
        """One page per published version; tombstones (canonical one too) when removed."""
        if agent.moderation and agent.moderation.state == "removed":
            m = agent.moderation
            return self._tombstones(
                agent.owner,
                agent.slug,
                m.date,
                m.reason,
                m.issue,
                [v.version for v in agent.versions],
                agent.manifest.name,
            )
        pages = {}
        latest = agent.versions[-1].version if agent.versions else None
        for version in agent.versions:
            if version.commit:
                pages[f"{agent.path}{version.version}/index.html"] = self.version_page(
                    agent, version, version.version == latest
                )
        return pages

    def canonical(self, agent: Agent, related: Sequence[str] = ()) -> str:
        """The canonical page of the latest version: lean standalone HTML, as version pages."""
        self._remember()
        current = agent.versions[-1] if agent.versions else None
        return self.env.get_template("agent.html").render(
            a=agent,
            m=agent.manifest,
            site=self.site,
            root="../../../",
            readme=self._readme(agent, current.commit if current else agent.updated_commit),
            preview=preview(agent.character),
            speaker=speaker_name(agent.character),
            fork=self._hook(self.slots.fork, agent, current),
            report=self._hook(self.slots.report, agent, current),
            related=[self._card(r) for r in related],
            forks=[self._card(r) for r in agent.forks],
            upstream=upstream(agent, self.catalog),
            replacement=self._card(agent.manifest.deprecated.replacement)
            if agent.manifest.deprecated and agent.manifest.deprecated.replacement
            else None,
            versions=list(reversed(agent.versions)),
        )

    def version_page(self, agent: Agent, version: PublishedVersion, latest: bool) -> str:
        """A lean standalone page for one published version, pinned to its commit; the latest
        version's is a redirect to the agent's page, which shows that version (`latest.html`)."""
        name = "latest.html" if latest else "version.html"
        self._remember()
        return self.env.get_template(name).render(
            a=agent,
            v=version,
            m=version.manifest,
            site=self.site,
            root="../../../../",
            latest=latest,
            fork=self._hook(self.slots.fork, agent, version),
            report=self._hook(self.slots.report, agent, version),
        )

    def gone_pages(self, gone: Gone) -> dict[str, str]:
        """A tombstone for a removed agent, redirects for a moved one (and their versions)."""
        if gone.moved_to is None:
            return self._tombstones(
                gone.owner,
                gone.slug,
                day(gone.date),
                gone.reason,
                "",
                list(gone.versions),
                gone.ref,
            )
        target = self.catalog.by_ref.get(gone.moved_to)
        known = {v.version for v in target.versions} if target else set()
        base = f"agents/{gone.ref}/"
        new = f"agents/{gone.moved_to}/"
        pages = {f"{base}index.html": self._redirect(new, "../../../", gone)}
        for version in gone.versions:
            to = f"{new}{version}/" if version in known else new
            pages[f"{base}{version}/index.html"] = self._redirect(to, "../../../../", gone)
        return pages

    def _tombstones(
        self,
        owner: str,
        slug: str,
        when: str,
        reason: str,
        issue: str,
        versions: list[str],
        name: str,
    ) -> dict[str, str]:
        args = dict(
            owner=owner, slug=slug, when=when, reason=reason, issue=issue, name=name, site=self.site
        )
        body = self.env.get_template("tombstone.html").render(root="../../../", **args)
        pages = {f"agents/{owner}/{slug}/index.html": body}
        lean = self.env.get_template("tombstone-version.html")
        for version in versions:
            pages[f"agents/{owner}/{slug}/{version}/index.html"] = lean.render(
                root="../../../../", version=version, **args
            )
        return pages

    def _redirect(self, to: str, root: str, gone: Gone) -> str:
        return self.env.get_template("redirect.html").render(
            target=root + to, canonical=self.site.site_url + to, gone=gone
        )

    def _remember(self) -> None:
        """`remember_macros`, once, before the first agent page."""
        if not self._remembering:
            remember_macros(self.env)
            self._remembering = True

    def _readme(self, agent: Agent, commit: str) -> str:
        text = agent.readme if agent.readme is not None else agent.manifest.description or ""
        base = f"{self.site.repo_url}/blob/{commit}/{agent.path}" if commit else ""
        return markdown_html(text, base)

    def _hook(self, hook: VersionHook | None, agent: Agent, v: PublishedVersion | None) -> str:
        if hook is None or v is None or not v.commit:
            return ""
        return hook(self.site, agent, v)

    def _card(self, ref: str) -> dict[str, str]:
        """Name, link and marker of another agent; its ref alone when not in the catalog."""
        other = self.catalog.by_ref.get(ref)
        name = other.manifest.name if other else ref
        return {
            "ref": ref,
            "name": name,
            "href": f"agents/{ref}/",
            "state": state(other) if other else "",
        }


def preview(character: Mapping[str, object]) -> dict[str, Any]:
    """The parts of an untrusted character worth a look: bio, topics, style, a few examples."""
    style = character.get("style")
    style = style if isinstance(style, dict) else {}
    system = character.get("system")
    return {
        "bio": texts(character.get("bio"), 12),
        "topics": texts(character.get("topics"), 30),
        "adjectives": texts(character.get("adjectives"), 20),
        "style": {
            k: texts(style.get(k), 10) for k in ("all", "chat", "post") if texts(style.get(k))
        },
        "examples": _examples(character.get("messageExamples"), speaker_name(character)),
        "system": plain(system)[:4000] if isinstance(system, str) else "",
    }


def speaker_name(character: Mapping[str, object]) -> str:
    """The agent's name as its message examples show it."""
    name = character.get("name")
    return plain(name)[:60] if isinstance(name, str) and name.strip() else "Agent"


_USER = re.compile(r"\{\{\s*(?:user|name)(\d*)\s*\}\}", re.IGNORECASE)
_AGENT = re.compile(r"\{\{\s*(?:agent_?name|char(?:acter)?(?:_?name)?)\s*\}\}", re.IGNORECASE)


def fill_placeholders(text: str, agent: str) -> str:
    """elizaOS example placeholders as readers know them: {{name1}}/{{user1}} is "User",
    {{user2}} "User 2", {{agentName}} the agent (issue 12: pages showed "{{name1}}")."""
    text = _AGENT.sub(agent, text)
    return _USER.sub(lambda m: "User" if m.group(1) in ("", "1") else f"User {m.group(1)}", text)


def _examples(
    raw: object, agent: str = "Agent", conversations: int = 3, messages: int = 6
) -> list[list[tuple[str, str]]]:
    found: list[list[tuple[str, str]]] = []
    for conversation in raw if isinstance(raw, list) else []:
        turns = []
        for message in conversation if isinstance(conversation, list) else []:
            content = message.get("content") if isinstance(message, dict) else None
            text = content.get("text") if isinstance(content, dict) else None
            name = message.get("name", message.get("user")) if isinstance(message, dict) else None
            if isinstance(text, str) and text.strip():
                speaker = fill_placeholders(plain(str(name or "?")), agent)[:60]
                turns.append((speaker, fill_placeholders(plain(text), agent)[:1000]))
        if turns:
            found.append(turns[:messages])
        if len(found) == conversations:
            break
    return found
