"""The history site in headless Chromium: clean loads, hover and keys, links, markers, axe-core.

The demo directory's site (examples/results, no config) and a site of hostile names are
built once; every page is opened from file:// in light and dark.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.builders import REPO, write_series
from tests.e2e.site_browser import SiteBrowser
from tests.report.test_site_levels import step_history
from trendgate.judge.analysis import backtest
from trendgate.report.site import build
from trendgate.report.site.gather import gather
from trendgate.report.site.names import page_names
from trendgate.report.site.publish import publish
from trendgate.settings import Settings, budget_settings

pytestmark = pytest.mark.browser
DEMO = REPO / "examples" / "results"
HOSTILE = ['<img src=x onerror=alert(1)>"', "</script><script>alert(2)</script>", "a\u202eb"]


@pytest.fixture(scope="module")
def browser() -> Iterator[SiteBrowser]:
    with SiteBrowser() as started:
        yield started


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("demo") / "site"
    publish(build(gather(DEMO, budget_settings())), site)  # the default gate's site
    return site


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    for i, model in enumerate(HOSTILE):
        write_series(root / "h", model, [80.0 - 3 * r for r in range(4)], first_run=10 * i + 1)
    publish(build(gather(root / "h", Settings())), root / "site")
    return root / "site"


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html"))


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("which", ["demo", "hostile"])
def test_every_page_loads_with_no_error_no_request_and_no_axe_violation(
    browser: SiteBrowser, theme: str, which: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(which)
    for path in pages(site):
        opened = browser.open(path, "dark" if theme == "dark" else "light")
        assert opened.errors == [], path
        assert opened.requests == [], path
        assert opened.axe() == [], path
        # Nothing a name carried ran: no dialog, no element the pages do not write.
        assert opened.page.evaluate("document.querySelectorAll('img, iframe, object').length") == 0


def _demo_runs(model: str) -> list[tuple[str, float, float]]:
    """(run id, timestamp, score) of a model's demo runs, oldest first, read from the files."""
    runs = []
    for path in DEMO.glob("*.json"):
        doc = json.loads(path.read_text())
        if doc["model"] == model:
            scores = [t["grading"]["mean"] for t in doc["tasks"]]
            runs.append((doc["run_id"], doc["timestamp"], 100 * sum(scores) / len(scores)))
    return sorted(runs, key=lambda r: r[1])


def test_the_markers_are_the_backtests_verdicts(browser: SiteBrowser, demo: Path) -> None:
    replays = {r.model: r for r in backtest(DEMO).replays}
    names = page_names(replays)
    for model, replay in replays.items():
        page = browser.open(demo / names[model]).page
        failed = [i for i, v in enumerate(replay.verdicts) if v.verdict == "regression"]
        assert page.locator("svg.chart .runs path.r").count() == len(failed), model
        marks = page.evaluate("JSON.parse(document.getElementById('runs-data').textContent).runs")
        assert [i for i, run in enumerate(marks) if run[4] == "r"] == failed
    # Under the default gate gpt-5.1 never fails (the proposal rule failed it on its third night);
    # claude-sonnet-4.5 fails from its fourth night on: a triangle at each run's score.
    gpt = browser.open(demo / names["openrouter/openai/gpt-5.1"]).page
    assert gpt.locator("svg.chart .runs path.r").count() == 0
    claude = "openrouter/anthropic/claude-sonnet-4.5"
    page = browser.open(demo / names[claude]).page
    assert page.locator("svg.chart .runs path.r").count() == 7
    run_id, _, score = _demo_runs(claude)[3]
    cells = page.locator("table.runlist tr", has_text=run_id).locator("td").all_text_contents()
    assert cells[2:4] == [f"{score:.1f}", "the gate failed that night"]


def _expected_tip(run: tuple[str, float, float], verdict: str, file_name: str) -> str:
    run_id, timestamp, score = run
    when = datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    return f"Run {run_id} · {when} UTC · score {score:.1f} · {verdict} · file {file_name}"


def test_hover_and_keys_show_a_runs_id_time_score_and_file(
    browser: SiteBrowser, demo: Path
) -> None:
    model = "openrouter/anthropic/claude-sonnet-4.5"
    runs = _demo_runs(model)
    files = {json.loads(p.read_text())["run_id"]: p.name for p in DEMO.glob("*claude*.json")}
    page = browser.open(demo / page_names([model])[model]).page
    tip = page.locator("#tip")
    # Hover exactly over the fourth run: its marker's centre, from the chart's own transform.
    centre = page.evaluate(
        """() => {
          const data = JSON.parse(document.getElementById("runs-data").textContent);
          const s = data.scale, run = data.runs[3], svg = document.querySelector("svg.chart");
          const x = s[2] + (run[1] - s[0]) * (s[3] - s[2]) / (s[1] - s[0]);
          const y = s[6] + (run[2] - s[4]) * (s[7] - s[6]) / (s[5] - s[4]);
          const p = new DOMPoint(x, y).matrixTransform(svg.getScreenCTM());
          return [p.x, p.y];
        }"""
    )
    page.mouse.move(*centre)
    failed = "the gate failed that night"
    assert tip.inner_text() == _expected_tip(runs[3], failed, files[runs[3][0]])
    # Keyboard: Tab reaches the chart; Home, End and the arrows walk the runs.
    page.mouse.move(0, 0)
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('svg.chart')"):
            break
    assert page.evaluate("document.activeElement.matches('svg.chart')")
    page.keyboard.press("Home")
    assert tip.inner_text() == _expected_tip(runs[0], "too few runs to judge", files[runs[0][0]])
    page.keyboard.press("ArrowRight")
    assert tip.inner_text().startswith(f"Run {runs[1][0]} ·")
    page.keyboard.press("End")
    assert tip.inner_text().startswith(f"Run {runs[-1][0]} ·")


def test_a_workflow_run_is_linked_from_its_source(browser: SiteBrowser, tmp_path: Path) -> None:
    (path,) = write_series(tmp_path / "h", "m", [70.0])
    doc = json.loads(path.read_text())
    doc["source"] = {
        "server_url": "https://ghe.example.com",
        "repository": "org/evals",
        "workflow_run_id": "42",
        "workflow_run_attempt": "3",
        "file": "0001.json",
    }
    path.write_text(json.dumps(doc, indent=2))
    publish(build(gather(tmp_path / "h", Settings())), tmp_path / "site")
    page = browser.open(tmp_path / "site" / page_names(["m"])["m"]).page
    page.locator("svg.chart").focus()
    link = page.locator("#tip a")
    # The run's page on its own server; the site leaves the attempt out (model_page.py).
    assert link.get_attribute("href") == "https://ghe.example.com/org/evals/actions/runs/42"


def test_links_go_between_the_overview_and_the_model_pages(
    browser: SiteBrowser, demo: Path
) -> None:
    page = browser.open(demo / "index.html").page
    rows = page.locator("#models tbody tr")
    # Worst first: the regressing model on top.
    assert rows.first.locator("th").inner_text() == "openrouter/anthropic/claude-sonnet-4.5"
    for i in range(rows.count()):
        name = rows.nth(i).locator("th").inner_text()
        rows.nth(i).locator("a").click()
        assert page.locator("h1").inner_text() == name
        page.locator("nav a").click()
        assert page.url.endswith("/index.html")
        rows = page.locator("#models tbody tr")


def test_the_filter_box_hides_the_other_models(browser: SiteBrowser, demo: Path) -> None:
    page = browser.open(demo / "index.html").page
    page.get_by_label("Filter models by name").fill("GOOGLE")
    visible = page.locator("#models tbody tr:visible th")
    assert visible.all_inner_texts() == ["openrouter/google/gemini-2.5-pro"]
    page.get_by_label("Filter models by name").fill("")
    assert page.locator("#models tbody tr:visible").count() == 4


def test_without_javascript_every_run_is_still_listed(browser: SiteBrowser, demo: Path) -> None:
    model = "openrouter/openai/gpt-5.1"
    text = (demo / page_names([model])[model]).read_text()
    no_script = re.sub(r"<script>.*?</script>", "", text, flags=re.S)
    rows = re.findall(r"<tr><td>", no_script)
    assert len(rows) == len(_demo_runs(model))
    assert '<svg class="chart"' in no_script


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_step_decided_regression_draws_the_two_levels_it_compared(
    browser: SiteBrowser, tmp_path: Path, theme: str
) -> None:
    step_history(tmp_path / "h")
    publish(build(gather(tmp_path / "h", budget_settings())), tmp_path / "site")
    page = tmp_path / "site" / page_names(["m"])["m"]
    opened = browser.open(page, "dark" if theme == "dark" else "light")
    assert opened.errors == [] and opened.axe() == []
    boxes = opened.page.evaluate(
        """() => Array.from(document.querySelectorAll("svg.chart polyline.level"), line => {
             const box = line.getBoundingClientRect();
             return [box.left, box.right, box.top, box.width];
           })"""
    )
    # The window's earlier runs' level, then the latest two's: to its right and lower.
    (earlier, latest) = boxes
    assert earlier[3] > 0 and latest[3] > 0
    assert earlier[1] < latest[0] and latest[2] > earlier[2]
    assert opened.page.locator(".key li", has_text="the step test's levels").is_visible()


def test_the_overview_shows_the_budgets_level_a_night(browser: SiteBrowser, demo: Path) -> None:
    page = browser.open(demo / "index.html").page
    headers = page.locator("#models thead th").all_inner_texts()
    column = headers.index("Budget level")
    cells = page.locator(f"#models tbody tr td:nth-child({column + 1})").all_inner_texts()
    level = gather(DEMO, budget_settings()).models[0].trend.level
    assert level is not None and cells == [f"{100 * level:.3g}% a night"] * 4
