"""Report: the formats, registered in one place.

Each format is one module of this package, named for the format, that implements `Renderer`
(`render(analysis, ending)`) and, where a backtest can be shown in it, `BacktestRenderer`. The
file options (`--json FILE`, the config key `json`, the Action input `json-report`), the
`--format` choices and the docs' table are all generated from FORMATS. Each module is imported
only when a report is made, so that `trendgate --version` and usage errors never load the
analysis; the loaders' return types let mypy check every module against its interface.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

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
    site_url: str | None = None  # where the history site is published (settings.check_site_url)


class Renderer(Protocol):
    """A report format: the report of an analysis."""

    def render(self, analysis: Analysis, ending: Ending) -> str: ...


class BacktestRenderer(Renderer, Protocol):
    """A report format that can also show a backtest."""

    def render_backtest(self, backtest: Backtest, ending: Ending) -> str: ...


@dataclass(frozen=True)
class Format:
    """A report format: its name is its flag, its config key and its Action input's stem."""

    name: str
    title: str  # "the {title}" in help texts
    to_file: bool  # it has a file option
    printable: bool  # `--format NAME` prints it on standard output
    load: Callable[[], Renderer]
    load_backtest: Callable[[], BacktestRenderer] | None = None  # None: no backtest form

    @property
    def backtest(self) -> bool:
        """`trendgate backtest` can show it."""
        return self.load_backtest is not None

    def render(self, analysis: Analysis, ending: Ending) -> str:
        """The report of an analysis in this format."""
        return self.load().render(analysis, ending)

    def render_backtest(self, backtest: Backtest, ending: Ending) -> str:
        """The report of a backtest in this format."""
        if self.load_backtest is None:
            raise ValueError(f"the {self.title} has no backtest form")
        return self.load_backtest().render_backtest(backtest, ending)


def _text() -> BacktestRenderer:
    from trendgate.report import text

    return text


def _json() -> BacktestRenderer:
    from trendgate.report import json

    return json


def _junit() -> Renderer:
    from trendgate.report import junit

    return junit


def _markdown() -> Renderer:
    from trendgate.report import markdown

    return markdown


FORMATS = (
    Format("text", "text report", to_file=False, printable=True, load=_text, load_backtest=_text),
    Format("json", "JSON report", to_file=True, printable=True, load=_json, load_backtest=_json),
    Format("junit", "JUnit XML report", to_file=True, printable=False, load=_junit),
    Format("markdown", "Markdown job summary", to_file=True, printable=False, load=_markdown),
)
FORMATS_BY_NAME = {fmt.name: fmt for fmt in FORMATS}
PRINTABLE = tuple(fmt.name for fmt in FORMATS if fmt.printable)
