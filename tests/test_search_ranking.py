"""`catalog search`'s quick query (issue 13) ranks exactly as whoosh's plain search sorted in full:
the segment streamed from its memory map (`query._View`) instead of whoosh's copy, the refs of
only the best-scoring matches read, as bytes; on an index of many ties, built in an order that is
not the refs' and then updated (two segments and deleted documents), for every word, pairs,
typos, prefixes, filters and limits. And the modules `deferred` stands in for are imported when
used, not before."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh.filedb import compound, structfile

from generator.search import query
from generator.search.index import build_index
from tests.search_catalog import agent, catalog

WORDS = ["harbor", "tide", "lantern", "support", "trading", "alerts", "discord", "ferry", "moon"]
TAGS = ["assistant", "finance", "discord", "support"]


def agents(seed: int, count: int, version: str = "1.0.0") -> list:  # type: ignore[type-arg]
    """Agents with few distinct texts (many equal scores), refs in a shuffled order."""
    rng = random.Random(seed)
    made = []
    for i in rng.sample(range(count), count):
        words = rng.sample(WORDS, 2)
        made.append(
            agent(
                f"owner-{i % 7}/{words[0]}-{i}",
                " ".join(w.title() for w in words),
                summary=f"Helps with {' and '.join(rng.sample(WORDS, 2))}.",
                tags=tuple(sorted(set(rng.sample(TAGS, 2)))),
                topics=tuple(rng.sample(WORDS, rng.randrange(3))),
                bio=(f"A {rng.choice(WORDS)} agent.",),
                version=version,
            )
        )
    return made


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ix = tmp_path_factory.mktemp("ranking") / "ix"
    first = agents(1, 160)
    build_index(catalog(*first), ix)
    changed = agents(2, 40, version="1.1.0")  # same refs as 40 of the first: updated
    kept = {a.ref for a in changed}
    build_index(catalog(*[a for a in first if a.ref not in kept][20:], *changed), ix)
    return ix


def reference(
    ix: Path, text: str, limit: int, monkeypatch: pytest.MonkeyPatch, **filters: str
) -> tuple[list[tuple[str, float]], int, str | None]:
    """What the search gave before: whoosh's own segment files, every match sorted."""
    with monkeypatch.context() as patched:
        patched.setattr(compound, "BufferFile", structfile.BufferFile)
        with query._searcher(ix) as searcher:
            words = [t.text for t in query.StandardAnalyzer(minsize=1)(text)]
            parts, fixed = query._word_queries(searcher, words)
            main = query.Or(parts) if parts else query.Every() if not words else query.NullQuery
            found = searcher.search(
                main,
                limit=None,
                filter=query._filters(
                    filters.get("tag"), filters.get("plugin"), filters.get("owner")
                ),
            )
            refs = searcher.reader().column_reader("ref")
            top = sorted(found.top_n, key=lambda sd: (-round(sd[0], 6), refs[sd[1]]))[:limit]
            hits = [(refs[docnum], round(score, 4)) for score, docnum in top]
            return hits, len(found.top_n), " ".join(fixed) if fixed != words else None


def queries() -> list[str]:
    rng = random.Random(13)
    typos = [w[:2] + w[3] + w[2] + w[4:] for w in WORDS]
    pairs = [" ".join(rng.sample(WORDS, 2)) for _ in range(12)]
    return ["", "a", "owner", *WORDS, *typos, *pairs, *(w[:3] for w in WORDS), "xylophone"]


def test_the_index_has_two_segments_and_deletions(index: Path) -> None:
    with query._searcher(index) as searcher:
        reader = searcher.reader()
        assert len(list(reader.leaf_readers())) == 2
        assert reader.doc_count_all() > reader.doc_count()


@pytest.mark.parametrize("limit", [1, 3, 10, 100])
def test_results_equal_a_full_sort(
    index: Path, limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    ties = 0
    for text in queries():
        found = query.search(index, text, limit=limit)
        hits = [(hit.ref, hit.score) for hit in found.hits]
        assert (hits, found.total, found.did_you_mean) == reference(index, text, limit, monkeypatch)
        ties += len({score for _, score in hits}) < len(hits)
    assert ties > 5 or limit == 1  # equal scores, ordered by ref, are what is compared


@pytest.mark.parametrize("field", ["tag", "owner"])
def test_filtered_results_equal_a_full_sort(
    index: Path, field: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = TAGS if field == "tag" else [f"owner-{i}" for i in range(7)]
    for value in values:
        for text in ["", "harbor", "tide moon", "suport"]:
            found = query.search(index, text, limit=5, **{field: value})
            hits = [(hit.ref, hit.score) for hit in found.hits]
            expected = reference(index, text, 5, monkeypatch, **{field: value})
            assert (hits, found.total, found.did_you_mean) == expected


def test_deferred_modules_load_when_used() -> None:
    probe = (
        "import sys; import generator.search.query; "
        "names = ('asyncio', 'calendar', 'html', 'whoosh.lang.morph_en'); "
        "print(sorted(n for n in names if n in sys.modules)); "
        "from whoosh.query.terms import variations; print(sorted(variations('runs'))[:3]); "
        "from whoosh.util.times import adatetime; print(adatetime(2028, 2).ceil().day); "
        "from whoosh.highlight.formatters import htmlescape; print(htmlescape('<b>')); "
        "import asyncio; print(asyncio.iscoroutinefunction(asyncio.sleep)); "
        "import calendar; print(calendar.isleap(2028))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "[]",
        "['ran', 'run', 'runner']",
        "29",
        "&lt;b&gt;",
        "True",
        "True",
    ]


def binary_unions(q: query.Query) -> query.Query:
    """`q` with every Or matched by whoosh's tree of unions, as at more than 5,000 documents
    (below that, whoosh adds up an Or of more than two words in one array)."""
    if isinstance(q, query.Or):
        q = query.Or([binary_unions(sub) for sub in q.subqueries], boost=q.boost)
        q.matcher_type = query.Or.DEFAULT_MATCHER
    return q


def test_scores_of_unions_equal_whoosh(index: Path) -> None:
    """`_matches` merges unions itself: the same documents and the same float scores."""
    merged = 0
    with query._searcher(index) as searcher:
        for text in queries():
            words = [t.text for t in query.StandardAnalyzer(minsize=1)(text)]
            parts, _ = query._word_queries(searcher, words)
            if not parts:
                continue
            main = binary_unions(query.Or(parts))
            for only in [None, query.Term("tag", "finance")]:
                expected = searcher.search(main, limit=None, filter=only).top_n
                assert sorted(query._matches(searcher, main, only)) == sorted(expected)
            merged += type(main.matcher(searcher.leaf_searchers()[0][0])).__name__ == "UnionMatcher"
    assert merged > 20
