"""Pydantic models of the agent manifest (`agents/<owner>/<slug>/agent.yaml`); no I/O here.

The JSON Schema that editors use is generated from these models (`catalog schema`), so every field
carries its documentation as an attribute docstring.
"""

from __future__ import annotations

from typing import Annotated, Literal

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

# A slug and a GitHub login share one grammar here: lowercase letters and digits in runs joined by
# single hyphens. GitHub logins are case-insensitive, so the catalog stores the lowercase form.
NAME_GRAMMAR = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# The regular expression published on semver.org (2.0.0), with named groups removed.
SEMVER_GRAMMAR = (
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
AGENT_REF_GRAMMAR = r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$"
FORK_REF_GRAMMAR = AGENT_REF_GRAMMAR[:-1] + "@" + SEMVER_GRAMMAR[1:]
HTTPS_URL_GRAMMAR = r"^https://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?#][^\s]*)?$"
ONE_LINE = r"^[^\r\n]*$"
MAX_CHARACTER_PATH = 200
"""Longest `character:` path; a longer one is reported and never looked up on disk."""


def _canonical_license(value: str) -> str:
    try:
        canonical = canonicalize_license_expression(value)
    except InvalidLicenseExpression as err:
        raise ValueError(f"{err}; use an SPDX identifier such as MIT or Apache-2.0") from None
    if canonical != value:
        raise ValueError(f"write the SPDX expression in its canonical form: {canonical}")
    return value


Login = Annotated[str, StringConstraints(min_length=1, max_length=39, pattern=NAME_GRAMMAR)]
Slug = Annotated[str, StringConstraints(min_length=3, max_length=40, pattern=NAME_GRAMMAR)]
Version = Annotated[str, StringConstraints(max_length=64, pattern=SEMVER_GRAMMAR)]
Tag = Annotated[str, StringConstraints(min_length=2, max_length=30, pattern=NAME_GRAMMAR)]
HttpsUrl = Annotated[str, StringConstraints(max_length=2000, pattern=HTTPS_URL_GRAMMAR)]
AgentRef = Annotated[str, StringConstraints(max_length=80, pattern=AGENT_REF_GRAMMAR)]
ForkRef = Annotated[str, StringConstraints(max_length=150, pattern=FORK_REF_GRAMMAR)]
License = Annotated[str, StringConstraints(max_length=200), AfterValidator(_canonical_license)]

_STRICT = ConfigDict(
    extra="forbid",
    frozen=True,
    strict=True,
    use_attribute_docstrings=True,
    str_strip_whitespace=False,
)


class Links(BaseModel):
    """Where the agent lives outside the catalog. Only https links are accepted."""

    model_config = _STRICT

    repository: HttpsUrl | None = None
    """Source repository of the agent, e.g. https://github.com/acme/harbor-pilot."""
    homepage: HttpsUrl | None = None
    """Project or product page."""
    documentation: HttpsUrl | None = None
    """Documentation for people running the agent."""


class Deprecation(BaseModel):
    """Marks the agent as deprecated; it stays listed with a notice."""

    model_config = _STRICT

    reason: Annotated[str, StringConstraints(min_length=3, max_length=280, pattern=ONE_LINE)]
    """Why the agent should no longer be used (one line)."""
    replacement: AgentRef | None = None
    """The catalog agent to use instead, as owner/slug."""


class Compatibility(BaseModel):
    """Which elizaOS runtime the character file targets."""

    model_config = _STRICT

    character_schema: Literal["1.x"] = "1.x"
    """Character schema generation. Only 1.x (`@elizaos/core` 1.x) is accepted; convert 0.x
    characters with `catalog migrate`."""


class Financial(BaseModel):
    """What the agent does with funds; required when a plugin lets it move money."""

    model_config = _STRICT

    actions: Annotated[
        list[Literal["transfer", "swap", "trade", "stake", "lend", "bridge", "pay", "none"]],
        Field(min_length=1, max_length=8),
    ]
    """What it may do with funds: transfer, swap, trade, stake, lend, bridge, pay, or none."""
    custody: Literal["none", "user-wallet", "agent-wallet"]
    """Whose keys sign: none (it never signs), user-wallet (the user approves each transaction)
    or agent-wallet (the agent holds a key and signs on its own)."""


class Manifest(BaseModel):
    """An agent's manifest: `agents/<owner>/<slug>/agent.yaml`.

    The date an agent was last updated is not part of the manifest: it comes from git.
    """

    model_config = ConfigDict(**_STRICT, title="Public Agents Catalog manifest")

    name: Annotated[
        str, StringConstraints(min_length=1, max_length=60, pattern=r"^\S(?:[^\r\n]*\S)?$")
    ]
    """Display name of the agent (one line, no leading or trailing spaces)."""
    summary: Annotated[str, StringConstraints(min_length=10, max_length=160, pattern=ONE_LINE)]
    """One line saying what the agent does; shown in listings and search results."""
    description: Annotated[str, StringConstraints(min_length=1, max_length=20000)] | None = None
    """Long description in Markdown. Required unless a README.md sits beside the manifest."""
    owner: Login
    """GitHub login of the owner, lowercase; must equal the `<owner>` folder."""
    maintainers: Annotated[list[Login], Field(max_length=20)] = []
    """Other GitHub logins (lowercase) allowed to publish new versions."""
    version: Version
    """Semantic version 2.0 of this release, e.g. 1.4.0. Every change needs a higher version."""
    license: License
    """SPDX license expression in canonical form, e.g. MIT, Apache-2.0, MIT OR Apache-2.0."""
    tags: Annotated[list[Tag], Field(min_length=1, max_length=10)]
    """1-10 tags: words from the catalog vocabulary, or free tags in lowercase-hyphen form."""
    character: Annotated[str, StringConstraints(min_length=1, max_length=MAX_CHARACTER_PATH)] = (
        "character.json"
    )
    """Path of the elizaOS character JSON, relative to the agent folder and inside it."""
    elizaos: Compatibility = Compatibility()
    """elizaOS compatibility of the character."""
    links: Links | None = None
    """Optional https links."""
    forked_from: ForkRef | None = None
    """The catalog agent and version this one was forked from, as owner/slug@version."""
    deprecated: Deprecation | None = None
    """Set when the agent should no longer be used."""
    financial: Financial | None = None
    """What the agent does with funds; required when one of its plugins can move money."""


FIELD_NAMES: frozenset[str] = frozenset(Manifest.model_fields)
