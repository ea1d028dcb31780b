"""Benchmark search at 1,000 and 10,000 synthetic agents (benchmarks/synth.py's agents, built
into Catalog objects in memory: no git, so only search is timed), with synth.py's plain text
and with "rich" text: bios, topics, summaries and READMEs drawn from the real character files
in tests/data/characters, whose vocabulary makes posting lists realistically uneven.

Prints, per size:
- whoosh index: full build, and an incremental build after one agent changed;
- `catalog search` in-process (`generator.search.index.search` on the built index): p50/p95 over a
  mix of name, word, typo, tag, plugin and multi-word queries (target p50 <= 50 ms at 10,000);
- browser search: time to write the static index, its total size, and the gzip bytes a query
  downloads before its first results show (index.json + one shard per word + result chunks;
  target <= 300 KB at 10,000), median and worst over the same queries;
- search.js in Chromium: per query, cold (fetching its files from a local server) and once its
  files are loaded (target: results within 100 ms of typing);
- related agents for the whole catalog (target <= 5 s at 10,000), and again with the cache
  `catalog serve` keeps after one agent's bio words changed (median of 3 edits).
Not a test: nothing asserts on time.

    python benchmarks/bench_search.py [--sizes 1000 10000] [--no-chromium]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
from synth import WORDS, agent_files  # noqa: E402

from generator.catalog.model import Agent, Catalog, PublishedVersion, Site, build_catalog  # noqa: E402
from generator.checks.manifest import Manifest  # noqa: E402
from generator.checks.vocabulary import VOCABULARY  # noqa: E402
from generator.search.browser_index import browser_assets  # noqa: E402
from generator.search.browser_query import BrowserIndex  # noqa: E402
from generator.search.index import build_index, search  # noqa: E402
from generator.search.related import RelatedCache, related_agents  # noqa: E402

SITE = Site("https://example.org/catalog/", "https://github.com/example/catalog")
QUERIES = 200


def synthetic_catalog(size: int, seed: int = 7) -> Catalog:
    """`size` agents exactly as synth.py's minimal mode writes them (version 1.0.0), as a
    Catalog; `rich` gives them real-world text."""
    agents = []
    for i in range(size):
        files = agent_files(i, "1.0.0", random.Random(seed * 1_000_003 + i), "minimal")
        agents.append(_agent(files))
    return build_catalog(SITE, agents, [], "0" * 40)


def _agent(files: dict[str, str]) -> Agent:
    path = next(p for p in files if p.endswith("agent.yaml"))
    _, owner, slug, _ = path.split("/")
    manifest = Manifest.model_validate(yaml.safe_load(files[path]))
    character = json.loads(files[path.replace("agent.yaml", "character.json")])
    readme = files[path.replace("agent.yaml", "README.md")]
    date = SITE.build_date or __import__("datetime").datetime(2026, 1, 1)
    version = PublishedVersion(manifest.version, "0" * 40, date, manifest, character, readme)
    return Agent(owner, slug, manifest, character, readme, date, date, "0" * 40, (version,))


CORPUS = HERE.parent / "tests" / "data" / "characters"


def corpus_text() -> tuple[list[str], list[str]]:
    """Sentences and topics of the test character files in tests/data/characters (text only)."""
    sentences: set[str] = set()
    topics: set[str] = set()
    for path in sorted(CORPUS.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        for char in data if isinstance(data, list) else [data]:
            for key in ("bio", "lore", "knowledge", "postExamples"):
                value = char.get(key, [])
                sentences.update(
                    v.strip()
                    for v in ([value] if isinstance(value, str) else value)
                    if isinstance(v, str) and 20 <= len(v.strip()) <= 400
                )
            topics.update(t for t in char.get("topics", []) if isinstance(t, str))
    return sorted(sentences), sorted(topics)


def rich(catalog: Catalog, seed: int = 5) -> Catalog:
    """The same agents with real-world text: bio, topics, summary and README drawn from the
    corpus, so the vocabulary and posting lists have a realistic (Zipf) shape."""
    sentences, topics = corpus_text()
    rng = random.Random(seed)
    agents = []
    for a in catalog.agents:
        readme = " ".join(rng.sample(sentences, 12))[:2000]
        summary = " ".join(rng.choice(sentences).split())[:150].rstrip() + "."
        manifest = a.manifest.model_copy(update={"summary": summary})
        character = {
            **a.character,
            "bio": rng.sample(sentences, 4),
            "topics": rng.sample(topics, 5),
        }
        agents.append(replace(a, manifest=manifest, character=character, readme=readme))
    return build_catalog(SITE, agents, [], "0" * 40)


def queries(catalog: Catalog, count: int = QUERIES, seed: int = 11) -> list[str]:
    """A fixed mix of what visitors type: names, words, typos, tags, plugins, sentences."""
    rng = random.Random(seed)
    names = [a.manifest.name for a in catalog.agents]
    makers: list[Callable[[], str]] = [
        lambda: rng.choice(names),
        lambda: rng.choice(WORDS),
        lambda: _typo(rng.choice([w for w in WORDS if len(w) >= 5]), rng),
        lambda: rng.choice(sorted(VOCABULARY)),
        lambda: rng.choice(["plugin-solana", "discord", "@elizaos/plugin-evm", "telegram"]),
        lambda: f"{rng.choice(WORDS)} {rng.choice(sorted(VOCABULARY))} questions",
    ]
    return [makers[i % len(makers)]() for i in range(count)]


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(2, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def bench_index(catalog: Catalog, index_dir: Path) -> dict[str, float]:
    full, _ = timed(lambda: build_index(catalog, index_dir))
    first = catalog.agents[0]
    changed = replace(first, manifest=first.manifest.model_copy(update={"summary": "Changed."}))
    one = build_catalog(SITE, [changed, *catalog.agents[1:]], [], "0" * 40)
    update, stats = timed(lambda: build_index(one, index_dir))
    assert stats.updated == 1, stats
    return {"index_full_s": full, "index_one_update_s": update}


def bench_search(index_dir: Path, mix: list[str]) -> dict[str, float]:
    search(index_dir, "warm up")
    times = [timed(lambda q=q: search(index_dir, q, limit=10))[0] * 1000 for q in mix]
    cuts = statistics.quantiles(times, n=20)
    return {"search_p50_ms": statistics.median(times), "search_p95_ms": cuts[18]}


def bench_browser(catalog: Catalog, mix: list[str]) -> dict[str, float]:
    elapsed, assets = timed(lambda: browser_assets(catalog))
    data = {k.removeprefix("search/"): v for k, v in assets.items()}
    packed = {k: len(gzip.compress(v, 6, mtime=0)) for k, v in data.items()}
    index = BrowserIndex(data)
    payload, latency = [], []
    for q in mix:
        took, result = timed(lambda q=q: index.query(q))
        latency.append(took * 1000)
        page = packed["search.js"] + packed["search.css"]
        payload.append(sum(packed[f] for f in result.fetched) + page)
    return {
        "browser_write_s": elapsed,
        "browser_files": len(data),
        "browser_total_kb": sum(len(v) for v in data.values()) / 1024,
        "browser_total_gzip_kb": sum(packed.values()) / 1024,
        "browser_payload_p50_kb": statistics.median(payload) / 1024,
        "browser_payload_max_kb": max(payload) / 1024,
        "browser_port_query_p50_ms": statistics.median(latency),
    }


def bench_chromium(catalog: Catalog, mix: list[str]) -> dict[str, float]:
    """search.js itself in Debian's Chromium: each query once to fetch its files, then timed
    again (what a visitor waits for once the shards are loaded) and timed cold."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, blob in browser_assets(catalog).items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(blob)
        (root / "index.html").write_text('<script src="search/search.js"></script>', "utf-8")
        base, server = serve(root, "catalog")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(base)
            timing = page.evaluate(_TIME_QUERIES, mix)
            browser.close()
        server.shutdown()
    return {
        "js_cold_p50_ms": statistics.median(timing["cold"]),
        "js_loaded_p50_ms": statistics.median(timing["warm"]),
        "js_loaded_max_ms": max(timing["warm"]),
    }


_TIME_QUERIES = """async (mix) => {
  const cold = [], warm = [];
  const timed = async (q) => {
    const t = performance.now();
    await window.catalogSearch.query(q, 10);
    return performance.now() - t;
  };
  for (const q of mix) {
    cold.push(await timed(q));
    warm.push(await timed(q));
  }
  return {cold, warm};
}"""


def bench_related(catalog: Catalog) -> dict[str, float]:
    elapsed, _ = timed(lambda: related_agents(catalog))
    cache = RelatedCache()
    related_agents(catalog, cache=cache)
    edits = []
    for k in (1, 2, 3):  # agent k * n / 4 takes the bio of the agent after it
        agents = list(catalog.agents)
        i = k * len(agents) // 4
        character = {**agents[i].character, "bio": agents[i + 1].character.get("bio", [])}
        agents[i] = replace(agents[i], character=character)
        catalog = build_catalog(SITE, agents, [], "0" * 40)
        edits.append(timed(lambda c=catalog: related_agents(c, cache=cache))[0])
    return {"related_s": elapsed, "related_one_edit_s": statistics.median(edits)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--text",
        nargs="+",
        choices=["plain", "rich"],
        default=["plain", "rich"],
        help="plain: synth.py's text; rich: text from shared/corpus characters",
    )
    parser.add_argument(
        "--no-chromium",
        dest="chromium",
        action="store_false",
        help="skip timing search.js in Chromium",
    )
    args = parser.parse_args()
    for size, text in [(n, t) for n in args.sizes for t in args.text]:
        catalog = synthetic_catalog(size)
        catalog = rich(catalog) if text == "rich" else catalog
        mix = queries(catalog)
        figures: dict[str, float] = {}
        with tempfile.TemporaryDirectory() as tmp:
            figures |= bench_index(catalog, Path(tmp) / "ix")
            figures |= bench_search(Path(tmp) / "ix", mix)
        figures |= bench_browser(catalog, mix)
        if args.chromium:
            figures |= bench_chromium(catalog, mix)
        figures |= bench_related(catalog)
        print(f"== {size} agents, {text} text")
        for key, value in figures.items():
            print(
                f"  {key:<28} {value:10.3f}"
                if isinstance(value, float)
                else f"  {key:<28} {value:10d}"
            )


if __name__ == "__main__":
    main()
