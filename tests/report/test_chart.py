"""The Markdown summary's pictures (the charts are checked through the summary itself)."""

from __future__ import annotations

from trendgate.report.chart import sparkline


def test_sparkline_scale_is_at_least_ten_points() -> None:
    assert sparkline([0, 10]) == "▁█"
    assert sparkline([50, 50, 50]) == "▅▅▅"
    # Half a point on a 10-point scale centred on 50.25: levels 3.3 and 3.7 of 0..7.
    assert sparkline([50, 50.5]) == "▄▅"
