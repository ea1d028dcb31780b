"""The results of 558 `catalog search` queries on a catalog's index, one JSON line each, to compare
two versions of the query code byte for byte (issue 13: a faster query must rank the same).

Words, pairs and triples of words, typos (two letters swapped), prefixes, an empty query, limits
of 1 to 100 and tag, plugin and owner filters, drawn with a fixed seed from the index itself.
Run it with each version on the same index and compare the outputs, e.g.:

    python benchmarks/search_results.py benchmarks/.work/realistic-10000 > after.jsonl
    git stash; python benchmarks/search_results.py benchmarks/.work/realistic-10000 > before.jsonl
    cmp before.jsonl after.jsonl

The index must exist (`catalog search --root ROOT warm` builds it). Not a test: it times nothing
and asserts nothing; `tests/test_search_ranking.py` is the test on a small index.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from generator.search.query import search  # noqa: E402
from generator.search.staleness import CACHE  # noqa: E402


def terms(index: Path, field: str) -> list[str]:
    """The words of one field of the index, sorted."""
    from whoosh import index as whoosh_index

    with whoosh_index.open_dir(str(index)).searcher() as searcher:
        found = searcher.reader().lexicon(field)
        return sorted({t.decode("utf-8") if isinstance(t, bytes) else t for t in found})


def runs(index: Path) -> list[tuple[str, dict[str, str], int]]:
    """(query, filters, limit) for every search to run."""
    rng = random.Random(13)
    words = terms(index, "spell")
    queries = ["", "a", "harbor", "support", "trading alerts", "discord", "lanturn"]
    queries += ["customer-support", *(rng.choice(words) for _ in range(150))]
    queries += [" ".join(rng.sample(words, 2)) for _ in range(60)]
    queries += [" ".join(rng.sample(words, 3)) for _ in range(30)]
    for _ in range(40):
        word = rng.choice([w for w in words if len(w) > 4])
        i = rng.randrange(len(word) - 1)
        queries.append(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    queries += [rng.choice(words)[:3] for _ in range(20)]
    found: list[tuple[str, dict[str, str], int]] = [(q, {}, 10) for q in queries]
    found += [(q, {}, limit) for q in queries[:60] for limit in (1, 3, 100)]
    for key, field in [("tag", "tag"), ("plugin", "plugin"), ("owner", "owner_id")]:
        values = terms(index, field)
        found += [(rng.choice(queries), {key: rng.choice(values)}, 10) for _ in range(20)]
    found += [("", {"tag": tag}, 10) for tag in terms(index, "tag")[:10]]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="the catalog, its index built")
    index = parser.parse_args().root / CACHE
    for query, filters, limit in runs(index):
        result = search(index, query, limit=limit, **filters)  # type: ignore[arg-type]
        hits: list[dict[str, Any]] = [asdict(hit) for hit in result.hits]
        line = [query, filters, limit, result.total, result.did_you_mean, hits]
        print(json.dumps(line, ensure_ascii=False))


if __name__ == "__main__":
    main()
