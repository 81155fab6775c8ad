"""JUnit XML: one test case per model, which GitLab, Jenkins, CircleCI and Buildkite all read."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from trendgate.analysis import Analysis
from trendgate.escape import one_line
from trendgate.report.evidence import undecided
from trendgate.report.rule_lines import applied_rules, ignored_line
from trendgate.trend import Trend

CLASSNAME = "trendgate"
PASSING = ("stable", "improving")


def render_junit(analysis: Analysis) -> str:
    """The whole report as a JUnit XML document."""
    cases = [_case(t) for t in analysis.trends] + [
        _ignored_case(s.model, ignored_line(s)) for s in analysis.ignored
    ]
    failures = sum(1 for t in analysis.trends if t.status == "regression")
    skipped = sum(1 for case in cases if case.find("skipped") is not None)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0"}
    root = ET.Element("testsuites", {"name": "trendgate", **counts})
    suite = ET.SubElement(
        root, "testsuite", {"name": "trendgate", **counts, "skipped": str(skipped)}
    )
    properties = ET.SubElement(suite, "properties")
    s = analysis.settings
    for name, value in (
        ("results_dir", analysis.results_dir),
        ("config", analysis.rules.source or ""),
        ("window", str(s.window)),
        ("threshold", str(s.threshold)),
        ("min_runs", str(s.min_runs)),
        ("confidence", "" if s.confidence is None else str(s.confidence)),
        ("segment", str(s.segment).lower()),
        ("x", s.x),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": one_line(value)})
    suite.extend(cases)
    out = _suite_output(analysis)
    if out:
        ET.SubElement(suite, "system-out").text = out
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _case(trend: Trend) -> ET.Element:
    case = ET.Element("testcase", {"classname": CLASSNAME, "name": one_line(trend.model)})
    s = trend.settings
    if trend.status == "regression":
        assert trend.slope is not None
        message = (
            f"slope {trend.slope:+.2f} points/{trend.x_unit} over the last {trend.run_count} runs "
            f"(window {s.window}) is below the threshold {s.threshold:+.2f}"
        )
        failure = ET.SubElement(case, "failure", {"type": "regression", "message": message})
        failure.text = "\n".join(
            f"{one_line(r.run_id or '?')}: {r.score_pct:.1f}" for r in trend.runs
        )
    elif trend.status == "inconclusive":
        ET.SubElement(case, "skipped", {"message": f"inconclusive: {undecided(trend)}"})
    elif trend.status not in PASSING:
        runs = "run" if trend.run_count == 1 else "runs"
        message = f"{trend.status}: {trend.run_count} {runs} in the window (min runs {s.min_runs})"
        ET.SubElement(case, "skipped", {"message": message})
    rules = applied_rules(trend)
    if rules:
        ET.SubElement(case, "system-out").text = "\n".join(one_line(line) for line in rules)
    return case


def _ignored_case(model: str, why: str) -> ET.Element:
    case = ET.Element("testcase", {"classname": CLASSNAME, "name": one_line(model)})
    ET.SubElement(case, "skipped", {"message": one_line(why)})
    return case


def _suite_output(analysis: Analysis) -> str:
    lines = []
    if analysis.nothing_to_gate:
        lines.append(f"nothing to judge: {analysis.nothing_to_gate}")
    lines += [f"skipped file {k.path}: {k.reason}" for k in analysis.skipped]
    lines += [f"warning {n.path}: {n.message}" for n in analysis.notes]
    return "\n".join(one_line(line) for line in lines)
