"""The house rules of src/trendgate (docs/architecture.md), read from the source itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "trendgate"
# The flow's steps, in order: a package may import the base and the steps before it.
FLOW = ("read", "history", "judge", "report", "app")
# The public API and the entry point stand outside the flow: they name what it exports.
ENTRANCES = ("__init__.py", "__main__.py")
MAX_TOP_LEVEL = 8
MAX_LINES = 350


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _step(path: Path) -> int:
    """The module's place in the flow: -1 for the base, else the index of its package."""
    parts = path.relative_to(PACKAGE).parts
    return FLOW.index(parts[0]) if len(parts) > 1 else -1


def _imported(source: str) -> set[str]:
    """Every trendgate module or package the source imports, type-only imports included."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.split(".")[0] == "trendgate"}


def _against_the_flow(step: int, source: str) -> list[str]:
    return sorted(
        name
        for name in _imported(source)
        if len(name.split(".")) > 1
        and name.split(".")[1] in FLOW
        and FLOW.index(name.split(".")[1]) > step
    )


@pytest.mark.parametrize(
    "path",
    [p for p in _modules() if p.parent != PACKAGE or p.name not in ENTRANCES],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_no_module_imports_a_later_step_of_the_flow(path: Path) -> None:
    assert _against_the_flow(_step(path), path.read_text(encoding="utf-8")) == []


def test_the_check_sees_imports_against_the_flow() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from trendgate.read.place import place_runs\n"
        "import trendgate.app.run\n"
        "if TYPE_CHECKING:\n"
        "    from trendgate.report import FORMATS\n"
        "from trendgate import model\n"
    )
    judge = FLOW.index("judge")
    assert _against_the_flow(judge, source) == [
        "trendgate.app.run",
        "trendgate.report",
        "trendgate.report.FORMATS",
    ]
    assert _against_the_flow(-1, "from trendgate.read import files\n") == [
        "trendgate.read",
        "trendgate.read.files",
    ]


def test_at_most_eight_python_files_at_the_top_level() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL, top


def test_every_package_of_the_flow_says_what_it_owns_and_may_import() -> None:
    for step in FLOW:
        doc = ast.get_docstring(ast.parse((PACKAGE / step / "__init__.py").read_text()))
        assert doc and "import" in doc, step


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_over_350_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES
