"""The site under the false-alarm budget: each model's level a night on the overview, and the
two levels a step test compared drawn on the model page."""

from __future__ import annotations

import random
import re
from pathlib import Path
from statistics import fmean

import pytest

from tests.builders import write_series
from tests.report.test_site import Page
from trendgate.report.site import build
from trendgate.report.site.gather import gather
from trendgate.report.site.names import page_names
from trendgate.settings import Settings, budget_settings


def step_history(directory: Path) -> list[float]:
    """28 flat noisy runs, then two 8 points lower: the budget's step-2 test fails them."""
    rng = random.Random(2)
    scores = [70 + rng.gauss(0, 2) for _ in range(28)] + [62 + rng.gauss(0, 1) for _ in range(2)]
    scores = [round(s, 2) for s in scores]
    write_series(directory, "m", scores)
    return scores


def _lines(page: str, css: str) -> list[list[tuple[float, float]]]:
    chart = page.split(f'<svg class="{css}"')[1].split("</svg>")[0]
    return [
        [(float(x), float(y)) for x, y in (p.split(",") for p in points.split())]
        for points in re.findall(r'<polyline class="level" points="([^"]+)"', chart)
    ]


def test_the_step_tests_two_levels_are_drawn_where_it_decided(tmp_path: Path) -> None:
    scores = step_history(tmp_path)
    history = gather(tmp_path, budget_settings())
    (model,) = history.models
    trend = model.trend
    assert (trend.verdict, trend.decided_by) == ("regression", "step-2")
    window = [r.score_pct for r in trend.runs]
    assert window == pytest.approx(scores[-len(window) :])
    page = build(history)[page_names(["m"])["m"]]
    scale = Page(page).island()["scale"]
    assert isinstance(scale, list)
    first, last, x0, x1, low, high, y0, y1 = (float(v) for v in scale)

    def value(py: float) -> float:
        return low + (py - y0) * (high - low) / (y1 - y0)

    def at(t: float) -> float:
        return x0 + (t - first) * (x1 - x0) / (last - first)

    earlier, latest = _lines(page, "chart")
    times = [r.timestamp for r in trend.runs]
    # The window's earlier runs (all but the latest two) at their mean, then the latest two.
    assert [x for x, _ in earlier] == [round(at(times[0]), 1), round(at(times[-3]), 1)]
    assert [x for x, _ in latest] == [round(at(times[-2]), 1), round(at(times[-1]), 1)]
    tolerance = 0.1 * (high - low) / abs(y1 - y0)  # a tenth of a pixel
    drawn = [(y, fmean(window[:-2])) for _, y in earlier]
    drawn += [(y, fmean(window[-2:])) for _, y in latest]
    for y, expected in drawn:
        assert abs(value(y) - expected) <= tolerance
    # Today's window drawn alone carries them too, and the key says what they are.
    assert len(_lines(page, "wchart")) == 2
    n = len(window) - 2
    assert (
        f"the step test's levels: the mean of the window's first {n} runs and of its latest 2"
        in page
    )


def test_no_step_levels_and_no_key_for_them_when_the_slope_decided(tmp_path: Path) -> None:
    write_series(tmp_path, "m", [80.0 - 2 * i + (i % 2) for i in range(12)])
    history = gather(tmp_path, budget_settings())
    assert history.models[0].trend.decided_by == "slope"
    assert history.models[0].trend.step is None
    page = build(history)[page_names(["m"])["m"]]
    assert _lines(page, "chart") == []
    assert 'class="level"' not in page


def _column(overview: str) -> list[str]:
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", overview)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row)[6] for row in rows]


def test_the_overview_shows_each_models_level_a_night_under_the_budget(tmp_path: Path) -> None:
    step_history(tmp_path / "h")
    write_series(tmp_path / "h", "n", [70.0, 71.0, 70.5, 70.0, 71.0])
    history = gather(tmp_path / "h", budget_settings())
    overview = build(history)["index.html"]
    assert '<th scope="col" class="num">Budget level</th>' in overview
    levels = {m.model: m.trend.level for m in history.models}
    assert all(level is not None for level in levels.values())
    # Worst first: m regresses; one level for the whole history, its models and their pace.
    expected = [f"{100 * levels[m]:.3g}% a night" for m in ("m", "n")]  # type: ignore[operator]
    assert _column(overview) == expected
    assert "false-alarm budget" in overview
    proposal = build(gather(tmp_path / "h", Settings()))["index.html"]
    assert _column(proposal) == ["–", "–"]
