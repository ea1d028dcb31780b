"""`catalog verify`: confirm an owner's org membership or domain, and record the proof.

Each proof is a decision over what the network answered, and a thin call that fetches it:

- `github-org`: GitHub's API (`GET /orgs/<org>`, `/orgs/<org>/members?role=admin`,
  `/orgs/<org>/members`) says the login is an Organization, every admin of the record is an
  admin there and every publisher a member. The decision reads the API's JSON, so it is tested
  offline with recorded responses (tests/data/verify/).
- `well-known`: https://<domain>/.well-known/public-agents-catalog lists the owner's login on a
  line of its own.
- `dns-txt`: a TXT record of `_public-agents-catalog.<domain>` says `owner=<login>`.

`--record DATE` writes the verification into owners/<login>.yaml for a catalog maintainer to
commit; the gate lets only catalog maintainers change it (rule verification-not-allowed).
"""

from __future__ import annotations

import datetime
import json
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from generator.checks.owners import OWNERS, SUFFIX, OwnerRecord, Verification, read_record

WELL_KNOWN = "/.well-known/public-agents-catalog"
TXT_NAME = "_public-agents-catalog"
API = "https://api.github.com"
MAX_BYTES = 64 * 1024
"""The most read of any answer: a login list or a members page is far smaller."""
API_FILES = ("org.json", "admins.json", "members.json")


class VerifyError(Exception):
    """The owner cannot be verified as asked (no record, unreadable input, network failure)."""


@dataclass(frozen=True)
class Decision:
    """Whether the proof holds, and why not."""

    method: str
    subject: str
    reasons: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.reasons

    def lines(self, login: str) -> list[str]:
        if self.ok:
            return [f"{login}: verified ({self.method} {self.subject})"]
        return [f"{login}: not verified ({self.method} {self.subject}): {r}" for r in self.reasons]


def _logins(answer: object) -> set[str] | None:
    if not isinstance(answer, list):
        return None
    return {
        item["login"].lower()
        for item in answer
        if isinstance(item, dict) and isinstance(item.get("login"), str)
    }


def org_decision(
    login: str, record: OwnerRecord, org: object, admins: object, members: object
) -> Decision:
    """The github-org proof over the API's answers (parsed JSON) for `login`'s record."""
    reasons: list[str] = []
    if record.kind != "org":
        reasons.append("the record's kind is user, not org")
    if not isinstance(org, dict) or not isinstance(org.get("login"), str):
        message = org.get("message") if isinstance(org, dict) else None
        reasons.append(f"GitHub did not describe the org ({message or 'unexpected answer'})")
    elif org["login"].lower() != login or org.get("type") != "Organization":
        reasons.append(f"GitHub says {org['login']} is a {org.get('type')}, not this org")
    admin_logins, member_logins = _logins(admins), _logins(members)
    if admin_logins is None or member_logins is None:
        reasons.append("GitHub did not list the org's members (does the token read the org?)")
    else:
        for member in record.members:
            found = admin_logins if member.role == "admin" else member_logins | admin_logins
            if member.login not in found:
                where = "an admin" if member.role == "admin" else "a member"
                reasons.append(f"{member.login} is not {where} of {login} on GitHub")
    return Decision("github-org", login, tuple(reasons))


def well_known_decision(login: str, domain: str, status: int, body: bytes) -> Decision:
    """The well-known proof: the file answered 200 and lists `login` on a line of its own."""
    url = f"https://{domain}{WELL_KNOWN}"
    if status != 200:
        return Decision("well-known", domain, (f"{url} answered HTTP {status}",))
    text = body[:MAX_BYTES].decode("utf-8", "replace")
    names = {line.strip().lower() for line in text.splitlines() if not line.startswith("#")}
    if login not in names:
        return Decision("well-known", domain, (f"{url} does not list {login} on a line",))
    return Decision("well-known", domain, ())


def txt_decision(login: str, domain: str, records: list[str]) -> Decision:
    """The DNS proof: a TXT record of _public-agents-catalog.<domain> says owner=<login>."""
    wanted = f"owner={login}"
    if any(r.strip().lower() == wanted for r in records):
        return Decision("dns-txt", domain, ())
    name = f"{TXT_NAME}.{domain}"
    shown = ", ".join(repr(r) for r in records) or "no TXT record"
    return Decision("dns-txt", domain, (f"{name} has {shown}, not {wanted!r}",))


def load_api_dir(folder: Path) -> tuple[object, object, object]:
    """Recorded API answers: org.json, admins.json, members.json (as `gh api` saves them)."""
    answers = []
    for name in API_FILES:
        try:
            answers.append(json.loads((folder / name).read_bytes()[:MAX_BYTES]))
        except (OSError, ValueError) as err:
            raise VerifyError(f"{folder / name}: {err}") from None
    return answers[0], answers[1], answers[2]


def fetch_api(login: str) -> tuple[object, object, object]:
    """The three API answers, live (GITHUB_TOKEN when set); the thin network call."""
    paths = (
        f"/orgs/{login}",
        f"/orgs/{login}/members?role=admin&per_page=100",
        f"/orgs/{login}/members?per_page=100",  # one page: an org record lists at most 200
    )
    token = os.environ.get("GITHUB_TOKEN")
    answers = []
    for path in paths:
        request = urllib.request.Request(
            API + path, headers={"Accept": "application/vnd.github+json"}
        )
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=20) as answer:
                answers.append(json.loads(answer.read(MAX_BYTES)))
        except urllib.error.HTTPError as err:
            answers.append({"message": f"HTTP {err.code}"})
        except (OSError, ValueError) as err:
            raise VerifyError(f"{API}{path}: {err}") from None
    return answers[0], answers[1], answers[2]


def fetch_well_known(domain: str) -> tuple[int, bytes]:
    """HTTP status and body of the domain's well-known file; the thin network call."""
    try:
        with urllib.request.urlopen(f"https://{domain}{WELL_KNOWN}", timeout=20) as answer:
            return int(answer.status), bytes(answer.read(MAX_BYTES))
    except urllib.error.HTTPError as err:
        return err.code, b""
    except OSError as err:
        raise VerifyError(f"https://{domain}{WELL_KNOWN}: {err}") from None


def fetch_txt(domain: str) -> list[str]:
    """The TXT records of _public-agents-catalog.<domain>; the thin network call (dnspython)."""
    import dns.exception
    import dns.resolver

    try:
        answer = dns.resolver.resolve(f"{TXT_NAME}.{domain}", "TXT")
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except dns.exception.DNSException as err:
        raise VerifyError(f"{TXT_NAME}.{domain}: {err}") from None
    return [b"".join(r.strings).decode("utf-8", "replace") for r in answer]


def owner_record(root: Path, login: str) -> OwnerRecord:
    """The valid record of `login`, or a VerifyError saying what is wrong."""
    loaded = read_record(root, login.lower())
    if loaded.record is not None:
        return loaded.record
    path = f"{OWNERS}/{login.lower()}{SUFFIX}"
    if any(p.rule == "file-missing" for p in loaded.problems):
        raise VerifyError(f"{path} does not exist; only an owner with a record can be verified")
    raise VerifyError(f"{path} is not valid; run catalog validate")


def record(root: Path, login: str, decision: Decision, date: datetime.date) -> Path:
    """Write the confirmed proof into owners/<login>.yaml (replacing any verification block)."""
    path = root / OWNERS / f"{login}{SUFFIX}"
    text = path.read_text("utf-8")
    text = re.sub(r"(?ms)^verification:.*?(?=^\S|\Z)", "", text).rstrip("\n") + "\n"
    proof = Verification(method=decision.method, subject=decision.subject, date=date)
    text += (
        f"verification:\n  method: {proof.method}\n  subject: {proof.subject}\n"
        f"  date: {proof.date.isoformat()}\n"
    )
    path.write_text(text, "utf-8")
    return path
