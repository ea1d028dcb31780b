"""Our character verdicts equal the real elizaOS runtime's (`validateCharacter` of core 1.7.2).

One node process (tests/elizaos/validate.mjs) judges every case: the test characters in
tests/data/characters (every shape of real character files: 0.x, 1.x, 2.x-alpha, arrays, custom
schemas, odd keys; their sources in SOURCES.tsv there), their migrations,
a hand-written character that uses every field, and a few hundred mutations of the valid ones made
deterministically with random.Random(seed). No mocks: if node_modules is missing the test fails and
says to run `npm ci --prefix tests/elizaos`.
"""

from __future__ import annotations

import copy
import json
import random
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.checks.character_issues import check_character, detect_generation
from generator.checks.migrate import MigrationError, migrate

ELIZAOS = Path(__file__).parent / "elizaos"
CORPUS = Path(__file__).parent / "data" / "characters"
# Files migrate() refuses, and why (also in the docstring of generator/checks/migrate.py).
UNCONVERTIBLE = {
    "three-characters.json": "a JSON array of 3 characters",
    "roast-battle.json": 'no "bio" or "lore"',
}
# The schema each test character was written for (detect_generation); the valid ones are 1.x.
GENERATIONS = {
    "bram.json": "1.x",
    "castellano.json": "0.x",
    "cli-fixture.json": "0.x",
    "example-agent.json": "0.x",
    "fragment-oracle.json": "2.x-alpha",
    "graph-scholar.json": "0.x",
    "hybrid-founder.json": "0.x",
    "lamplighter.json": "0.x",
    "market-guide.json": "0.x",
    "marlo.json": "1.x",
    "pool-steward.json": "0.x",
    "quill.json": "1.x",
    "riddle-detective.json": "0.x",
    "roast-battle.json": "unknown",
    "star-listener.json": "0.x",
    "startup-coach.json": "0.x",
    "steady-default.json": "2.x-alpha",
    "study-buddy.json": "0.x",
    "three-characters.json": "unknown",
    "tide-pilot.json": "0.x",
    "wallet-clerk.json": "0.x",
    # real files from elizaOS/characters (MIT; tests/data/characters/SOURCES.tsv)
    "anakin.json": "0.x",
    "alfred.json": "0.x",
    "c3po.json": "0.x",
    "cosmoshelper.json": "0.x",
    "dobby.json": "0.x",
    "edrizi.json": "0.x",
    "eternalai.json": "0.x",
    "fozzie.json": "0.x",
    "friday.json": "0.x",
    "jarvis.json": "0.x",
    "kermit.json": "0.x",
    "lex.json": "0.x",
    "lpmanager.json": "0.x",
    "omniflix.json": "0.x",
    "sbf.json": "0.x",
    "shaw.json": "0.x",
    "simsai.json": "0.x",
    "snoop.json": "0.x",
    "sol.json": "0.x",
    "spanish-trump.json": "0.x",
    "statler.json": "0.x",
    "trump.json": "0.x",
    "waldorf.json": "0.x",
}
UUID = "123e4567-e89b-12d3-a456-426614174000"
FULL: dict[str, Any] = {
    "id": UUID,
    "name": "Harbor Pilot",
    "username": "harbor",
    "system": "You guide ships into the harbor.",
    "templates": {"greeting": "Hello {{name}}"},
    "bio": ["Guides ships.", "Knows the tides."],
    "messageExamples": [
        [
            {"name": "{{user1}}", "content": {"text": "Hi", "channelType": "DM"}},
            {
                "name": "Harbor Pilot",
                "content": {
                    "text": "Ahoy",
                    "thought": "greet them",
                    "actions": ["REPLY"],
                    "providers": ["KNOWLEDGE"],
                    "source": "discord",
                    "target": "channel",
                    "url": "https://example.com",
                    "inReplyTo": "123e4567-e89b-12d3-a456-426614174001",
                    "attachments": [
                        {
                            "id": "a1",
                            "url": "https://example.com/a.png",
                            "title": "map",
                            "source": "camera",
                            "description": "the harbor",
                            "text": "north up",
                            "contentType": "image",
                        }
                    ],
                    "custom": {"anything": [1, None]},
                },
            },
        ]
    ],
    "postExamples": ["High tide at six."],
    "topics": ["tides"],
    "adjectives": ["calm"],
    "knowledge": ["docs/tides.md", {"path": "docs/a.md", "shared": True}, {"directory": "docs"}],
    "plugins": ["@elizaos/plugin-sql"],
    "settings": {"avatar": "a.png", "temperature": 0.5, "on": True, "voice": {}, "list": [None]},
    "secrets": {"FLAG": True, "COUNT": 3, "EMPTY": ""},
    "style": {"all": ["brief"], "chat": ["warm"], "post": ["short"]},
}
ODD_VALUES: list[Any] = [None, 0, -1.5, True, False, "", "x", [], {}, ["x"], [1], {"a": 1}, 10**400]
ODD_KEYS = ["extra", "user", "lore", "__proto__", "Name", "toString", "nmae", "content"]
ODD_UUIDS = [UUID.upper(), UUID + "\n", "{" + UUID + "}", UUID.replace("-", ""), "x", ""]
ODD_CHOICES = ["DM", "dm", "API", "image", "IMAGE", "link", "video "]


def runtime_verdicts(cases: dict[str, object]) -> dict[str, dict[str, Any]]:
    """{id: {valid, error}} from one run of the real runtime over every case."""
    if not (ELIZAOS / "node_modules" / "@elizaos" / "core").is_dir():
        pytest.fail("tests/elizaos/node_modules is missing: run `npm ci --prefix tests/elizaos`")
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed; the compat test needs Node 20+")
    payload = json.dumps([{"id": key, "character": value} for key, value in cases.items()])
    done = subprocess.run(
        [node, str(ELIZAOS / "validate.mjs")], input=payload, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    answer = done.stdout.strip().splitlines()[-1]  # the last line; logs may come before it
    return {result["id"]: result for result in json.loads(answer)}


def corpus() -> dict[str, object]:
    """Every test character by name, parsed."""
    return {p.name: json.loads(p.read_text("utf-8")) for p in sorted(CORPUS.glob("*.json"))}


def migrated(files: dict[str, object]) -> dict[str, dict[str, Any]]:
    """The migration of every test character that migrate() accepts."""
    result = {}
    for name, data in files.items():
        try:
            result[name] = migrate(data).character
        except MigrationError:
            continue
    return result


def _paths(node: object, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in children:
        yield from _paths(value, (*prefix, key))


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    _get(data, path[:-1])[path[-1]] = value
    return data


def _delete(data: Any, path: tuple[Any, ...], value: Any, rng: random.Random) -> Any:
    del _get(data, path[:-1])[path[-1]]
    return data


def _retype(data: Any, path: tuple[Any, ...], value: Any, rng: random.Random) -> Any:
    return _set(data, path, copy.deepcopy(rng.choice(ODD_VALUES)))


def _add_key(data: Any, path: tuple[Any, ...], value: Any, rng: random.Random) -> Any:
    value[rng.choice(ODD_KEYS)] = copy.deepcopy(rng.choice(ODD_VALUES[:9]))
    return data


def _rename(data: Any, path: tuple[Any, ...], value: Any, rng: random.Random) -> Any:
    parent, key = _get(data, path[:-1]), path[-1]
    new = rng.choice(["user" if key == "name" else key + "s", key.capitalize(), key[:-1]])
    parent[new] = parent.pop(key)
    return data


def _empty(data: Any, path: tuple[Any, ...], value: Any, rng: random.Random) -> Any:
    return _set(data, path, "" if isinstance(value, str) else [] if isinstance(value, list) else {})


def _wrap(data: Any, path: tuple[Any, ...], value: Any, rng: random.Random) -> Any:
    if isinstance(value, list):
        return _set(data, path, value[0] if value else {"examples": value})
    return _set(data, path, [value])


def _special(data: Any, path: tuple[Any, ...], value: Any, rng: random.Random) -> Any:
    choices = ODD_UUIDS if path[-1] in ("id", "inReplyTo") else ODD_CHOICES
    return _set(data, path, rng.choice(choices))


Op = Callable[[Any, tuple[Any, ...], Any, random.Random], Any]
Fits = Callable[[tuple[Any, ...], Any], bool]
OPS: list[tuple[Op, Fits]] = [
    (_delete, lambda path, value: bool(path)),
    (_retype, lambda path, value: True),
    (_add_key, lambda path, value: isinstance(value, dict)),
    (_rename, lambda path, value: bool(path) and isinstance(path[-1], str)),
    (_empty, lambda path, value: isinstance(value, str | list | dict)),
    (_wrap, lambda path, value: bool(path)),
    (_special, lambda path, value: bool(path) and path[-1] in SPECIAL_KEYS),
]
SPECIAL_KEYS = ("id", "inReplyTo", "channelType", "contentType")


def mutants(seed_name: str, seed: dict[str, Any], count: int) -> dict[str, object]:
    """`count` deterministic variants of one valid character, one mutation each.

    The op is drawn first, then a path shape it applies to (`bio.*`, `settings.voice`...), then a
    path of that shape, so long arrays of strings do not crowd out the rarer parts of the schema.
    """
    rng = random.Random(f"{seed_name}:{count}")
    paths = list(_paths(seed))
    result: dict[str, object] = {}
    for n in range(count):
        op, fits = rng.choice(OPS)
        by_shape: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
        for path in (p for p in paths if fits(p, _get(seed, p))):
            by_shape.setdefault(tuple("*" if isinstance(p, int) else p for p in path), []).append(
                path
            )
        if not by_shape:
            continue
        path = rng.choice(by_shape[rng.choice(sorted(by_shape, key=repr))])
        data = copy.deepcopy(seed)
        result[f"mutant {seed_name} #{n} {op.__name__} {path}"] = op(
            data, path, _get(data, path), rng
        )
    return result


def _with(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(FULL)
    data.update(changes)
    return data


def _message(**content: Any) -> list[list[dict[str, Any]]]:
    return [[{"name": "a", "content": {"text": "hi", **content}}]]


# Cases where zod's behaviour is easy to get wrong, with the runtime's verdict pinned.
QUIRKS: dict[str, tuple[dict[str, Any], bool]] = {
    "top-level __proto__ is an unknown key": (_with(__proto__={"x": 1}), False),
    "settings skips a __proto__ key": (_with(settings={"__proto__": None}), True),
    "secrets skip a __proto__ key": (_with(secrets={"__proto__": {}}), True),
    "style strips unknown keys": (_with(style={"all": [], "__proto__": {"all": 1}}), True),
    "message strips user next to name": (
        _with(messageExamples=[[{"name": "a", "user": "b", "content": {}}]]),
        True,
    ),
    "message with user only": (_with(messageExamples=[[{"user": "b", "content": {}}]]), False),
    "message name may be empty": (_with(messageExamples=[[{"name": "", "content": {}}]]), True),
    "empty example group": (_with(messageExamples=[[]]), True),
    "content keeps unknown keys": (_with(messageExamples=_message(action="X", extra=None)), True),
    "content text null": (_with(messageExamples=_message(text=None)), False),
    "channelType is case-sensitive": (_with(messageExamples=_message(channelType="dm")), False),
    "uppercase uuid": (_with(id=UUID.upper()), True),
    "uuid with trailing newline": (_with(id=UUID + "\n"), False),
    "uuid of any version": (_with(id="b850bc30-45f8-0041-a00a-83df46d8555d"), True),
    "optional key null": (_with(system=None), False),
    "name blank but not empty": (_with(name=" "), True),
    "name empty": (_with(name=""), False),
    "bio empty list": (_with(bio=[]), True),
    "bio empty string": (_with(bio=""), True),
    "number too big for a double": (_with(secrets={"N": 10**400}), False),
    "negative zero": (_with(settings={"n": -0.0}), True),
    "setting null": (_with(settings={"n": None}), False),
    "setting array of anything": (_with(settings={"n": [None, {"a": [None]}]}), True),
    "secret object": (_with(secrets={"n": {}}), False),
    "template null": (_with(templates={"t": None}), False),
    "knowledge with path and directory": (_with(knowledge=[{"path": "a", "directory": "b"}]), True),
    "knowledge bad path, good directory": (_with(knowledge=[{"path": 1, "directory": "b"}]), True),
    "knowledge empty object": (_with(knowledge=[{}]), False),
    "knowledge shared null": (_with(knowledge=[{"path": "a", "shared": None}]), False),
    "knowledge extra keys": (_with(knowledge=[{"path": "a", "id": 1, "content": "x"}]), True),
    "attachment unknown keys": (
        _with(messageExamples=_message(attachments=[{"id": "1", "url": "u", "w": 1}])),
        True,
    ),
    "attachment contentType upper": (
        _with(
            messageExamples=_message(attachments=[{"id": "1", "url": "u", "contentType": "IMAGE"}])
        ),
        False,
    ),
    "2.x-alpha example groups": (_with(messageExamples=[{"examples": []}]), False),
    "constructor key at top level": (_with(constructor="x"), False),
}


def all_cases() -> dict[str, object]:
    """The test characters, their migrations, FULL, and mutations of every valid seed.

    20 draws per migrated character: the 19 seeds give ~320 mutants, as many as the 47 real
    files gave at 8 draws each (330), so mutation coverage did not shrink with fewer files.
    """
    cases: dict[str, object] = {"FULL": FULL}
    cases |= {f"quirk {label}": data for label, (data, _) in QUIRKS.items()}
    seeds: dict[str, dict[str, Any]] = {"FULL": FULL}
    files = corpus()
    cases |= {f"corpus {name}": data for name, data in files.items()}
    cases |= {f"migrated {name}": data for name, data in migrated(files).items()}
    seeds |= {name: data for name, data in migrated(files).items()}
    counts = {name: (200 if name == "FULL" else 20) for name in seeds}
    for name, seed in seeds.items():
        cases |= mutants(name, seed, counts[name])
    return cases


@pytest.fixture(scope="module")
def verdicts() -> tuple[dict[str, object], dict[str, dict[str, Any]]]:
    cases = all_cases()
    return cases, runtime_verdicts(cases)


def test_our_verdict_equals_the_runtime_on_every_case(
    verdicts: tuple[dict[str, object], dict[str, dict[str, Any]]],
) -> None:
    cases, runtime = verdicts
    mismatches = []
    for key, data in cases.items():
        ours = check_character(data)
        if (ours == []) != runtime[key]["valid"]:
            shown = json.dumps(data, ensure_ascii=False, default=str)[:600]
            mismatches.append(f"{key}\n  runtime: {runtime[key]}\n  ours: {ours[:3]}\n  {shown}")
    assert not mismatches, f"{len(mismatches)} of {len(cases)} differ:\n" + "\n".join(mismatches)


def test_quirks_have_the_pinned_runtime_verdict(
    verdicts: tuple[dict[str, object], dict[str, dict[str, Any]]],
) -> None:
    _, runtime = verdicts
    wrong = {
        label: runtime[f"quirk {label}"]
        for label, (_, valid) in QUIRKS.items()
        if runtime[f"quirk {label}"]["valid"] != valid
    }
    assert not wrong


def test_mutations_cover_both_verdicts(
    verdicts: tuple[dict[str, object], dict[str, dict[str, Any]]],
) -> None:
    cases, runtime = verdicts
    mutated = [runtime[key]["valid"] for key in cases if key.startswith("mutant")]
    assert len(mutated) >= 150
    assert sum(mutated) >= 40, "too few mutants stay valid to test acceptance"
    assert len(mutated) - sum(mutated) >= 80, "too few mutants are invalid"


def test_every_convertible_corpus_file_migrates_into_a_valid_character(
    verdicts: tuple[dict[str, object], dict[str, dict[str, Any]]],
) -> None:
    _, runtime = verdicts
    files = corpus()
    assert len(files) == 44  # 21 written for the tests, 23 real (elizaOS/characters)
    converted = migrated(files)
    assert sorted(set(files) - set(converted)) == sorted(UNCONVERTIBLE)
    for name, reason in UNCONVERTIBLE.items():
        with pytest.raises(MigrationError, match=reason):
            migrate(files[name])
    for name, character in converted.items():
        assert check_character(character) == [], name
        assert runtime[f"migrated {name}"]["valid"], (name, runtime[f"migrated {name}"])


def test_corpus_generations() -> None:
    files = corpus()
    assert {name: detect_generation(data) for name, data in files.items()} == GENERATIONS
    valid = [name for name, data in files.items() if check_character(data) == []]
    assert valid == [name for name, generation in GENERATIONS.items() if generation == "1.x"]


def test_every_test_character_has_a_source_and_a_license() -> None:
    """SOURCES.tsv names each file's repository, license and commit or URL, and nothing else."""
    lines = (CORPUS / "SOURCES.tsv").read_text("utf-8").splitlines()
    header, rows = lines[0].split("\t"), [line.split("\t") for line in lines[1:]]
    assert header == ["file", "repository", "license", "commit_or_url", "shape"]
    assert all(len(row) == len(header) and all(row) for row in rows), rows
    assert sorted(row[0] for row in rows) == sorted(p.name for p in CORPUS.glob("*.json"))
