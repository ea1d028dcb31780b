"""Bytes the browser search downloads per query typed key by key, at 1,000 to 100,000 agents.

The documents are synth.py's agents (names, tags, plugins) with "rich" text drawn from the
character files in tests/data/characters, built straight into `SearchDoc`s: no git, no catalog
model and no site build, so 100,000 agents take about a minute. For each query of a fixed mix,
every prefix the visitor types (`m`, `ma`, `mar`, ...) is run through the Python port of
search.js (generator/search/browser_query.py, which fetches exactly what the page fetches) and
the gzip sizes of the files it fetched for the first time are summed: a slow typist's worst
case, since search.js waits for a pause before fetching; the `paused_` figures (issue 13's row)
query only where a word ends, as a typist who pauses between words. `index.json` is fetched
once per visit and reported apart.

    python benchmarks/bench_browser_search.py [--sizes N ...] [--budget BYTES] [--chunk N]

`measure(docs, queries)` returns the figures as a dict, for `make bench` to print as a row.
"""

from __future__ import annotations

import argparse
import gzip
import inspect
import json
import random
import statistics
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
from bench_search import corpus_text  # noqa: E402
from synth import WORDS, agent_files  # noqa: E402

from generator.checks.vocabulary import VOCABULARY  # noqa: E402
from generator.search import browser_index  # noqa: E402
from generator.search.browser_query import BrowserIndex  # noqa: E402
from generator.search.documents import SearchDoc  # noqa: E402

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def synthetic_docs(size: int, seed: int = 7, text_seed: int = 5) -> list[SearchDoc]:
    """`size` search documents of synth.py's agents with corpus text, sorted by ref."""
    sentences, topics = corpus_text()
    rng = random.Random(text_seed)
    docs = []
    for i in range(size):
        files = agent_files(i, "1.0.0", random.Random(seed * 1_000_003 + i))
        path = next(p for p in files if p.endswith("agent.yaml"))
        _, owner, slug, _ = path.split("/")
        manifest = yaml.load(files[path], Loader=_LOADER)
        character = json.loads(files[path.replace("agent.yaml", "character.json")])
        summary = " ".join(rng.choice(sentences).split())[:150].rstrip() + "."
        docs.append(
            SearchDoc(
                ref=f"{owner}/{slug}",
                owner=owner,
                slug=slug,
                name=manifest["name"],
                summary=summary,
                version="1.0.0",
                url=f"https://example.org/catalog/agents/{owner}/{slug}/",
                tags=tuple(manifest["tags"]),
                plugins=tuple(character["plugins"]),
                topics=tuple(rng.sample(topics, 5)),
                bio=" ".join(rng.sample(sentences, 4)),
                text=" ".join(rng.sample(sentences, 12))[:2000],
            )
        )
    return sorted(docs, key=lambda d: d.ref)


def queries(docs: list[SearchDoc], count: int = 60, seed: int = 11) -> list[str]:
    """What visitors type: names, words, typos, tags, plugins, words of the text, sentences."""
    rng = random.Random(seed)
    text_words = sorted({w for d in docs[:200] for w in d.bio.lower().split() if w.isalpha()})
    long_words = [w for w in text_words if len(w) >= 6]
    makers = [
        lambda: rng.choice(docs).name,
        lambda: rng.choice(WORDS),
        lambda: _typo(rng.choice(long_words), rng),
        lambda: rng.choice(sorted(VOCABULARY)).replace("-", " "),
        lambda: rng.choice(["solana", "discord", "telegram", "plugin-evm"]),
        lambda: rng.choice(long_words),
        lambda: f"{rng.choice(long_words)} {rng.choice(sorted(VOCABULARY))} agent",
    ]
    return [makers[i % len(makers)]() for i in range(count)]


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(2, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def typed_bytes(
    files: dict[str, bytes],
    packed: dict[str, int],
    query: str,
    paused: bool = False,
    kind: str = "",
) -> int:
    """Gzip bytes of every file fetched while `query` is typed one key at a time (no index.json):
    a query per key, or with `paused` only where a word ends (search.js waits for a pause);
    with `kind` ("t/" shards, "d/" result rows) only the files of that kind."""
    index = BrowserIndex(files)
    seen: set[str] = set()
    for end in range(1, len(query) + 1):
        if not paused or end == len(query) or query[end] == " ":
            seen.update(index.query(query[:end]).fetched)
    return sum(packed[f] for f in seen if f != "index.json" and f.startswith(kind))


def measure(docs: list[SearchDoc], mix: list[str], **options: int) -> dict[str, float]:
    """Index size (bytes, and disk in 4 KB blocks as the site row counts it), manifest size and
    bytes per query typed key by key (median, p90, max): all files, the term shards alone, and
    with the typist pausing only between words (all files, then the shards and the result rows
    apart)."""
    started = time.process_time()
    files = browser_index.index_files(docs, **options)  # type: ignore[arg-type]
    cpu = time.process_time() - started
    packed = {k: len(gzip.compress(v, 6, mtime=0)) for k, v in files.items()}
    typed = sorted(typed_bytes(files, packed, q) for q in mix)
    paused = sorted(typed_bytes(files, packed, q, paused=True) for q in mix)
    shards = sorted(typed_bytes(files, packed, q, kind="t/") for q in mix)
    paused_shards = sorted(typed_bytes(files, packed, q, paused=True, kind="t/") for q in mix)
    paused_rows = sorted(typed_bytes(files, packed, q, paused=True, kind="d/") for q in mix)
    return {
        "index_cpu_s": cpu,
        "files": len(files),
        "index_kb": sum(len(v) for v in files.values()) / 1024,
        "index_gzip_kb": sum(packed.values()) / 1024,
        "index_disk_mb": sum(-(-len(v) // 4096) * 4096 for v in files.values()) / 1e6,
        "row_files": sum(1 for k in files if k.startswith("d/")),
        "manifest_gzip_kb": packed["index.json"] / 1024,
        "largest_shard_gzip_kb": max(v for k, v in packed.items() if k.startswith("t/")) / 1024,
        "typed_p50_gzip_kb": statistics.median(typed) / 1024,
        "typed_p90_gzip_kb": typed[int(len(typed) * 0.9)] / 1024,
        "typed_max_gzip_kb": typed[-1] / 1024,
        "typed_shards_p50_gzip_kb": statistics.median(shards) / 1024,
        "typed_shards_max_gzip_kb": shards[-1] / 1024,
        "paused_p50_gzip_kb": statistics.median(paused) / 1024,
        "paused_p90_gzip_kb": paused[int(len(paused) * 0.9)] / 1024,
        "paused_max_gzip_kb": paused[-1] / 1024,
        "paused_shards_p90_gzip_kb": paused_shards[int(len(mix) * 0.9)] / 1024,
        "paused_rows_p90_gzip_kb": paused_rows[int(len(mix) * 0.9)] / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    for option in ("budget", "top", "chunk"):
        parser.add_argument(f"--{option}", type=int, help=f"index_files' {option} (default: its)")
    args = parser.parse_args()
    accepted = inspect.signature(browser_index.index_files).parameters
    options = {k: getattr(args, k) for k in ("budget", "top", "chunk") if getattr(args, k)}
    options = {k: v for k, v in options.items() if k in accepted}
    for size in args.sizes:
        started = time.perf_counter()
        docs = synthetic_docs(size)
        mix = queries(docs)
        made = time.perf_counter() - started
        figures = measure(docs, mix, **options)
        print(f"== {size} agents ({made:.0f} s to make the documents), {len(mix)} queries")
        for key, value in figures.items():
            print(f"  {key:<26} {value:10.1f}")


if __name__ == "__main__":
    main()
