"""JUnit XML: one test case per model, which GitLab, Jenkins, CircleCI and Buildkite all read."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from trendgate.escape import one_line
from trendgate.model import Analysis, Stale, Trend
from trendgate.read.pinchbench import describe_run
from trendgate.report import Ending
from trendgate.report.budget_line import budget_line, why_regressed
from trendgate.report.evidence import POINTS, undecided
from trendgate.report.next_steps import stale_hint
from trendgate.report.rule_lines import applied_rules, ignored_line
from trendgate.words import count

CLASSNAME = "trendgate"
PASSING = ("stable", "improving")


def render(analysis: Analysis, ending: Ending) -> str:
    """The whole report as a JUnit XML document.

    An error (exit code 2) is a test case of its own, so that no reader counts it a pass.
    """
    cases = [
        _case(t, analysis.stale_of(t.model), analysis.rules.source) for t in analysis.trends
    ] + [_ignored_case(s.model, ignored_line(s)) for s in analysis.ignored]
    if ending.error:
        case = ET.Element("testcase", {"classname": CLASSNAME, "name": "trendgate"})
        ET.SubElement(case, "error", {"type": "error", "message": one_line(ending.error)})
        cases.append(case)
    failures = sum(1 for t in analysis.trends if t.verdict == "regression")
    skipped = sum(1 for case in cases if case.find("skipped") is not None)
    errors = "1" if ending.error else "0"
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": errors}
    root = ET.Element("testsuites", {"name": "trendgate", **counts})
    suite = ET.SubElement(
        root, "testsuite", {"name": "trendgate", **counts, "skipped": str(skipped)}
    )
    properties = ET.SubElement(suite, "properties")
    s = analysis.settings
    for name, value in (
        ("exit_code", str(ending.exit_code)),
        ("error", ending.error or ""),
        ("results_dir", analysis.results_dir),
        ("config", analysis.rules.source or ""),
        ("window", str(s.window)),
        ("threshold", str(s.threshold)),
        ("min_runs", str(s.min_runs)),
        ("confidence", "" if s.confidence is None else str(s.confidence)),
        ("segment", str(s.segment).lower()),
        ("x", s.x),
        ("stale_after", "" if s.stale_after is None else str(s.stale_after)),
        ("rule", s.rule),
        ("false_alarm_budget", budget_line(s) or ""),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": one_line(value)})
    suite.extend(cases)
    out = _suite_output(analysis)
    if out:
        ET.SubElement(suite, "system-out").text = out
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _case(trend: Trend, stale: Stale | None, source: str | None) -> ET.Element:
    case = ET.Element("testcase", {"classname": CLASSNAME, "name": one_line(trend.model)})
    s = trend.settings
    if trend.verdict == "regression":
        assert trend.slope is not None
        message = (
            f"slope {trend.slope:+.2f} {POINTS}/{trend.x_unit} "
            f"over the last {trend.run_count} runs "
            f"(window {s.window}) {why_regressed(trend)}"
        )
        failure = ET.SubElement(case, "failure", {"type": "regression", "message": message})
        failure.text = "\n".join(
            f"{one_line(describe_run(r))}: {r.score_pct:.1f}" for r in trend.runs
        )
    elif trend.verdict == "inconclusive":
        ET.SubElement(case, "skipped", {"message": f"inconclusive: {undecided(trend, one_line)}"})
    elif trend.verdict not in PASSING:
        runs = count(trend.run_count, "run")
        message = f"{trend.verdict}: {runs} in the window (min runs {s.min_runs})"
        ET.SubElement(case, "skipped", {"message": message})
    out = applied_rules(trend) + ([stale_hint(stale, source)] if stale else [])
    if out:
        ET.SubElement(case, "system-out").text = "\n".join(one_line(line) for line in out)
    return case


def _ignored_case(model: str, why: str) -> ET.Element:
    case = ET.Element("testcase", {"classname": CLASSNAME, "name": one_line(model)})
    ET.SubElement(case, "skipped", {"message": one_line(why)})
    return case


def _suite_output(analysis: Analysis) -> str:
    lines = []
    if analysis.nothing_to_gate:
        lines.append(f"nothing to judge: {analysis.nothing_to_gate}")
    lines += [f"warning: {w}" for w in analysis.setting_warnings]
    lines += [f"skipped file {k.path}: {k.reason}" for k in analysis.skipped]
    lines += [f"warning {n.path}: {n.message}" for n in analysis.notes]
    return "\n".join(one_line(line) for line in lines)
