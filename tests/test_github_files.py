"""The repository's GitHub files are real: schema-valid workflows and issue forms (the GitHub
schemas check-jsonschema ships), no zizmor finding of medium severity or above, and the properties
the catalog relies on (read-only pull requests, pinned actions, full history, least privilege)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.catalog.settings import CONFIG, read_site
from generator.checks.capabilities import TABLE
from generator.checks.plugins import REGISTRY_DIR as PLUGINS
from tests.conftest import CHARACTER, REPO, GitRepo, new_catalog, write_agent

GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
FORM = GITHUB / "ISSUE_TEMPLATE" / "report-agent.yml"
ISSUE_CONFIG = GITHUB / "ISSUE_TEMPLATE" / "config.yml"
PINNED = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w.-]+(?:/[\w.-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def tool(name: str) -> str:
    """A command installed with the dev extras, next to this Python first."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: pip install -e '.[dev]' (make test does it)")
    return found


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    return {on: None} if isinstance(on, str) else dict(on)


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


@pytest.mark.parametrize(
    ("schema", "paths"),
    [
        ("vendor.github-workflows", WORKFLOWS),
        ("vendor.github-issue-forms", [FORM]),
        ("vendor.github-issue-config", [ISSUE_CONFIG]),
    ],
)
def test_files_match_githubs_schemas(schema: str, paths: list[Path]) -> None:
    done = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", schema, *map(str, paths)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_finds_nothing_of_medium_severity_or_above() -> None:
    done = subprocess.run(
        [
            tool("zizmor"),
            "--offline",
            "--no-progress",
            "--min-severity",
            "medium",
            str(GITHUB / "workflows"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_actions_are_pinned_and_scripts_take_no_inline_expressions(path: Path) -> None:
    text = path.read_text("utf-8")
    uses = [line for line in text.splitlines() if "uses:" in line]
    assert uses and all(PINNED.match(line) for line in uses), "pin by full SHA with # vX.Y.Z"
    for step in steps(load(path)):
        assert "${{" not in step.get("run", ""), f"pass values through env: {step}"
        if "actions/checkout@" in step.get("uses", ""):
            assert step["with"] == {"fetch-depth": 0, "persist-credentials": False}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_install_the_generator_from_its_checkout(path: Path) -> None:
    """The generator reads `data/` (plugin registry, capability table) and `site-config/` from
    the checkout it runs from, so a plain `pip install .` gives a catalog that cannot find
    them; every workflow installs it editable, as the README's commands do."""
    installs = [
        line.strip()
        for step in steps(load(path))
        for line in step.get("run", "").splitlines()
        if re.search(r"\bpip install\b", line)
    ]
    assert all(" -e " in f"{line} " for line in installs), installs
    assert PLUGINS.is_relative_to(REPO) and TABLE.is_relative_to(REPO)


def test_validate_runs_on_pull_requests_read_only() -> None:
    path = GITHUB / "workflows" / "validate.yml"
    workflow = load(path)
    assert set(triggers(workflow)) == {"pull_request"}
    code = [line for line in path.read_text("utf-8").splitlines() if not line.startswith("#")]
    assert not any("pull_request_target" in line for line in code)
    assert workflow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in workflow["jobs"].values())
    run = {step.get("id"): step for step in steps(workflow)}["validate"]
    assert (
        'catalog validate --base "$BASE_SHA" --author "$AUTHOR" "${role[@]}" --format github'
        in run["run"]
    )
    assert run["env"] == {
        "BASE_SHA": "${{ github.event.pull_request.base.sha }}",
        "AUTHOR": "${{ github.event.pull_request.user.login }}",
        "ASSOCIATION": "${{ github.event.pull_request.author_association }}",
    }
    assert any("GITHUB_STEP_SUMMARY" in step.get("run", "") for step in steps(workflow))


def _pull_request(
    repo: GitRepo, *, maintainer_file: bool, agent_error: bool, claim: bool = False
) -> str:
    """A base commit with one agent, then a pull request's changes in the working tree (with
    `claim`, acme also claims the org harbor-labs and publishes its first agent)."""
    write_agent(repo.root)
    base = repo.commit("Publish harbor-bot")
    if claim:
        (repo.root / "owners").mkdir()
        (repo.root / "owners/harbor-labs.yaml").write_text(
            "kind: org\nname: Harbor Labs\nmembers: [{login: acme, role: admin}]\n"
        )
        write_agent(repo.root, owner="harbor-labs", slug="quay-guide", name="Quay Guide")
    summary = "Answers harbor questions, now with tides."
    write_agent(repo.root, version="1.0.0" if agent_error else "1.0.1", summary=summary)
    if maintainer_file:
        (repo.root / "moderation.yaml").write_text("# decisions\n")
    return base


def _run_step(
    step: dict[str, Any], root: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """A workflow step's script, run by bash as the runner would, with the installed catalog."""
    path = f"{Path(tool('catalog')).parent}:/usr/bin:/bin"
    return subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=root,
        env={**step["env"], **env, "PATH": path, "RUNNER_TEMP": str(root.parent)},
        capture_output=True,
        text=True,
    )


REVIEW = (
    "- A catalog maintainer other than the author (a code owner) reviews and approves the files "
    "outside agent folders marked notice[needs-maintainer]."
)
NO_REVIEW = (
    "- None from a code owner: every changed file is in an agent folder the author owns or "
    "maintains."
)
FIX_FIRST = "- None can merge it yet: the check fails until every error below is fixed."
CLAIM = (
    "- A catalog maintainer checks on GitHub that the org marked notice[owner-claim] exists and "
    "that the author administers it, then approves: the first claim of an org namespace needs a "
    "catalog maintainer's approval."
)


@pytest.mark.parametrize(
    ("association", "maintainer_file", "agent_error", "code", "approvals"),
    [
        ("NONE", False, False, 0, [NO_REVIEW]),
        ("NONE", "claim", False, 0, [CLAIM]),
        ("MEMBER", "claim", True, 1, [CLAIM, FIX_FIRST]),
        ("NONE", False, True, 1, [FIX_FIRST]),
        ("CONTRIBUTOR", True, False, 1, [FIX_FIRST]),
        ("MEMBER", True, False, 0, [REVIEW]),
        ("OWNER", True, False, 0, [REVIEW]),
        ("COLLABORATOR", True, True, 1, [REVIEW, FIX_FIRST]),
    ],
)
def test_validate_workflow_judges_the_author_and_says_which_approvals_remain(
    tmp_path: Path,
    association: str,
    maintainer_file: bool,
    agent_error: bool,
    code: int,
    approvals: list[str],
) -> None:
    """The two steps' own scripts, run in a real repository: OWNER, MEMBER and COLLABORATOR
    authors get --maintainer, and the job summary names the approvals still needed."""
    root = new_catalog(tmp_path / "repo")
    repo = GitRepo(root)
    repo.git("init", "--quiet", "--initial-branch=main")
    claim = maintainer_file == "claim"
    maintainer_file = maintainer_file is True
    base = _pull_request(
        repo, maintainer_file=maintainer_file, agent_error=agent_error, claim=claim
    )
    workflow = load(GITHUB / "workflows" / "validate.yml")
    by_name = {step.get("name"): step for step in steps(workflow)}
    event = {"BASE_SHA": base, "AUTHOR": "acme", "ASSOCIATION": association}
    check = _run_step(by_name["Validate the pull request"], root, event)
    assert check.returncode == code, check.stdout + check.stderr
    maintainer = association in ("OWNER", "MEMBER", "COLLABORATOR")
    rule = (
        "notice file=moderation.yaml,title=needs-maintainer"
        if maintainer
        else "error file=moderation.yaml,title=path-not-allowed"
    )
    assert (f"::{rule}::" in check.stdout) == maintainer_file, check.stdout
    summary = root.parent / "summary.md"
    outcome = "success" if code == 0 else "failure"
    done = _run_step(
        by_name["Job summary"],
        root,
        {**event, "OUTCOME": outcome, "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert done.returncode == 0, done.stderr
    text = summary.read_text("utf-8").splitlines()
    start = text.index("### Approvals this pull request needs") + 2
    assert text[start : text.index("~~~text") - 1] == approvals
    assert text[0] == f"## Catalog validation {'passed' if code == 0 else 'failed'}"
    fence = text.index("~~~text")
    report = text[fence + 1 : text.index("~~~", fence + 1)]
    line = "notice[needs-maintainer]" if maintainer else "error[path-not-allowed]"
    assert any(r.startswith(f"moderation.yaml: {line}") for r in report) == maintainer_file


def test_deploy_builds_from_main_and_only_the_deploy_job_may_write() -> None:
    workflow = load(GITHUB / "workflows" / "deploy.yml")
    assert triggers(workflow)["push"] == {"branches": ["main"]}
    assert workflow["permissions"] == {}
    assert workflow["concurrency"]["group"] == "pages"
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert "write" not in build["permissions"].values()
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    uses = [step.get("uses", "").split("@")[0] for step in steps(workflow)]
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses)
    runs = [step.get("run", "") for step in build["steps"]]
    assert any(run.split("#")[0].strip() == "make build" for run in runs)
    # `make build` must end: the deploy job would hang on a target that starts the preview server.
    recipe = (REPO / "Makefile").read_text().split("\nbuild:", 1)[1].split("\n\n", 1)[0]
    assert "catalog build" in recipe and "serve" not in recipe.split("##")[1].split("\n", 1)[1]


def test_registry_refresh_is_scheduled_and_only_its_pull_request_job_may_write() -> None:
    """Weekly and by hand, never on pull requests; reads by default, and the job that pushes the
    fixed branch runs only when `catalog registry-update` said the snapshot changed (exit 0;
    3 is "nothing changed", cli/registry.py UNCHANGED)."""
    from generator.cli.registry import UNCHANGED

    path = GITHUB / "workflows" / "registry-refresh.yml"
    workflow = load(path)
    on = triggers(workflow)
    assert set(on) == {"schedule", "workflow_dispatch"}
    assert [set(entry) for entry in on["schedule"]] == [{"cron"}]
    assert "pull_request" not in path.read_text("utf-8")
    assert workflow["permissions"] == {}
    check, pull = workflow["jobs"]["check"], workflow["jobs"]["pull-request"]
    assert check["permissions"] == {"contents": "read"}
    assert check["if"] == "github.ref == 'refs/heads/main'"
    assert pull["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert pull["needs"] == "check"
    assert pull["if"] == "needs.check.outputs.changed == 'true'"
    assert workflow["env"]["BRANCH"] == "registry-refresh"
    compare = {step.get("id"): step for step in check["steps"]}["compare"]["run"]
    assert "catalog registry-update" in compare
    assert f"{UNCHANGED}) changed=false" in compare and "0) changed=true" in compare
    runs = "\n".join(step.get("run", "") for step in pull["steps"])
    assert '--body-file "$RUNNER_TEMP/summary.md"' in runs
    assert 'git push --force origin "HEAD:refs/heads/$BRANCH"' in runs
    uses = {step["uses"].split("@")[0] for step in steps(workflow) if "uses" in step}
    assert uses == {"actions/checkout", "actions/setup-python"}  # gh opens the pull request


def test_report_form_asks_what_the_policy_needs() -> None:
    form = load(FORM)
    fields = {f["id"]: f for f in form["body"] if "id" in f}
    assert list(fields) == ["agent", "version", "reason", "details", "evidence"]
    assert fields["reason"]["attributes"]["options"] == [
        "Scam or impersonation",
        "Leaked secret",
        "Malicious or unsafe instructions",
        "Broken",
        "Spam",
        "Other",
    ]
    assert form["labels"] == ["report", "needs-triage"]


def test_blank_issues_are_off_and_the_policy_is_linked() -> None:
    config = load(ISSUE_CONFIG)
    assert config["blank_issues_enabled"] is False
    assert any("policy" in link["url"] for link in config["contact_links"])


@pytest.mark.skipif(not (REPO / CONFIG).is_file(), reason="no mkdocs.yml yet")
@pytest.mark.parametrize(
    "path",
    [
        ISSUE_CONFIG,
        FORM,
        GITHUB / "CODEOWNERS",
        REPO / "moderation.yaml",
        REPO / "catalog" / "policy.md",
    ],
    ids=lambda p: p.name,
)
def test_hand_written_links_follow_mkdocs_yml(path: Path) -> None:
    """These files cannot be generated, so a test keeps them on the site mkdocs.yml names."""
    site = read_site(REPO)
    org = site.repo_url.removeprefix("https://github.com/").split("/")[0]
    text = path.read_text("utf-8")
    for url in re.findall(r"https://[^\s)\]\"']+", text):
        if "github" in url:
            assert url.startswith((site.repo_url + "/", site.site_url)), url
    if path.name == "CODEOWNERS":
        assert all(team.startswith(f"@{org}/") for team in re.findall(r"@\S+", text))


def test_pull_request_template_has_the_author_checklist() -> None:
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text("utf-8")
    boxes = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    assert len(boxes) >= 6
    for must in ("owner", "validate", "version", "secrets", "impersonate", "license"):
        assert any(must in box for box in boxes), must


def test_codeowners_guard_moderation_workflows_and_generator() -> None:
    rules = [
        line.split()
        for line in (GITHUB / "CODEOWNERS").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    guarded = {rule[0] for rule in rules if len(rule) > 1 and rule[1].startswith("@")}
    assert {"/moderation.yaml", "/.github/", "/generator/"} <= guarded


def test_job_summary_shows_what_a_pull_request_adds(tmp_path: Path) -> None:
    """A pull request that adds a wallet plugin: the summary calls the gain out; without the
    `financial` declaration the gate refuses it."""
    root = new_catalog(tmp_path / "repo")
    repo = GitRepo(root)
    repo.git("init", "--quiet", "--initial-branch=main")
    write_agent(root)
    base = repo.commit("Publish harbor-bot")
    evm = {**CHARACTER, "plugins": [*CHARACTER["plugins"], "@elizaos/plugin-evm"]}
    write_agent(root, version="1.0.1", character=evm)
    workflow = load(GITHUB / "workflows" / "validate.yml")
    by_name = {step.get("name"): step for step in steps(workflow)}
    event = {"BASE_SHA": base, "AUTHOR": "acme", "ASSOCIATION": "NONE"}
    check = _run_step(by_name["Validate the pull request"], root, event)
    assert check.returncode == 1, check.stdout
    assert "title=financial-missing::" in check.stdout
    write_agent(
        root, version="1.0.1", character=evm, financial={"actions": ["swap"], "custody": "none"}
    )
    check = _run_step(by_name["Validate the pull request"], root, event)
    assert check.returncode == 0, check.stdout
    summary = root.parent / "summary.md"
    env = {**event, "OUTCOME": "success", "GITHUB_STEP_SUMMARY": str(summary)}
    assert _run_step(by_name["Job summary"], root, env).returncode == 0
    text = summary.read_text("utf-8")
    assert "### What the changed agents can do now" in text
    assert (
        "- agents/acme/harbor-bot/character.json: notice[capability-change]: Now can: signs "
        "transactions (new); Now can: trades or swaps (new); plugins added: @elizaos/plugin-evm; "
        "capabilities gained: signs transactions, trades or swaps; new key names: EVM_PRIVATE_KEY"
    ) in text
