"""One agent folder as read and checked (`Agent`), the plain form in which a forked check
sends it back (`checks/loading.py`), and what the cross-agent rules read of it (`Brief`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, cast, get_args

from pydantic import BaseModel

from generator.checks.facts import Entry, references
from generator.checks.load import YamlDoc
from generator.checks.manifest import Manifest
from generator.checks.persona import Source
from generator.checks.problems import Problem

_set = object.__setattr__
_MODEL_CLASS = type(BaseModel)
"""The class of every pydantic model class: asked directly, not through `isinstance` (0.16 us a
value, as pydantic's models are abstract base classes)."""
ModelState = tuple[type[BaseModel], dict[str, object], set[str], tuple[str, ...]]


@dataclass
class Agent:
    """One agent folder as read from disk, with the problems found in it."""

    owner: str
    slug: str
    folder: Path
    manifest: Manifest | None = None
    doc: YamlDoc | None = None
    character: object = None
    readme: str | None = None
    problems: list[Problem] = field(default_factory=list)
    persona: list[Source] = field(default_factory=list)

    @property
    def rel(self) -> str:
        return f"agents/{self.owner}/{self.slug}"

    @property
    def ref(self) -> str:
        return f"{self.owner}/{self.slug}"

    def add(self, found: Problem) -> None:
        self.problems.append(found)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as plain values, one call each way: pickle's own way calls a function per
        pydantic model (four a manifest) and parses the folder's path part by part: ~16.5 us to
        dump and ~21 to load a lean agent, ~2 us more each than this. Every attribute crosses;
        the copy is equal in every field, the manifest's set fields included
        (`tests/test_agent_pickle.py`)."""
        state = self.__dict__.copy()
        state["folder"] = str(self.folder)
        if self.manifest is not None:
            state["manifest"] = _model_state(self.manifest)
        if self.doc is not None:
            state["doc"] = self.doc.__reduce__()[1]
        return (_agent, (state,))


class Cited(NamedTuple):
    """What a valid manifest says that the cross-agent rules compare with other agents."""

    name: str
    forked_from: str | None
    replacement: str | None


@dataclass(eq=False, slots=True)
class Brief:
    """A checked agent as the cross-agent rules read it (`checks/validate.py`): its problems,
    its `Entry` (name, version and the agents it names, as the manifest's data spells them
    when the manifest is invalid), what a valid manifest cites (`cited`, None without one), and
    its manifest document for the positions of what a rule reports.

    `catalog validate`, which prints problems alone, gets these from the forked checks in
    place of whole agents: ~0.6 KB pickled instead of ~1.1 KB, no models to rebuild in this
    process, and the document crosses as its text, its positions read again only when a rule
    reports (~0.3 s less at 10,000 realistic agents, issue 13)."""

    owner: str
    slug: str
    problems: list[Problem]
    entry: Entry
    cited: Cited | None
    doc: YamlDoc | None
    ref: str = field(init=False)
    """owner/slug (made once: the cross-agent rules ask ~9 times an agent)."""

    def __post_init__(self) -> None:
        self.ref = f"{self.owner}/{self.slug}"

    @classmethod
    def of(cls, agent: Agent) -> Brief:
        data = agent.doc.data if agent.doc else None
        manifest, cited = agent.manifest, None
        if manifest:
            entry = Entry(manifest.name, manifest.version, references(data))
            replacement = manifest.deprecated.replacement if manifest.deprecated else None
            cited = Cited(manifest.name, manifest.forked_from, replacement)
        elif isinstance(data, dict):
            name, version = data.get("name"), data.get("version")
            entry = Entry(
                name if isinstance(name, str) else None,
                version if isinstance(version, str) else None,
                references(data),
            )
        else:
            entry = Entry(None, None)
        return cls(agent.owner, agent.slug, agent.problems, entry, cited, agent.doc)

    @property
    def rel(self) -> str:
        return f"agents/{self.owner}/{self.slug}"

    @property
    def name(self) -> str | None:
        """The name a valid manifest gives (None without one)."""
        return self.cited.name if self.cited else None

    def position(self, *key: str) -> tuple[int, int]:
        """Line and column of a manifest key (0, 0 when the manifest has no positions)."""
        return self.doc.position(key) if self.doc else (0, 0)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as plain values, the document as its text (or positions) without its data."""
        doc, cited = self.doc, None if self.cited is None else tuple(self.cited)
        where = None  # as `YamlDoc.__reduce__` gives it, without the data
        if doc is not None:
            where = (None, None, doc.text) if doc.text is not None else (doc.values, doc.keys, None)
        return (_brief, (self.owner, self.slug, self.problems, tuple(self.entry), cited, where))


def _brief(
    owner: str,
    slug: str,
    problems: list[Problem],
    entry: tuple[Any, ...],
    cited: tuple[Any, ...] | None,
    doc: tuple[Any, ...] | None,
) -> Brief:
    """The brief `Brief.__reduce__` took apart."""
    return Brief(
        owner,
        slug,
        problems,
        Entry(*entry),
        None if cited is None else Cited(*cited),
        None if doc is None else YamlDoc(None, *doc),
    )


def _agent(state: dict[str, Any]) -> Agent:
    """The agent `Agent.__reduce__` took apart, made as pickle makes an object of its state."""
    if isinstance(state["manifest"], tuple):
        state["manifest"] = _model(*state["manifest"])
    if state["doc"] is not None:
        state["doc"] = YamlDoc(*state["doc"])
    state["folder"] = Path(state["folder"])
    agent = Agent.__new__(Agent)
    _set(agent, "__dict__", state)  # the unpickled dictionary itself, not a copy
    return agent


def _model_state(model: BaseModel) -> ModelState | BaseModel:
    """A pydantic model as its class, field values (nested models likewise) and set fields: what
    its `__getstate__` gives, when it has no extra and no private values (else the model)."""
    if model.__pydantic_extra__ is not None or model.__pydantic_private__ is not None:
        return model
    values = model.__dict__
    nested: tuple[str, ...] = ()
    for key in _nestable(type(model)):
        value = values[key]
        if type(type(value)) is _MODEL_CLASS:
            state = _model_state(value)
            if type(state) is tuple:
                values = values if nested else values.copy()
                values[key] = state
                nested += (key,)
    return (type(model), values, model.__pydantic_fields_set__, nested)


@functools.cache
def _nestable(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model class whose type names a model: the only ones `_model_state` asks
    whether they hold one (a model anywhere else is pickled as pydantic pickles it)."""
    return tuple(key for key, info in cls.model_fields.items() if _names_model(info.annotation))


def _names_model(annotation: object) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_names_model(arg) for arg in get_args(annotation))


def _model(
    cls: type[BaseModel], values: dict[str, object], fields: set[str], nested: tuple[str, ...]
) -> BaseModel:
    """The model `_model_state` took apart, set as pydantic's `__setstate__` sets it."""
    for key in nested:
        values[key] = _model(*cast(ModelState, values[key]))
    model = cls.__new__(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", fields)
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model
