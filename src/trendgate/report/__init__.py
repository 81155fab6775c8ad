"""Report: the formats, registered in one place.

Each format is one module of this package, named for the format, with
`render_NAME(analysis, ending)` and, where a backtest can be shown in it,
`render_backtest_NAME(backtest, ending)`. The file options (`--json FILE`, the config key `json`,
the Action input `json-report`), the `--format` choices and the docs' table are all
generated from FORMATS. Modules are imported only when a report is made,
so that `trendgate --version` and usage errors never load the analysis.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trendgate.model import Analysis, Backtest


@dataclass(frozen=True)
class Ending:
    """How the run ends, which every report states, and how much the text report shows."""

    exit_code: int = 0
    error: str | None = None  # the one-line reason behind exit code 2
    report_only: bool = False  # a regression does not fail the gate (--no-fail)
    from_action: bool = False  # the options were the Action's inputs: name them so
    verbose: bool = False  # the text report shows every model's statistics


@dataclass(frozen=True)
class Format:
    """A report format: its name is its flag, its config key and its Action input's stem."""

    name: str
    title: str  # "the {title}" in help texts
    to_file: bool  # it has a file option
    printable: bool  # `--format NAME` prints it on standard output
    backtest: bool  # `trendgate backtest` can show it

    def render(self, analysis: Analysis, ending: Ending) -> str:
        """The report of an analysis in this format."""
        render: Callable[[Analysis, Ending], str] = getattr(self._module(), f"render_{self.name}")
        return render(analysis, ending)

    def render_backtest(self, backtest: Backtest, ending: Ending) -> str:
        """The report of a backtest in this format."""
        render: Callable[[Backtest, Ending], str] = getattr(
            self._module(), f"render_backtest_{self.name}"
        )
        return render(backtest, ending)

    def _module(self) -> object:
        return import_module(f"trendgate.report.{self.name}")


FORMATS = (
    Format("text", "text report", to_file=False, printable=True, backtest=True),
    Format("json", "JSON report", to_file=True, printable=True, backtest=True),
    Format("junit", "JUnit XML report", to_file=True, printable=False, backtest=False),
    Format("markdown", "Markdown job summary", to_file=True, printable=False, backtest=False),
)
FORMATS_BY_NAME = {fmt.name: fmt for fmt in FORMATS}
PRINTABLE = tuple(fmt.name for fmt in FORMATS if fmt.printable)
