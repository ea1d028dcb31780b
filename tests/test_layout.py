"""The layout of generator/ shows the data flow (issue 9): one package per stage, imports only
going down the stages, no import cycles, short modules, and each package saying what it holds.

The layer contract lives in pyproject.toml ([tool.importlinter]) so `make lint` runs it too;
these tests run it, prove it catches an upward import, and check what a contract cannot.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

from tests.conftest import REPO

GENERATOR = REPO / "generator"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
MAX_LINES = 400
"""A module past this holds two responsibilities (STYLE.md: keep modules under ~400 lines)."""


def _contract() -> dict[str, object]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (layers,) = [c for c in contracts if c["type"] == "layers"]
    return layers


def _lint_imports(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml"), *extra],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        check=False,
    )


def test_imports_go_down_the_stages() -> None:
    result = _lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_catches_an_upward_import(tmp_path: Path) -> None:
    """A copy of the package where checks (the bottom) imports site (near the top) breaks it,
    also when the import hides inside a function."""
    shutil.copytree(GENERATOR, tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    secrets = tmp_path / "generator" / "checks" / "secrets.py"
    secrets.write_text(
        secrets.read_text("utf-8") + "\n\ndef _up():\n    from generator.site import build\n"
    )
    result = _lint_imports(tmp_path)
    assert result.returncode == 1
    assert "generator.checks is not allowed to import generator.site" in result.stdout
    assert "generator.checks.secrets -> generator.site.build" in result.stdout


def test_every_package_is_a_layer() -> None:
    """A new package cannot escape the contract by not being named in it."""
    named = {
        part.strip().removeprefix("generator.")
        for layer in _contract()["layers"]  # type: ignore[attr-defined]
        for part in layer.split("|")
    }
    packages = {p.parent.name for p in GENERATOR.glob("*/__init__.py")}
    modules = {p.stem for p in GENERATOR.glob("*.py")} - {"__init__", "__main__"}
    assert packages | modules == named


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def test_no_import_cycles() -> None:
    assert _cycles(grimp.build_graph("generator")) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for name in ("a", "a.x", "a.y", "a.z"):
        graph.add_module(name)
    graph.add_import(importer="a.x", imported="a.y")
    graph.add_import(importer="a.y", imported="a.x")
    graph.add_import(importer="a.z", imported="a.x")
    assert _cycles(graph) == [["a.x", "a.y"]]


@pytest.mark.parametrize(
    "module", sorted(p.relative_to(REPO).as_posix() for p in GENERATOR.rglob("*.py")), ids=str
)
def test_modules_stay_short(module: str) -> None:
    lines = len((REPO / module).read_text("utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines: split its second responsibility"


@pytest.mark.parametrize("package", sorted(p.parent.name for p in GENERATOR.glob("*/__init__.py")))
def test_each_package_says_what_enters_leaves_and_may_import_it(package: str) -> None:
    source = (GENERATOR / package / "__init__.py").read_text("utf-8")
    tree = ast.parse(source)
    doc = ast.get_docstring(tree) or ""
    assert " in" in doc.splitlines()[0] and "out" in doc.splitlines()[0], doc
    assert "import" in doc, f"{package}/__init__.py: say what it imports and who imports it"
    assert len(tree.body) == 1, f"{package}/__init__.py holds only its docstring"


def test_the_architecture_diagram_names_every_package() -> None:
    page = (REPO / "catalog" / "architecture.md").read_text("utf-8")
    flow = page.split("## Data flow", 1)[1]
    diagram = flow.split("```text", 1)[1].split("```", 1)[0]
    for init in GENERATOR.glob("*/__init__.py"):
        assert re.search(rf"(?m)(?<![\w/.]){init.parent.name}/(?=[ ,;]|$)", diagram), (
            init.parent.name
        )


def test_the_architecture_table_names_every_module() -> None:
    """Each package's row in catalog/architecture.md lists every module it holds (the command
    line's package, on the top row)."""
    page = (REPO / "catalog" / "architecture.md").read_text("utf-8")
    table = page.split("| package | reads | gives | modules |", 1)[1].split("\n\n", 1)[0]
    rows = {
        line.split("|")[1].strip().strip("`"): line.split("|")[4]
        for line in table.splitlines()
        if line.startswith("| ")
    }
    for init in GENERATOR.glob("*/__init__.py"):
        name = init.parent.name
        named = set(re.findall(r"`(\w+)`", rows["top" if name == "cli" else f"{name}/"]))
        held = {p.stem for p in init.parent.glob("*.py") if p.name != "__init__.py"}
        assert held <= named, (name, sorted(held - named))
