"""The YAML builder's shortcut for plain strings (values and keys taken as they are written,
without the refusals, the resolver and the constructor) gives what the whole path gives: the
same data, value and key positions, and the same refusals (issue 13). The reference is the
builder with the shortcut turned off."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.checks import load
from generator.checks.load import SourceError, YamlDoc, load_yaml
from tests.conftest import REPO


class _Whole(load._Builder):
    """Every value and key through `node`, `refuse` and `scalar`."""

    def own(self, event: object, depth: int) -> bool:  # type: ignore[override]
        return False


def _outcome(doc: YamlDoc | SourceError) -> object:
    if isinstance(doc, SourceError):
        return ("error", doc.rule, doc.message, doc.line, doc.col)
    return (repr(doc.data), sorted(doc.values.items()), sorted(doc.keys.items()))


def _both(text: str) -> tuple[object, object]:
    try:
        events = list(yaml.parse(text, Loader=load._Parser))
    except yaml.YAMLError:
        return None, None  # refused before the builder, by both
    try:
        fast: YamlDoc | SourceError = load_yaml(text)
    except SourceError as err:
        fast = err
    try:
        whole: YamlDoc | SourceError = _Whole(events, text).build()
    except SourceError as err:
        whole = err
    return _outcome(fast), _outcome(whole)


_KEYS = ["name", "a", "on", "yes", "no", "null", "~", "1", "0x1f", "1.5", "2024-01-01", "<<"]
_KEYS += ['"quoted"', "'single'", "&anchor key", "*alias", "!!str tagged", "!x y", "? q", "-x"]
_KEYS += ["long " * 30, "kéy", "=", "[a]", "{b: c}", ".inf", "True", "NO", "~x", "+1", "_x"]
_VALUES = [*_KEYS, "", "plain text: here", "|\n  block\n  text", ">\n  folded", "[1, 2]"]
_VALUES += ["{a: 1, a: 2}", "&a 1", "*a", "!!int 3", "!!binary aGk=", "12345678901234567890"]
_VALUES += ["@at", "`tick", "%pct", "- item", "#hash", "a # comment", "'it''s'", '"\\u00e9"']


def _lines(depth: int) -> st.SearchStrategy[str]:
    pad = "  " * depth
    entry = st.tuples(st.sampled_from(_KEYS), st.sampled_from(_VALUES)).map(
        lambda kv: f"{pad}{kv[0]}: {kv[1]}"
    )
    item = st.sampled_from(_VALUES).map(lambda v: f"{pad}- {v}")
    return st.lists(entry | item, min_size=1, max_size=6).map("\n".join)


DOCS = st.lists(
    st.tuples(st.sampled_from(_KEYS), st.integers(0, 2), st.booleans()), min_size=1, max_size=6
).flatmap(
    lambda heads: st.tuples(*(_lines(depth + 1) for _, depth, _ in heads)).map(
        lambda bodies: "\n".join(
            f"{key}:\n{body}" if nested else f"{key}: {body.strip().lstrip('- ')}"
            for (key, _, nested), body in zip(heads, bodies, strict=True)
        )
    )
)


@given(DOCS)
@settings(max_examples=1500, deadline=None)
@example("name: a\nname: b")
@example("a: 1\nb:\n  c: x\n  c: y")
@example("<<: {a: 1}")
@example("&x a: 1")
@example("!!str k: v")
@example("'k': v\n\"k\": w")
@example("? complex\n: value")
@example("1: one")
@example("k: [a, b, {c: d}]")
def test_plain_strings_taken_as_written_give_what_the_whole_path_gives(text: str) -> None:
    fast, whole = _both(text)
    assert fast == whole


def test_every_yaml_file_of_the_repository_gives_what_the_whole_path_gives() -> None:
    paths = [*REPO.glob("agents/*/*/agent.yaml"), *REPO.glob("owners/*.yaml")]
    paths += [*REPO.glob("*.yaml"), *REPO.glob("*.yml"), *REPO.glob("data/*.yaml")]
    paths += [*Path(REPO, "tests", "data").rglob("*.yaml")]
    assert len(paths) > 20
    for path in paths:
        text = path.read_text("utf-8")
        fast, whole = _both(text)
        assert fast == whole, path
