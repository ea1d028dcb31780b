"""The test suite reads nothing outside the repository, so `git clone ... && make test` passes
anywhere (issue 12: tests once read character files from a folder beside the clone)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A path climbing from a test module above the repository root, or one written out absolutely.
CLIMB = re.compile(r"__file__\)?[^\n]*?(\.parents\[[2-9]\]|(\.parent){3})")
ABSOLUTE = re.compile(r"[\"'](/work/|/home/|/tmp/|/Users/|[A-Z]:\\\\)")
BESIDE = re.compile(r"[\"']\.\./(shared|corpus)|[\"']shared[\"']\s*/")


def test_no_test_module_reads_outside_the_repository() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if "node_modules" not in path.parts and path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if CLIMB.search(line) or ABSOLUTE.search(line) or BESIDE.search(line)
    ]
    assert offenders == []


def test_the_patterns_catch_the_old_corpus_path() -> None:
    """The line the suite used to have, and its variants, are caught (the check can fail)."""
    old = 'CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "characters"'
    assert CLIMB.search(old) and BESIDE.search(old)
    assert CLIMB.search("HERE = Path(__file__).parent.parent.parent")
    assert ABSOLUTE.search('Path("/work/shared/corpus")')
    assert BESIDE.search('ROOT / "../shared/corpus"')
    assert not CLIMB.search('CORPUS = Path(__file__).parent / "data" / "characters"')
