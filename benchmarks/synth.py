"""Synthetic catalogs for benchmarks: N valid agents in a real git repository with history.

History is written with `git fast-import` (one process, seconds for 10,000 agents): agents arrive
in batches, then rounds of version bumps touch most of them again, so each agent has about
`rounds + 1` commits, like a catalog that has lived for a while.

    python benchmarks/synth.py DEST --agents 1000 [--rounds 4]
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


def agent_files(i: int, version: str, rng: random.Random) -> dict[str, str]:
    """The three files of synthetic agent number `i` at `version`."""
    owner = f"owner-{i % max(1, 97):03d}"
    slug = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{i}"
    name = f"{slug.replace('-', ' ').title()}"
    manifest = {
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
    head = "# yaml-language-server: $schema=../../../catalog/schema/agent.schema.json\n"
    return {
        f"agents/{owner}/{slug}/agent.yaml": head
        + yaml.dump(manifest, Dumper=_DUMPER, sort_keys=False),
        f"agents/{owner}/{slug}/character.json": json.dumps(character, indent=2) + "\n",
        f"agents/{owner}/{slug}/README.md": f"# {name}\n\nSynthetic agent {i} at {version}.\n",
    }


def _commit(out: list[bytes], files: dict[str, str], message: str, stamp: int) -> None:
    out.append(b"commit refs/heads/main\n")
    out.append(f"committer Bench <bench@example.invalid> {stamp} +0000\n".encode())
    data = message.encode()
    out.append(b"data %d\n%s\n" % (len(data), data))
    for path, text in files.items():
        blob = text.encode()
        out.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(blob), blob))


def make_catalog(dest: Path, agents: int, rounds: int = 4, seed: int = 7) -> Path:
    """Create `dest` as a git repository holding a synthetic catalog with history; return it."""
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "--quiet", "--initial-branch=main", str(dest)], check=True)
    stream: list[bytes] = []
    stamp = 1_767_225_600  # 2026-01-01T00:00:00Z
    for start in range(0, agents, BATCH):
        files: dict[str, str] = {}
        for i in range(start, min(agents, start + BATCH)):
            files.update(agent_files(i, "1.0.0", random.Random(seed * 1_000_003 + i)))
        _commit(stream, files, f"Add agents {start}-{start + BATCH - 1}", stamp)
        stamp += 3600
    for r in range(1, rounds + 1):
        for start in range(0, agents, BATCH):
            files = {}
            for i in range(start, min(agents, start + BATCH)):
                if (i + r) % 5:  # most agents change in each round
                    files.update(agent_files(i, f"1.{r}.0", random.Random(seed * 1_000_003 + i)))
            _commit(stream, files, f"Round {r}: update agents {start}-", stamp)
            stamp += 3600
    subprocess.run(["git", "fast-import", "--quiet"], cwd=dest, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "--quiet", "--force", "main"], cwd=dest, check=True)
    return dest


def copy_site_sources(dest: Path) -> None:
    """Copy this repository's site configuration and hand-written pages (not generated ones)
    into the catalog `dest`, so a synthetic catalog builds like the real one."""
    listed = subprocess.run(
        [
            "git",
            "ls-files",
            "--cached",
            "--others",
            "--exclude-standard",
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
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    make_catalog(args.dest, args.agents, args.rounds)
    print(f"{args.agents} agents in {args.dest}")


if __name__ == "__main__":
    main()
