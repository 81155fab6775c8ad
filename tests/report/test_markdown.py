"""The Markdown job summary as text and as cmark-gfm parses it (tests/e2e draws it with Mermaid)."""

from __future__ import annotations

import re
from pathlib import Path

import cmarkgfm
from cmarkgfm.cmark import Options

from examples.verdict_demo import DRIFT, NOISY, STEP, write_demo
from tests.builders import hostile_directory, with_scores, write_series
from tests.configured import configured
from trendgate.escape import md_text, mermaid_label
from trendgate.judge.analysis import analyze
from trendgate.report import Ending
from trendgate.report.markdown import MAX_SUMMARY_BYTES, verdict_line
from trendgate.report.markdown import render as render_markdown
from trendgate.rules import Accept, Rules
from trendgate.settings import Settings
from trendgate.words import count

PROPOSAL = Settings(rule="proposal")  # the original proposal's rule, which these tests pin


def test_summary_shows_interval_step_and_inconclusive(tmp_path: Path) -> None:
    write_demo(tmp_path)
    text = render_markdown(analyze(tmp_path, Settings(confidence=0.95)), Ending())
    assert text.startswith(
        f"### ❌ trendgate: 2 of 3 models regressing: {md_text(DRIFT)}, {md_text(STEP)} "
        "(1 inconclusive)\n"
    )
    assert "| Slope ± 95% CI (points/run) | Trend | Latest (previous) | Change | Runs |" in text
    assert f"| 🟡\u00a0inconclusive | {md_text(NOISY)} |" in text
    assert "- **Inconclusive**: the 95% interval reaches 0; if the slope is truly " in text
    assert (
        "- step of -6.1 points after run 0029 of 2026-05-20 00&#58;10&#58;00 UTC in "
        "0029&#95;demo-steps-down&#46;json (fits clearly better than a drift)" in (text)
    )
    assert "this gate catches a slope of -" in text
    assert "_With no trend at all, at least one of the 3 judged models would fail on " in text


def test_evidence_from_files_is_escaped(tmp_path: Path) -> None:
    hostile_directory(tmp_path)
    text = render_markdown(analyze(tmp_path, PROPOSAL), Ending())
    assert "<img" not in text and "<b>" not in text and "@x" not in text
    assert "&#60;img src=x&#62;&#124;" in text
    assert not any(line.startswith("▼") for line in text.splitlines())


def test_comparability_breaks_are_flagged_in_the_table(tmp_path: Path) -> None:
    hostile_directory(tmp_path)  # its benchmark_version changes at every run
    text = render_markdown(analyze(tmp_path, PROPOSAL), Ending())
    assert "| ❌\u00a0regression | m ⚠️ |" in text
    assert "- WARNING: benchmark&#95;version changed from &#39;v0 &#124; &#60;b&#62;" in text


def test_row_formats_one_decimal_scores_and_signed_two_decimal_slopes(tmp_path: Path) -> None:
    write_series(tmp_path, "down", [90, 88.2, 86.4, 84.6])  # slope -1.8 by hand, no noise
    write_series(tmp_path, "flat", [50, 50], first_run=10)  # slope exactly 0
    lines = render_markdown(analyze(tmp_path, PROPOSAL), Ending()).splitlines()
    assert lines[4:6] == [
        "| Verdict | Model | Slope ± 95% CI (points/run) | Trend | Latest (previous) | Change "
        "| Runs |",
        "|---|---|--:|:-:|--:|--:|--:|",
    ]
    down, flat = ([cell.strip() for cell in line.split("|")[1:-1]] for line in lines[6:8])
    # Column 4 is the sparkline, tested on its own below.
    assert down[:3] + down[4:] == [
        "❌\u00a0regression",
        "down",
        "-1.80\u00a0±\u00a00.00",  # no noise: a zero-width interval
        "84.6\u00a0(86.4)",
        "-5.4",
        "4\u00a0in\u00a03.0\u00a0d",
    ]
    # Two runs cannot measure the noise, so there is no interval to show.
    assert flat[:3] + flat[4:] == [
        "✅\u00a0stable",
        "flat",
        "+0.00",
        "50.0\u00a0(50.0)",
        "+0.0",
        "2\u00a0in\u00a01.0\u00a0d",
    ]


def test_regressions_come_first_and_only_they_are_unfolded(tmp_path: Path) -> None:
    write_series(tmp_path, "a-up", [50, 52])
    write_series(tmp_path, "b-down", [50, 40], first_run=10)
    write_series(tmp_path, "c-one", [50], first_run=20)
    markdown = render_markdown(analyze(tmp_path, PROPOSAL), Ending())
    rows = [line.split(" | ")[1] for line in markdown.splitlines() if line.startswith("| ")]
    assert rows[1:4] == ["b-down", "a-up", "c-one"]  # after the header row
    summaries = [line for line in markdown.splitlines() if line.startswith("<details")]
    assert summaries[0] == "<details open>"
    assert summaries.count("<details open>") == 1
    assert "<summary>⏳ c-one: 1 run, too few to judge</summary>" in markdown


def test_at_most_five_regressions_are_unfolded(tmp_path: Path) -> None:
    for i in range(7):
        write_series(tmp_path, f"m{i}", [50, 40], first_run=10 * i)
    markdown = render_markdown(analyze(tmp_path, PROPOSAL), Ending())
    assert markdown.count("<details open>") == 5
    assert markdown.count("<details>") == 2 + 7  # two folded models, and each model's run list


def test_heading_names_three_regressions_then_counts_the_rest(tmp_path: Path) -> None:
    for i, name in enumerate(["m1", "m2", "m3", "m4", "ok"]):
        write_series(tmp_path, name, [50, 50] if name == "ok" else [50, 40], first_run=10 * i)
    (tmp_path / "bad.json").write_text("[]")
    assert verdict_line(analyze(tmp_path, PROPOSAL), Ending()) == (
        "### ❌ trendgate: 4 of 5 models regressing: m1, m2, m3 and 1 more · ⚠️ 1 file skipped"
    )


def test_heading_when_there_is_nothing_to_judge(tmp_path: Path) -> None:
    assert verdict_line(analyze(tmp_path, PROPOSAL), Ending()).startswith(
        "### ⚠️ trendgate: nothing to judge: no result files &#40;&#42;&#46;json&#41; in "
    )


def test_chart_scores_fit_line_and_axis(tmp_path: Path) -> None:
    write_series(tmp_path, "org/m:free", [90, 88.2, 86.4, 85.6])
    markdown = render_markdown(analyze(tmp_path, PROPOSAL), Ending())
    chart = markdown.split("```mermaid\n")[1].split("```")[0].splitlines()
    # By hand: mean 87.55, slope -7.5 / 5 = -1.5, so the fit runs 89.8, 88.3, 86.8, 85.3.
    assert chart[-5:] == [
        '  title "org/m:free"',
        '  x-axis "Run, oldest to newest" [1, 2, 3, 4]',
        '  y-axis "Score (%)" 80 --> 100',
        "  line [89.8, 88.3, 86.8, 85.3]",
        "  line [90.0, 88.2, 86.4, 85.6]",
    ]


def test_chart_axis_stretches_to_scores_outside_0_to_100(tmp_path: Path) -> None:
    analysis = with_scores(tmp_path, [150, 20, -5], PROPOSAL)  # fit (by hand): 132.5, 55, -22.5
    markdown = render_markdown(analysis, Ending())
    assert '  y-axis "Score (%)" -30 --> 160' in markdown


def test_no_chart_without_a_slope(tmp_path: Path) -> None:
    write_series(tmp_path, "m", [50])
    assert "```mermaid" not in render_markdown(analyze(tmp_path, PROPOSAL), Ending())


def test_mermaid_label_keeps_plain_names_and_replaces_the_rest() -> None:
    assert mermaid_label("openrouter/qwen/qwen3-coder:free") == "openrouter/qwen/qwen3-coder:free"
    assert mermaid_label('a"b\nc') == "a_b_c"
    assert mermaid_label("%%{init}%% #quot; <b>") == "___init___ _quot_ _b_"
    assert mermaid_label("x" * 61) == "x" * 59 + "…"


def test_bidirectional_overrides_cannot_reverse_a_name() -> None:
    assert md_text("\u202egnp.exe") == " gnp&#46;exe"


def test_count() -> None:
    assert [count(n, "file") for n in (0, 1, 2)] == ["0 files", "1 file", "2 files"]


HOSTILE = [
    "pipe | in | name",
    "escaped \\| pipe",
    "`code | span`",
    "<b>bold</b><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</td></tr></table><table>",
    "<details><summary>x</summary>",
    "</details>",
    "new\nline | x | y |\n|---|---|",
    "```mermaid",
    "[link](javascript:alert(1))",
    "www.example.com http://example.com",
    "<!-- open comment",
    "*emph* _emph_ ~~del~~ **strong**",
    "&amp; &#124; &lt;",
    "-",
    "|",
]


def html(markdown: str) -> str:
    """Render as GitHub does before sanitizing: raw HTML passes, so any that got in shows."""
    return str(
        cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    )


def first_table_rows(page: str) -> list[str]:
    table = page[page.index("<table>") : page.index("</table>")]
    return re.findall(r"<tr>.*?</tr>", table.split("<tbody>", 1)[1], re.S)


def test_one_row_and_one_details_per_model_whatever_the_names(tmp_path: Path) -> None:
    for i, name in enumerate(HOSTILE):
        write_series(tmp_path, name, [80, 70 + i % 3, 75], first_run=10 * i + 1)
    page = html(render_markdown(analyze(tmp_path, PROPOSAL), Ending()))
    assert len(first_table_rows(page)) == len(HOSTILE)
    assert page.count("<details") == page.count("</details>")
    for element in ("<b>", "<script", "<img", "<a ", "<code>code", "<em>emph", "<strong>strong"):
        assert element not in page
    assert "<del>del" not in page
    assert "<!--" not in page


def test_summary_stays_under_the_limit_and_counts_what_it_left_out(tmp_path: Path) -> None:
    # Names of pure punctuation grow six-fold when escaped: the table alone would pass 1 MiB.
    long_name = "|<>&" * 50
    total = 1100
    for i in range(total - 1):
        write_series(tmp_path, f"{long_name}{i:04d}", [70.0], first_run=i + 1)
    write_series(tmp_path, "zz falling", [90, 80, 70], first_run=5000)
    for i in range(300):
        (tmp_path / f"{'x' * 200}{i:03d}.json").write_text("not json")
    markdown = render_markdown(analyze(tmp_path, PROPOSAL), Ending())
    assert len(markdown.encode("utf-8")) <= MAX_SUMMARY_BYTES < 1024 * 1024
    rows = first_table_rows(html(markdown))
    left_out = re.search(r"_(\d+) models not in the table", markdown)
    assert left_out is not None
    assert len(rows) + int(left_out.group(1)) == total
    assert "zz falling" in rows[0]  # a regression is the last thing cut
    assert re.search(r"_(\d+) models without details", markdown)


def test_rules_section_shows_every_rule_and_the_accepted_reason(tmp_path: Path) -> None:
    markdown = render_markdown(configured(tmp_path), Ending())
    section = markdown[markdown.index("#### Rules from") :].split("\n\n")[1].splitlines()
    assert section == [
        "| Model | Rule |",
        "|---|---|",
        "| accepted | accepted decline after run 0043 of 2026-05-08 16&#58;53&#58;20 UTC in "
        "0043&#95;accepted&#46;json &#40;4 earlier runs set aside&#41;&#58; "
        "switched judge to haiku-4&#46;5 |",
        "| joined | includes runs named old-name |",
        "| vendor/strict | rule vendor/&#42;&#58; threshold -3&#46;0 |",
        "| free/m | ignored by rule free/&#42; &#40;3 runs&#41; |",
    ]
    assert "config " in markdown.splitlines()[2]


def test_no_rules_section_without_a_config(tmp_path: Path) -> None:
    write_series(tmp_path, "m", [50, 51])
    assert "#### Rules" not in render_markdown(analyze(tmp_path, PROPOSAL), Ending())


def test_a_series_restarted_after_its_last_run_still_renders(tmp_path: Path) -> None:
    write_series(tmp_path, "m", [50, 40, 30])
    rules = Rules(accept=(Accept("m", "r", after_run="0003"),))
    markdown = render_markdown(analyze(tmp_path, PROPOSAL, rules=rules), Ending())
    nbsp = "\u00a0"
    row = f"| ⏳{nbsp}insufficient{nbsp}data | m | – |  | – | – | 0{nbsp}in{nbsp}0.0{nbsp}d |"
    assert row in markdown.splitlines()


def test_a_failed_gate_says_what_to_do_with_each_model_filled_in(tmp_path: Path) -> None:
    import yaml

    hostile = "evil```\n</details>|@x"
    write_series(tmp_path, "down", [90, 88, 86, 84])
    write_series(tmp_path, hostile, [90, 80, 70], first_run=10)
    text = render_markdown(analyze(tmp_path, PROPOSAL), Ending(exit_code=1))
    assert "**What next.**" in text
    block = text.split("```yaml\n", 1)[1].split("\n```\n", 1)[0]
    accept = yaml.safe_load(block)["accept"]
    assert [entry["model"] for entry in accept] == ["down", hostile]  # exactly, once parsed
    # The whole block holds printable ASCII only: no name can close the fence or a tag.
    assert block.isascii() and "```" not in block.replace("evil```", "")
    assert all(entry["reason"] for entry in accept)
    report_only = render_markdown(analyze(tmp_path, PROPOSAL), Ending(report_only=True))
    assert "What next" not in report_only
    assert "(report only: the gate passes)" in report_only.splitlines()[0]


def test_every_column_is_defined_under_the_table(tmp_path: Path) -> None:
    write_series(tmp_path, "m", [50, 51, 52])
    lines = render_markdown(analyze(tmp_path, PROPOSAL), Ending()).splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| Verdict |"))
    columns = [c.strip().split(" ")[0] for c in lines[header].strip("|").split("|")][2:]
    definition = next(line for line in lines[header:] if line.startswith("_Slope:"))
    for column in columns:  # Slope, Trend, Latest, Change, Runs
        assert f"{column}" in definition, column


def test_settings_warnings_have_their_section(tmp_path: Path) -> None:
    write_series(tmp_path, "m", [50, 51, 52])
    text = render_markdown(analyze(tmp_path, Settings(threshold=1.0)), Ending())
    assert f"#### Check the settings\n\n- {md_text('threshold +1.00 is above 0')}" in text
