"""`catalog verify`: the proof decisions over recorded GitHub API answers, well-known files and
TXT records (tests/data/verify/), and a verification recorded through a pull request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.test_pipeline import Catalog
from tests.test_teams import ORG, VERIFIED, _record, teams  # noqa: F401 - the fixture

DATA = Path(__file__).parent / "data" / "verify"


@pytest.mark.parametrize(
    ("answers", "code", "lines"),
    [
        ("harbor-labs", 0, ["harbor-labs: verified (github-org harbor-labs)"]),
        (
            "harbor-labs-left",
            1,
            [
                "harbor-labs: not verified (github-org harbor-labs): tomas-brandt is not a "
                "member of harbor-labs on GitHub"
            ],
        ),
        (
            "harbor-labs-user",
            1,
            [
                "harbor-labs: not verified (github-org harbor-labs): GitHub says harbor-labs is "
                "a User, not this org",
                "harbor-labs: not verified (github-org harbor-labs): ines-okafor is not an admin "
                "of harbor-labs on GitHub",
                "harbor-labs: not verified (github-org harbor-labs): tomas-brandt is not a "
                "member of harbor-labs on GitHub",
            ],
        ),
        (
            "harbor-labs-missing",
            1,
            [
                "harbor-labs: not verified (github-org harbor-labs): GitHub did not describe "
                "the org (Not Found)",
                "harbor-labs: not verified (github-org harbor-labs): GitHub did not list the "
                "org's members (does the token read the org?)",
            ],
        ),
    ],
)
def test_org_membership_from_recorded_api_answers(
    cli: Cli, answers: str, code: int, lines: list[str]
) -> None:
    _record(cli.root, "harbor-labs", ORG)
    result = cli("verify", "github-org", "Harbor-Labs", "--answers", str(DATA / answers))
    assert (result.exit_code, result.stdout.splitlines()) == (code, lines)


def test_domain_proofs_from_recorded_answers(cli: Cli) -> None:
    _record(cli.root, "quill-collective", ORG.replace("Harbor Labs", "Quill Collective"))
    ok = cli(
        "verify",
        "well-known",
        "quill-collective",
        "quill.example",
        "--answers",
        str(DATA / "well-known.txt"),
    )
    assert (ok.exit_code, ok.stdout) == (
        0,
        "quill-collective: verified (well-known quill.example)\n",
    )
    txt = cli(
        "verify",
        "dns-txt",
        "quill-collective",
        "quill.example",
        "--answers",
        str(DATA / "txt-records.txt"),
    )
    assert (txt.exit_code, txt.stdout) == (
        0,
        "quill-collective: verified (dns-txt quill.example)\n",
    )
    _record(cli.root, "harbor-labs", ORG)
    wrong = cli(
        "verify",
        "dns-txt",
        "harbor-labs",
        "quill.example",
        "--answers",
        str(DATA / "txt-records.txt"),
    )
    assert (wrong.exit_code, wrong.stdout) == (
        1,
        "harbor-labs: not verified (dns-txt quill.example): _public-agents-catalog.quill.example "
        "has 'v=spf1 -all', 'owner=quill-collective', not 'owner=harbor-labs'\n",
    )


def test_no_record_no_verification(cli: Cli) -> None:
    result = cli("verify", "github-org", "nobody", "--answers", str(DATA / "harbor-labs"))
    assert (result.exit_code, result.stderr) == (
        1,
        "error: owners/nobody.yaml does not exist; only an owner with a record can be verified\n",
    )


def test_a_verification_is_recorded_and_shown(teams: Catalog) -> None:  # noqa: F811
    """A catalog maintainer records the confirmed proof; the built site marks the owner."""

    def confirm(root: Path) -> None:
        result = Cli(root)(
            "verify",
            "github-org",
            "harbor-labs",
            "--answers",
            str(DATA / "harbor-labs"),
            "--record",
            "2026-01-20",
        )
        assert result.stdout.endswith("wrote owners/harbor-labs.yaml\n"), result.stdout

    teams.pull_request("verify", confirm)
    teams.git("checkout", "--quiet", "--detach", "main")
    teams.git("merge", "--quiet", "--no-ff", "--no-edit", "verify")
    base = teams.git("rev-parse", "main")
    gate = teams.cli("validate", "--base", base, "--author", "alice", "--maintainer")
    teams.git("checkout", "--quiet", "--force", "main")
    assert gate.exit_code == 0 and "notice[needs-maintainer]" in gate.stdout
    teams.merge("verify", "merge")
    text = (teams.repo.root / "owners" / "harbor-labs.yaml").read_text()
    assert text.endswith(
        "verification:\n  method: github-org\n  subject: harbor-labs\n  date: 2026-01-20\n"
    )
    built = teams.build()
    assert built.catalog is not None and built.catalog.verified("harbor-labs")


def test_the_verified_mark_on_every_output(teams: Catalog) -> None:  # noqa: F811
    """Owner page (members, the proof), agent page, listings, search, browse data and the API."""
    _record(teams.repo.root, "harbor-labs", ORG + VERIFIED)
    teams.repo.commit("Verify harbor-labs")
    built = teams.build()
    assert built.generated is not None
    docs = teams.repo.root / "catalog"
    owner = (docs / "owners/harbor-labs/index.html").read_text()
    assert '<h1>Harbor Labs <span class="pac-verified"' in owner
    assert "GitHub confirmed the organization harbor-labs" in owner
    assert 'ines-okafor</a> <span class="pac-ref">admin</span>' in owner
    mark = '<span class="pac-verified"'
    assert mark in (docs / "agents/harbor-labs/harbor-bot/index.html").read_text()
    assert mark not in (docs / "agents/alice/tide-clock/index.html").read_text()
    assert f"harbor-labs/harbor-bot {mark}" in (docs / "tags/assistant/index.md").read_text()
    owners = json.loads((docs / "api/v1/owners.json").read_text())["owners"]
    assert [(o["login"], o["kind"], o["verified"]) for o in owners] == [
        ("alice", "user", False),
        ("harbor-labs", "org", True),
    ]
    assert owners[1]["members"] == [
        {"login": "ines-okafor", "role": "admin"},
        {"login": "tomas-brandt", "role": "publisher"},
    ]
    agents = json.loads((docs / "api/v1/agents.json").read_text())["agents"]
    assert [(a["ref"], a["owner_verified"]) for a in agents] == [
        ("alice/tide-clock", False),
        ("harbor-labs/harbor-bot", True),
    ]
    assert json.loads((docs / "search/index.json").read_text())["verified"] == ["harbor-labs"]
    assert json.loads((docs / "browse.json").read_text())["verified"] == ["harbor-labs"]
