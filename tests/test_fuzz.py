"""Hostile agents never crash the checks, `catalog validate` or the renderer (issue 10).

Hypothesis generates and mutates manifests, characters, READMEs, moderation entries and file
names (tests/hostile.py), writes them into a real catalog beside a sample agent and runs, in
process: the validator (whole and targeted at each agent), `catalog validate` (text, json and
github formats, whole and targeted at the OTHER agent) and, for agents that validate, the
history reader and the renderer on a real git repository. Invariants: no exception escapes,
exit codes are 0 or 1, every problem is one printable line `path[:line[:col]]: severity[rule]:
message` naming a file of the catalog, and a hostile agent never stops (nor is reported by) the
check of another.

The suite runs a fixed, derandomized budget; `make fuzz` (HYPOTHESIS_PROFILE=fuzz) runs ~50
times as many random examples.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, reject, settings
from hypothesis import strategies as st

from generator.catalog.assemble import load_catalog
from generator.catalog.model import Site
from generator.checks.agent import load_agent
from generator.checks.checked import Brief
from generator.checks.problems import Problem
from generator.checks.validate import discover, validate
from generator.site.build import generate
from tests import hostile
from tests.conftest import REPO, Cli, GitRepo

settings.register_profile(
    "suite",
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # each example makes its own folder in tmp_path
    ],
)
settings.register_profile("fuzz", settings.get_profile("suite"), derandomize=False)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "suite")
SCALE = 50 if PROFILE == "fuzz" else 1


def budget(examples: int) -> settings:
    """The settings of one property: `examples` in the suite, 50 times more under `make fuzz`."""
    return settings(settings.get_profile(PROFILE), max_examples=examples * SCALE)


SITE = Site("https://example.org/catalog/", "https://github.com/example/catalog")
LINE = re.compile(r"^(?P<path>\S.*?)(?::\d+(?::\d+)?)?: (?:error|warning)\[[a-z0-9-]+\]: \S.*$")
SUMMARY = re.compile(
    r"^(\d+ agents? valid(, \d+ notices?)?"
    r"|(\d+ errors?(, \d+ warnings?)?|\d+ warnings?)(, \d+ notices?)?"
    r" in (\d+ of \d+ agents?( and .+)?|.+))$"
)
"""The closing line (checks/problems.py `summary`): agents valid, or counts and where."""
OTHER = "harbor-labs/harbor-pilot"
SPARE = "mira/parla"


@contextmanager
def fresh_catalog(parent: Path, hostile_sample: Path) -> Iterator[tuple[Path, str, str]]:
    """A catalog under `parent` (a test's tmp_path: one per example, removed after it) with a
    copy of `hostile_sample` (to be mutated) and another sample agent."""
    root = Path(tempfile.mkdtemp(prefix="catalog-", dir=parent))
    try:
        ref = "/".join(hostile_sample.parts[-2:])
        other = SPARE if ref.startswith(OTHER.split("/")[0] + "/") else OTHER
        for agent in (ref, other):
            shutil.copytree(REPO / "agents" / agent, root / "agents" / agent)
        yield root, ref, other
    finally:
        shutil.rmtree(root, ignore_errors=True)


def assert_problems(root: Path, problems: tuple[Problem, ...]) -> None:
    """Each problem prints as one well-formed line and names a file of the catalog."""
    for found in problems:
        text = found.text()
        assert LINE.match(text) and text.isprintable(), text
        pure = PurePosixPath(found.path)
        assert found.path == "moderation.yaml" or pure.parts[0] == "agents", text
        assert ".." not in pure.parts and not pure.is_absolute(), text
        assert os.path.lexists(root / found.path), text


def check(root: Path, other: str, hostile: str = "") -> None:
    """Validate whole and per agent, then the command line; nothing may escape."""
    refs, _ = discover(root)
    whole = validate(root)
    assert_problems(root, whole.problems)
    assert validate(root, lean=True).problems == whole.problems  # briefs read as agents
    for owner, slug in refs:  # a brief crosses the fork with what the rules read of it
        brief = Brief.of(load_agent(root, owner, slug, lean=True))
        copy = pickle.loads(pickle.dumps(brief))
        assert (copy.ref, copy.problems, copy.entry, copy.cited) == (
            brief.ref,
            brief.problems,
            brief.entry,
            brief.cited,
        )
        for key in (("name",), ("forked_from",), ("deprecated", "replacement")):
            assert copy.position(*key) == brief.position(*key)
    for ref in refs:
        assert_problems(root, validate(root, [ref]).problems)
    cli = Cli(root)
    for args in (("validate",), ("validate", f"agents/{other}")):
        result = cli(*args)
        assert result.exit_code in (0, 1), result.output
        *lines, last = result.stdout.splitlines()
        assert SUMMARY.match(last), result.stdout
        for line in lines:
            assert LINE.match(line) and line.isprintable(), line
    # the other agent is checked in full, whatever its neighbour holds, and alone
    alone = json.loads(cli("validate", f"agents/{other}", "--format", "json").stdout)
    assert alone["agents_checked"] == 1, last
    assert not hostile or not any(line.startswith(f"agents/{hostile}/") for line in lines), lines
    problems = json.loads(cli("validate", "--format", "json").stdout)["problems"]
    assert all(set(p) >= {"path", "line", "col", "rule", "message"} for p in problems)
    for line in cli("validate", "--format", "github").stdout.splitlines()[:-1]:
        assert line.startswith(("::error file=", "::warning file=")) and line.isprintable(), line


def _manifest(folder: Path) -> dict[str, Any]:
    data = yaml.safe_load((folder / "agent.yaml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def _character(folder: Path) -> dict[str, Any]:
    data = json.loads((folder / "character.json").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


SAMPLE = st.sampled_from(hostile.SAMPLES)


@budget(150)
@given(sample=SAMPLE, data=st.data())
def test_hostile_manifest_values(tmp_path: Path, sample: Path, data: st.DataObject) -> None:
    text = data.draw(hostile.manifests(_manifest(sample)), label="agent.yaml")
    with fresh_catalog(tmp_path, sample) as (root, ref, other):
        (root / "agents" / ref / "agent.yaml").write_text(text, "utf-8", newline="")
        check(root, other, ref)


@budget(60)
@given(sample=SAMPLE, data=st.data())
def test_hostile_manifest_bytes(tmp_path: Path, sample: Path, data: st.DataObject) -> None:
    text = data.draw(
        hostile.manifests(_manifest(sample)) | st.just((sample / "agent.yaml").read_text("utf-8"))
    )
    raw = data.draw(hostile.mutated_bytes(text), label="agent.yaml")
    with fresh_catalog(tmp_path, sample) as (root, ref, other):
        (root / "agents" / ref / "agent.yaml").write_bytes(raw)
        check(root, other, ref)


@budget(120)
@given(sample=SAMPLE, data=st.data())
def test_hostile_characters(tmp_path: Path, sample: Path, data: st.DataObject) -> None:
    text = data.draw(hostile.characters(_character(sample)))
    raw = data.draw(st.just(text.encode()) | hostile.mutated_bytes(text), label="character.json")
    with fresh_catalog(tmp_path, sample) as (root, ref, other):
        (root / "agents" / ref / "character.json").write_bytes(raw)
        check(root, other, ref)


CORPUS = sorted((REPO / "tests" / "data" / "characters").glob("*.json"))


@budget(30)
@given(data=st.data())
def test_hostile_characters_migrate(tmp_path: Path, data: st.DataObject) -> None:
    """`catalog migrate` on mutated characters of the corpus (mostly 0.x): exit 0 or 1."""
    sample = json.loads(data.draw(st.sampled_from(CORPUS)).read_text("utf-8"))
    text = data.draw(hostile.characters(sample if isinstance(sample, dict) else {}))
    raw = data.draw(st.just(text.encode()) | hostile.mutated_bytes(text), label="character")
    source = Path(tempfile.mkdtemp(dir=tmp_path)) / "character.json"
    source.write_bytes(raw)
    result = Cli(tmp_path)("migrate", str(source), "-o", str(source.with_name("out.json")))
    assert result.exit_code in (0, 1), result.output


@budget(40)
@given(sample=SAMPLE, readme=hostile.readmes())
def test_hostile_readmes(tmp_path: Path, sample: Path, readme: bytes) -> None:
    with fresh_catalog(tmp_path, sample) as (root, ref, other):
        (root / "agents" / ref / "README.md").write_bytes(readme)
        check(root, other, ref)


@budget(60)
@given(sample=SAMPLE, data=st.data())
def test_hostile_moderation_entries(tmp_path: Path, sample: Path, data: st.DataObject) -> None:
    with fresh_catalog(tmp_path, sample) as (root, ref, other):
        text = data.draw(hostile.moderation_files([ref, other]))
        raw = data.draw(st.just(text.encode()) | hostile.mutated_bytes(text), label="moderation")
        (root / "moderation.yaml").write_bytes(raw)
        check(root, other, ref)


PLACES = ["owner", "slug", "file", "stray", "owner-stray", "character", "character-folder"]


def _name(folder: Path, place: str, name: str) -> None:
    """Give the agent folder, its owner, a file or the character that name."""
    if place == "owner":
        (folder.parents[1] / name).mkdir(exist_ok=True)
        os.rename(folder, folder.parents[1] / name / folder.name)
    elif place == "slug":
        os.rename(folder, folder.parent / name)
    elif place in ("file", "stray", "owner-stray"):
        where = {"file": folder, "stray": folder.parents[1], "owner-stray": folder.parent}
        (where[place] / name).write_bytes(b"x")
    else:
        target = folder / name / "c.json" if place == "character-folder" else folder / name
        target.parent.mkdir(exist_ok=True)
        (folder / "character.json").rename(target)
        manifest = _manifest(folder) | {"character": str(target.relative_to(folder))}
        (folder / "agent.yaml").write_text(yaml.safe_dump(manifest), "utf-8")


@budget(80)
@given(sample=SAMPLE, place=st.sampled_from(PLACES), name=hostile.names())
def test_hostile_file_names(tmp_path: Path, sample: Path, place: str, name: str) -> None:
    with fresh_catalog(tmp_path, sample) as (root, ref, other):
        try:
            _name(root / "agents" / ref, place, name)
        except OSError:  # a name this file system refuses (macOS: bytes that are not UTF-8)
            reject()
        check(root, other, ref)
        assert Cli(root)("validate", f"agents/{name}").exit_code in (0, 1, 2)


@budget(80)
@given(sample=SAMPLE, character=hostile.character_paths())
def test_hostile_character_paths(tmp_path: Path, sample: Path, character: str) -> None:
    with fresh_catalog(tmp_path, sample) as (root, ref, other):
        manifest = _manifest(root / "agents" / ref) | {"character": character}
        text = yaml.safe_dump(manifest, allow_unicode=True)
        (root / "agents" / ref / "agent.yaml").write_text(text, "utf-8", "surrogateescape")
        check(root, other, ref)


FILES = ["agent.yaml", "character.json", "README.md", "LICENSE", "extra.txt"]
KINDS = ["fifo", "folder", "link-to-dev-zero", "link-to-itself", "dangling-link", "link-outside"]


@budget(40)
@given(
    sample=SAMPLE,
    where=st.sampled_from([*FILES, "owner-folder", "slug-folder"]),
    kind=st.sampled_from(KINDS),
)
def test_hostile_file_kinds(tmp_path: Path, sample: Path, where: str, kind: str) -> None:
    """FIFOs, folders and links where files go: never read, never followed, never a hang."""
    with fresh_catalog(tmp_path, sample) as (root, ref, other):
        folder = root / "agents" / ref
        target = {"owner-folder": folder.parent, "slug-folder": folder}.get(where, folder / where)
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
        if kind == "fifo":
            os.mkfifo(target)
        elif kind == "folder":
            target.mkdir()
            (target / "inner.json").write_text("{}")
        else:
            outside = root.parent / "outside"
            destination = {
                "link-to-dev-zero": Path("/dev/zero"),
                "link-to-itself": target,
                "dangling-link": root / "nowhere",
                "link-outside": outside,
            }[kind]
            target.symlink_to(destination)
        check(root, other, ref)


@pytest.fixture(scope="module")
def site_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page templates, copied once for every rendered catalog."""
    folder = tmp_path_factory.mktemp("site-config")
    shutil.copytree(REPO / "site-config", folder / "site-config")
    return folder / "site-config"


@budget(25)
@given(data=st.data())
def test_valid_hostile_agent_renders(
    tmp_path: Path, site_config: Path, data: st.DataObject
) -> None:
    owner, slug = "fuzz-owner", "fuzz-agent"
    with fresh_catalog(tmp_path, REPO / "agents" / SPARE) as (root, _, other):
        shutil.copytree(site_config, root / "site-config")
        folder = root / "agents" / owner / slug
        folder.mkdir(parents=True)
        manifest = data.draw(hostile.valid_manifests(owner, other), label="agent.yaml")
        (folder / "agent.yaml").write_text(manifest, "utf-8")
        character = data.draw(hostile.valid_characters(), label="character.json")
        (folder / "character.json").write_text(character, "utf-8")
        readme = data.draw(hostile.readme_texts(), label="README.md")
        (folder / "README.md").write_text(readme, "utf-8")
        if data.draw(st.booleans()):
            decision = hostile.valid_moderation(f"{owner}/{slug}")
            (root / "moderation.yaml").write_text(data.draw(decision, label="moderation"), "utf-8")
        repo = GitRepo(root)
        repo.git("init", "--quiet", "--initial-branch=main")
        repo.commit("hostile agent")
        loaded = load_catalog(root, SITE)
        assert_problems(root, loaded.report.problems)
        event("rendered" if loaded.catalog else f"refused: {loaded.report.problems[0].rule}")
        if loaded.catalog is not None:
            generated = generate(root, loaded.catalog, clean=True)
            assert any(path.startswith(f"agents/{owner}/{slug}/") for path in generated.written)


@budget(2)
@given(data=st.data())
def test_catalog_build_of_a_hostile_catalog(tmp_path: Path, data: st.DataObject) -> None:
    """`catalog build` end to end (mkdocs included) on an agent that validates: exit 0 or 1."""
    with fresh_catalog(tmp_path, REPO / "agents" / SPARE) as (root, _, other):
        for item in ("site-config", "catalog"):
            shutil.copytree(REPO / item, root / item)
        shutil.copy(REPO / "mkdocs.yml", root)
        folder = root / "agents" / "fuzz-owner" / "fuzz-agent"
        folder.mkdir(parents=True)
        manifest = data.draw(hostile.valid_manifests("fuzz-owner", other), label="agent.yaml")
        (folder / "agent.yaml").write_text(manifest, "utf-8")
        character = data.draw(hostile.valid_characters(), label="character.json")
        (folder / "character.json").write_text(character, "utf-8")
        readme = data.draw(hostile.readme_texts(), label="README.md")
        (folder / "README.md").write_text(readme, "utf-8")
        GitRepo(root).git("init", "--quiet", "--initial-branch=main")
        GitRepo(root).commit("hostile agent")
        result = Cli(root)("build")
        assert result.exit_code in (0, 1), result.output


@pytest.mark.parametrize("value", ["2026-13-45", "1" * 5000])
def test_an_old_hostile_manifest_does_not_stop_the_build(
    site_config: Path, tmp_path: Path, value: str
) -> None:
    """A version whose manifest cannot be constructed, fixed by a later commit: the build of
    the fixed catalog renders the old version's page without a traceback."""
    root = tmp_path / "catalog"
    shutil.copytree(REPO / "agents" / OTHER, root / "agents" / OTHER)
    shutil.copytree(site_config, root / "site-config")
    manifest = root / "agents" / OTHER / "agent.yaml"
    good = manifest.read_text("utf-8")
    repo = GitRepo(root)
    repo.git("init", "--quiet", "--initial-branch=main")
    manifest.write_text(good + f"description: {value}\n", "utf-8")
    repo.commit("a manifest that does not construct")
    manifest.write_text(good.replace("version: 1.1.0", "version: 1.2.0"), "utf-8")
    repo.commit("fixed")
    loaded = load_catalog(root, SITE)
    assert loaded.catalog is not None, loaded.report.problems
    generate(root, loaded.catalog, clean=True)


@pytest.mark.parametrize("owner", ["acmé", "ac\nme"])
def test_the_gate_reads_any_folder_name(tmp_path: Path, owner: str) -> None:
    repo = GitRepo(tmp_path)
    repo.git("init", "--quiet", "--initial-branch=main")
    shutil.copytree(REPO / "agents" / OTHER, tmp_path / "agents" / OTHER)
    repo.commit("base")
    shutil.copytree(REPO / "agents" / SPARE, tmp_path / "agents" / owner / "parla")
    result = Cli(tmp_path)("validate", "--base", "main", "--author", "mira")
    assert result.exit_code in (0, 1), result.output


def test_the_gate_reads_a_base_manifest_that_does_not_construct(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path)
    repo.git("init", "--quiet", "--initial-branch=main")
    shutil.copytree(REPO / "agents" / OTHER, tmp_path / "agents" / OTHER)
    manifest = tmp_path / "agents" / OTHER / "agent.yaml"
    good = manifest.read_text("utf-8")
    manifest.write_text(good.replace("version: 1.1.0", "version: 2026-13-45"), "utf-8")
    repo.commit("a base whose manifest does not construct")
    manifest.write_text(good.replace("version: 1.1.0", "version: 1.2.0"), "utf-8")
    result = Cli(tmp_path)("validate", "--base", "main", "--author", "harbor-labs")
    assert result.exit_code in (0, 1), result.output
