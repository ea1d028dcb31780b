"""The rule table, second half: rules about a change and what the catalog makes of it.

A pull request against its base (versions, owners, who may change what, every changed path, its
commits and history), moderation.yaml, and the site's rendering. `rules.py` joins this table
with `rules_agent.py`'s.
"""

from __future__ import annotations

from generator.checks.problems import Rule
from generator.checks.rules_paths import PATH_RULES

_R = Rule
CHANGE_RULES: tuple[Rule, ...] = (
    # Git (--base, --author)
    _R(
        "version-not-bumped",
        "git",
        "The agent changed but its version did not rise.",
        "Raise version above the base's (e.g. the next patch).",
    ),
    _R(
        "version-downgrade",
        "git",
        "The version is lower than the base's.",
        "Raise version above the base's.",
    ),
    _R(
        "version-republished",
        "git",
        "The version was published before with other content; published versions never change.",
        "Choose a version that was never published.",
    ),
    _R(
        "owner-changed",
        "git",
        "The manifest's owner differs from the base's.",
        "Keep the owner; ownership transfers go through the maintainers.",
    ),
    _R(
        "author-not-allowed",
        "git",
        "The pull request's author is neither owner nor maintainer of a touched agent.",
        "Ask the owner to add you to maintainers first, or submit under agents/<your-login>/.",
    ),
    _R(
        "delete-not-owner",
        "git",
        "An agent was deleted by someone other than its owner.",
        "Only the owner may remove an agent; ask a maintainer to report it instead.",
    ),
    *(_R(rule, "git", checks, fix, level) for rule, checks, fix, level in PATH_RULES),
    # History: a version is pinned to the last commit holding it (history/reader.py).
    _R(
        "version-intermediate",
        "history",
        "An earlier commit of the pull request holds another version, or a published one with "
        "other files: rebased or fast-forwarded, it would be published with no check.",
        "Squash the commits that set it, or set only the final version.",
    ),
    _R(
        "secret-in-history",
        "history",
        "A commit of the pull request adds a key-shaped string: it stays in git history.",
        "Revoke the key, then rewrite the branch (git rebase -i) so no commit holds it.",
    ),
    _R(
        "history-unreadable",
        "history",
        "An old agent.yaml is over 64 KiB, binary, not UTF-8, not a YAML mapping, or has no "
        "semantic version: that state publishes no version.",
        "Nothing to change; to publish that state, commit it again under a new version.",
        "warning",
    ),
    # Moderation (moderation.yaml, maintainers only; see catalog/policy.md)
    _R(
        "moderation-invalid",
        "moderation",
        "moderation.yaml is not valid: bad YAML, a key that is not owner/slug, or an entry "
        "whose state, reason, issue or date has the wrong form.",
        "Write each entry as owner/slug: {state: flagged|delisted|removed, reason: one line, "
        "issue: https link, date: YYYY-MM-DD}.",
    ),
    _R(
        "moderation-unknown-agent",
        "moderation",
        "moderation.yaml names an agent that has no folder under agents/.",
        "Fix the owner/slug, or remove the entry.",
    ),
    # The site (the build's rendering, run by the gate on what a pull request touches)
    _R(
        "render-failed",
        "site",
        "The agent's pages, API document, badge or a listing that shows it cannot be rendered.",
        "Report it to the catalog maintainers with this line; until it is fixed, change the "
        "text the message points at.",
    ),
    # The plugin registry snapshot (`catalog registry-update`, run by registry-refresh.yml)
    _R(
        "registry-shape",
        "registry",
        "A downloaded registry file is not what the elizaOS plugin registry publishes: a field "
        "the catalog reads is missing or of another type, or a plugin name or source is malformed.",
        "Download the file again from the registry; if its format changed, update "
        "generator/flows/registry.py in a reviewed pull request.",
    ),
    _R(
        "registry-shrunk",
        "registry",
        "The downloaded registry lacks more than a tenth of the snapshot's plugins at once.",
        "Download it again; if the registry really dropped them, rerun with --allow-shrink.",
    ),
)
