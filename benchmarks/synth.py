"""Synthetic catalogs for benchmarks: N valid agents in a real git repository with history.

Two modes. `realistic` (the default): agents the size of real ones, their characters, READMEs,
plugins and manifests drawn from the sample agents and the real characters of the test data
(benchmarks/realistic.py), owners with a few agents each (a skewed spread, like real catalogs)
and owner records for most of them, and ~1.3 versions per agent (one round of bumps touching 30%
of the agents). `minimal`: the small agents the benchmarks used before (a two-line bio, a
one-line README, 97 owners, no owner records), four rounds of bumps touching 80% of the agents
each (~4.2 versions per agent), kept for comparison with older figures.

History is written with `git fast-import` (one process, seconds for 10,000 agents): agents arrive
in batches of 500, then rounds of version bumps touch some of them again.

    python benchmarks/synth.py DEST --agents 1000 [--mode realistic|minimal] [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import realistic

from generator.checks.vocabulary import VOCABULARY

WORDS = [
    "amber",
    "harbor",
    "quill",
    "ledger",
    "lantern",
    "relay",
    "beacon",
    "cedar",
    "delta",
    "ember",
    "fjord",
    "grove",
    "helix",
    "iris",
    "juniper",
    "kestrel",
    "lumen",
    "meadow",
    "nimbus",
    "orbit",
    "pilot",
    "quartz",
    "raven",
    "sable",
    "tern",
    "umber",
    "vesper",
    "willow",
    "yarrow",
    "zephyr",
    "atlas",
    "bramble",
    "cobalt",
    "dune",
    "echo",
    "falcon",
    "garnet",
]
PLUGINS = [
    "@elizaos/plugin-sql",
    "@elizaos/plugin-bootstrap",
    "@elizaos/plugin-openai",
    "@elizaos/plugin-anthropic",
    "@elizaos/plugin-discord",
    "@elizaos/plugin-telegram",
    "@elizaos/plugin-twitter",
    "@elizaos/plugin-solana",
    "@elizaos/plugin-evm",
    "@elizaos/plugin-knowledge",
]
TAGS = sorted(VOCABULARY)
BATCH = 500
REPO = Path(__file__).resolve().parents[1]
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
MODES = ("realistic", "minimal")
HEAD = "# yaml-language-server: $schema=../../../catalog/schema/agent.schema.json\n"
SHARE = 0.3
"""Realistic mode: the share of agents one round of bumps touches (~1.3 versions per agent)."""


def owners(agents: int) -> int:
    """How many owners a realistic catalog of `agents` has: one per five agents."""
    return max(1, agents // 5)


def owner_of(i: int, agents: int) -> str:
    """The owner of realistic agent `i`: a skewed spread (a few owners hold many agents)."""
    u = random.Random(i * 7_919 + 1).random()
    return f"maker-{int(owners(agents) * u * u):05d}"


def owner_record(login: str) -> str | None:
    """The owners/<login>.yaml of a realistic owner: an org (2 in 5), a user (2 in 5), none."""
    kind = int(login.rsplit("-", 1)[1]) % 5
    if kind >= 4:
        return None
    lines = [
        "# yaml-language-server: $schema=../catalog/schema/owner.schema.json",
        f"kind: {'org' if kind < 2 else 'user'}",
        f"name: {login.replace('-', ' ').title()}",
        "links:",
        f"  github: https://github.com/{login}",
    ]
    if kind < 2:
        lines += ["members:", f"  - {{login: {login}-admin, role: admin}}"]
        lines += [f"  - {{login: {login}-dev{n}, role: publisher}}" for n in range(kind + 1)]
    return "\n".join(lines) + "\n"


def agent_files(
    i: int, version: str, rng: random.Random, mode: str = "realistic", agents: int = 10_000
) -> dict[str, str]:
    """The files of synthetic agent number `i` of a catalog of `agents` at `version`."""
    if mode == "realistic":
        return realistic_files(i, version, rng, agents)
    owner = f"owner-{i % max(1, 97):03d}"
    slug = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{i}"
    name = f"{slug.replace('-', ' ').title()}"
    manifest: dict[str, object] = {
        "name": name,
        "summary": f"{name} helps with {rng.choice(TAGS)} and {rng.choice(TAGS)} questions.",
        "owner": owner,
        "version": version,
        "license": rng.choice(["MIT", "Apache-2.0", "CC-BY-4.0"]),
        "tags": sorted(rng.sample(TAGS, rng.randint(1, 4))),
        "character": "character.json",
    }
    character = {
        "name": name,
        "bio": [f"{name} is synthetic agent {i}.", f"It knows about {rng.choice(WORDS)}."],
        "topics": rng.sample(WORDS, 3),
        "plugins": sorted(rng.sample(PLUGINS, 3)),
        "messageExamples": [
            [
                {"name": "{{name1}}", "content": {"text": f"Tell me about {rng.choice(WORDS)}."}},
                {
                    "name": name,
                    "content": {"text": f"Version {version} says: {rng.choice(WORDS)}."},
                },
            ]
        ],
        "style": {"all": ["concise"], "chat": ["friendly"]},
    }
    if realistic.pool().money & set(character["plugins"]):  # type: ignore[arg-type]
        manifest["financial"] = {"actions": ["swap"], "custody": "user-wallet"}
    return {
        f"agents/{owner}/{slug}/agent.yaml": HEAD
        + yaml.dump(manifest, Dumper=_DUMPER, sort_keys=False),
        f"agents/{owner}/{slug}/character.json": json.dumps(character, indent=2) + "\n",
        f"agents/{owner}/{slug}/README.md": f"# {name}\n\nSynthetic agent {i} at {version}.\n",
    }


def realistic_files(i: int, version: str, rng: random.Random, agents: int) -> dict[str, str]:
    """The files of realistic agent `i`: sizes and words of real agents (realistic.py)."""
    owner = owner_of(i, agents)
    slug = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{i}"
    name = slug.replace("-", " ").title()
    char = realistic.character(name, rng, version)
    manifest: dict[str, object] = {
        "name": name,
        "summary": realistic.summary(rng),
        "owner": owner,
        "version": version,
        "license": rng.choice(["MIT", "MIT", "Apache-2.0", "CC-BY-4.0"]),
        "tags": sorted(rng.sample(TAGS, rng.randint(2, 5))),
        "character": "character.json",
    }
    manifest |= realistic.manifest_extras(char, owner, rng)
    return {
        f"agents/{owner}/{slug}/agent.yaml": HEAD
        + yaml.dump(manifest, Dumper=_DUMPER, sort_keys=False, width=100, allow_unicode=True),
        # UTF-8 as authors and `catalog new` write it, not \u escapes
        f"agents/{owner}/{slug}/character.json": json.dumps(char, indent=2, ensure_ascii=False)
        + "\n",
        f"agents/{owner}/{slug}/README.md": realistic.readme(name, rng),
    }


def _commit(out: list[bytes], files: dict[str, str], message: str, stamp: int) -> None:
    out.append(b"commit refs/heads/main\n")
    out.append(f"committer Bench <bench@example.invalid> {stamp} +0000\n".encode())
    data = message.encode()
    out.append(b"data %d\n%s\n" % (len(data), data))
    for path, text in files.items():
        blob = text.encode()
        out.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(blob), blob))


def make_catalog(
    dest: Path,
    agents: int,
    rounds: int | None = None,
    seed: int = 7,
    mode: str = "realistic",
) -> Path:
    """Create `dest` as a git repository holding a synthetic catalog with history; return it.
    `rounds` of bumps default to 1 (realistic) or 4 (minimal)."""
    assert mode in MODES, mode
    rounds = (1 if mode == "realistic" else 4) if rounds is None else rounds
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "--quiet", "--initial-branch=main", str(dest)], check=True)
    stream: list[bytes] = []
    stamp = 1_767_225_600  # 2026-01-01T00:00:00Z

    def files_of(i: int, version: str) -> dict[str, str]:
        return agent_files(i, version, random.Random(seed * 1_000_003 + i), mode, agents)

    def bumped(i: int, r: int) -> bool:
        if mode == "minimal":
            return (i + r) % 5 != 0  # most agents change in each round
        return random.Random(i * 31 + r).random() < SHARE

    for start in range(0, agents, BATCH):
        files: dict[str, str] = {}
        for i in range(start, min(agents, start + BATCH)):
            files.update(files_of(i, "1.0.0"))
        if mode == "realistic" and start == 0:
            for n in range(owners(agents)):
                login = f"maker-{n:05d}"
                if (record := owner_record(login)) is not None:
                    files[f"owners/{login}.yaml"] = record
        _commit(stream, files, f"Add agents {start}-{start + BATCH - 1}", stamp)
        stamp += 3600
    for r in range(1, rounds + 1):
        for start in range(0, agents, BATCH):
            files = {}
            for i in range(start, min(agents, start + BATCH)):
                if bumped(i, r):
                    files.update(files_of(i, f"1.{r}.0"))
            if files:
                _commit(stream, files, f"Round {r}: update agents {start}-", stamp)
            stamp += 3600
    subprocess.run(["git", "fast-import", "--quiet"], cwd=dest, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "--quiet", "--force", "main"], cwd=dest, check=True)
    return dest


def copy_site_sources(dest: Path) -> None:
    """Copy this repository's site configuration, hand-written pages (not generated ones) and
    `.gitignore` into the catalog `dest`, so a synthetic catalog builds like the real one and
    what a build or a search writes stays out of a pull request's changes, as there."""
    listed = subprocess.run(
        [
            "git",
            "ls-files",
            "--cached",
            "--others",
            "--exclude-standard",
            ".gitignore",
            "mkdocs.yml",
            "site-config",
            "catalog",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    for rel in listed.stdout.split():
        if (REPO / rel).is_file() and not rel.startswith("catalog/search/"):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPO / rel, dest / rel)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--agents", type=int, default=1000)
    parser.add_argument("--mode", choices=MODES, default="realistic")
    parser.add_argument("--rounds", type=int, default=None, help="rounds of version bumps")
    args = parser.parse_args()
    make_catalog(args.dest, args.agents, args.rounds, mode=args.mode)
    print(f"{args.agents} {args.mode} agents in {args.dest}")


if __name__ == "__main__":
    main()
