"""The config file: every error path with its file and line, precedence, relative paths."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from trendgate.app.config import (
    CONFIG_NAME,
    Config,
    parse_config,
    read_config,
)
from trendgate.app.job import OPTIONS, Job
from trendgate.app.run import with_config
from trendgate.app.yaml_nodes import ConfigError
from trendgate.rules import Accept, ModelRule
from trendgate.settings import Budget, Settings, budget_settings


def parse(text: str, name: str = "trendgate.yml") -> Config:
    return parse_config(textwrap.dedent(text), name)


def test_full_example_reads_as_written() -> None:
    config = parse(
        """\
        window: 10
        threshold: -0.5
        min_runs: 3
        models:
          "openrouter/anthropic/claude-sonnet-4.5":
            threshold: -1.0          # per-model override
          "openrouter/qwen/*:free":  # glob patterns
            ignore: true
        aliases:
          "anthropic/claude-opus-4.6": ["openrouter/anthropic/claude-opus-4.6"]
        accept:
          - model: "openrouter/openai/gpt-5.1"
            after_run: "0042"
            reason: "switched judge to haiku-4.5"
          - model: "openrouter/google/*"
            after: "2026-05-01T00:00:00Z"
            reason: "new suite"
        """
    )
    assert config.path == "trendgate.yml"
    assert config.options == {"window": 10, "threshold": -0.5, "min_runs": 3}
    rules = config.rules
    assert rules.source == "trendgate.yml"
    assert rules.models == (
        ModelRule("openrouter/anthropic/claude-sonnet-4.5", threshold=-1.0),
        ModelRule("openrouter/qwen/*:free", ignore=True),
    )
    assert dict(rules.aliases) == {
        "openrouter/anthropic/claude-opus-4.6": "anthropic/claude-opus-4.6"
    }
    assert rules.accept == (
        Accept(
            "openrouter/openai/gpt-5.1",
            "switched judge to haiku-4.5",
            after_run="0042",
            origin="trendgate.yml:12",
        ),
        # 2026-05-01T00:00:00Z, computed by hand: 20574 days after 1970-01-01.
        Accept(
            "openrouter/google/*", "new suite", after=20574 * 86400.0, origin="trendgate.yml:15"
        ),
    )


def test_every_flag_option_can_be_set() -> None:
    config = parse(
        """\
        results_dir: out
        only_models: [a, "b/c:free"]
        window: 4
        threshold: -2
        min_runs: 3
        confidence: 0.9
        noise_runs: 30
        segment: true
        x: time
        format: json
        json: report.json
        junit: junit.xml
        markdown: summary.md
        no_fail: true
        allow_empty: false
        allow_unjudged: true
        strict: true
        stale_after: 3.5
        verbose: true
        site: pages
        site_url: https://example.github.io/evals/
        slim: true
        history_branch: trendgate-history
        remote: data
        history_push: "false"
        rule: budget
        false_alarms: 2/quarter
        """,
        name="ci/trendgate.yml",
    )
    assert set(config.options) == {o.name for o in OPTIONS if o.in_config}
    # A site is a path like the reports'; its URL is text, refused unless a link can hold it.
    assert config.options["site"] == str(Path("ci/pages"))
    assert config.options["site_url"] == "https://example.github.io/evals/"
    assert config.options["false_alarms"] == Budget(2.0, "quarter")
    assert config.options["threshold"] == -2.0 and isinstance(config.options["threshold"], float)
    # Paths are relative to the config file, so the file means the same from any directory.
    assert config.options["results_dir"] == str(Path("ci/out"))
    assert config.options["junit"] == str(Path("ci/junit.xml"))
    assert (config.options["no_fail"], config.options["allow_empty"]) == (True, False)
    assert config.options["strict"] is True
    assert config.options["only_models"] == ("a", "b/c:free")


def test_empty_file_is_an_empty_config() -> None:
    assert parse("# nothing yet\n") == Config(path="trendgate.yml")


def test_unquoted_yaml_timestamp_is_read_as_a_time() -> None:
    (accept,) = parse(
        """\
        accept:
          - {model: m, after: 2026-05-01 02:00:00+02:00, reason: r}
        """
    ).rules.accept
    assert accept.after == 20574 * 86400.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "window: 10\ntreshold: -1\n",
            "2: unknown key 'treshold' (did you mean 'threshold'?)",
        ),
        ("min-runs: 3\n", "1: unknown key 'min-runs' (did you mean 'min_runs'?)"),
        ("colour: red\n", "1: unknown key 'colour'\n"),
        ("window: 3\nwindow: 4\n", "2: duplicate key 'window' (first on line 1)"),
        ("- window\n", "1: the config must be a mapping of keys to values"),
        ("1: 2\n", "1: keys of the config must be strings (got 1)"),
        ("window: [1\n", "2: not valid YAML (expected ',' or ']'"),
        (
            "a: 1\nb: \x00\n",
            "2: not valid YAML (character #x0000: special characters are not allowed)",
        ),
        (
            "a: 1\n---\nb: 2\n",
            "2: not valid YAML (expected a single document in the stream "
            "but found another document)",
        ),
        ("window: 1\n", "1: window must be at least 2 (got 1)"),
        ("window: ten\n", "1: window must be a whole number (got 'ten')"),
        ("window: 2.5\n", "1: window must be a whole number (got 2.5)"),
        ("window: true\n", "1: window must be a whole number (got True)"),
        ("min_runs: 1\n", "1: min-runs must be at least 2 (got 1)"),
        ("threshold: low\n", "1: threshold must be a number (got 'low')"),
        ("threshold: .nan\n", "1: threshold must be a finite number (got nan)"),
        ("threshold: [1]\n", "1: threshold must be a number (got a list or mapping)"),
        ("format: xml\n", "1: format must be 'text' or 'json' (got 'xml')"),
        ("x: days\n", "1: x must be 'run' or 'time' (got 'days')"),
        ("confidence: 95\n", "1: confidence must be between 0 and 1, e.g. 0.95 (got 95.0)"),
        ("segment: 1\n", "1: segment must be true or false (got 1)"),
        (
            "no_fail: yes please\n",
            "1: no_fail must be true or false (got 'yes please')",
        ),
        ("results_dir: ''\n", "1: a path must not be empty"),
        ("json: 3\n", "1: a path must be a string (got 3)"),
        ("models: [a]\n", "1: models must be a mapping of keys to values"),
        (
            "models:\n  a:\n    treshold: 1\n",
            "3: unknown key 'treshold' (did you mean 'threshold'?)",
        ),
        ("models:\n  a: {}\n", "2: models['a'] sets nothing"),
        ("models:\n  a: -1\n", "2: models['a'] must be a mapping of keys to values"),
        ("models:\n  a:\n    window: 1\n", "3: window must be at least 2 (got 1)"),
        ("models:\n  a:\n    ignore: 1\n", "3: ignore must be true or false (got 1)"),
        ("aliases:\n  a: b\n", "2: aliases['a'] must be a list of model names"),
        ("aliases:\n  a: []\n", "2: aliases['a'] must be a list of model names"),
        ("aliases:\n  a: [a]\n", "2: 'a' is listed as an alias of itself"),
        (
            "aliases:\n  a: [x]\n  b: [x]\n",
            "3: 'x' is already an alias of 'a' (line 2)",
        ),
        (
            "aliases:\n  a: [b]\n  b: [c]\n",
            "3: 'b' is itself an alias of 'a': list 'c' under 'a'",
        ),
        (
            "aliases:\n  a: [x]\nmodels:\n  x: {ignore: true}\n",
            "4: 'x' is an alias of 'a': name the series instead",
        ),
        ("accept: {model: m}\n", "1: accept must be a list of entries"),
        (
            "accept:\n  - model: m\n    after_run: '1'\n",
            "2: accept entry without 'reason'",
        ),
        (
            "accept:\n  - reason: r\n    after_run: '1'\n",
            "2: accept entry without 'model'",
        ),
        (
            "accept:\n  - {model: m, reason: r}\n",
            "2: accept entry needs exactly one of 'after_run' or 'after'",
        ),
        (
            "accept:\n  - {model: m, reason: r, after_run: '1', after: 2026-05-01T00:00:00Z}\n",
            "2: accept entry needs exactly one of",
        ),
        (
            "accept:\n  - {model: m, reason: r, afterrun: '1'}\n",
            "2: unknown key 'afterrun' (did you mean 'after_run'?)",
        ),
        (
            "accept:\n  - {model: m, reason: '  ', after_run: '1'}\n",
            "2: reason must not be empty",
        ),
        (
            "accept:\n  - model: m\n    reason: r\n    after_run: 0042\n",
            '4: after_run must be a string: quote it ("0042")',
        ),
        (
            "accept:\n  - {model: m, reason: r, after: 2026-05-01}\n",
            "2: after must be a time such as 2026-05-01T00:00:00Z (a date without a time)",
        ),
        (
            "accept:\n  - {model: m, reason: r, after: '2026-05-01T00:00:00'}\n",
            "2: after needs a time zone",
        ),
        (
            "accept:\n  - {model: m, reason: r, after: 'last tuesday'}\n",
            "2: after must be an ISO 8601 time (got 'last tuesday')",
        ),
        ("window: 3\nonly_models: []\n", "2: only_models must be a list of model names"),
        ("only_models: m\n", "1: only_models must be a list of model names"),
        ("only_models: [m, '']\n", "1: a model name must not be empty"),
        (
            "aliases:\n  a: [x]\naccept:\n  - {model: x, reason: r, after_run: '1'}\n",
            "4: 'x' is an alias of 'a': name the series instead",
        ),
    ],
)
def test_config_errors_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "trendgate.yml")
    # Each message is one line: the file, the line the problem is on, then the problem.
    assert str(caught.value).startswith(f"trendgate.yml:{message}".rstrip("\n"))
    assert "\n" not in str(caught.value)
    if message.endswith("\n"):  # no suggestion when nothing is close
        assert str(caught.value) == f"trendgate.yml:{message}".rstrip("\n")


def test_read_config_finds_trendgate_yml_in_the_working_directory(tmp_path: Path) -> None:
    assert read_config(None, tmp_path) == Config()
    (tmp_path / CONFIG_NAME).write_text("window: 4\n")
    config = read_config(None, tmp_path)
    assert config.options == {"window": 4}
    assert config.path == str(tmp_path / CONFIG_NAME)


def test_read_config_explicit_file(tmp_path: Path) -> None:
    path = tmp_path / "gate.yaml"
    path.write_text("threshold: -2\n")
    assert read_config(str(path)).options == {"threshold": -2.0}
    with pytest.raises(ConfigError, match=r"^config file not found: .*nope\.yml$"):
        read_config(str(tmp_path / "nope.yml"))


def test_read_config_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^cannot read .*: Is a directory$"):
        read_config(str(tmp_path))
    latin1 = tmp_path / "latin1.yml"
    latin1.write_bytes(b"# caf\xe9\n")
    with pytest.raises(ConfigError, match=r"latin1\.yml: not UTF-8 text \(byte 5\)$"):
        read_config(str(latin1))
    big = tmp_path / "big.yml"
    big.write_bytes(b"#" * (1024 * 1024 + 1))
    with pytest.raises(ConfigError, match=r"big\.yml: larger than 1024 KiB$"):
        read_config(str(big))


@pytest.mark.parametrize(
    "text",
    [
        "window: !!python/name:os.system\n",
        "window: !!python/object/apply:os.system ['true']\n",
        "accept:\n  - {model: m, reason: r, after_run: !!python/name:os.getcwd }\n",
    ],
)
def test_yaml_tags_that_build_objects_are_refused(text: str) -> None:
    # safe_load semantics: a python tag is an error, never a constructor call.
    with pytest.raises(ConfigError, match=r"^trendgate\.yml:[12]: "):
        parse_config(text, "trendgate.yml")


def test_precedence_flags_over_config_over_defaults(tmp_path: Path) -> None:
    path = tmp_path / CONFIG_NAME
    path.write_text(
        textwrap.dedent(
            """\
        window: 6
        threshold: -1
        models:
          "a*":
            threshold: -3
            window: 4
        """
        )
    )
    assert read_config(str(path)).options == {"window": 6, "threshold": -1.0}
    job, rules = with_config(Job(config=str(path)))
    assert job.settings == budget_settings(window=6, threshold=-1.0)
    assert rules.models == (ModelRule("a*", window=4, threshold=-3.0),)
    # A flag wins over the file everywhere, the per-model values it names included.
    given = Job(explicit=frozenset({"threshold"})).with_values({"threshold": -0.25})
    job, rules = with_config(replace(given, config=str(path)))
    assert job.settings == budget_settings(window=6, threshold=-0.25)
    assert rules.models == (ModelRule("a*", window=4),)
    # Unset everywhere: the default applies, the budget's or the proposal's.
    assert Job().settings == Settings(
        window=15,
        threshold=0.0,
        min_runs=3,
        noise_runs=30,
        rule="budget",
        false_alarms=Budget(1.0, "month"),
    )
    assert Job(rule="proposal").settings == Settings(window=10, threshold=-0.5, min_runs=2)


def test_pyyaml_is_imported_only_for_a_config_file(tmp_path: Path) -> None:
    (tmp_path / "results").mkdir()
    script = (
        "import sys; from trendgate.app.cli import main; main(['results', '--allow-empty']); "
        "print('yaml' in sys.modules, file=sys.stderr)"
    )
    run = [sys.executable, "-c", script]
    without = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert without.stderr.strip().endswith("False")
    (tmp_path / CONFIG_NAME).write_text("window: 3\n")
    with_config = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert with_config.stderr.strip().endswith("True")
