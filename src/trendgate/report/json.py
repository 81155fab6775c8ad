"""The versioned, stable JSON report."""

from __future__ import annotations

import math
from collections.abc import Sequence
from json.encoder import encode_basestring_ascii as _string
from typing import Any

from trendgate.model import (
    Accepted,
    Analysis,
    Backtest,
    Influence,
    Noise,
    Replay,
    Run,
    RunHead,
    Series,
    Stale,
    Stop,
    Trend,
)
from trendgate.report import Ending
from trendgate.report.budget_line import expected_false_alarms
from trendgate.report.source import workflow_run
from trendgate.settings import DEFAULT_BUDGET, LONE, Settings
from trendgate.words import iso_utc

SCHEMA_VERSION = 2


def report_dict(analysis: Analysis, ending: Ending) -> dict[str, Any]:
    """The report as plain data, in a fixed key order."""
    return {
        "schema_version": SCHEMA_VERSION,
        "regression": analysis.regression,
        "exit_code": ending.exit_code,
        "error": ending.error,
        "results_dir": analysis.results_dir,
        "config": analysis.rules.source,
        "files_read": analysis.files_read,
        "settings": _settings(analysis.settings),
        "family_false_alarm_rate": analysis.family_false_alarm_rate,
        "models": [_trend(t, analysis.stale_of(t.model)) for t in analysis.trends],
        "ignored": [_ignored(s) for s in analysis.ignored],
        "skipped": [{"path": k.path, "reason": k.reason} for k in analysis.skipped],
        "warnings": [{"path": n.path, "message": n.message} for n in analysis.notes],
        "setting_warnings": list(analysis.setting_warnings),
        "added": list(analysis.added),
        "left_out": [{"path": k.path, "reason": k.reason} for k in analysis.left_out],
    }


def backtest_dict(backtest: Backtest, ending: Ending) -> dict[str, Any]:
    """The backtest as plain data: each model's verdict after each of its runs."""
    analysis = backtest.analysis
    return {
        "schema_version": SCHEMA_VERSION,
        "exit_code": ending.exit_code,
        "error": ending.error,
        "results_dir": analysis.results_dir,
        "config": analysis.rules.source,
        "files_read": analysis.files_read,
        "settings": _settings(analysis.settings),
        "failures": sum(len(r.failures) for r in backtest.replays),
        "models": [_replay(r, backtest.stops) for r in backtest.replays],
        "ignored": [_ignored(s) for s in analysis.ignored],
        "skipped": [{"path": k.path, "reason": k.reason} for k in analysis.skipped],
        "warnings": [{"path": n.path, "message": n.message} for n in analysis.notes],
        "setting_warnings": list(analysis.setting_warnings),
    }


def render(analysis: Analysis, ending: Ending) -> str:
    """The report as JSON text; ASCII only, so no byte of it can confuse a log or a shell."""
    return _dump(report_dict(analysis, ending))


def render_backtest(backtest: Backtest, ending: Ending) -> str:
    """The backtest as JSON text, ASCII only."""
    return _dump(backtest_dict(backtest, ending))


def _dump(data: dict[str, Any]) -> str:
    # A CI runner obeys `##[command]` anywhere in a printed line, and `##[` can only occur
    # inside a string here, so its `[` is written as the equivalent `\u005b`.
    return _indented(data, "").replace("##[", "##\\u005b") + "\n"


def _indented(value: Any, pad: str) -> str:
    """`value` as json.dumps(value, indent=2, ensure_ascii=True) writes it, at indentation `pad`.

    Non-finite numbers (absurd scores overflow) become null: NaN and Infinity are not JSON.
    The standard library indents in pure Python, and twice as slowly as this (the report of
    20 models holds about 20,000 values); tests/test_report_json.py checks that both agree.
    """
    kind = type(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = pad + "  "
        pairs = [f"{inner}{_string(k)}: {_indented(v, inner)}" for k, v in value.items()]
        items = ",\n".join(pairs)
        return f"{{\n{items}\n{pad}}}"
    if kind is list:
        if not value:
            return "[]"
        inner = pad + "  "
        items = ",\n".join([inner + _indented(v, inner) for v in value])
        return f"[\n{items}\n{pad}]"
    if kind is str:
        return _string(value)
    if kind is float:
        return repr(value) if math.isfinite(value) else "null"
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return repr(value)
    raise TypeError(f"{kind.__name__} in a report")


def _settings(s: Settings) -> dict[str, Any]:
    budget, family = s.false_alarms or DEFAULT_BUDGET, s.family or LONE
    return {
        "window": s.window,
        "threshold": s.threshold,
        "min_runs": s.min_runs,
        "confidence": s.confidence,
        "segment": s.segment,
        "x": s.x,
        "noise_runs": s.noise_runs,
        "stale_after": s.stale_after,
        "rule": s.rule,
        "false_alarms": None if s.level is None or s.confidence is not None else str(budget),
        "level": s.level,
        "family": None
        if s.level is None
        else {
            "models": family.models,
            "runs_per_day": family.runs_per_day,
            "paced": family.paced,
            "autocorrelation": family.autocorrelation,
        },
        "family_rate": expected_false_alarms(s),
    }


def _trend(trend: Trend, stale: Stale | None) -> dict[str, Any]:
    return {
        "model": trend.model,
        "status": trend.verdict,
        "slope": trend.slope,
        "run_count": trend.run_count,
        "total_runs": trend.total_runs,
        "x": trend.x,
        "span_days": trend.span_days,
        "slope_stderr": trend.slope_stderr,
        "slope_ci": list(trend.slope_ci) if trend.slope_ci else None,
        "confidence": trend.confidence,
        "p_value": trend.p_value,
        "p_value_alternative": "less",
        "theil_sen_slope": trend.theil_sen_slope,
        "min_detectable_slope": trend.min_detectable_slope,
        "more_runs_needed": trend.more_runs_needed,
        "window_needed": trend.window_needed,
        "detectable_slope": trend.detectable_slope,
        "expected_false_alarm_rate": trend.expected_false_alarm_rate,
        "level": trend.level,
        "decided_by": trend.decided_by,
        "autocorrelation": trend.autocorrelation,
        "noise": _noise(trend.noise),
        "influential_run": trend.influential_run.run_id if trend.influential_run else None,
        "influence": _influence(trend.influence),
        "step": (
            {
                "after_run": trend.step.after.run_id,
                "after_timestamp": trend.step.after.timestamp,
                "after_path": trend.step.after.path,
                "size": trend.step.size,
            }
            if trend.step
            else None
        ),
        "tasks": [
            {
                "task_id": t.task_id,
                "slope": t.slope,
                "share": t.share,
                "stderr": t.stderr,
                "p_value": t.p_value,
                "stands_out": t.stands_out,
            }
            for t in trend.tasks
        ],
        "categories": [{"category": c.category, "slope": c.slope} for c in trend.categories],
        "failure_slope": trend.failure_slope,
        "cost_slope": trend.cost_slope,
        "token_slope": trend.token_slope,
        "warnings": list(trend.warnings),
        "settings": _settings(trend.settings),
        "rules": [{"pattern": r.pattern, **r.overrides()} for r in trend.rules],
        "aliases": list(trend.aliases),
        "accepted": _accepted(trend.accepted),
        "runs": [_run(r) for r in trend.runs],
        "stale_since": None if stale is None else iso_utc(stale.since),
    }


def _noise(noise: Noise | None) -> dict[str, Any] | None:
    if noise is None:
        return None
    return {"sd": noise.sd, "df": noise.df, "source": noise.source, "runs": noise.runs}


def _influence(influence: Influence | None) -> dict[str, Any] | None:
    if influence is None:
        return None
    return {
        **_named(influence.run),
        "slope_without": influence.slope_without,
        "regression_without": influence.regression_without,
    }


def _replay(replay: Replay, stops: Sequence[Stop]) -> dict[str, Any]:
    return {
        "model": replay.model,
        "failures": len(replay.failures),
        "stale": [
            {
                "since": iso_utc(stop.since),
                "flagged": iso_utc(stop.flagged),
                "resumed": None if stop.resumed is None else iso_utc(stop.resumed),
            }
            for stop in stops
            if stop.model == replay.model
        ],
        "verdicts": [
            {
                "run_id": v.after.run_id,
                "timestamp": v.after.timestamp,
                "status": v.verdict,
                "slope": v.slope,
                "run_count": v.run_count,
            }
            for v in replay.verdicts
        ],
    }


def _accepted(accepted: Accepted | None) -> dict[str, Any] | None:
    if accepted is None:
        return None
    accept, last = accepted.accept, accepted.last_set_aside
    return {
        "model": accept.model,
        "after_run": accept.after_run,
        "after": None if accept.after is None else iso_utc(accept.after),
        "reason": accept.reason,
        "runs_set_aside": accepted.runs_set_aside,
        "last_set_aside": None if last is None else _named(last),
    }


def _named(run: Run | RunHead) -> dict[str, Any]:
    """What names a run: its id, time and file (every fresh runner's id is 0001)."""
    return {"run_id": run.run_id, "timestamp": run.timestamp, "path": run.path}


def _ignored(series: Series) -> dict[str, Any]:
    return {"model": series.model, "rule": series.ignored_by, "total_runs": series.total_runs}


def _run(run: Run) -> dict[str, Any]:
    return {
        "run_id": run.run_id,
        "timestamp": run.timestamp,
        "score_pct": run.score_pct,
        "task_count": run.task_count,
        "path": run.path,
        "source": dict(run.source) or None,
        "workflow_run_url": workflow.url if (workflow := workflow_run(run)) else None,
    }
