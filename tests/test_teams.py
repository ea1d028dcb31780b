"""Teams and verified publishers (issue 15), as pull requests in real git repositories.

main holds the org harbor-labs (owners/harbor-labs.yaml: ines-okafor admin, tomas-brandt
publisher) with harbor-labs/harbor-bot (maintained by tomas-brandt), and the user alice with
alice/tide-clock. Each test opens a pull request as a branch, runs the gate on its merge result
(`catalog validate --base main --author LOGIN`), and when it passes merges it and builds main.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.checks.validate import validate
from tests.conftest import Cli, GitRepo, write_agent
from tests.test_pipeline import STRATEGIES, Catalog

ORG = """kind: org
name: Harbor Labs
members:
  - {login: ines-okafor, role: admin}
  - {login: tomas-brandt, role: publisher}
"""
VERIFIED = "verification: {method: github-org, subject: harbor-labs, date: 2026-01-15}\n"
BOT = "agents/harbor-labs/harbor-bot"


def _record(root: Path, login: str, text: str) -> None:
    (root / "owners").mkdir(exist_ok=True)
    (root / "owners" / f"{login}.yaml").write_text(text, "utf-8")


@pytest.fixture
def teams(repo: GitRepo, cli: Cli) -> Catalog:
    _record(repo.root, "harbor-labs", ORG)
    write_agent(repo.root, owner="harbor-labs", maintainers=["tomas-brandt"])
    write_agent(repo.root, owner="alice", slug="tide-clock", name="Tide Clock")
    repo.commit("Seed a catalog with an org")
    assert validate(repo.root).ok
    made = Catalog(repo, cli)
    made.remember_validated()
    return made


def _gate(teams: Catalog, branch: str, author: str, *changes: object) -> tuple[int, list[str]]:
    teams.pull_request(branch, *changes)  # type: ignore[arg-type]
    return teams.gate(branch, author)


def _new_agent(root: Path) -> None:
    write_agent(root, owner="harbor-labs", slug="quay-guide", name="Quay Guide")


def _bump_bot(root: Path) -> None:
    write_agent(root, owner="harbor-labs", maintainers=["tomas-brandt"], version="1.0.1")


@pytest.mark.parametrize("author", ["tomas-brandt", "Tomas-Brandt", "ines-okafor"])
def test_an_org_member_publishes_under_the_org(teams: Catalog, author: str) -> None:
    code, lines = _gate(teams, "quay", author, _new_agent)
    assert (code, lines) == (0, ["1 agent valid"])
    teams.merge("quay", "merge")
    built = teams.build()
    assert built.catalog is not None and "harbor-labs/quay-guide" in built.catalog.by_ref


def test_a_non_member_is_refused_under_the_org(teams: Catalog) -> None:
    code, lines = _gate(teams, "quay", "mallory", _new_agent)
    assert (code, lines[0]) == (
        1,
        "agents/harbor-labs/quay-guide: error[author-not-allowed]: mallory cannot add an agent "
        "under agents/harbor-labs/: not a member of the org harbor-labs; ask an admin of "
        "harbor-labs to add you to owners/harbor-labs.yaml as publisher, or submit it as "
        "agents/mallory/quay-guide/",
    )


def test_the_org_login_itself_is_not_a_member(teams: Catalog) -> None:
    """An org never opens a pull request; a user account named like it is refused too."""
    code, lines = _gate(teams, "quay", "harbor-labs", _new_agent)
    assert code == 1 and "[author-not-allowed]" in lines[0]


def test_a_publisher_changes_only_the_agents_they_maintain(teams: Catalog) -> None:
    code, lines = _gate(teams, "bump", "tomas-brandt", _bump_bot)
    assert (code, lines) == (0, ["1 agent valid"])
    unmaintained = lambda root: write_agent(root, owner="harbor-labs", version="1.0.1")  # noqa: E731
    teams.pull_request("drop", unmaintained)
    assert teams.gate("drop", "ines-okafor") == (0, ["1 agent valid"])
    teams.merge("drop", "squash")
    code, lines = _gate(
        teams,
        "again",
        "tomas-brandt",
        lambda root: write_agent(root, owner="harbor-labs", version="1.0.2"),
    )
    assert (code, lines[0]) == (
        1,
        f"{BOT}: error[author-not-allowed]: tomas-brandt is neither the owner nor a maintainer "
        "of harbor-labs/harbor-bot, nor an admin of harbor-labs; ask the owner to add you to "
        "maintainers first, or submit under agents/<your-login>/",
    )


def test_only_an_org_admin_deletes(teams: Catalog) -> None:
    def remove(root: Path) -> None:
        teams.git("rm", "-r", "--quiet", BOT)

    code, lines = _gate(teams, "rm", "tomas-brandt", remove)
    assert (code, lines[0]) == (
        1,
        f"{BOT}: error[delete-not-owner]: tomas-brandt deleted harbor-labs/harbor-bot, which "
        "only an admin of harbor-labs may remove; only the owner may remove an agent; ask a "
        "maintainer to report it instead",
    )
    assert teams.gate("rm", "INES-OKAFOR") == (0, ["0 agents valid"])


def test_an_unclaimed_org_namespace_needs_a_record(teams: Catalog) -> None:
    code, lines = _gate(
        teams, "quill", "hana-sato", lambda root: write_agent(root, owner="quill-collective")
    )
    assert (code, lines[0]) == (
        1,
        "agents/quill-collective/harbor-bot: error[org-needs-record]: hana-sato cannot add an "
        "agent under agents/quill-collective/: no owner record makes quill-collective an org "
        "hana-sato belongs to; submit it as agents/hana-sato/harbor-bot/; for your org, claim "
        "it in owners/quill-collective.yaml with yourself as admin",
    )


CLAIM = "kind: org\nname: Quill Collective\nmembers:\n  - {login: hana-sato, role: admin}\n"


def _claim(root: Path) -> None:
    _record(root, "quill-collective", CLAIM)
    write_agent(root, owner="quill-collective", slug="marginalia", name="Marginalia")


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_the_first_claim_of_an_org_passes_with_a_notice(teams: Catalog, strategy: str) -> None:
    code, lines = _gate(teams, "claim", "Hana-Sato", _claim)
    assert (code, lines) == (
        0,
        [
            "owners/quill-collective.yaml: notice[owner-claim]: hana-sato claims the org "
            "namespace quill-collective: the first claim of an org needs a catalog maintainer's "
            "approval; a catalog maintainer approves the pull request after checking the org on "
            "GitHub",
            "1 agent valid, 1 notice",
        ],
    )
    teams.merge("claim", strategy)
    built = teams.build()
    assert built.catalog is not None
    assert built.catalog.owner_records["quill-collective"].role("hana-sato") == "admin"


def test_a_claim_must_name_its_author_admin(teams: Catalog) -> None:
    code, lines = _gate(teams, "claim", "mallory", _claim)
    assert code == 1
    assert (
        "owners/quill-collective.yaml: error[owner-record-not-allowed]: mallory creates "
        "owners/quill-collective.yaml: a claim of the org quill-collective lists its author as "
        "admin; ask an admin of the org to make the change, or list yourself as admin when "
        "claiming"
    ) in lines


def test_a_user_record_is_its_login_s_own(teams: Catalog) -> None:
    user = "kind: user\nname: Alice\n"
    assert _gate(teams, "me", "Alice", lambda r: _record(r, "alice", user)) == (
        0,
        ["0 agents valid"],
    )
    code, lines = _gate(teams, "you", "mallory", lambda r: _record(r, "alice", user))
    assert (code, lines[0]) == (
        1,
        "owners/alice.yaml: error[owner-record-not-allowed]: mallory creates owners/alice.yaml: "
        "only alice may write a user record of alice; ask an admin of the org to make the "
        "change, or list yourself as admin when claiming",
    )


PROMOTED = ORG.replace("tomas-brandt, role: publisher", "tomas-brandt, role: admin")


def test_only_an_admin_changes_the_org_record(teams: Catalog) -> None:
    code, lines = _gate(teams, "up", "tomas-brandt", lambda r: _record(r, "harbor-labs", PROMOTED))
    assert (code, lines[0]) == (
        1,
        "owners/harbor-labs.yaml: error[owner-record-not-allowed]: tomas-brandt changes "
        "owners/harbor-labs.yaml: only an admin of harbor-labs (at the base) may change it; ask "
        "an admin of the org to make the change, or list yourself as admin when claiming",
    )
    assert teams.gate("up", "ines-okafor") == (0, ["0 agents valid"])
    code, lines = teams.gate("up", "Alice")
    assert (code, "alice changes owners/harbor-labs.yaml" in lines[0]) == (1, True)


def test_a_catalog_maintainer_s_record_change_is_a_notice(teams: Catalog) -> None:
    teams.pull_request("fix", lambda r: _record(r, "harbor-labs", PROMOTED))
    teams.git("checkout", "--quiet", "--detach", "main")
    teams.git("merge", "--quiet", "--no-ff", "--no-edit", "fix")
    base = teams.git("rev-parse", "main")
    result = teams.cli("validate", "--base", base, "--author", "alice", "--maintainer")
    teams.git("checkout", "--quiet", "--force", "main")
    assert (result.exit_code, result.stdout.splitlines()) == (
        0,
        [
            "owners/harbor-labs.yaml: notice[needs-maintainer]: alice, a catalog maintainer, "
            "changes owners/harbor-labs.yaml; another catalog maintainer (a code owner) reviews "
            "and approves the pull request",
            "0 agents valid, 1 notice",
        ],
    )


def test_only_catalog_maintainers_record_a_verification(teams: Catalog) -> None:
    verified = lambda r: _record(r, "harbor-labs", ORG + VERIFIED)  # noqa: E731
    code, lines = _gate(teams, "verify", "ines-okafor", verified)
    assert (code, lines[0]) == (
        1,
        "owners/harbor-labs.yaml: error[verification-not-allowed]: ines-okafor sets the "
        "verification of harbor-labs; leave verification out; ask the catalog maintainers to "
        "verify the org or domain",
    )
    teams.git("checkout", "--quiet", "--detach", "main")
    teams.git("merge", "--quiet", "--no-ff", "--no-edit", "verify")
    base = teams.git("rev-parse", "main")
    result = teams.cli("validate", "--base", base, "--author", "ines-okafor", "--maintainer")
    teams.git("checkout", "--quiet", "--force", "main")
    assert (result.exit_code, result.stdout.splitlines()) == (
        0,
        [
            "owners/harbor-labs.yaml: notice[needs-maintainer]: ines-okafor, a catalog "
            "maintainer, records a verification of harbor-labs; another catalog maintainer "
            "checks `catalog verify`'s output and approves",
            "0 agents valid, 1 notice",
        ],
    )
    teams.merge("verify", "merge")
    built = teams.build()
    assert built.catalog is not None and built.catalog.owner_records["harbor-labs"].verified


def _transfer(version: str) -> object:
    def move(root: Path) -> None:
        teams_git = GitRepo(root)
        teams_git.git("mv", "agents/alice/tide-clock", "agents/harbor-labs/tide-clock")
        write_agent(
            root, owner="harbor-labs", slug="tide-clock", name="Tide Clock", version=version
        )

    return move


def _join(root: Path) -> None:
    _record(root, "harbor-labs", ORG + "  - {login: alice, role: publisher}\n")


def test_a_transfer_needs_both_sides_and_a_new_version(teams: Catalog) -> None:
    code, lines = _gate(teams, "t1", "alice", _transfer("1.1.0"))
    assert (code, lines[0]) == (
        1,
        "agents/harbor-labs/tide-clock: error[transfer-not-allowed]: alice moves "
        "alice/tide-clock to harbor-labs/tide-clock but is not harbor-labs nor a member of that "
        "org; have someone who speaks for both namespaces open the transfer, or list the new "
        "owner's login in maintainers first and let them open it",
    )
    code, lines = teams.gate("t1", "ines-okafor")
    assert (code, lines[0]) == (
        1,
        "agents/harbor-labs/tide-clock: error[transfer-not-allowed]: ines-okafor moves "
        "alice/tide-clock to harbor-labs/tide-clock but does not own, administer or maintain "
        "alice/tide-clock; have someone who speaks for both namespaces open the transfer, or "
        "list the new owner's login in maintainers first and let them open it",
    )
    teams.pull_request("join", _join)
    teams.merge("join", "merge")
    code, lines = _gate(teams, "t2", "alice", _transfer("1.0.0"))
    assert (code, lines[0]) == (
        1,
        "agents/harbor-labs/tide-clock/agent.yaml:4:10: error[version-not-bumped]: the agent "
        "changed but version 1.0.0 is still 1.0.0; set version: 1.0.1 or higher",
    )


def _fork(source: str, version: str) -> object:
    def write(root: Path) -> None:
        write_agent(
            root,
            owner="alice",
            slug="tide-fork",
            name="Tide Fork",
            version=version,
            forked_from=f"{source}@1.0.0",
        )

    return write


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_transfer_redirects_and_keeps_its_versions_and_lineage(
    teams: Catalog, strategy: str
) -> None:
    """alice joins harbor-labs and hands alice/tide-clock over; her fork follows it."""
    teams.pull_request("join", _join)
    teams.merge("join", "merge")
    teams.pull_request("fork", _fork("alice/tide-clock", "1.0.0"))
    assert teams.gate("fork", "alice") == (0, ["1 agent valid"])
    teams.merge("fork", "merge")
    code, lines = _gate(teams, "orphan", "alice", _transfer("1.1.0"))
    assert (code, "[forked-from-unknown]" in lines[0]) == (1, True)  # the fork names the old place
    move = _gate(
        teams, "move", "Alice", _transfer("1.1.0"), _fork("harbor-labs/tide-clock", "1.0.1")
    )
    assert move == (0, ["2 agents valid"])
    teams.merge("move", strategy)
    built = teams.build()
    assert built.catalog is not None and built.generated is not None
    agent = built.catalog.by_ref["harbor-labs/tide-clock"]
    assert [v.version for v in agent.versions] == ["1.0.0", "1.1.0"]
    assert agent.forks == ("alice/tide-fork",)
    gone = {g.ref: g for g in built.catalog.gone}
    assert (gone["alice/tide-clock"].moved_to, gone["alice/tide-clock"].versions) == (
        "harbor-labs/tide-clock",
        ("1.0.0",),
    )


def test_records_are_checked_like_manifests(cli: Cli) -> None:
    write_agent(cli.root, owner="harbor-labs")
    _record(cli.root, "harbor-labs", ORG)
    _record(cli.root, "harb0r-labs", ORG)
    _record(cli.root, "official", "kind: user\nname: Official\n")
    _record(cli.root, "quill", "kind: user\nname: Quill\nmembers: [{login: a, role: admin}]\n")
    _record(cli.root, "tide", "kind: org\nname: Tide\nmembers: [{login: a, role: publisher}]\n")
    _record(cli.root, "wren", "kind: team\nname: Wren\n")
    _record(cli.root, "brand", "kind: user\nname: ElizaOS Official Tools\n")
    _record(
        cli.root,
        "pier",
        VERIFIED.replace(
            "verification",
            "kind: org\nname: Pier\nmembers: [{login: a, role: admin}]\nverification",
        ),
    )
    (cli.root / "owners" / "Harbor-Labs.yaml").write_text(ORG)
    assert cli("validate").stdout.splitlines() == [
        "owners/Harbor-Labs.yaml: error[owner-record-name]: 'Harbor-Labs.yaml' is not "
        "<lowercase login>.yaml; rename it to owners/harbor-labs.yaml",
        "owners/brand.yaml:2:7: error[reserved-name]: name 'ElizaOS Official Tools' claims "
        "'official' and the owner is not verified; choose another name; reserved names belong to "
        "the catalog and the elizaOS project",
        "owners/harb0r-labs.yaml: error[owner-confusable]: owner 'harb0r-labs' looks the same as "
        "'harbor-labs'; publish under your own GitHub login; impersonating an owner gets agents "
        "removed",
        "owners/official.yaml: error[reserved-name]: owner 'official' uses the reserved name "
        "'official'; choose another name; reserved names belong to the catalog and the elizaOS "
        "project",
        "owners/official.yaml:2:7: error[reserved-name]: name 'Official' claims 'official' and "
        "the owner is not verified; choose another name; reserved names belong to the catalog "
        "and the elizaOS project",
        "owners/pier.yaml: error[owner-record-invalid]: verification github-org 'harbor-labs' "
        "does not prove the org 'pier'; fix the record (see the owner record reference); "
        "`catalog docs` writes its schema",
        "owners/quill.yaml:1:1: error[owner-record-invalid]: record: a user record has no "
        "members; use kind: org for a team; fix the record (see the owner record reference); "
        "`catalog docs` writes its schema",
        "owners/tide.yaml:1:1: error[owner-record-invalid]: record: an org record needs at least "
        "one member with role: admin; fix the record (see the owner record reference); "
        "`catalog docs` writes its schema",
        "owners/wren.yaml:1:7: error[owner-record-invalid]: kind: Input should be 'user' or "
        "'org'; fix the record (see the owner record reference); `catalog docs` writes its "
        "schema",
        "9 errors in 8 other files",
    ]


def test_one_agent_s_check_judges_its_owner_s_record_against_every_owner(cli: Cli) -> None:
    """`catalog validate PATHS` reads only the records of those agents' owners, still compared
    with every owner's login; other records' problems are the whole catalog's to report."""
    write_agent(cli.root, owner="harbor-labs")
    write_agent(cli.root, owner="quill", slug="quill-bot", name="Quill Bot")
    _record(cli.root, "harbor-labs", ORG)
    _record(cli.root, "harb0r-labs", ORG)
    _record(cli.root, "quill", "kind: user\nname: Quill\nmembers: [{login: a, role: admin}]\n")
    _record(cli.root, "wren", "kind: team\nname: Wren\n")
    (cli.root / "owners" / "Harbor-Labs.yaml").write_text(ORG)
    assert cli("validate", BOT).stdout.splitlines() == ["1 agent valid"]
    quill = cli("validate", "agents/quill/quill-bot")
    assert (quill.exit_code, quill.stdout.splitlines()) == (
        1,
        [
            "owners/quill.yaml:1:1: error[owner-record-invalid]: record: a user record has no "
            "members; use kind: org for a team; fix the record (see the owner record reference); "
            "`catalog docs` writes its schema",
            "1 error in owners/quill.yaml",
        ],
    )
    everything = cli("validate").stdout
    assert all(f"owners/{o}" in everything for o in ("quill", "wren", "Harbor-Labs", "harb0r"))
    write_agent(cli.root, owner="harb0r-labs", slug="pier-bot", name="Pier Bot")
    twin = cli("validate", "agents/harb0r-labs/pier-bot").stdout.splitlines()
    assert any(line.startswith("owners/harb0r-labs.yaml: error[owner-confusable]") for line in twin)


def test_the_sample_records_follow_the_published_schema() -> None:
    """The sample orgs' records validate, and the editor schema `catalog docs` writes agrees."""
    import jsonschema
    import yaml

    from generator.checks.owners import load_owners

    root = Path(__file__).resolve().parents[1]
    schema = json.loads((root / "catalog/schema/owner.schema.json").read_text())
    loaded, stray = load_owners(root)
    assert stray == [] and all(item.problems == () for item in loaded.values())
    orgs = sorted(k for k, v in loaded.items() if v.record and v.record.kind == "org")
    assert orgs == [
        "agora-works",
        "harbor-labs",
        "nodewatch",
        "open-tutors",
        "quill-collective",
        "rustacean-guild",
        "sandbar-capital",
        "vitrine-studio",
    ]
    for login in loaded:
        data = yaml.safe_load((root / "owners" / f"{login}.yaml").read_text())
        data = json.loads(json.dumps(data, default=str))  # dates as JSON has them
        jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"kind": "team", "name": "Wren"}, schema)


def test_a_claim_never_takes_over_agents_already_there(teams: Catalog) -> None:
    """Claiming an unclaimed namespace lets its author add agents, not change existing ones."""
    write_agent(teams.repo.root, owner="quill-collective", slug="evening-wire", name="Evening Wire")
    teams.repo.commit("quill-collective publishes before any claim")

    def takeover(root: Path) -> None:
        _record(root, "quill-collective", CLAIM)
        write_agent(
            root,
            owner="quill-collective",
            slug="evening-wire",
            name="Evening Wire",
            version="2.0.0",
        )

    code, lines = _gate(teams, "takeover", "hana-sato", takeover)
    assert code == 1
    assert lines[0] == (
        "agents/quill-collective/evening-wire: error[author-not-allowed]: hana-sato is neither "
        "the owner nor a maintainer of quill-collective/evening-wire; ask the owner to add you "
        "to maintainers first, or submit under agents/<your-login>/"
    )


@pytest.mark.parametrize(
    ("login", "line"),
    [
        (
            "harb0r-labs",
            "owners/harb0r-labs.yaml: error[owner-confusable]: owner 'harb0r-labs' looks the same "
            "as 'harbor-labs'; publish under your own GitHub login; impersonating an owner gets "
            "agents removed",
        ),
        (
            "harbor-lab",
            "owners/harbor-lab.yaml: warning[owner-lookalike]: owner 'harbor-lab' is one letter "
            "away from 'harbor-labs'; reviewers check that the owner is not impersonating the "
            "other one",
        ),
        (
            "support",
            "owners/support.yaml: error[reserved-name]: owner 'support' uses the reserved name "
            "'support'; choose another name; reserved names belong to the catalog and the "
            "elizaOS project",
        ),
    ],
)
def test_a_claim_goes_through_the_look_alike_rules(teams: Catalog, login: str, line: str) -> None:
    claim = "kind: org\nname: Harbour\nmembers:\n  - {login: mallory, role: admin}\n"
    code, lines = _gate(teams, "claim", "mallory", lambda root: _record(root, login, claim))
    assert line in lines
    assert code == (0 if "warning" in line else 1)
