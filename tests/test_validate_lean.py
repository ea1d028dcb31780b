"""The full `catalog validate` asks for problems alone (issue 13): its agents come back from the
forked checks without character and README, a stored verdict's agent reads its manifest alone,
git's listing for the verdict store and the owner records are read while the workers check, and
a YAML document crosses the fork as its data and text. The problems are those of a report that
keeps every agent whole, forked or not, with the verdict store empty or filled."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from generator.checks.load import load_yaml
from generator.checks.loading import load_briefs
from generator.checks.lookalike import Facts, name_facts
from generator.checks.problems import render
from generator.checks.validate import _LAST, AgentCache, Report, validate
from generator.checks.verdicts import STORE
from tests.conftest import REPO, Cli, GitRepo, sample_repo, write_agent

CLASHES = {
    ("dupe", "first-one"): {"name": "Harbor Pilot"},
    ("dupe", "second-one"): {"name": "harbor pilot"},
    ("lookx", "near-one"): {"name": "Harb0r Pilot"},
    ("lookx", "near-two"): {"name": "Harbor Pilots"},
    ("lookx", "fork-bad"): {"name": "Fork Bad", "forked_from": "nobody/none@1.0.0"},
    ("lookx", "fork-future"): {"name": "Fork Future", "forked_from": "dupe/first-one@9.0.0"},
    ("lookx", "repl-bad"): {
        "name": "Repl Bad",
        "deprecated": {"reason": "old", "replacement": "no/where"},
    },
    ("lookx", "official-bot"): {"name": "Eliza Official"},
    ("harbor-1abs", "copy-cat"): {"name": "Copy Cat"},
}
"""Agents that break the cross-agent rules, which read the manifest and its positions."""


def _clashing_repo(tmp_path: Path) -> GitRepo:
    """The sample agents and owner records, with agents that clash with each other and them."""
    repo = sample_repo(tmp_path)
    for (owner, slug), fields in CLASHES.items():
        write_agent(repo.root, owner, slug, **fields)
    write_agent(repo.root, "broken", "bad-yaml", manifest="name: [unclosed\n")
    write_agent(repo.root, "broken", "anchor", manifest="name: &a X\nsummary: *a\n")
    repo.commit("clashes")
    return repo


def _problems(report: Report) -> list[str]:
    return [render(report.problems, report.checked, fmt) for fmt in ("text", "json", "github")]


FORKED = """
import pickle, sys
from pathlib import Path
from generator.checks import loading
from generator.checks.problems import render
from generator.checks.validate import validate
from generator.checks.verdicts import STORE
loading.FORK_FROM = 1  # fork workers even for this small catalog
root = Path(sys.argv[1])
(root / ".git" / STORE).unlink(missing_ok=True)
runs = [validate(root, lean=True), validate(root, lean=True), validate(root)]
seen = [[render(r.problems, r.checked, f) for f in ("text", "json", "github")] for r in runs]
stored = (root / ".git" / STORE).read_text("utf-8")
Path(sys.argv[2]).write_bytes(pickle.dumps([seen, [len(r.agents) for r in runs], stored]))
"""


@pytest.mark.parametrize("catalog", ["sample", "clashes"])
def test_lean_validate_forked_gives_the_whole_reports_problems(
    tmp_path: Path, catalog: str
) -> None:
    """Cold and warm, checked in forked workers (a fresh process: no other thread), the lean
    report prints what a report of whole agents checked here prints, and fills the same store."""
    repo = sample_repo(tmp_path) if catalog == "sample" else _clashing_repo(tmp_path)
    whole = validate(repo.root, store=False)
    assert whole.problems and whole.agents
    out = tmp_path / "forked.pickle"
    subprocess.run([sys.executable, "-c", FORKED, str(repo.root), str(out)], cwd=REPO, check=True)
    seen, kept, stored = pickle.loads(out.read_bytes())
    assert seen == [_problems(whole)] * 3
    assert kept == [0, 0, len(whole.agents)]  # a lean report holds no agents
    (repo.root / ".git" / STORE).unlink()
    validate(repo.root)  # the store as a report of whole agents, checked here, fills it
    assert json.loads(stored) == json.loads((repo.root / ".git" / STORE).read_text("utf-8"))


def test_the_command_prints_what_a_whole_report_holds(tmp_path: Path) -> None:
    repo = _clashing_repo(tmp_path)
    whole = validate(repo.root, store=False)
    rules = {p.rule for p in whole.problems}
    assert {"duplicate-name", "name-lookalike", "forked-from-unknown", "reserved-name"} <= rules
    lines = render(whole.problems, whole.checked, "text").splitlines()
    assert (
        "agents/harbor-labs/harbor-pilot/agent.yaml:2:7: warning[name-lookalike]: name 'Harbor "
        "Pilot' is one letter away from 'Harbor Pilots' (lookx/near-two); make sure the name "
        "cannot be mistaken for the other agent; reviewers check look-alikes"
    ) in lines  # where the name is written, read again for the rule that reports it
    cli = Cli(repo.root)
    for run in ("cold", "warm"):
        for fmt in ("text", "json", "github"):
            result = cli("validate", "--format", fmt)
            assert result.exit_code == 1, run
            assert result.stdout == render(whole.problems, whole.checked, fmt) + "\n", run


MANIFESTS = [
    "name: A\nversion: 1.0.0\ntags: [x, y]\nlinks:\n  repository: https://example.org\n",
    "# a comment\nname: 'Quoted'\ndescription: |\n  two\n  lines\nmaintainers:\n- a\n- b\n",
    "",
    "# only a comment\n",
    "---\nname: x\n...\n",
    "[1, 2, {a: b}]\n",
]


@pytest.mark.parametrize("text", MANIFESTS)
def test_a_yaml_document_crosses_a_pickle_with_its_positions(text: str) -> None:
    doc = load_yaml(text)
    again = pickle.loads(pickle.dumps(doc))
    assert (again.data, again.values, again.keys) == (doc.data, doc.values, doc.keys)
    assert again == doc
    for path in [*doc.values, *doc.keys, ("missing", 3)]:
        assert again.position(path) == doc.position(path)
        assert again.position(path, key=True) == doc.position(path, key=True)


def test_every_sample_manifest_crosses_a_pickle_with_its_positions() -> None:
    texts = [p.read_text("utf-8") for p in sorted((REPO / "agents").glob("*/*/agent.yaml"))]
    assert len(texts) > 5
    for text in texts:
        doc = load_yaml(text)
        again = pickle.loads(pickle.dumps(doc))
        assert (again.data, again.values, again.keys) == (doc.data, doc.values, doc.keys)
        smaller = pickle.dumps(load_yaml(text).data)  # the positions are not sent
        assert len(pickle.dumps(doc)) < len(smaller) + len(text) + 200


NAMES = """
import pickle, sys
from pathlib import Path
from generator.checks import loading
from generator.checks.validate import discover
loading.FORK_FROM = 1  # fork workers even for this small catalog
root = Path(sys.argv[1])
facts = {}
briefs = loading.load_briefs(root, discover(root)[0], None, facts=facts)
spelled = [(b.owner, b.slug, b.entry.name) for b in briefs]
Path(sys.argv[2]).write_bytes(pickle.dumps([facts, spelled]))
"""


def test_forked_checks_send_back_each_names_skeleton_and_reserved_word(tmp_path: Path) -> None:
    """The forked checks send back `name_facts` of every slug, owner and name they checked
    (also a name read from a manifest that fails its schema); checked here, a few agents get
    none, so a one-agent check still reads the skeleton store's table first."""
    repo = _clashing_repo(tmp_path)
    write_agent(repo.root, "broken", "no-schema", manifest="name: Schema Fail\nversion: 1\n")
    out = tmp_path / "names.pickle"
    subprocess.run([sys.executable, "-c", NAMES, str(repo.root), str(out)], cwd=REPO, check=True)
    facts, spelled = pickle.loads(out.read_bytes())
    texts = {text for row in spelled for text in row if text}
    assert "Schema Fail" in texts  # broken/no-schema: no manifest, a name in its data
    assert facts == name_facts(texts)
    assert facts["official-bot"][1] == "official" and facts["harbor-1abs"][1] is None
    here: Facts = {}
    load_briefs(repo.root, [("lookx", "near-one")], None, facts=here)
    assert here == {}


def test_a_rebuild_reuses_the_name_problems_of_unchanged_agents(tmp_path: Path) -> None:
    """`catalog serve` keeps checked agents between rebuilds (`cache`): an agent whose manifest
    is the same document keeps its look-alike problems, one whose manifest was read again gets
    them again, where its name now is, and the report is the one a fresh check gives."""
    repo = _clashing_repo(tmp_path)
    cache: AgentCache = {}
    validate(repo.root, cache=cache, store=False)
    before = {ref: hit[2] for ref, hit in _LAST[0].found.items()}
    assert before["lookx/near-two"] and before["lookx/near-one"]
    manifest = repo.root / "agents" / "lookx" / "near-two" / "agent.yaml"
    manifest.write_text("# moved down a line\n" + manifest.read_text("utf-8"), "utf-8")
    again = validate(repo.root, cache=cache, store=False)
    after = {ref: hit[2] for ref, hit in _LAST[0].found.items()}
    assert after["lookx/near-one"] is before["lookx/near-one"]
    assert after["lookx/near-two"] is not before["lookx/near-two"]
    lines = [(p.rule, p.line + 1) for p in before["lookx/near-two"]]
    assert [(p.rule, p.line) for p in after["lookx/near-two"]] == lines
    fresh = validate(repo.root, store=False)
    assert again.problems == fresh.problems and again.checked == fresh.checked
