"""The JUnit XML report, validated against Jenkins' published JUnit schema."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from examples.verdict_demo import NOISY, write_demo
from tests.builders import result_doc, write_doc, write_series
from tests.configured import configured
from tests.validate import validate_junit
from trendgate.escape import xml_safe
from trendgate.judge.analysis import analyze
from trendgate.report import Ending
from trendgate.report.junit import render as render_junit
from trendgate.settings import Settings

PROPOSAL = Settings(rule="proposal")  # the original proposal's rule, which these tests pin


def cases(xml: str) -> dict[str, ET.Element]:
    suite = ET.fromstring(xml).find("testsuite")
    assert suite is not None
    return {case.get("name", ""): case for case in suite.iter("testcase")}


def test_one_case_per_model_with_failures_and_skips(tmp_path: Path) -> None:
    xml = render_junit(configured(tmp_path), Ending())
    validate_junit(xml)
    root = ET.fromstring(xml)
    suite = root.find("testsuite")
    assert suite is not None
    assert {k: suite.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "6",
        "failures": "1",
        "errors": "0",
        "skipped": "2",
    }
    by_name = cases(xml)
    assert sorted(by_name) == ["accepted", "down", "free/m", "joined", "one", "vendor/strict"]
    assert {c.get("classname") for c in by_name.values()} == {"trendgate"}
    failure = by_name["down"].find("failure")
    assert failure is not None
    assert failure.get("message") == (
        "slope -2.00 points/run over the last 4 runs (window 4) is below the threshold -0.50"
    )
    # Runs 0010-0013, a day apart from 2026-05-05 16:53:20 UTC (`date -u -d @1778000000`).
    assert failure.text == "\n".join(
        f"00{10 + i} of 2026-05-0{5 + i} 16:53:20 UTC in 00{10 + i}_down.json: {score}"
        for i, score in enumerate(["90.0", "88.0", "86.0", "84.0"])
    )
    skipped = by_name["one"].find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "insufficient_data: 1 run in the window (min runs 2)"
    ignored = by_name["free/m"].find("skipped")
    assert ignored is not None and ignored.get("message") == "ignored by rule free/* (3 runs)"
    for passing in ("vendor/strict", "joined", "accepted"):
        assert by_name[passing].find("failure") is None
        assert by_name[passing].find("skipped") is None


def test_rules_are_shown_on_each_case_and_skipped_files_on_the_suite(tmp_path: Path) -> None:
    xml = render_junit(configured(tmp_path), Ending())
    by_name = cases(xml)

    def out(name: str) -> str | None:
        element = by_name[name].find("system-out")
        return None if element is None else element.text

    assert out("accepted") == (
        "accepted decline after run 0043 of 2026-05-08 16:53:20 UTC in 0043_accepted.json (4 "
        "earlier runs set aside): switched judge to haiku-4.5\n"
        "no run since 2026-05-10, while others ran until 2026-05-18 (stale after 3.0 days): "
        f"if it was renamed, list its new name under aliases: in {tmp_path / 'trendgate.yml'}; "
        "if it was retired, set ignore: true for it under models:"
    )
    assert (out("vendor/strict") or "").splitlines()[0] == "rule vendor/*: threshold -3.0"
    assert out("joined") == "includes runs named old-name"
    assert (out("down") or "").startswith("no run since 2026-05-08")  # no rule; stopped
    suite_out = ET.fromstring(xml).find("testsuite/system-out")
    assert suite_out is not None and suite_out.text is not None
    assert suite_out.text.startswith("skipped file broken.json: not valid JSON")
    properties = {p.get("name"): p.get("value") for p in ET.fromstring(xml).iter("property")}
    assert properties["config"] == str(tmp_path / "trendgate.yml")
    assert (properties["window"], properties["threshold"]) == ("4", "-0.5")
    assert (properties["confidence"], properties["segment"], properties["x"]) == (
        "",
        "false",
        "run",
    )


def test_hostile_model_names_give_a_valid_file(tmp_path: Path) -> None:
    hostile = 'a<b>&"c\'\x00\x1b[31m\ud800\n</testcase><x y="'
    for i, score in enumerate([0.9, 0.8, 0.7]):
        write_doc(tmp_path, f"{i}.json", result_doc(hostile, f"000{i}", 1e9 + i, [score]))
    xml = render_junit(analyze(tmp_path, PROPOSAL), Ending())
    validate_junit(xml)
    (name,) = cases(xml)
    assert name == 'a<b>&"c\'\\u0000\\u001b[31m\\ud800\\n</testcase><x y="'
    xml.encode("utf-8")  # no lone surrogate left to break the write


def test_nothing_to_judge_is_a_valid_empty_suite(tmp_path: Path) -> None:
    xml = render_junit(analyze(tmp_path, PROPOSAL), Ending())
    validate_junit(xml)
    assert cases(xml) == {}
    assert f"nothing to judge: no result files (*.json) in {tmp_path}" in xml


def test_an_error_is_an_error_case_so_no_reader_counts_a_pass(tmp_path: Path) -> None:
    xml = render_junit(analyze(tmp_path, PROPOSAL), Ending(exit_code=2, error="no result files"))
    validate_junit(xml)
    suite = ET.fromstring(xml).find("testsuite")
    assert suite is not None and suite.get("errors") == "1" and suite.get("tests") == "1"
    error = cases(xml)["trendgate"].find("error")
    assert error is not None and error.get("message") == "no result files"
    properties = {p.get("name"): p.get("value") for p in ET.fromstring(xml).iter("property")}
    assert (properties["exit_code"], properties["error"]) == ("2", "no result files")


def test_same_directory_gives_the_same_bytes(tmp_path: Path) -> None:
    write_series(tmp_path, "m", [90, 80, 70])
    assert render_junit(analyze(tmp_path, PROPOSAL), Ending()) == render_junit(
        analyze(tmp_path, PROPOSAL), Ending()
    )


@pytest.mark.parametrize(
    ("text", "safe"),
    [("plain", "plain"), ("tab\tnl\ncr\r", "tab\tnl\ncr\r"), ("\x07\ufffe", "\\u0007\\ufffe")],
)
def test_xml_safe(text: str, safe: str) -> None:
    assert xml_safe(text) == safe


def test_inconclusive_is_skipped_with_what_would_decide_it(tmp_path: Path) -> None:
    write_demo(tmp_path)
    xml = render_junit(analyze(tmp_path, Settings(confidence=0.95)), Ending())
    validate_junit(xml)
    skipped = cases(xml)[NOISY].find("skipped")
    assert skipped is not None
    message = skipped.get("message", "")
    assert message == (
        "inconclusive: the 95% interval reaches 0; if the slope is truly -0.53 points/run, "
        "a --window of 91 would catch it 80% of the time"
    )
