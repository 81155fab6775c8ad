"""The versioned, stable JSON report."""

from __future__ import annotations

import json
from typing import Any

from trendgate.analysis import Analysis
from trendgate.load import Run
from trendgate.trend import Trend

SCHEMA_VERSION = 1


def report_dict(analysis: Analysis) -> dict[str, Any]:
    """The report as plain data, in a fixed key order."""
    s = analysis.settings
    return {
        "schema_version": SCHEMA_VERSION,
        "regression": analysis.regression,
        "results_dir": analysis.results_dir,
        "files_read": analysis.files_read,
        "settings": {"window": s.window, "threshold": s.threshold, "min_runs": s.min_runs},
        "models": [_trend(t) for t in analysis.trends],
        "skipped": [{"path": k.path, "reason": k.reason} for k in analysis.skipped],
        "warnings": [{"path": n.path, "message": n.message} for n in analysis.notes],
    }


def render_json(analysis: Analysis) -> str:
    """The report as JSON text; ASCII only, so no byte of it can confuse a log or a shell."""
    return json.dumps(report_dict(analysis), indent=2, ensure_ascii=True) + "\n"


def _trend(trend: Trend) -> dict[str, Any]:
    return {
        "model": trend.model,
        "status": trend.status,
        "slope": trend.slope,
        "run_count": trend.run_count,
        "total_runs": trend.total_runs,
        "runs": [_run(r) for r in trend.runs],
    }


def _run(run: Run) -> dict[str, Any]:
    return {
        "run_id": run.run_id,
        "timestamp": run.timestamp,
        "score_pct": run.score_pct,
        "task_count": run.task_count,
        "path": run.path,
    }
