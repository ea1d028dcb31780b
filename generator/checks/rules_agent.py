"""The rule table, first half: rules about an agent's files and the catalog they join.

Files, parsing, the manifest, catalog-wide names and references, look-alikes, the character and
secrets. `rules.py` joins this table with `rules_change.py`'s; the rules reference page lists
them in this order.
"""

from __future__ import annotations

from generator.checks.problems import Rule

_R = Rule
AGENT_RULES: tuple[Rule, ...] = (
    # Files and folders
    _R(
        "manifest-missing",
        "files",
        "An agent folder has no agent.yaml.",
        "Add agent.yaml (`catalog new OWNER/SLUG`) or remove the folder.",
    ),
    _R(
        "stray-file",
        "files",
        "A file sits in agents/ or agents/<owner>/ outside any agent.",
        "Move it into an agent folder or remove it.",
    ),
    _R(
        "file-missing",
        "files",
        "A file the manifest points to does not exist.",
        "Add the file or fix the path in agent.yaml.",
    ),
    _R(
        "file-type",
        "files",
        "A file in the agent folder is not one of agent.yaml, README.md, LICENSE, the "
        "character JSON, or is not a regular file; subfolders are not allowed.",
        "Remove the file; only manifest, character, README and LICENSE are published.",
    ),
    _R(
        "file-too-large",
        "files",
        "A file is over its size limit (manifest 64 KiB, character 1 MiB, README 256 KiB).",
        "Shorten the file.",
    ),
    _R(
        "placeholder-text",
        "files",
        "A file still holds a sentence `catalog new` or the submit page's starter wrote for "
        "its author to replace (an error at the pull-request gate for the agents it changes).",
        "Replace it with your own words.",
        "warning",
    ),
    _R(
        "symlink",
        "files",
        "A file or path in the agent folder is a symbolic link; with --base, one anywhere.",
        "Commit the file itself; links are never followed.",
    ),
    _R(
        "path-outside-agent",
        "files",
        "The character path is absolute or leaves the agent folder.",
        "Use a plain file name inside the agent folder, such as character.json.",
    ),
    _R("not-utf8", "files", "A text file is not valid UTF-8.", "Save the file as UTF-8."),
    # Parsing
    _R(
        "yaml-syntax",
        "parsing",
        "agent.yaml is not valid YAML, or holds several documents.",
        "Fix indentation and quoting at the given position.",
    ),
    _R(
        "yaml-alias",
        "parsing",
        "agent.yaml uses anchors, aliases (&, *) or merge keys (<<).",
        "Write every value out in full.",
    ),
    _R(
        "yaml-tag",
        "parsing",
        "agent.yaml uses an explicit YAML tag (!!python/..., !!binary).",
        "Remove the tag.",
    ),
    _R("yaml-key", "parsing", "A mapping key is not a string.", "Quote the key."),
    _R(
        "json-syntax",
        "parsing",
        "The character file is not valid JSON.",
        "Fix the JSON at the given position.",
    ),
    _R(
        "duplicate-key",
        "parsing",
        "The same key appears twice in one mapping or object.",
        "Keep one of them.",
    ),
    _R("too-deep", "parsing", "Data is nested deeper than 32 levels.", "Flatten the data."),
    _R(
        "lone-surrogate",
        "parsing",
        "A JSON string or key holds half of a UTF-16 surrogate pair (an escape from `\\ud800` "
        "to `\\udfff` without its partner): JSON parsers accept it, but no UTF-8 file or page "
        "can hold it, so the catalog could not publish the agent.",
        "Remove the escape, or write the character itself (or both halves of the pair).",
    ),
    _R(
        "number-too-large",
        "parsing",
        "A number in agent.yaml or the character file has more than 4,300 digits, more "
        "than Python (and so the catalog) can print or compare.",
        "Quote it if it is text, or write a smaller number.",
    ),
    # Manifest
    _R(
        "manifest-not-mapping",
        "manifest",
        "agent.yaml is empty or not a mapping of keys.",
        "Write the manifest keys at the top level (see the manifest reference).",
    ),
    _R(
        "unknown-key",
        "manifest",
        "agent.yaml has a key the manifest does not define.",
        "Remove it or fix its spelling (the message suggests the closest key).",
    ),
    _R("missing-key", "manifest", "A required manifest key is missing.", "Add the key."),
    _R(
        "last-updated-set",
        "manifest",
        "The manifest sets a last-updated or date field; that date comes from git.",
        "Remove the key; the catalog reads the date from the commit history.",
    ),
    _R(
        "manifest-schema",
        "manifest",
        "A manifest value has the wrong type or form.",
        "Follow the message; the manifest reference lists every field.",
    ),
    _R(
        "version-invalid",
        "manifest",
        "version is not a semantic version 2.0 (ranges, `latest`, `v` prefixes are refused).",
        "Write MAJOR.MINOR.PATCH, e.g. 1.0.0, quoted if YAML reads it as a number.",
    ),
    _R(
        "login-invalid",
        "manifest",
        "owner or a maintainer is not a lowercase GitHub login.",
        "Write the GitHub login in lowercase, e.g. octo-cat.",
    ),
    _R(
        "license-invalid",
        "manifest",
        "license is not a canonical SPDX license expression.",
        "Use e.g. MIT or Apache-2.0.",
    ),
    _R(
        "tag-invalid",
        "manifest",
        "A tag breaks the tag grammar (2-30 chars, lowercase words joined by hyphens), or "
        "there are no tags or more than 10.",
        "Write tags like `defi` or `customer-support`.",
    ),
    _R(
        "tag-near-vocabulary",
        "manifest",
        "A free tag is a near miss of a vocabulary tag (typo or plural), which would split a "
        "category.",
        "Use the vocabulary word the message suggests.",
        "warning",
    ),
    _R(
        "duplicate-entry",
        "manifest",
        "A tag or maintainer is listed twice.",
        "Keep one of them.",
    ),
    _R(
        "link-not-https",
        "manifest",
        "A link is not an https URL.",
        "Use https://; plain http and other schemes are refused.",
    ),
    _R(
        "owner-invalid",
        "manifest",
        "The <owner> folder is not a lowercase GitHub login.",
        "Rename the folder.",
    ),
    _R(
        "owner-mismatch",
        "manifest",
        "owner differs from the <owner> folder name.",
        "Set owner to the folder name; to move an agent, move its folder.",
    ),
    _R(
        "slug-invalid",
        "manifest",
        "The <slug> folder breaks the slug grammar (3-40 chars, ^[a-z0-9]+(-[a-z0-9]+)*$).",
        "Rename the folder, e.g. my-agent.",
    ),
    _R(
        "description-missing",
        "manifest",
        "Neither a description in agent.yaml nor a README.md beside it.",
        "Add a README.md or a description.",
    ),
    _R(
        "maintainer-is-owner",
        "manifest",
        "The owner is also listed as a maintainer.",
        "Remove the owner from maintainers.",
        "warning",
    ),
    _R(
        "forked-from-invalid",
        "manifest",
        "forked_from is not owner/slug@version.",
        "Write e.g. forked_from: acme/harbor-pilot@1.0.0.",
    ),
    # Catalog
    _R(
        "duplicate-name",
        "catalog",
        "Another agent has the same name (ignoring case).",
        "Choose a distinct name.",
    ),
    _R(
        "forked-from-unknown",
        "catalog",
        "forked_from names an agent that is not in the catalog, or a version it never published.",
        "Point forked_from at an existing agent and published version.",
    ),
    _R(
        "replacement-unknown",
        "catalog",
        "deprecated.replacement names an agent that is not in the catalog.",
        "Point it at an existing owner/slug.",
    ),
    # Look-alikes and reserved names (checks/lookalike.py). Same skeleton (Unicode TR39
    # confusables, case, accents, separators) is an error: a reader cannot tell them apart.
    # One letter apart is a warning: often a real typo-squat, sometimes two honest names.
    _R(
        "name-confusable",
        "catalog",
        "The agent's name looks the same as another owner's agent name: equal once "
        "homoglyphs (Cyrillic and Greek letters, 0/O, 1/l/I, rn/m), case, accents and "
        "separators are folded. Agents in moderation.yaml are left out.",
        "Choose a name that cannot be mistaken for the other agent.",
    ),
    _R(
        "name-lookalike",
        "catalog",
        "The agent's name is one letter (added, dropped, changed or swapped) from another "
        "owner's agent name; digits do not count.",
        "Make sure the name cannot be mistaken for the other agent; reviewers check look-alikes.",
        "warning",
    ),
    _R(
        "owner-confusable",
        "catalog",
        "The owner looks the same as another owner (homoglyphs, case, separators folded).",
        "Publish under your own GitHub login; impersonating an owner gets agents removed.",
    ),
    _R(
        "owner-lookalike",
        "catalog",
        "The owner is one letter from another owner; digits do not count.",
        "Reviewers check that the owner is not impersonating the other one.",
        "warning",
    ),
    _R(
        "reserved-name",
        "catalog",
        "An owner, slug or name is a reserved word (admin, eliza, support, team...) or "
        "claims authority (elizaos, ai16z, official, verified), homoglyphs included.",
        "Choose another name; reserved names belong to the catalog and the elizaOS project.",
    ),
    # Character
    _R(
        "character-not-object",
        "character",
        "The character file is not a JSON object.",
        "One character per file, as a JSON object.",
    ),
    _R(
        "character-0x",
        "character",
        "The character uses the elizaOS 0.x schema (lore, clients, modelProvider, `user` "
        "in messageExamples).",
        "Convert it: catalog migrate --in-place agents/<owner>/<slug>/character.json",
    ),
    _R(
        "character-invalid",
        "character",
        "The character fails the elizaOS 1.x schema (@elizaos/core 1.7.2 validateCharacter).",
        "Follow the message; the path names the offending key.",
    ),
    _R(
        "character-type",
        "character",
        "The character path does not end in .json.",
        "Point character at a .json file.",
    ),
    # Text hygiene
    _R(
        "bidi-control",
        "text",
        "A displayed field (manifest name, summary, description, owner, maintainers, tags, "
        "deprecation reason; character name, username, bio, topics, adjectives) holds a "
        "Unicode Bidi_Control character (U+202E RIGHT-TO-LEFT OVERRIDE...): it shows the text "
        "in another order than it is written.",
        "Remove the character; write the text in the order it should read.",
    ),
    _R(
        "invisible-character",
        "text",
        "A displayed field holds a Default_Ignorable_Code_Point character (zero-width space, "
        "Hangul filler, tag character...) that no emoji or joining script needs: it makes the "
        "text differ from what readers see.",
        "Remove the character.",
    ),
    # Plugins, looked up in data/elizaos-plugin-registry/
    _R(
        "plugin-unknown",
        "plugins",
        "A plugin the character names is not in the elizaOS plugin registry snapshot.",
        "Check the name on npm, or publish the plugin and add it to the registry.",
        "warning",
    ),
    _R(
        "plugin-unpublished",
        "plugins",
        "A plugin is listed in the registry but has no npm release.",
        "Use a published plugin, or install it from its source and say so in the README.",
        "warning",
    ),
    _R(
        "plugin-0x-only",
        "plugins",
        "A plugin has releases for elizaOS 0.x only; the 1.x runtime cannot load it.",
        "Use its 1.x successor or remove it from plugins.",
        "warning",
    ),
    _R(
        "financial-missing",
        "plugins",
        "A plugin can move money (data/capabilities.yaml) but the manifest has no `financial` "
        "(an error at the pull-request gate for the agents it changes).",
        "Add `financial: {actions: [...], custody: none | user-wallet | agent-wallet}`.",
        "warning",
    ),
    _R(
        "capability-change",
        "plugins",
        "At the pull-request gate: what a changed agent's new version adds or drops (plugins, "
        "capabilities, key names); a gained wallet or public posting is called out.",
        "Nothing to fix; reviewers read it in the job summary.",
        "notice",
    ),
    _R(
        "read-only-claim",
        "plugins",
        "The summary, description or README claims read-only or watch-only while a plugin "
        "can sign transactions; the page shows the warning too.",
        "Drop the claim, or remove the plugin that signs.",
        "warning",
    ),
    # Secrets
    _R(
        "secret-in-character",
        "secrets",
        "settings.secrets (or a top-level secrets) in the character holds values.",
        "Remove the values; set them as CHARACTER.<NAME>.<KEY> environment variables.",
    ),
    _R(
        "secret-pattern",
        "secrets",
        "A string looks like a credential: a provider API key, a chat-bot token, a private key "
        "block, a wallet key or a BIP-39 seed phrase, as written or as a reader decodes it "
        "(JSON escapes, HTML entities, base64).",
        "Remove it now and revoke the key: anything pushed to a public repository is leaked.",
    ),
)
