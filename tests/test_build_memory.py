"""What the build's memory work must not change: the browser index's weights are the BM25F of
every document's field counts, and a one-shot load keeps nothing of validation past assembly
while a long-running build (`catalog serve`) keeps what it reuses. That these builds write the
same bytes as before is `test_rebuilds.py`'s comparison of kept and fresh builds."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from pathlib import Path

from generator.catalog.assemble import LoadCache, load_catalog
from generator.checks import validate
from generator.history.reader import read_history
from generator.search.browser_index import K1, SCALE, B, weights
from generator.search.documents import FIELD_BOOSTS, SearchDoc, search_docs, terms
from tests.conftest import GitRepo, write_agent
from tests.test_search_quality import sample


def bm25f(docs: list[SearchDoc]) -> dict[str, list[tuple[int, int]]]:
    """The weights as first written: every document's counts kept, postings as tuples."""
    per_doc = [{f: Counter(terms(d.field_text(f))) for f in FIELD_BOOSTS} for d in docs]
    avg = {
        f: max(1.0, sum(sum(c[f].values()) for c in per_doc) / max(1, len(docs)))
        for f in FIELD_BOOSTS
    }
    combined: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for doc_id, fields in enumerate(per_doc):
        tf: dict[str, float] = defaultdict(float)
        for f, counts in fields.items():
            norm = 1 - B + B * sum(counts.values()) / avg[f]
            for term, n in counts.items():
                tf[term] += FIELD_BOOSTS[f] * n / norm
        for term, value in tf.items():
            combined[term].append((doc_id, value))
    out = {}
    for term, postings in combined.items():
        idf = math.log(1 + (len(docs) - len(postings) + 0.5) / (len(postings) + 0.5))
        out[term] = [(d, max(1, round(idf * v * (K1 + 1) / (v + K1) * SCALE))) for d, v in postings]
    return out


def test_browser_weights_are_the_bm25f_of_the_field_counts() -> None:
    docs = sorted(search_docs(sample()), key=lambda d: d.ref)
    # the samples twice over, so terms have many postings and repeated counts
    twice = docs + [SearchDoc(**{**vars(d), "ref": d.ref + "-2"}) for d in docs]
    for chosen in (docs, twice, docs[:1], []):
        expected = bm25f(chosen)
        found = weights(chosen)
        assert list(found) == list(expected)
        assert {t: list(p) for t, p in found.items()} == expected
        assert all(len(found[t]) == len(expected[t]) for t in expected)


def test_a_one_shot_load_keeps_nothing_of_validation(repo: GitRepo) -> None:
    write_agent(repo.root, owner="ana", slug="alpha", name="Alpha")
    write_agent(repo.root, owner="bo", slug="beta", name="Beta")
    repo.commit("two agents")
    loaded = load_catalog(repo.root)
    assert loaded.catalog is not None
    assert [a.ref for a in loaded.catalog.agents] == ["ana/alpha", "bo/beta"]
    assert loaded.report.agents == () and loaded.report.checked == 2
    assert validate._LAST == []  # the name checks held every checked agent
    kept = LoadCache()
    again = load_catalog(repo.root, cache=kept)
    assert [a.ref for a in again.report.agents] == ["ana/alpha", "bo/beta"]
    assert len(kept.agents) == 2 and len(validate._LAST) == 1


def test_an_agents_ref_is_made_once(repo: GitRepo) -> None:
    write_agent(repo.root, owner="ana", slug="alpha", name="Alpha")
    repo.commit("one agent")
    catalog = load_catalog(Path(repo.root)).catalog
    assert catalog is not None
    agent = catalog.agents[0]
    assert agent.ref == "ana/alpha" and agent.ref is agent.ref
    assert catalog.by_ref["ana/alpha"] is agent


def test_history_reads_older_characters_in_its_batch(repo: GitRepo) -> None:
    write_agent(repo.root, owner="ana", slug="alpha", name="Alpha", version="1.0.0")
    repo.commit("first")
    character = {"name": "Alpha", "bio": ["Second."], "plugins": []}
    write_agent(
        repo.root, owner="ana", slug="alpha", name="Alpha", version="1.1.0", character=character
    )
    repo.commit("second")
    first, last = read_history(repo.root, older=True).agents["ana/alpha"].releases
    assert sorted(first.files) == ["agent.yaml", "character.json"]  # the README is not shown
    assert b"Knows every berth" in first.files["character.json"]
    assert sorted(last.files) == ["agent.yaml"]  # the present character is read from disk
    assert sorted(read_history(repo.root).agents["ana/alpha"].releases[0].files) == ["agent.yaml"]


def test_a_one_shot_load_assembles_what_an_in_process_validation_gives(repo: GitRepo) -> None:
    """A one-shot load validates in a forked process that sends back only what assembly reads;
    the catalog is the one `catalog serve`'s in-process validation assembles."""
    write_agent(repo.root, owner="ana", slug="alpha", name="Alpha", version="1.0.0")
    repo.commit("first")
    write_agent(repo.root, owner="ana", slug="alpha", name="Alpha", version="1.1.0")
    write_agent(repo.root, owner="bo", slug="beta", name="Beta")
    (repo.root / "agents/bo/beta/README.md").write_text("# Beta\n\nSails.\n")
    repo.commit("second")
    alone, kept = load_catalog(repo.root), load_catalog(repo.root, cache=LoadCache())
    assert alone.catalog is not None and kept.catalog is not None
    assert alone.report.problems == kept.report.problems
    for mine, theirs in zip(alone.catalog.agents, kept.catalog.agents, strict=True):
        assert mine.ref == theirs.ref
        assert mine.manifest == theirs.manifest and mine.character == theirs.character
        assert mine.readme == theirs.readme and mine.versions == theirs.versions
    assert alone.catalog.by_ref["bo/beta"].readme == "# Beta\n\nSails.\n"
