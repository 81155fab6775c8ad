"""Grouping runs by model and ordering them in time; aliases, ignores, accepts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

from trendgate.errors import InputError
from trendgate.judge.group import group_series
from trendgate.judge.window import window_series
from trendgate.model import Accepted, Run, RunHead
from trendgate.rules import Accept, ModelRule, Rules


def run(model: str, ts: float, run_id: str = "0001", path: str = "a.json") -> RunHead:
    return RunHead(path, model, run_id, ts)


def test_grouped_by_exact_model_string_and_sorted_by_name() -> None:
    series = group_series([run("b", 1), run("a", 2), run("A", 3), run("a ", 4)])
    assert [s.model for s in series] == ["A", "a", "a ", "b"]


def test_runs_ordered_by_time_then_run_id_then_file_name() -> None:
    runs = [
        run("m", 20, "0001", "z.json"),
        run("m", 10, "0009", "b.json"),
        run("m", 10, "0009", "a.json"),
        run("m", 10, "0002", "c.json"),
    ]
    (series,) = group_series(runs)
    assert [(r.timestamp, r.run_id, r.path) for r in series.runs] == [
        (10, "0002", "c.json"),
        (10, "0009", "a.json"),
        (10, "0009", "b.json"),
        (20, "0001", "z.json"),
    ]


def test_model_filter_keeps_only_named_models() -> None:
    series = group_series([run("a", 1), run("b", 1), run("c", 1)], ["c", "a", "c"])
    assert [s.model for s in series] == ["a", "c"]


def judged(heads: list[RunHead], models: Sequence[str], rules: Rules | None = None) -> list[str]:
    """The series names window_series keeps, each head loaded as a run of score 50."""
    by_path = {
        h.path: Run(h.path, h.model, h.run_id, h.timestamp, 50.0, (), None, None, None, ())
        for h in heads
    }
    series, _, _ = window_series(
        group_series(heads, models, rules),
        lambda _: 10,
        lambda b: [by_path[h.path] for h in b],
        models,
    )
    return [s.model for s in series]


def test_model_filter_naming_an_unknown_model_is_an_error() -> None:
    with pytest.raises(InputError, match="no runs for model 'x'"):
        judged([run("a", 1)], ["a", "x"])


def test_aliases_join_names_into_one_series() -> None:
    rules = Rules(aliases={"openrouter/x": "x", "x-old": "x"})
    runs = [
        run("openrouter/x", 3, "0003"),
        run("x", 1, "0001"),
        run("x-old", 2, "0002"),
        run("y", 1),
    ]
    x, y = group_series(runs, rules=rules)
    assert (x.model, [r.run_id for r in x.runs]) == ("x", ["0001", "0002", "0003"])
    assert x.aliases == ("openrouter/x", "x-old")
    assert (y.model, y.aliases) == ("y", ())


def test_aliases_listed_only_when_they_had_runs() -> None:
    rules = Rules(aliases={"openrouter/x": "x", "x-old": "x"})
    (x,) = group_series([run("x", 1), run("x-old", 2)], rules=rules)
    assert x.aliases == ("x-old",)
    (only_alias,) = group_series([run("x-old", 2)], rules=rules)
    assert (only_alias.model, only_alias.aliases) == ("x", ("x-old",))


def test_model_filter_names_the_series_after_aliases() -> None:
    rules = Rules(aliases={"old": "new"})
    (series,) = group_series([run("old", 1), run("other", 1)], ["new"], rules)
    assert series.model == "new"
    rules = Rules(aliases={"old": "new"}, alias_origins={"old": "trendgate.yml:3"})
    with pytest.raises(InputError) as raised:
        judged([run("old", 1)], ["old"], rules)
    assert str(raised.value) == (
        "model 'old' is an alias of the series 'new' (trendgate.yml:3): "
        "name the series instead, --model new"
    )


def test_ignored_series_are_flagged_with_their_rule_and_keep_their_runs() -> None:
    rules = Rules(models=(ModelRule("q/*:free", ignore=True),))
    a, q = group_series([run("a", 1), run("q/m:free", 1), run("q/m:free", 2, "0002")], rules=rules)
    assert (a.ignored_by, q.ignored_by) == (None, "q/*:free")
    assert len(q.runs) == 2


def test_series_carry_the_model_rules_that_apply() -> None:
    rules = Rules(models=(ModelRule("a*", threshold=-1.0), ModelRule("b", window=3)))
    a, b = group_series([run("ab", 1), run("b", 1)], rules=rules)
    assert (a.rules, b.rules) == ((rules.models[0],), (rules.models[1],))


def numbered(model: str, count: int, run_ids: list[str] | None = None) -> list[RunHead]:
    ids = run_ids or [f"{i:04d}" for i in range(1, count + 1)]
    return [run(model, 100.0 * i, ids[i], f"{i}.json") for i in range(count)]


def test_accept_after_run_restarts_the_series_after_that_run() -> None:
    accept = Accept("m", "judge changed", after_run="0003")
    (series,) = group_series(numbered("m", 6), rules=Rules(accept=(accept,)))
    runs = numbered("m", 6)
    assert [r.run_id for r in series.runs] == ["0004", "0005", "0006"]
    assert series.accepted == Accepted(accept, 3, runs[2])


def test_accept_after_a_repeated_run_id_is_an_error_giving_the_after_line() -> None:
    # PinchBench run ids are a per-machine counter: a fresh runner starts at 0001 again, so
    # the id names no run; the line to paste restarts after the latest, rounded up to 1 s.
    runs = numbered("m", 5, ["0001", "0002", "0001", "0002", "0003"])
    runs[3] = replace(runs[3], timestamp=1_778_457_600.25)  # 2026-05-11 00:00:00.25 UTC
    accept = Accept("m", "r", after_run="0002", origin="trendgate.yml:4")
    with pytest.raises(InputError) as caught:
        group_series(runs, rules=Rules(accept=(accept,)))
    assert str(caught.value) == (
        "trendgate.yml:4: accept: run id '0002' names 2 runs of model 'm' (each fresh runner "
        "starts again at 0001): name the run by its time instead; to restart after the latest "
        'of them, write after: "2026-05-11T00:00:01Z"'
    )


def test_accept_after_time_keeps_only_later_runs() -> None:
    accept = Accept("m", "r", after=300.0)  # runs are at 0, 100, ... 500
    (series,) = group_series(numbered("m", 6), rules=Rules(accept=(accept,)))
    assert [r.timestamp for r in series.runs] == [400.0, 500.0]
    assert series.accepted == Accepted(accept, 4, numbered("m", 6)[3])
    before_all = Accept("m", "r", after=-1.0)
    (series,) = group_series(numbered("m", 3), rules=Rules(accept=(before_all,)))
    assert len(series.runs) == 3 and series.accepted == Accepted(before_all, 0)


def test_accept_by_glob_and_the_latest_restart_wins() -> None:
    early = Accept("m*", "first", after_run="0002")
    late = Accept("m", "second", after=350.0)
    rules = Rules(accept=(late, early))
    m, other = group_series(numbered("m", 6) + numbered("other", 2), rules=rules)
    assert m.accepted == Accepted(late, 4, numbered("m", 6)[3])
    assert other.accepted is None and len(other.runs) == 2


def test_accept_of_the_latest_run_leaves_an_empty_series() -> None:
    accept = Accept("m", "r", after_run="0003")
    (series,) = group_series(numbered("m", 3), rules=Rules(accept=(accept,)))
    assert series.runs == () and series.accepted == Accepted(accept, 3, numbered("m", 3)[2])


def test_accept_naming_a_missing_run_is_an_error_with_its_line() -> None:
    accept = Accept("m", "r", after_run="0042", origin="trendgate.yml:9")
    with pytest.raises(InputError) as caught:
        group_series(numbered("m", 3), rules=Rules(accept=(accept,)))
    assert str(caught.value).startswith(
        "trendgate.yml:9: accept: model 'm' has no run '0042' in the results directory"
    )
    # A model with no runs here at all is not an error: the entry is for another directory.
    assert group_series(numbered("x", 2), rules=Rules(accept=(accept,)))[0].accepted is None


def test_accept_does_not_apply_to_an_ignored_series() -> None:
    rules = Rules(
        models=(ModelRule("m", ignore=True),), accept=(Accept("m", "r", after_run="0042"),)
    )
    (series,) = group_series(numbered("m", 2), rules=rules)
    assert series.ignored_by == "m" and series.accepted is None


def test_heads_are_ordered_by_time_then_run_id_then_file_name() -> None:
    heads = [
        RunHead("b.json", "m", "0002", 5.0),
        RunHead("a.json", "m", "0002", 5.0),
        RunHead("c.json", "m", "0001", 5.0),
        RunHead("d.json", "m", "0009", 1.0),
        RunHead("e.json", "n", "0001", 0.5),
    ]
    m, n = group_series(heads)
    assert [h.path for h in m.runs] == ["d.json", "c.json", "a.json", "b.json"]
    assert [h.path for h in n.runs] == ["e.json"]
