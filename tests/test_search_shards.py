"""Split term shards of the browser index (issue 13): a shard past its byte budget is split by a
longer prefix, and a query answers exactly as it does with one shard per two-character prefix,
for the judged queries and for random catalogs and queries (hypothesis)."""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Mapping

from hypothesis import given
from hypothesis import strategies as st

from generator.search.browser_index import index_files, prefix_key, weights
from generator.search.browser_query import BrowserIndex
from generator.search.documents import SearchDoc, search_docs
from tests.conftest import REPO
from tests.test_fuzz import budget
from tests.test_search_quality import JUDGED, sample

sys.path.insert(0, str(REPO / "benchmarks"))
from bench_browser_search import queries, synthetic_docs, typed_bytes

WHOLE = {"budget": 1 << 40, "top": 1 << 40}
"""One shard per two-character prefix and whole posting lists: the index before splitting."""


def doc(i: int, words: list[str]) -> SearchDoc:
    return SearchDoc(
        ref=f"o{i % 3}/a{i:03d}",
        owner=f"o{i % 3}",
        slug=f"a{i:03d}",
        name=" ".join(words[:2]),
        summary=" ".join(words[2:5]),
        version="1.0.0",
        url=f"https://example.org/agents/o{i % 3}/a{i:03d}/",
        tags=(),
        plugins=(),
        topics=tuple(words[5:7]),
        bio=" ".join(words[7:]),
        text="",
    )


def answers(files: Mapping[str, bytes], queries: list[str]) -> list[object]:
    index = BrowserIndex(files)
    return [(r.refs, r.scores, r.corrected) for r in map(index.query, queries)]


def typed(query: str) -> list[str]:
    """What the page searches for while `query` is typed key by key."""
    return [query[:end] for end in range(1, len(query) + 1)]


def test_the_judged_queries_answer_as_before_with_every_shard_split() -> None:
    docs = sorted(search_docs(sample()), key=lambda d: d.ref)
    split = index_files(docs, budget=64)
    assert len(json.loads(split["index.json"])["split"]) > 100
    queries = [q for judged in JUDGED for q in typed(judged.query)]
    assert answers(split, queries) == answers(index_files(docs, **WHOLE), queries)
    assert answers(index_files(docs), queries) == answers(index_files(docs, **WHOLE), queries)


def test_a_shard_past_its_budget_is_split_and_listed_in_the_manifest() -> None:
    docs = [doc(i, ["marble", "margin", "marginal", "market", "mast", "ma"]) for i in range(40)]
    files = index_files(docs, budget=400)
    head = json.loads(files["index.json"])
    assert "ma" in head["shards"]
    assert {k: v for k, v in head["split"].items() if k.startswith("m")} == {
        "ma": "rs",
        "mar": "bgk",
    }
    top = json.loads(files["t/ma.json"])
    assert sorted(top) == ["+", "=", "~"]
    assert top["~"] == {"marble": 40, "margin": 40, "marginal": 40, "market": 40, "mast": 40}
    assert sorted(k for k in files if k.startswith("t/m")) == [
        "t/ma.json",
        "t/mar.json",
        "t/marb.json",
        "t/marg.json",
        "t/mark.json",
        "t/mas.json",
    ]
    assert json.loads(files["t/marg.json"]).keys() == {"margin", "marginal"}


def test_a_query_fetches_the_deepest_shard_of_each_word() -> None:
    docs = [doc(i, ["marble", "margin", "marginal", "market", "mast"]) for i in range(40)]
    index = BrowserIndex(index_files(docs, budget=400))
    shards = lambda q: [f for f in index.query(q).fetched if f.startswith("t/")]  # noqa: E731
    assert shards("marginal") == ["t/marg.json"]
    assert shards("ma") == ["t/ma.json"]
    assert shards("max") == []  # "ma" has no shard "max": no word starts so
    assert index.query("marrgin").corrected == "margin"  # the typo scan reads t/ma.json's words
    assert "t/ma.json" in index.query("marrgin").fetched


def test_non_ascii_prefixes_are_split_under_their_hex_names() -> None:
    words = ["øresund", "ørsted", "ørken", "ørnen"]
    files = index_files([doc(i, words) for i in range(40)], budget=150)
    assert json.loads(files["index.json"])["split"]["ør"] == "ekns"
    assert prefix_key("øre") == "_c3b87265" and "t/_c3b87265.json" in files
    assert BrowserIndex(files).query("ørsted").refs[0] == "o0/a000"


def test_posting_lists_keep_their_highest_weights() -> None:
    docs = [doc(i, ["common"] * (1 + i % 7) + ["filler"] * (i % 5)) for i in range(50)]
    whole = BrowserIndex(index_files(docs, **WHOLE)).query("common", limit=10)
    cut = BrowserIndex(index_files(docs, top=12)).query("common", limit=10)
    assert len(json.loads(index_files(docs, top=12)["t/co.json"])["common"]) == 24
    assert (cut.refs, cut.scores) == (whole.refs, whole.scores)


WORD = st.text(alphabet="abcdø1", min_size=2, max_size=7)


@budget(60)
@given(
    texts=st.lists(st.lists(WORD, min_size=1, max_size=12), min_size=1, max_size=14),
    queries=st.lists(st.lists(WORD, min_size=1, max_size=3).map(" ".join), max_size=6),
    shard_budget=st.integers(min_value=20, max_value=400),
)
def test_a_split_index_answers_like_the_unsplit_one(
    texts: list[list[str]], queries: list[str], shard_budget: int
) -> None:
    docs = [doc(i, words) for i, words in enumerate(texts)]
    vocabulary = sorted(weights(docs))
    asked = [q for query in [*queries, *vocabulary[:8]] for q in typed(query)]
    split = index_files(docs, budget=shard_budget, top=1 << 40)
    assert answers(split, asked) == answers(index_files(docs, **WHOLE), asked)


def test_bytes_per_query_typed_key_by_key_stop_growing_with_the_catalog() -> None:
    """The shard bytes a word costs: with whole two-letter shards they grow with the catalog,
    split and capped they stay under a few KB (benchmarks/bench_browser_search.py)."""
    docs = synthetic_docs(600)
    queries = ["marginalia", "conversation", "community", "discord", "lantern quill"]
    for options, most in (({}, 3 * 1024), (WHOLE, 1 << 40)):
        files = index_files(docs, **options)
        packed = {k: 0 if k.startswith("d/") else len(gzip.compress(v)) for k, v in files.items()}
        costs = [typed_bytes(files, packed, q) for q in queries]
        assert (max(costs) <= most) == bool(options), costs


def test_a_query_typed_word_by_word_fetches_under_ten_kb() -> None:
    """Issue 13's goal for every query of the benchmark's mix, result rows included: the rows of
    eight agents a file (the layout before) cost 14 KB for a query of three words."""
    docs = synthetic_docs(600)
    mix = queries(docs)
    for options, under in (({}, True), ({"chunk": 8}, False)):
        files = index_files(docs, **options)
        packed = {k: len(gzip.compress(v, 6, mtime=0)) for k, v in files.items()}
        costs = [typed_bytes(files, packed, q, paused=True) for q in mix]
        assert (max(costs) <= 10 * 1024) == under, (options, max(costs))


def test_how_rows_are_filed_changes_no_answer() -> None:
    """Every prefix of the benchmark's queries and the judged ones: the same refs, scores and
    corrections whatever the agents per row file."""
    docs = synthetic_docs(300)
    asked = [q for query in queries(docs, count=21) for q in typed(query)]
    assert answers(index_files(docs), asked) == answers(index_files(docs, chunk=8), asked)
    judged = sorted(search_docs(sample()), key=lambda d: d.ref)
    asked = [q for j in JUDGED for q in typed(j.query)]
    assert answers(index_files(judged), asked) == answers(index_files(judged, chunk=8), asked)
