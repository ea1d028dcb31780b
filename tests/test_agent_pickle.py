"""A checked `Agent` crosses a pickle (forked checks send theirs back, issue 13) as plain values:
the copy equals the agent in every field, its manifest is of the same classes with the same set
fields, extra and private values, still frozen, and the same as pydantic's own pickling gives,
for the sample agents, realistic synthetic ones and broken ones, whole or lean, checked or not.
Its `Brief` (what `catalog validate` sends back) crosses with every field the cross-agent rules
read, the positions of its manifest's keys, and none of the manifest's data."""

from __future__ import annotations

import dataclasses
import pickle
import random
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from generator.checks.agent import Agent, load_agent
from generator.checks.checked import Brief, Cited, _model_state
from generator.checks.facts import Entry
from generator.checks.manifest import Manifest
from tests.conftest import REPO, write_agent

sys.path.insert(0, str(REPO / "benchmarks"))
from synth import realistic_files

MODES = [
    {"check": True, "lean": False},
    {"check": True, "lean": True},
    {"check": False, "lean": False},
    {"check": False, "lean": True},
]


def assert_same_model(copy: object, model: object) -> None:
    """Equal, and equal in what `==` does not compare: classes, set fields, nested models."""
    assert type(copy) is type(model)
    if not isinstance(model, BaseModel):
        assert copy == model
        return
    assert isinstance(copy, BaseModel)
    assert copy.__pydantic_fields_set__ == model.__pydantic_fields_set__
    assert copy.__pydantic_extra__ == model.__pydantic_extra__
    assert copy.__pydantic_private__ == model.__pydantic_private__
    assert list(copy.__dict__) == list(model.__dict__)
    for key, value in model.__dict__.items():
        assert_same_model(copy.__dict__[key], value)
    assert copy == model and copy.model_dump() == model.model_dump()


def assert_crosses(agent: Agent) -> Agent:
    copy = pickle.loads(pickle.dumps(agent, pickle.HIGHEST_PROTOCOL))
    assert type(copy) is Agent and copy == agent
    for item in dataclasses.fields(Agent):
        assert type(getattr(copy, item.name)) is type(getattr(agent, item.name)), item.name
    assert vars(copy).keys() == vars(agent).keys()
    assert_same_model(copy.manifest, agent.manifest)
    if agent.manifest is not None:  # as pydantic's own pickling of the model gives it
        assert_same_model(copy.manifest, pickle.loads(pickle.dumps(agent.manifest)))
    if isinstance(agent.manifest, Manifest):
        with pytest.raises(ValidationError):
            copy.manifest.name = "changed"  # still frozen
    if agent.doc is not None:
        assert copy.doc is not None and copy.doc.text == agent.doc.text
        for path in [*agent.doc.values, *agent.doc.keys]:
            assert copy.doc.position(path) == agent.doc.position(path)
    assert copy.problems == agent.problems
    if agent.manifest is None or isinstance(agent.manifest, Manifest):
        assert_brief_crosses(agent)
    return copy


def assert_brief_crosses(agent: Agent) -> Brief:
    """The agent's brief says what its manifest says (as `catalog validate` read it before
    briefs), and its copy is the same but for the manifest's data, which does not cross."""
    brief = Brief.of(agent)
    data = agent.doc.data if agent.doc else None
    manifest = agent.manifest
    if manifest is not None:
        replacement = manifest.deprecated.replacement if manifest.deprecated else None
        assert brief.cited == Cited(manifest.name, manifest.forked_from, replacement)
        assert brief.entry[:2] == (manifest.name, manifest.version)
    else:
        assert brief.cited is None
        fields = data if isinstance(data, dict) else {}
        for got, key in zip(brief.entry[:2], ("name", "version"), strict=True):
            assert got == (fields.get(key) if isinstance(fields.get(key), str) else None)
    assert type(brief.entry) is Entry
    copy = pickle.loads(pickle.dumps(brief, pickle.HIGHEST_PROTOCOL))
    assert type(copy) is Brief and type(copy.entry) is Entry
    assert (copy.owner, copy.slug, copy.ref, copy.rel) == (
        agent.owner,
        agent.slug,
        agent.ref,
        agent.rel,
    )
    assert (copy.problems, copy.entry, copy.cited) == (brief.problems, brief.entry, brief.cited)
    assert copy.cited is None or type(copy.cited) is Cited
    assert (copy.doc is None) == (agent.doc is None)
    if agent.doc is not None and copy.doc is not None:
        assert copy.doc.data is None  # the data stays in the forked check
        for path in [*agent.doc.values, *agent.doc.keys, ("missing",)]:
            assert copy.doc.position(path) == agent.doc.position(path)
            assert copy.doc.position(path, key=True) == agent.doc.position(path, key=True)
        for key in [("name",), ("forked_from",), ("deprecated", "replacement")]:
            assert copy.position(*key) == agent.doc.position(key)
    text = agent.doc.text or "" if agent.doc else ""
    assert len(pickle.dumps(copy)) < len(pickle.dumps(brief.problems)) + len(text.encode()) + 300
    return copy


SAMPLES = sorted((p.parent.name, p.name) for p in (REPO / "agents").glob("*/*") if p.is_dir())


@pytest.mark.parametrize("mode", MODES, ids=lambda m: f"check={m['check']},lean={m['lean']}")
def test_every_sample_agent_crosses_a_pickle_whole(mode: dict[str, bool]) -> None:
    assert len(SAMPLES) > 5
    for owner, slug in SAMPLES:
        assert_crosses(load_agent(REPO, owner, slug, **mode))


def test_realistic_agents_cross_a_pickle_whole(tmp_path: Path) -> None:
    rng = random.Random(13)
    for i in range(40):
        for name, text in realistic_files(i, f"1.{i % 3}.0", rng, 40).items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(text, "utf-8")
    refs = sorted((p.parent.name, p.name) for p in (tmp_path / "agents").glob("*/*"))
    assert len(refs) == 40
    for owner, slug in refs:
        for mode in MODES:
            copy = assert_crosses(load_agent(tmp_path, owner, slug, **mode))
            assert copy.manifest is not None and copy.manifest.links is not None


BROKEN = {
    "schema": {"manifest": "name: Schema Fail\nversion: 1\n"},
    "not-mapping": {"manifest": "[1, 2]\n"},
    "empty": {"manifest": ""},
    "yaml": {"manifest": "name: [unclosed\n"},
    "nested": {
        "deprecated": {"reason": "use the other one", "replacement": "acme/other-bot"},
        "forked_from": "acme/first-bot@1.0.0",
        "links": {"homepage": "https://example.org/"},
        "maintainers": ["acme", "acme"],
    },
    "no-files": {"character": "{", "readme": None},
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_agents_cross_a_pickle_with_their_problems(tmp_path: Path, case: str) -> None:
    write_agent(tmp_path, "acme", "harbor-bot", **BROKEN[case])  # type: ignore[arg-type]
    agent = load_agent(tmp_path, "acme", "harbor-bot")
    assert agent.problems
    for mode in MODES:
        assert_crosses(load_agent(tmp_path, "acme", "harbor-bot", **mode))
    nested = load_agent(tmp_path, "acme", "harbor-bot").manifest
    if case == "nested":
        assert nested is not None and nested.deprecated is not None
        assert nested.deprecated.__pydantic_fields_set__ == {"reason", "replacement"}


class Loose(BaseModel):
    """A model that keeps extra values and a private one: pickled as pydantic pickles it."""

    model_config = {"extra": "allow"}
    x: int
    _seen: int = 0


class Holder(BaseModel):
    inner: Loose
    plain: Loose | None = None


def test_a_model_with_extra_or_private_values_is_pickled_as_pydantic_pickles_it() -> None:
    loose = Loose(x=1, more="kept")
    loose._seen = 3
    assert _model_state(loose) is loose
    holder = Holder(inner=loose)
    state = _model_state(holder)
    assert isinstance(state, tuple) and state[1]["inner"] is loose and state[3] == ()
    agent = Agent("acme", "harbor-bot", Path("/x/agents/acme/harbor-bot"), holder)  # type: ignore[arg-type]
    copy = assert_crosses(agent)
    inner = copy.manifest.inner  # type: ignore[union-attr]
    assert inner.__pydantic_extra__ == {"more": "kept"} and inner._seen == 3


def test_every_attribute_crosses(tmp_path: Path) -> None:
    """An attribute the record does not declare (a field added later) crosses too."""
    write_agent(tmp_path)
    agent = load_agent(tmp_path, "acme", "harbor-bot")
    agent.later = {"a": [1, 2]}  # type: ignore[attr-defined]
    copy = assert_crosses(agent)
    assert copy.later == {"a": [1, 2]}  # type: ignore[attr-defined]
