"""The rule table's owners block: owner records, teams, transfers and verified publishers.

Kept apart (like rules_paths.py) so the two halves of the table stay under the module-size
limit; rules.py registers them in the "owners" group. Each row: id, what it checks, the fix,
the severity.
"""

from __future__ import annotations

from generator.checks.problems import Severity

OWNER_RULES: tuple[tuple[str, str, str, Severity], ...] = (
    (
        "owner-record-invalid",
        "An owner record (owners/<login>.yaml) breaks its schema: unknown key, wrong kind, a "
        "user record with members, an org without an admin, a member listed twice, a "
        "verification that does not prove this owner.",
        "Fix the record (see the owner record reference); `catalog docs` writes its schema.",
        "error",
    ),
    (
        "owner-record-name",
        "A file in owners/ is not named <lowercase GitHub login>.yaml.",
        "Rename it to the namespace's login in lowercase, e.g. owners/harbor-labs.yaml.",
        "error",
    ),
    (
        "org-needs-record",
        "With --author: an agent is added under agents/<login>/ by someone other than <login>, "
        "and no owner record says <login> is an org the author belongs to.",
        "Submit under your own login, or have an admin of the org add you to owners/<login>.yaml "
        "first (or claim the org in the same pull request).",
        "error",
    ),
    (
        "owner-claim",
        "With --author: the pull request creates an org's owner record (the first claim of an "
        "org namespace), or turns a record into an org. The check passes; a catalog maintainer "
        "confirms on GitHub that the org exists and the author administers it, then approves.",
        "A catalog maintainer approves the pull request after checking the org on GitHub.",
        "notice",
    ),
    (
        "owner-record-not-allowed",
        "With --author: the author creates, changes or deletes an owner record they may not: a "
        "user record of another login, an org record they are not an admin of (at the base), "
        "or an org claim that does not list them as admin.",
        "Ask an admin of the org to make the change, or list yourself as admin when claiming.",
        "error",
    ),
    (
        "verification-not-allowed",
        "With --author: a pull request adds, changes or removes an owner's verification. Only "
        "catalog maintainers record what `catalog verify` confirmed (a notice asks for review).",
        "Leave verification out; ask the catalog maintainers to verify the org or domain.",
        "error",
    ),
    (
        "transfer-not-allowed",
        "With --author: an agent moves to another namespace (git sees the rename) and the author "
        "does not speak for both sides: the old side needs its owner, an admin of its org or a "
        "maintainer listed in the agent; the new side needs its owner or a member of its org.",
        "Have someone who speaks for both namespaces open the transfer, or list the new owner's "
        "login in maintainers first and let them open it.",
        "error",
    ),
)
