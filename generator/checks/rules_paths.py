"""The pull-request gate's path rules (checks/paths.py), a block of the rule table in rules.py.

Kept apart because the table had reached the module-size limit; rules.py registers them in its
"git" group, and the rules reference lists them there. Each row: id, what it checks, the fix,
the severity.
"""

from __future__ import annotations

from generator.checks.problems import Severity

PATH_RULES: tuple[tuple[str, str, str, Severity], ...] = (
    (
        "git-file",
        "The change adds, changes or deletes a git-level file: .gitattributes or .gitmodules "
        "anywhere, or a .git* file (.gitignore...) under agents/ (.gitkeep aside). Git "
        "attributes and submodules change how every file is checked out and read, so even a "
        "catalog maintainer's pull request fails.",
        "Take it out of the pull request: restore the base's file, or delete the new one.",
        "error",
    ),
    (
        "gitlink",
        "The change adds a git submodule entry (a gitlink, mode 160000) anywhere.",
        "Commit the files themselves: git rm --cached PATH, then add the folder's files.",
        "error",
    ),
    (
        "path-not-allowed",
        "With --author: the author changes a path outside agent folders (moderation.yaml, "
        ".github/, generator/, mkdocs.yml, site-config/, agents/README.md...).",
        "Change only your agents; propose changes to the catalog itself in an issue.",
        "error",
    ),
    (
        "needs-maintainer",
        "With --author --maintainer: a catalog maintainer changes a path outside agent folders. "
        "The check passes; the notice lists what a code owner must review and approve.",
        "Another catalog maintainer (a code owner) reviews and approves the pull request.",
        "notice",
    ),
)
