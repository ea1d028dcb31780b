"""Related agents: sensible neighbours on the sample catalog, exact cosine whatever the split
between dense and inverted-index features, deterministic ties, moderated agents left out."""

from __future__ import annotations

import random

import pytest

from generator.related import related_agents, vectors
from generator.search_docs import search_docs
from tests.search_catalog import agent, catalog
from tests.test_search_quality import sample

EXPECTED_FIRST = {
    "nodewatch/lint-lantern": "rustacean-guild/ferris-review",
    "rustacean-guild/ferris-review": "nodewatch/lint-lantern",
    "harbor-labs/harbor-pilot": "sandbar-capital/spread-sentinel",
    "quill-collective/morning-ledger": "quill-collective/evening-wire",
    "quill-collective/evening-wire": "quill-collective/morning-ledger",
    "agora-works/porchlight": "agora-works/quorum-clerk",
    "open-tutors/cell-explorer": "open-tutors/citation-scout",
}


def test_sample_catalog_neighbours() -> None:
    related = related_agents(sample())
    assert {ref: related[ref][0] for ref in EXPECTED_FIRST} == EXPECTED_FIRST
    listed = {a.ref for a in sample().listed}
    assert set(related) == listed
    for ref, refs in related.items():
        assert ref not in refs and len(refs) == len(set(refs)) <= 5
        assert set(refs) <= listed


def test_delisted_agents_are_neither_related_nor_given_relations() -> None:
    a = agent("acme/alpha-bot", "Alpha", tags=("defi",), topics=("lending",))
    b = agent("zed/beta-bot", "Beta", tags=("defi",), topics=("lending",), moderation="delisted")
    c = agent("kim/gamma-bot", "Gamma", tags=("defi",), topics=("lending",), moderation="flagged")
    assert dict(related_agents(catalog(a, b, c))) == {
        "acme/alpha-bot": ("kim/gamma-bot",),
        "kim/gamma-bot": ("acme/alpha-bot",),
    }


def test_ties_go_to_the_smaller_ref() -> None:
    twins = [agent(f"owner-{i}/twin-bot", "Twin", tags=("defi",)) for i in (4, 2, 3, 1)]
    related = related_agents(catalog(*twins), limit=2)
    assert related["owner-3/twin-bot"] == ("owner-1/twin-bot", "owner-2/twin-bot")


def test_nothing_in_common_means_no_relations() -> None:
    a = agent("acme/alpha-bot", "Alpha", "Explains lending markets.", ("defi",), (), bio=())
    b = agent("zed/beta-bot", "Beta", "Writes songs on request.", ("music",), (), bio=())
    assert dict(related_agents(catalog(a, b))) == {"acme/alpha-bot": (), "zed/beta-bot": ()}
    assert dict(related_agents(catalog())) == {}


@pytest.mark.parametrize("cap", [0, 3, 10_000])
def test_scores_are_the_exact_cosine(cap: int) -> None:
    """Whatever goes dense (features in more than `cap` agents), results equal brute force."""
    rng = random.Random(3)
    words = [
        "amber",
        "harbor",
        "quill",
        "ledger",
        "lantern",
        "relay",
        "beacon",
        "cedar",
        "delta",
        "ember",
        "fjord",
        "grove",
    ]
    tags = ["defi", "music", "art", "news", "gaming", "health"]
    agents = [
        agent(
            f"owner-{i % 7}/agent-{i}",
            f"Agent {i}",
            " ".join(rng.sample(words, 5)) + " etc.",
            tags=tuple(rng.sample(tags, 2)),
            topics=tuple(rng.sample(words, 2)),
        )
        for i in range(40)
    ]
    cat = catalog(*agents)
    docs = sorted(search_docs(cat), key=lambda d: d.ref)
    vecs = vectors(docs)

    def cosine(i: int, j: int) -> float:
        return round(sum(w * vecs[j].get(f, 0.0) for f, w in vecs[i].items()), 9)

    brute = {}
    for i, doc in enumerate(docs):
        scored = sorted((-cosine(i, j), docs[j].ref) for j in range(len(docs)) if j != i)
        brute[doc.ref] = tuple(ref for score, ref in scored if score < 0)[:5]
    assert dict(related_agents(cat, common_cap=cap)) == brute
