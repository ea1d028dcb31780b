"""Who may add, change, delete, move or transfer an agent, and create or change an owner record.

Judged against the base revision's owner records, never the pull request's own: a pull request
cannot make its author a member and use that membership at once. The one exception is the first
claim of an org namespace, whose new record is trusted for the agents of the same pull request
because the claim itself waits for a catalog maintainer's approval (notice `owner-claim`).
Logins compare case-insensitively (GitHub's logins do).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from generator.checks.owners import OWNERS, SUFFIX, OwnerRecord
from generator.checks.problems import Problem
from generator.checks.rules import problem

Change = Literal["added", "modified", "deleted"]
Ref = tuple[str, str]


class Before(Protocol):
    """What the base says of an agent (checks.change.BaseAgent)."""

    @property
    def owner(self) -> str | None: ...
    @property
    def maintainers(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Owners:
    """The owner records at the base and in the pull request, by login."""

    base: Mapping[str, OwnerRecord]
    head: Mapping[str, OwnerRecord]

    def org(self, login: str) -> OwnerRecord | None:
        """The base's org record of `login`, if it has one."""
        record = self.base.get(login.lower())
        return record if record is not None and record.kind == "org" else None

    def claimed(self, login: str) -> OwnerRecord | None:
        """The pull request's new org record of `login` (a first claim), if any."""
        if self.org(login) is not None:
            return None
        record = self.head.get(login.lower())
        return record if record is not None and record.kind == "org" else None

    def speaks_for(
        self, author: str, login: str, roles: Iterable[str], claims: bool = False
    ) -> bool:
        """True when `author` is `login` (a user namespace) or has one of `roles` in its org;
        with `claims`, also in the org this pull request claims (to add agents, never to
        change or delete the ones already there)."""
        org = self.org(login)
        if org is None:
            claim = self.claimed(login) if claims else None
            return author == login.lower() or (
                claim is not None and claim.role(author) in set(roles)
            )
        return org.role(author) in set(roles)


def agent_problems(
    rel: str, ref: Ref, change: Change, before: Before | None, author: str, owners: Owners
) -> list[Problem]:
    """Whether `author` (lowercase) may add, change or delete the agent at `ref`."""
    namespace = (before.owner if before and before.owner else ref[0]).lower()
    org = owners.org(namespace)
    maintainers = {m.lower() for m in (before.maintainers if before else ())}
    if change == "deleted":
        if owners.speaks_for(author, namespace, ("admin",)):
            return []
        who = f"an admin of {namespace}" if org else namespace
        return [
            problem(
                "delete-not-owner",
                rel,
                f"{author} deleted {ref[0]}/{ref[1]}, which only {who} may remove",
            )
        ]
    if change == "added" and before is None:
        return _add_problems(rel, ref, author, owners)
    if author in maintainers or owners.speaks_for(author, namespace, ("admin",)):
        return []
    nor = f", nor an admin of {namespace}" if org else ""
    return [
        problem(
            "author-not-allowed",
            rel,
            f"{author} is neither the owner nor a maintainer of {ref[0]}/{ref[1]}{nor}",
        )
    ]


def _add_problems(rel: str, ref: Ref, author: str, owners: Owners) -> list[Problem]:
    namespace = ref[0].lower()
    if owners.speaks_for(author, namespace, ("admin", "publisher"), claims=True):
        return []
    if owners.org(namespace) is not None:
        return [
            problem(
                "author-not-allowed",
                rel,
                f"{author} cannot add an agent under agents/{ref[0]}/: not a member of the org "
                f"{namespace}",
                f"ask an admin of {namespace} to add you to {OWNERS}/{namespace}{SUFFIX} as "
                f"publisher, or submit it as agents/{author}/{ref[1]}/",
            )
        ]
    return [
        problem(
            "org-needs-record",
            rel,
            f"{author} cannot add an agent under agents/{ref[0]}/: no owner record makes "
            f"{namespace} an org {author} belongs to",
            f"submit it as agents/{author}/{ref[1]}/; for your org, claim it in "
            f"{OWNERS}/{namespace}{SUFFIX} with yourself as admin",
        )
    ]


def transfer_problems(
    old: Ref, new: Ref, before: Before | None, author: str, owners: Owners
) -> list[Problem]:
    """A move from `old` to `new`: the author speaks for both sides, or the transfer is refused."""
    namespace = (before.owner if before and before.owner else old[0]).lower()
    maintainers = {m.lower() for m in (before.maintainers if before else ())}
    old_side = author in maintainers or owners.speaks_for(author, namespace, ("admin",))
    new_side = owners.speaks_for(author, new[0], ("admin", "publisher"), claims=True)
    if old_side and new_side:
        return []
    reasons = [
        *([] if old_side else [f"does not own, administer or maintain {old[0]}/{old[1]}"]),
        *([] if new_side else [f"is not {new[0]} nor a member of that org"]),
    ]
    return [
        problem(
            "transfer-not-allowed",
            f"agents/{new[0]}/{new[1]}",
            f"{author} moves {old[0]}/{old[1]} to {new[0]}/{new[1]} but " + " and ".join(reasons),
        )
    ]


def record_problems(
    login: str,
    old: OwnerRecord | None,
    new: OwnerRecord | None,
    author: str,
    maintainer: bool,
) -> list[Problem]:
    """Creating, changing or deleting `owners/<login>.yaml` (`old` at the base, `new` now)."""
    path = f"{OWNERS}/{login}{SUFFIX}"
    login = login.lower()
    found: list[Problem] = []
    if old is not None and new is not None and old == new:
        return found
    claim = new is not None and new.kind == "org" and (old is None or old.kind != "org")
    if old is not None and old.kind == "org":
        allowed = old.role(author) == "admin"
        who = f"only an admin of {login} (at the base) may change it"
    elif claim:
        assert new is not None
        allowed = new.role(author) == "admin"
        who = f"a claim of the org {login} lists its author as admin"
    else:
        allowed = author == login
        who = f"only {login} may write a user record of {login}"
    verb = "creates" if old is None else "deletes" if new is None else "changes"
    if not allowed and maintainer:
        found.append(
            problem("needs-maintainer", path, f"{author}, a catalog maintainer, {verb} {path}")
        )
    elif not allowed:
        found.append(problem("owner-record-not-allowed", path, f"{author} {verb} {path}: {who}"))
    if claim:
        found.append(
            problem(
                "owner-claim",
                path,
                f"{author} claims the org namespace {login}: the first claim of an org needs a "
                "catalog maintainer's approval",
            )
        )
    before = old.verification if old else None
    after = new.verification if new else None
    if before != after and (new is not None or before is not None):
        if maintainer:
            found.append(
                problem(
                    "needs-maintainer",
                    path,
                    f"{author}, a catalog maintainer, records a verification of {login}",
                    "another catalog maintainer checks `catalog verify`'s output and approves",
                )
            )
        else:
            found.append(
                problem(
                    "verification-not-allowed",
                    path,
                    f"{author} {'sets' if after else 'removes'} the verification of {login}",
                )
            )
    return found
