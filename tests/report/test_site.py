"""The history site: what each page holds, its file names, its writing, and its determinism."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.builders import result_doc, write_doc, write_series
from trendgate.errors import UsageError
from trendgate.report.site import build
from trendgate.report.site.gather import gather
from trendgate.report.site.names import page_names
from trendgate.report.site.publish import MANIFEST, publish
from trendgate.settings import Settings

DAY = 86_400.0
START = 1_778_000_000.0  # 2026-05-05T16:53:20Z


class Page(HTMLParser):
    """Tags, attributes, text and script bodies of one page, as a browser's parser reads them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))
        else:
            self.text.append(data)

    def island(self) -> dict[str, object]:
        """The page's JSON island, parsed."""
        (body,) = [b for a, b in self.scripts if a.get("type") == "application/json"]
        value: dict[str, object] = json.loads(body)
        return value


def site_of(history: Path, settings: Settings | None = None) -> dict[str, str]:
    return build(gather(history, settings or Settings()))


def test_a_steady_decline_fails_every_night_from_the_second(tmp_path: Path) -> None:
    # Two points a run down: from the second run on, every window's slope is -2 < -0.5.
    write_series(tmp_path / "h", "down", [90 - 2 * i for i in range(6)])
    write_series(tmp_path / "h", "flat", [70.0, 71.0, 70.0, 71.0, 70.0, 71.0])
    pages = site_of(tmp_path / "h")
    names = page_names(["down", "flat"])
    assert sorted(pages) == sorted(["index.html", *names.values()])
    down = Page(pages[names["down"]])
    runs = down.island()["runs"]
    assert isinstance(runs, list)
    assert [r[4] for r in runs] == ["n", "r", "r", "r", "r", "r"]
    assert [r[2] for r in runs] == [90.0, 88.0, 86.0, 84.0, 82.0, 80.0]
    assert [r[0] for r in runs] == ["0001", "0002", "0003", "0004", "0005", "0006"]
    # One triangle per failed night; the passes and the first night are dots.
    chart = pages[names["down"]].split('<svg class="chart"')[1].split("</svg>")[0]
    assert chart.count('<path class="r"') == 5
    # Worst first on the overview, each name linking to its page.
    overview = Page(pages["index.html"])
    links = [a["href"] for tag, a in overview.tags if tag == "a"]
    assert links == [names["down"], names["flat"]]
    assert [a["href"] for tag, a in down.tags if tag == "a"] == ["../index.html"]


def test_the_fit_and_threshold_lines_are_drawn_through_the_windows_centre(tmp_path: Path) -> None:
    write_series(tmp_path, "m", [80.0, 78.0, 76.0])  # slope -2, centre (run 2, 78)
    page = site_of(tmp_path, Settings(threshold=-1.0))[page_names(["m"])["m"]]
    fit = re.search(r'<polyline class="fit" points="([^"]+)"', page)
    limit = re.search(r'<polyline class="limit" points="([^"]+)"', page)
    assert fit and limit
    fit_points = [tuple(map(float, p.split(","))) for p in fit.group(1).split()]
    limit_points = [tuple(map(float, p.split(","))) for p in limit.group(1).split()]
    # Same x and same centre; the fit falls twice as steeply as the threshold's line.
    assert [p[0] for p in fit_points] == [p[0] for p in limit_points]
    assert fit_points[1] == limit_points[1]
    fit_drop = fit_points[2][1] - fit_points[0][1]
    limit_drop = limit_points[2][1] - limit_points[0][1]
    assert fit_drop == pytest.approx(2 * limit_drop, abs=0.2)


def test_accepted_runs_and_version_breaks_are_lines_with_their_reasons(tmp_path: Path) -> None:
    for i in range(6):
        doc = result_doc("m", f"{i + 1:04d}", START + i * DAY, [0.9 - 0.05 * i])
        if i >= 4:
            doc["benchmark_version"] = "2.1.0"
        write_doc(tmp_path / "h", f"{i}.json", doc)
    (tmp_path / "trendgate.yml").write_text(
        'accept:\n  - model: m\n    after_run: "0002"\n    reason: "new <judge>"\n'
    )
    from trendgate.app.config import read_config

    rules = read_config(str(tmp_path / "trendgate.yml")).rules
    history = gather(tmp_path / "h", Settings(), rules=rules)
    (model,) = history.models
    # All six runs are shown, the two set aside too, judged as the gate judged them then.
    assert [n.run.run_id for n in model.nights] == ["0001", "0002", "0003", "0004", "0005", "0006"]
    assert [n.verdict for n in model.nights][:2] == ["insufficient_data", "regression"]
    assert [(e.before, e.kind) for e in model.events] == [(1, "accepted"), (3, "break")]
    page = build(history)[page_names(["m"])["m"]]
    assert "accepted: new &lt;judge&gt;" in page
    assert "not comparable: benchmark 2.0.0 to 2.1.0" in page


def test_a_decline_accepted_after_the_newest_run_still_has_its_page(tmp_path: Path) -> None:
    write_series(tmp_path / "h", "m", [80.0, 78.0, 76.0])
    write_series(tmp_path / "h", "n", [80.0, 80.0, 80.0])
    (tmp_path / "trendgate.yml").write_text(
        'accept:\n  - model: m\n    after_run: "0003"\n    reason: all of it\n'
    )
    from trendgate.app.config import read_config

    rules = read_config(str(tmp_path / "trendgate.yml")).rules
    history = gather(tmp_path / "h", Settings(), rules=rules)
    model = next(m for m in history.models if m.model == "m")
    assert model.trend.runs == () and len(model.nights) == 3
    assert [(e.before, e.kind) for e in model.events] == [(2, "accepted")]
    page = build(history)[page_names(["m", "n"])["m"]]
    assert "accepted: all of it" in page


def test_a_night_links_to_its_workflow_run_on_any_github_server(tmp_path: Path) -> None:
    """The page's script joins a prefix of the island's with a run id (shell.py): each night's
    address, without the attempt, wherever report/source.py's rule finds a workflow run."""
    ghes = {"server_url": "https://ghe.example.co.uk", "repository": "org/evals"}
    dotcom = {"server_url": "https://github.com", "repository": "acme/bench"}
    sources: list[object] = [
        {**ghes, "workflow_run_id": "123", "workflow_run_attempt": "2"},
        {**dotcom, "workflow_run_id": "77", "workflow_run_attempt": "3"},
        {**ghes, "workflow_run_id": "124"},
        {"repository": "org/evals", "workflow_run_id": "5"},  # no server: no link, as in JSON
        {**ghes, "server_url": "javascript:alert(1)//", "workflow_run_id": "6"},
        {**ghes, "server_url": "https://user@evil.example", "workflow_run_id": "7"},
        {**ghes, "server_url": "https://ghe.example.co.uk:8443", "workflow_run_id": "8"},
        {**ghes, "server_url": 'https://x.example"><script>', "workflow_run_id": "9"},
        {**ghes, "repository": "../../evil", "workflow_run_id": "10"},
        {**ghes, "repository": 'org/evals"><script>', "workflow_run_id": "11"},
        {**ghes, "workflow_run_id": "1/../../x"},
        {**ghes, "workflow_run_id": 12},
        {"file": "0001.json"},
        None,
    ]
    for i, value in enumerate(sources):
        doc = result_doc("m", f"{i:04d}", START + i * DAY, [0.5], source=value)
        write_doc(tmp_path, f"{i:04d}.json", doc)
    page = site_of(tmp_path)[page_names(["m"])["m"]]
    island = Page(page).island()
    prefixes, runs = island["prefixes"], island["runs"]
    assert isinstance(prefixes, list) and isinstance(runs, list)
    hrefs = [None if r[5] is None else prefixes[r[5]] + r[6] for r in runs]
    assert (
        hrefs
        == [
            "https://ghe.example.co.uk/org/evals/actions/runs/123",
            "https://github.com/acme/bench/actions/runs/77",
            "https://ghe.example.co.uk/org/evals/actions/runs/124",
        ]
        + [None] * 11
    )
    # One prefix per repository, however many runs; the island is ASCII JSON (escape.py).
    assert prefixes == [
        "https://ghe.example.co.uk/org/evals/actions/runs/",
        "https://github.com/acme/bench/actions/runs/",
    ]
    assert "attempts" not in page and "evil" not in page and "javascript" not in page


def test_page_names_are_safe_and_never_shared() -> None:
    models = ["a/b", "a-b", "A-B", "../../etc/passwd", "CON", "", "模型", "x" * 300, "a b"]
    names = page_names(models)
    assert len(set(names.values())) == len(models)
    # Case-insensitive file systems too.
    assert len({n.lower() for n in names.values()}) == len(models)
    for name in names.values():
        assert re.fullmatch(r"m/[a-z0-9-]{1,48}-[0-9a-f]{10}\.html", name), name


def test_the_same_history_gives_the_same_bytes_whatever_the_file_order(tmp_path: Path) -> None:
    scores = {"a": [60.0, 59.0, 57.5, 58.0], "b/c": [70.0, 70.5, 71.0, 71.2], "d": [50.0]}
    sites = []
    for order in (1, -1):
        history = tmp_path / "h"
        for model, values in list(scores.items())[::order]:
            write_series(history, model, values[::1])
        site = tmp_path / f"site{order}"
        subprocess.run(
            [sys.executable, "-m", "trendgate", "site", "h", "--to", site.name],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )
        sites.append({p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()})
        for path in history.iterdir():
            path.unlink()
    assert sites[0] == sites[1]
    assert len(sites[0]) == 5  # index, three model pages and the manifest


def test_every_page_allows_no_other_host_and_asks_not_to_be_indexed(tmp_path: Path) -> None:
    write_series(tmp_path, "m", [80.0, 78.0, 76.0])
    for text in site_of(tmp_path).values():
        page = Page(text)
        metas = {
            a.get("http-equiv") or a.get("name"): a.get("content")
            for t, a in page.tags
            if t == "meta"
        }
        policy = metas["Content-Security-Policy"]
        assert policy is not None and policy.startswith("default-src 'none';")
        assert "http" not in policy and "*" not in policy and "unsafe" not in policy
        assert metas["robots"] == "noindex"
        assert not [a for t, a in page.tags for k in a if k in ("src", "srcset", "action")]


def test_publish_replaces_only_a_site_it_wrote(tmp_path: Path) -> None:
    to = tmp_path / "site"
    written = publish({"index.html": "one", "m/a.html": "a"}, to)
    # Everything put there, for the Action to hand to the workspace's owner.
    assert sorted(written) == sorted([to, *to.rglob("*")])
    publish({"index.html": "two"}, to)
    assert (to / "index.html").read_text() == "two"
    assert not (to / "m").exists()
    assert (to / MANIFEST).read_text() == "index.html\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temporary left behind
    (to / "CNAME").write_text("evals.example")
    with pytest.raises(UsageError, match="holds CNAME, which trendgate did not write"):
        publish({"index.html": "three"}, to)
    assert (to / "CNAME").exists() and (to / "index.html").read_text() == "two"
    other = tmp_path / "docs"
    other.mkdir()
    (other / "notes.md").write_text("mine")
    with pytest.raises(UsageError, match="not a site trendgate wrote"):
        publish({"index.html": "x"}, other)
    assert (other / "notes.md").read_text() == "mine"
    (tmp_path / "empty").mkdir()
    publish({"index.html": "x"}, tmp_path / "empty")
    assert (tmp_path / "empty" / "index.html").read_text() == "x"


def test_the_command_exits_0_on_a_regression_and_2_on_bad_input(tmp_path: Path) -> None:
    write_series(tmp_path / "h", "down", [90.0, 80.0, 70.0])

    def site(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "trendgate", "site", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )

    done = site("h", "--to", "out")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "index.html").exists()
    (tmp_path / "empty").mkdir()
    for args, message in [
        (["empty", "--to", "x"], "no result files"),
        (["missing", "--to", "x"], "not found"),
        (["h", "--to", "h/site"], "inside the results directory"),
        (["h"], "--to"),
        (["h", "--to", "x", "--window", "1"], "window"),
    ]:
        refused = site(*args)
        assert refused.returncode == 2, (args, refused.stderr)
        assert message in refused.stderr and "Traceback" not in refused.stderr
        assert not (tmp_path / "x").exists()


def test_the_summary_links_to_the_site_url(tmp_path: Path) -> None:
    write_series(tmp_path / "h", "flat", [70.0, 70.0, 70.0])

    def gate(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "trendgate", "h", "--markdown", "s.md", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )

    assert gate("--site", "pages", "--site-url", "https://org.github.io/evals/").returncode == 0
    assert "[the history site](https://org.github.io/evals/)" in (tmp_path / "s.md").read_text()
    assert (tmp_path / "pages" / "index.html").exists()
    bad = gate("--site-url", "https://x.example/a)[b](javascript:alert(1)")
    assert bad.returncode == 2 and "site-url must be" in bad.stderr
