"""What is judged and how: the results directory, the models and the rule, declared as the rest
of the Job's options are. The Job inherits them; `settings` turns them into the judge's Settings,
the rule's defaults under what was given."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trendgate.app.option import option_field
from trendgate.settings import (
    BUDGET_MIN_RUNS,
    BUDGET_NOISE_RUNS,
    BUDGET_WINDOW,
    DEFAULT_BUDGET,
    DEFAULT_MIN_RUNS,
    DEFAULT_RESULTS_DIR,
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW,
    PERIODS,
    RULES,
    X_AXES,
    Budget,
    Rule,
    Settings,
    XAxis,
    budget_settings,
    check_confidence,
    check_min_runs,
    check_noise_runs,
    check_stale_after,
    check_threshold,
    check_window,
    parse_budget,
)


@dataclass(frozen=True)
class JudgingOptions:
    """The results directory, the models judged, and the rule and settings they are judged by."""

    results_dir: str = option_field(
        DEFAULT_RESULTS_DIR,
        "path",
        f"directory of PinchBench result files (default: {DEFAULT_RESULTS_DIR})",
        input="results-dir",
        input_help="Directory of PinchBench result files, relative to the workspace. "
        "Default results, or the config file's results_dir.",
    )
    only_models: tuple[str, ...] = option_field(
        (),
        "names",
        "analyze only this model (repeatable); its name as in the result files",
        flag="--model",
        metavar="NAME",
        input="models",
        input_help="Only these models (comma- or newline-separated), named as in the result "
        "files. Default all.",
    )
    rule: Rule = option_field(
        "budget",
        "choice",
        "budget: judge each model at the level --false-alarms sets (default); proposal: the "
        "original proposal's rule (window 10, slope below -0.5, min runs 2), nothing else",
        flag="--rule",
        choices=RULES,
        input="rule",
    )
    false_alarms: Budget | None = option_field(
        None,
        "text",
        f"expected false alarms across all models of the history on flat models, e.g. 1/month "
        f"or 1/quarter (PERIOD: {', '.join(PERIODS)}; default {DEFAULT_BUDGET})",
        flag="--false-alarms",
        metavar="N/PERIOD",
        check=parse_budget,
        input="false-alarms",
    )
    window: int | None = option_field(
        None,
        "int",
        f"judge the last N runs (default {BUDGET_WINDOW}; {DEFAULT_WINDOW} with --rule proposal)",
        flag="--window",
        metavar="N",
        check=check_window,
        input="window",
    )
    threshold: float | None = option_field(
        None,
        "float",
        "regress only when the slope (points/run) is also below T (default: no floor beyond a "
        f"decline; {DEFAULT_THRESHOLD} with --rule proposal, where the slope alone decides)",
        flag="--threshold",
        metavar="T",
        check=check_threshold,
        input="threshold",
    )
    min_runs: int | None = option_field(
        None,
        "int",
        f"models with fewer runs are reported, never failed (default {BUDGET_MIN_RUNS}; "
        f"{DEFAULT_MIN_RUNS} with --rule proposal)",
        flag="--min-runs",
        metavar="N",
        check=check_min_runs,
        input="min-runs",
    )
    confidence: float | None = option_field(
        None,
        "float",
        "judge each model at the level 1 - C (e.g. 0.999) instead of the budget's",
        flag="--confidence",
        metavar="C",
        check=check_confidence,
        input="confidence",
        input_help="Judge each model at the level 1 - C (e.g. 0.999), the chance a flat model "
        "fails on a night, instead of the level false-alarms sets. Default off, or the config "
        "file's confidence.",
    )
    noise_runs: int | None = option_field(
        None,
        "int",
        "estimate the noise over each model's last N comparable runs (line fits over blocks of "
        f"10), not only its window (default {BUDGET_NOISE_RUNS})",
        flag="--noise-runs",
        metavar="N",
        check=check_noise_runs,
        input="noise-runs",
        input_help="Estimate the run-to-run noise over each model's last N comparable runs "
        "(line fits over blocks of 10 runs, pooled with the window's residuals) instead of its "
        f"window alone; these runs are parsed in full. Default {BUDGET_NOISE_RUNS}, or the "
        "config file's noise_runs.",
    )
    segment: bool = option_field(
        False,
        "bool",
        "window only the runs comparable with each model's latest run "
        "(same benchmark version, task set and runs per task)",
        flag="--segment",
        input="segment",
    )
    x: XAxis = option_field(
        "run",
        "choice",
        "slope per run (default) or per day, from the timestamps",
        flag="--x",
        choices=X_AXES,
        input="x",
    )
    stale_after: float | None = option_field(
        None,
        "float",
        "flag a model that has had no run for DAYS while the others have had runs "
        "(default: three of its usual intervals between runs, at least 2 days)",
        flag="--stale-after",
        metavar="DAYS",
        check=check_stale_after,
        input="stale-after",
    )

    @property
    def settings(self) -> Settings:
        """How each series is windowed and judged: the rule's defaults under what is given."""
        given: dict[str, Any] = {
            "window": self.window,
            "threshold": self.threshold,
            "min_runs": self.min_runs,
            "segment": self.segment,
            "x": self.x,
            "stale_after": self.stale_after,
        }
        given = {k: v for k, v in given.items() if v is not None}
        if self.rule == "proposal":
            return Settings(**given)
        budget: dict[str, Any] = {"confidence": self.confidence, "noise_runs": self.noise_runs}
        budget["false_alarms"] = self.false_alarms
        return budget_settings(**given, **{k: v for k, v in budget.items() if v is not None})
