"""The config file and the JUnit report through the `trendgate` command (main(argv) in process)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.builders import write_series
from tests.command import Command
from tests.validate import validate_junit, validate_report


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A working directory with `results/`: `down` falls 2 points a run, `flat` does not move."""
    write_series(tmp_path / "results", "down", [90, 88, 86, 84, 82])
    write_series(tmp_path / "results", "flat", [70, 70, 70], first_run=10)
    return tmp_path


def config(directory: Path, text: str, name: str = "trendgate.yml") -> Path:
    path = directory / name
    path.write_text(text)
    return path


def report(trendgate: Command, work: Path, *args: str) -> Any:
    proc = trendgate("--format", "json", *args, cwd=work)
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(proc.stdout)
    validate_report(doc)
    return doc


def test_trendgate_yml_in_the_working_directory_is_read(work: Path, trendgate: Command) -> None:
    assert trendgate(cwd=work).returncode == 1
    config(work, "threshold: -2.5\n")
    proc = trendgate(cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert "config trendgate.yml)" in proc.stdout.splitlines()[0]


def test_config_option_names_the_file(work: Path, tmp_path: Path, trendgate: Command) -> None:
    elsewhere = tmp_path / "ci"
    elsewhere.mkdir()
    path = config(elsewhere, "results_dir: ../results\nthreshold: -2.5\n", "gate.yaml")
    config(work, "threshold: -0.1\n")  # not read: --config wins over the default file
    proc = trendgate("--config", path, cwd=work)
    assert proc.returncode == 0, proc.stderr
    # results_dir is relative to the config file, not to the working directory.
    assert proc.stdout.startswith(f"trendgate: {elsewhere / '..' / 'results'}: 8 runs read")


def test_missing_config_file_is_a_usage_error(work: Path, trendgate: Command) -> None:
    proc = trendgate("--config", "nope.yml", cwd=work)
    assert proc.returncode == 2
    assert proc.stderr == "trendgate: error: config file not found: nope.yml\n"


def test_config_error_exits_2_with_file_and_line(work: Path, trendgate: Command) -> None:
    config(work, "window: 10\ntreshold: -0.5\n")
    proc = trendgate(cwd=work)
    assert proc.returncode == 2
    assert proc.stderr == (
        "trendgate: error: trendgate.yml:2: unknown key 'treshold' (did you mean 'threshold'?)\n"
    )
    assert proc.stdout == ""


def test_precedence_flag_over_config_over_default(work: Path, trendgate: Command) -> None:
    def settings(*args: str) -> dict[str, Any]:
        doc = report(trendgate, work, *args)["settings"]
        return {k: v for k, v in doc.items() if k not in ("level", "family", "family_rate")}

    defaults = {"window": 15, "threshold": 0.0, "min_runs": 3}
    opt_ins = {
        "confidence": None,
        "segment": False,
        "x": "run",
        "noise_runs": 30,
        "stale_after": None,
        "rule": "budget",
        "false_alarms": "1/month",
    }
    assert settings() == {**defaults, **opt_ins}
    config(
        work, "window: 3\nmin_runs: 3\nconfidence: 0.9\nsegment: true\nx: time\nnoise_runs: 20\n"
    )
    from_file = {
        "window": 3,
        "min_runs": 3,
        "confidence": 0.9,
        "segment": True,
        "x": "time",
        "noise_runs": 20,
        "stale_after": None,
        "rule": "budget",
        "false_alarms": None,  # the confidence sets the level: no budget
    }
    assert settings() == {**defaults, **from_file}
    flags = ["--window", "4", "--confidence", "0.8", "--x", "run", "--noise-runs", "5"]
    assert settings(*flags) == {
        **defaults,
        **from_file,
        "window": 4,
        "confidence": 0.8,
        "x": "run",
        "noise_runs": 5,
    }


def test_flag_wins_over_per_model_rules_too(work: Path, trendgate: Command) -> None:
    config(work, 'models:\n  "d*":\n    threshold: -3\n')
    doc = report(trendgate, work)
    down = doc["models"][0]
    assert (down["status"], down["settings"]["threshold"]) == ("stable", -3.0)
    assert down["rules"] == [{"pattern": "d*", "threshold": -3.0}]
    doc = report(trendgate, work, "--threshold", "-1")
    down = doc["models"][0]
    assert (down["status"], down["settings"]["threshold"], down["rules"]) == (
        "regression",
        -1.0,
        [],
    )


def test_config_booleans_and_outputs(work: Path, trendgate: Command) -> None:
    config(work, "no_fail: true\nformat: json\njson: out/report.json\njunit: out/junit.xml\n")
    (work / "out").mkdir()
    proc = trendgate(cwd=work)
    assert proc.returncode == 0, proc.stderr  # no_fail from the file
    assert json.loads(proc.stdout)["regression"] is True
    assert json.loads((work / "out" / "report.json").read_text())["regression"] is True
    validate_junit((work / "out" / "junit.xml").read_text())
    assert trendgate("--format", "text", cwd=work).stdout.startswith("trendgate: ")


def test_junit_flag_writes_a_valid_report_atomically(work: Path, trendgate: Command) -> None:
    proc = trendgate("results", "--junit", "junit.xml", cwd=work)
    assert proc.returncode == 1
    xml = (work / "junit.xml").read_text(encoding="utf-8")
    validate_junit(xml)
    assert 'failures="1"' in xml and '<testcase classname="trendgate" name="down">' in xml
    assert not list(work.glob(".junit.xml.*"))
    bad = trendgate("results", "--junit", "no/such/dir/junit.xml", cwd=work)
    assert bad.returncode == 2
    assert bad.stderr.startswith("trendgate: error: cannot write no/such/dir/junit.xml")


def test_accepted_decline_passes_and_says_why(work: Path, trendgate: Command) -> None:
    write_series(work / "results", "down", [80, 80.5, 81], first_run=6, start=1_779_000_000.0)
    config(
        work,
        'accept:\n  - model: down\n    after_run: "0005"\n    reason: "new judge model"\n',
    )
    proc = trendgate(cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert (
        "    accepted decline after run 0005 of 2026-05-09 16:53:20 UTC in 0005_down.json (5 "
        "earlier runs set aside): new judge model" in proc.stdout.splitlines()
    )


def test_accept_by_time(work: Path, trendgate: Command) -> None:
    # `down` has runs on 2026-05-05..09 at 16:53:20 UTC (1778000000 + k days).
    for after, set_aside in [("2026-05-08T00:00:00Z", 3), ("2026-05-08T18:53:20+02:00", 4)]:
        config(work, f"accept:\n  - model: down\n    after: {after}\n    reason: r\n")
        down = report(trendgate, work)["models"][0]
        assert (down["total_runs"], down["accepted"]["runs_set_aside"]) == (
            5 - set_aside,
            set_aside,
        )


def test_accept_of_a_run_not_in_the_directory_exits_2(work: Path, trendgate: Command) -> None:
    config(work, "accept:\n  - model: down\n    after_run: '0099'\n    reason: r\n")
    proc = trendgate(cwd=work)
    assert proc.returncode == 2
    assert proc.stderr.startswith(
        "trendgate: error: trendgate.yml:2: accept: model 'down' has no run '0099'"
    )


def test_aliases_and_globs(work: Path, trendgate: Command) -> None:
    write_series(work / "results", "openrouter/down", [80, 78], first_run=6, start=1_779_000_000.0)
    config(work, 'aliases:\n  down: ["openrouter/down"]\nmodels:\n  "fl*":\n    ignore: true\n')
    doc = report(trendgate, work)
    (down,) = doc["models"]
    assert (down["model"], down["total_runs"], down["aliases"]) == ("down", 7, ["openrouter/down"])
    assert doc["ignored"] == [{"model": "flat", "rule": "fl*", "total_runs": 3}]


def test_every_model_ignored_is_nothing_to_gate(work: Path, trendgate: Command) -> None:
    config(work, 'models:\n  "*":\n    ignore: true\n')
    proc = trendgate(cwd=work)
    assert proc.returncode == 2
    assert proc.stderr == "trendgate: error: every model in results is ignored by trendgate.yml\n"
    assert trendgate("--allow-empty", cwd=work).returncode == 0
