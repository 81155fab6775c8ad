"""The job summary as GitHub shows it: cmark-gfm, then Mermaid, in headless Chromium.

Each summary must draw every chart without a Mermaid error, one chart per model with a slope,
with as many points as the model has runs in its window, and no hostile model name may turn
into markup, break a chart or lose its chart.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.builders import result_doc, write_doc
from tests.e2e.render_summary import (
    PICTURES,
    Rendered,
    SummaryBrowser,
    demo_summary,
    summary_html,
)
from trendgate.judge.analysis import analyze
from trendgate.report import Ending
from trendgate.report.markdown import render as render_markdown
from trendgate.settings import Settings

pytestmark = pytest.mark.browser
DAY = 86_400.0
WINDOW = 10  # the default window: a chart shows at most this many runs

# What GitHub's sanitizer lets through (html-pipeline's allow-list); anything else in our HTML
# would mean untrusted text became markup.
_ALLOWED = (
    "h1 h2 h3 h4 h5 h6 h7 h8 br b i strong em a pre code img tt div ins del sup sub p ol ul "
    "table thead tbody tfoot blockquote dl dt dd kbd q samp var hr ruby rt rp li tr td th s "
    "strike summary details caption figure figcaption abbr bdo cite dfn mark small span time wbr"
)
GITHUB_TAGS = set(_ALLOWED.split())
# The only attributes the summary itself writes (cmark-gfm adds align and pre's lang).
OUR_ATTRIBUTES = {"align", "open", "lang"}

HOSTILE = [
    'quote"in"name',
    "colon:in:name",
    "brackets[0](1){2}<3>",
    "new\nline\r\nname",
    "pipe|in|name",
    "<script>alert(1)</script>",
    "back`tick`` ```mermaid",
    "very-long-" + "x" * 290,
    '%%{init: {"theme": "forest"}}%%',
    'title "pwned"\n  line [1, 2, 3]',
    "</details><details open><summary>fake",
    "#quot; &amp; &#60;b&#62; #59;",
    "\u202egnp.exe",
    "**bold** [link](https://example.com) www.example.com @someone #1 :rocket:",
    "$$x^2$$ \\ back\\slash",
    "模型/中文-名字",
    "emoji 🚀 model",
    "--> ; ;; end",
    "plain/safe-name_1.0",
]
# Characters a chart title may hold: the safe set, plus `_` for what was replaced and `…`.
TITLE_CHARS = re.compile(r"[\w ./+:@…-]*")


def write_model(directory: Path, index: int, model: str, scores_pct: list[float]) -> None:
    """One file per run of `model`; file names carry only the index (names may not fit)."""
    for run, pct in enumerate(scores_pct):
        run_id = f"{index:03d}{run:03d}"
        doc = result_doc(model, run_id, 1_778_000_000.0 + run * DAY + index, [pct / 100])
        write_doc(directory, f"{run_id}_model{index}.json", doc)


def shown(name: str, limit: int = 200) -> str:
    """How a model name must read in the rendered page: clipped, controls as spaces, and an
    invisible word joiner after `@` (so GitHub makes no mention or e-mail link of it)."""
    if len(name) > limit:
        name = name[: limit - 1] + "…"
    name = re.sub("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", " ", name)
    return name.replace("@", "@\u2060")


def window(runs: int) -> list[str]:
    """The x-axis labels of a chart of `runs` runs: 1..n over the window."""
    return [str(i + 1) for i in range(min(runs, WINDOW))]


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


def markup(markdown: str) -> _Markup:
    """Every tag and attribute name in the HTML that GitHub's engine makes of `markdown`."""
    parser = _Markup()
    parser.feed(summary_html(markdown))
    return parser


def png_size(path: Path) -> tuple[int, int]:
    """A PNG's width and height, from its header chunk."""
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def table_models(rendered: Rendered) -> list[str]:
    """The Model column of the first table, as the reader sees it."""
    cells: list[str] = (
        rendered.page.locator("article > table")
        .first.locator("tbody tr td:nth-child(2)")
        .all_text_contents()
    )
    return cells


def first_line(rendered: Rendered) -> str:
    """The text of the summary's heading."""
    return rendered.page.locator("article h3").first.text_content() or ""


@pytest.fixture(scope="module")
def browser() -> Iterator[SummaryBrowser]:
    with SummaryBrowser() as started:
        yield started


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_demo_summary(browser: SummaryBrowser, theme: str, tmp_path: Path) -> None:
    rendered = browser.render(demo_summary(), "dark" if theme == "dark" else "light")
    drawn = tmp_path / f"summary-{theme}.png"
    rendered.screenshot(drawn)
    # The README's picture shows this summary: a summary that grew or shrank needs it redrawn.
    committed = PICTURES["dark" if theme == "dark" else "light"]
    assert png_size(drawn) == png_size(committed), "redraw: python -m scripts.render_pictures"

    assert rendered.mermaid_errors == []
    assert rendered.requests == []
    assert first_line(rendered) == (
        "❌ trendgate: 1 of 4 models regressing: openrouter/anthropic/claude-sonnet-4.5"
    )
    models = [
        "openrouter/anthropic/claude-sonnet-4.5",
        "openrouter/google/gemini-2.5-pro",
        "openrouter/openai/gpt-5.1",
        "openrouter/qwen/qwen3-coder:free",
    ]
    assert table_models(rendered) == models
    # Every demo model has 10 runs: 10 scores and 10 points of the fitted line.
    assert [(c.title, c.x_labels, c.line_points) for c in rendered.charts] == [
        (m, window(10), [10, 10]) for m in models
    ]
    assert [c.folded for c in rendered.charts] == [False, True, True, True]


def test_thirty_models_stay_readable(browser: SummaryBrowser, tmp_path: Path) -> None:
    runs = {}
    for i in range(30):
        model = f"lab/model-{i:02d}"
        count = 1 if i in (7, 19) else 4 + i % 9  # two with a single run, the rest 4..12
        slope = -2.0 if i in (4, 13, 26) else (0.8 if i % 5 == 0 else 0.0)
        write_model(tmp_path, i, model, [60 + slope * r + (r % 2) * 0.3 for r in range(count)])
        runs[model] = count
    regressing = ["lab/model-04", "lab/model-13", "lab/model-26"]
    # The shorter histories end earlier and would be flagged as stopped series (issue 15);
    # this test is about the table and charts, so no series counts as stale here.
    settings = Settings(stale_after=1000.0)
    rendered = browser.render(render_markdown(analyze(tmp_path, settings), Ending()))

    assert rendered.mermaid_errors == []
    assert first_line(rendered) == (
        "❌ trendgate: 3 of 30 models regressing: " + ", ".join(regressing)
    )
    # All 30 models are one row each, regressions on top; nothing is cut.
    listed = table_models(rendered)
    assert listed[:3] == regressing
    assert sorted(listed) == sorted(runs)
    # One chart per model with a slope, and only the regressions' charts unfolded.
    charted = {m: n for m, n in runs.items() if n >= 2}
    assert len(rendered.charts) == len(charted) == 28
    for chart in rendered.charts:
        assert chart.line_points == [min(charted[chart.title], WINDOW)] * 2
        assert chart.x_labels == window(charted[chart.title])
        assert chart.folded == (chart.title not in regressing)
    assert rendered.page.locator("article > details").count() == 30
    assert rendered.page.locator("article > details[open]").count() == 3


def test_hostile_names_are_inert_and_keep_their_charts(
    browser: SummaryBrowser, tmp_path: Path
) -> None:
    runs = {}
    for i, model in enumerate(HOSTILE):
        count = 2 + i % 4
        write_model(tmp_path, i, model, [70.0 - 3 * (i % 3) * r for r in range(count)])
        runs[model] = count
    write_model(tmp_path, 99, "lonely <b>one</b>", [50.0])
    # A wide swing (the reader refuses scores outside 0..1; tests/report/test_markdown.py draws
    # absurd ones through tests.builders.with_scores).
    write_model(tmp_path, 98, "out|of|range", [100.0, 20.0, 0.0])
    runs["out|of|range"] = 3
    # The proposal rule judges from two runs, so every hostile name gets its chart.
    markdown = render_markdown(analyze(tmp_path, Settings()), Ending())
    rendered = browser.render(markdown)

    assert rendered.mermaid_errors == []
    assert rendered.requests == []
    html = markup(markdown)
    assert html.tags <= GITHUB_TAGS
    assert "a" not in html.tags  # no link, autolink or image was made from a name
    assert html.attributes <= OUR_ATTRIBUTES
    # Each name reads as written (controls as spaces, clipped, trimmed), in a row of its own.
    expected = [shown(m, 48).strip() for m in [*runs, "lonely <b>one</b>"]]
    assert sorted(table_models(rendered)) == sorted(expected)
    # Each model with two runs or more has its chart, under a label Mermaid cannot misread.
    assert len(rendered.charts) == len(runs)
    for model, count in runs.items():
        (chart,) = [c for c in rendered.charts if c.details.split(": slope")[0][2:] == shown(model)]
        assert chart.line_points == [count, count]
        assert chart.x_labels == window(count)
        assert chart.title
        assert TITLE_CHARS.fullmatch(chart.title), chart.title
        assert len(chart.title) <= 60
    titles = {c.title for c in rendered.charts}
    assert {"colon:in:name", "plain/safe-name_1.0", "emoji _ model"} <= titles


@pytest.mark.parametrize(
    ("scores", "extra_file", "heading"),
    [
        (
            {"a": [60, 60.2, 60.1], "b": [70, 70, 70]},
            False,
            "✅ trendgate: no regression in 2 models",
        ),
        (
            {"a": [60, 60.2, 60.1], "down": [70, 65, 60]},
            False,
            "❌ trendgate: 1 of 2 models regressing: down",
        ),
        (
            {"a": [60, 60.2, 60.1], "b": [70, 70, 70]},
            True,
            "✅ trendgate: no regression in 2 models · ⚠️ 1 file skipped",
        ),
        ({"a": [60], "b": [70]}, False, "⏳ trendgate: too few runs to judge any of 2 models"),
    ],
)
def test_first_line_says_what_happened(
    browser: SummaryBrowser,
    tmp_path: Path,
    scores: dict[str, list[float]],
    extra_file: bool,
    heading: str,
) -> None:
    for i, (model, values) in enumerate(scores.items()):
        write_model(tmp_path, i, model, values)
    if extra_file:
        (tmp_path / "broken.json").write_text("{")
    rendered = browser.render(render_markdown(analyze(tmp_path), Ending()))
    assert first_line(rendered) == heading
    assert rendered.mermaid_errors == []


def test_a_broken_chart_is_reported(browser: SummaryBrowser) -> None:
    # The check the other tests rely on: a block Mermaid cannot parse counts as an error.
    markdown = '### t\n\n```mermaid\nxychart-beta\n  title "a"b"\n  line [1, 2\n```\n'
    rendered = browser.render(markdown)
    assert len(rendered.mermaid_errors) == 1
    assert rendered.charts == []
    assert "Unable to render" in (rendered.page.locator("article").text_content() or "")
