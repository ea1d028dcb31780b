"""Related agents: sensible neighbours on the sample catalog, exact cosine whatever the split
between dense and inverted-index features, deterministic ties, moderated agents left out, and a
`RelatedCache` whose answer after any sequence of edits is the fresh computation's."""

from __future__ import annotations

import math
import random
from dataclasses import replace

import numpy as np
import pytest

from generator.catalog.model import Agent
from generator.search.documents import SearchDoc, search_docs
from generator.search.related import RelatedCache, related_agents, related_for_docs
from generator.search.similarity import best, features, rounded, vectors, within
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
        return float(np.round(math.fsum(w * vecs[j].get(f, 0.0) for f, w in vecs[i].items()), 9))

    brute = {}
    for i, doc in enumerate(docs):
        scored = sorted((-cosine(i, j), docs[j].ref) for j in range(len(docs)) if j != i)
        brute[doc.ref] = tuple(ref for score, ref in scored if score < 0)[:5]
    assert dict(related_agents(cat, common_cap=cap)) == brute


def test_a_score_on_a_rounding_boundary_rounds_as_its_exact_sum() -> None:
    """Sums of the same products in another order (another dense/rare split, another block) land
    a few ulps apart; on a boundary of the 9th decimal they round alike, as math.fsum would."""
    a, b = {"w:x": 1.0, "w:y": 0.0}, {"w:x": 0.1234567885, "w:z": 0.5}
    exact = 0.1234567885
    near = np.array([np.nextafter(exact, 0.0), exact, np.nextafter(exact, 1.0)])
    out = rounded(near, np.zeros(3, dtype=np.int64), np.ones(3, dtype=np.int64), [a, b], 1e-3)
    assert list(out) == [np.round(exact, 9)] * 3
    far = np.array([0.25, 0.1234567881])
    out = rounded(far, np.zeros(2, dtype=np.int64), np.ones(2, dtype=np.int64), [a, b], 1e-3)
    assert list(out) == [0.25, 0.123456788]


def test_best_keeps_what_rounding_may_tie_and_says_when_it_saw_everything() -> None:
    s = np.array([[0.0, 0.2999999996, 0.3000000004, 0.1], [0.0, 0.5, 0.0, 0.0]])
    rows, none = np.array([5, 6]), [dict[str, float]()] * 7
    x, col, val, _ = best(s, rows, 1, none, 1e-3)  # both 0.3 may be the best: kept
    assert list(zip(x, col, val, strict=True)) == [(5, 1, 0.3), (5, 2, 0.3), (6, 1, 0.5)]
    x, col, val, everything = best(s, rows, 2, none, 1e-3)
    assert list(everything) == [False, True]  # row 5's 0.1 was left out


def test_within_keeps_what_rounds_to_a_tie_with_the_last_stored_column() -> None:
    """Rows 1 and 5 changed; columns 0 and 1 stored lists ending at 0.3 (with column 9 and 0),
    column 2 all its positive scores, column 3 is a changed row."""
    s = np.array([[0.2999999996, 0.2999999996, 0.0001, 0.0], [0.3000000004, 0.2, 0.0, 0.0]])
    last_val, last_col = np.array([0.3, 0.3, 0.3, np.inf]), np.array([9, 0, 4, -1])
    everything = np.array([False, False, True, False])
    found = within(s, np.array([1, 5]), (last_val, last_col), everything, [{}] * 6, 1e-3)
    assert list(zip(*found, strict=True)) == [(0, 1, 0.3), (2, 1, 0.0001), (0, 5, 0.3)]


SYLLABLES = ["ba", "ko", "mi", "nu", "te", "ra", "lo", "zu", "fe", "da"]
WORDS = [a + b for a in SYLLABLES for b in SYLLABLES] + ["kalo" + s for s in SYLLABLES]
TAGS = ["defi", "music", "art", "news", "gaming", "health"]
PLUGINS = [f"@elizaos/plugin-{p}" for p in ("sql", "discord", "evm", "solana", "telegram")]


def random_doc(i: int, rng: random.Random) -> SearchDoc:
    """A small agent: common tags and plugins, words of skewed frequency; every 9th a twin of
    others (ties), every 7th a loner with a niche tag (fewer than 2 x 5 neighbours)."""

    def words(k: int) -> str:
        return " ".join(rng.choices(WORDS, weights=range(len(WORDS), 0, -1), k=k))

    twin, loner = i % 9 == 0, i % 7 == 3
    return SearchDoc(
        ref=f"owner-{i % 13:02d}/agent-{i:04d}",
        owner=f"owner-{i % 13:02d}",
        slug=f"agent-{i:04d}",
        name="Agent" if twin else f"L{i}" if loner else words(2),
        summary="Helps." if twin else "" if loner else words(3),
        version="1.0.0",
        url=f"https://example.org/{i}/",
        tags=(f"niche-{i % 8}",) if loner else tuple(sorted(rng.sample(TAGS, 1 + (not twin)))),
        plugins=() if twin or loner else tuple(sorted(rng.sample(PLUGINS, rng.randint(0, 3)))),
        topics=() if twin or loner else (words(1),),
        bio="" if twin else rng.choice(WORDS[-10:]) if loner else words(rng.randint(3, 16)),
        text="",
    )


def edit(docs: list[SearchDoc], rng: random.Random, serial: int) -> str:
    """One edit of the kinds `catalog serve` sees; returns its kind."""
    kind = rng.choice(["bio", "bio", "tags", "plugin", "version", "twin", "add", "remove"])
    i = rng.randrange(len(docs))
    d = docs[i]
    if kind == "bio":
        kept = d.bio.split()[: rng.randint(0, 6)]
        docs[i] = replace(d, bio=" ".join([*kept, *rng.choices(WORDS, k=rng.randint(1, 5))]))
    elif kind == "tags":
        docs[i] = replace(d, tags=tuple(sorted(rng.sample(TAGS, rng.randint(1, 3)))))
    elif kind == "plugin":
        extra = rng.choice(PLUGINS)
        plugins = set(d.plugins) ^ {extra}
        docs[i] = replace(d, plugins=tuple(sorted(plugins)))
    elif kind == "version":
        docs[i] = replace(d, version=f"1.0.{serial}")
    elif kind == "twin":  # copy another agent's text
        o = docs[rng.randrange(len(docs))]
        docs[i] = replace(o, ref=d.ref, owner=d.owner, slug=d.slug, url=d.url)
    elif kind == "add":
        docs.append(random_doc(1000 + serial, rng))
        docs.sort(key=lambda d: d.ref)
    else:
        del docs[i]
    return kind


@pytest.mark.parametrize(("seed", "limit"), [(20, 5), (21, 2)])
def test_cached_results_equal_fresh_ones_after_every_edit(seed: int, limit: int) -> None:
    """After each of 30 random edits, cached results are the fresh ones. limit 2 keeps only 4
    columns per row, so stored prefixes run short and get recomputed."""
    rng = random.Random(seed)
    docs = sorted((random_doc(i, rng) for i in range(200)), key=lambda d: d.ref)
    default, merging = RelatedCache(), RelatedCache(full=1.0)  # the latter never gives up
    incremental = 0
    for serial in range(30):
        fresh = dict(related_for_docs(docs, limit))
        assert dict(related_for_docs(docs, limit, cache=default)) == fresh
        assert dict(related_for_docs(docs, limit, 7, cache=merging)) == fresh  # another split
        incremental += 0 < merging.last_rows_recomputed < len(docs)
        edit(docs, rng, serial)
    assert incremental >= 12
    assert len({frozenset(features(d).items()) for d in docs}) < len(docs) - 10  # twins: ties


def test_a_version_only_change_recomputes_no_row() -> None:
    def bot(i: int, bio: str = "", version: str = "1.0.0") -> Agent:
        bio = bio or f"Knows {WORDS[i]} and {WORDS[i + 1]}."
        return agent(f"o{i % 5}/bot-{i}", f"Bot {i}", tags=("defi",), bio=(bio,), version=version)

    agents = [bot(i) for i in range(40)]
    cache = RelatedCache()
    first = related_agents(catalog(*agents), cache=cache)
    assert cache.last_rows_recomputed == 40
    agents[4] = bot(4, version="1.0.1")
    assert related_agents(catalog(*agents), cache=cache) == first
    assert cache.last_rows_recomputed == 0
    agents[4] = bot(4, bio="Knows bonds and trades.")
    again = related_agents(catalog(*agents), cache=cache)
    assert 0 < cache.last_rows_recomputed < 10
    assert again == related_agents(catalog(*agents)) != first


def test_a_tie_at_the_end_of_a_stored_prefix_goes_to_the_smaller_ref() -> None:
    """Agents sharing only a tag score by their number of (unique) words, so an edit can tie an
    agent exactly with the last of the 2 columns stored for x (limit 1): the smaller ref must be
    kept, as it shows once the first column falls."""

    def doc(ref: str, words: int) -> SearchDoc:
        bio = " ".join(f"{ref}q{k}" for k in range(words))
        return SearchDoc(ref, "o", ref, ref, "", "1", "", ("defi",), (), (), bio, "")

    docs = [doc("a", 0), doc("b1", 2), doc("b2", 1), doc("d", 2), doc("x", 0)]
    cache = RelatedCache()
    assert related_for_docs(docs, 1, cache=cache)["x"] == ("a",)  # stored: a, b2
    docs[1] = doc("b1", 1)  # ties b2 for x, x itself unchanged
    assert related_for_docs(docs, 1, cache=cache) == related_for_docs(docs, 1)
    assert cache.last_rows_recomputed == 1
    docs[0] = doc("a", 5)
    assert related_for_docs(docs, 1, cache=cache)["x"] == ("b1",) == related_for_docs(docs, 1)["x"]
