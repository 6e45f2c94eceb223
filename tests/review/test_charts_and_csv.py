"""The SVG chart builder and the CSV cell guard, as plain functions."""

from __future__ import annotations

import re

import pytest

from quizapp.review.charts import Series, bar_chart, line_chart
from quizapp.review.csv_files import neutralise_row

HOSTILE = '<script>alert("x")</script> & "quotes"'


def test_bar_chart_is_labelled_for_screen_readers_and_escapes_text() -> None:
    svg = str(bar_chart("c1", HOSTILE, "A description", [("a<b", 3), ("zero", 0), ("top", 6)]))
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">&lt;script&gt;' in svg and '<desc id="c1-desc">A description</desc>' in svg
    assert "<script" not in svg and "a&lt;b" in svg
    assert not re.search(r"href|@import|font-face|<image|<foreignObject", svg)
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert (
        len(heights) == 3
        and heights[1] == 0
        and heights[2] == max(heights)
        and heights[0] == pytest.approx(heights[2] / 2)
    )


def test_line_chart_breaks_at_missing_values_and_marks_series_apart() -> None:
    series = [Series("Claim type", [0.5, None, 1.0, 0.0]), Series("Speaker", [1.0, 1.0, 1.0, 1.0])]
    svg = str(line_chart("hist", "Scores", "desc", ["#1", "#2", "#3", "#4"], series))
    polylines = re.findall(r"<polyline [^>]*>", svg)
    assert len(polylines) == 2  # claim type: only #3-#4 form a line; speaker: one line of four points
    assert 'stroke-dasharray="7 4"' in polylines[1] and "stroke-dasharray" not in polylines[0]
    # Every value has a marker with its own tooltip, and the legend names each series.
    assert svg.count("<title>#") == 7 and "#3, Claim type: 100%" in svg and "#1, Speaker: 100%" in svg
    assert ">Claim type</text>" in svg and ">Speaker</text>" in svg
    assert re.search(r"<circle[^>]*>", svg) and re.search(r"<rect[^>]*>", svg)  # circle and square markers


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_formula_starts_are_neutralised(cell: str) -> None:
    assert neutralise_row([cell]) == ["'" + cell]


def test_other_cells_are_kept_as_they_are() -> None:
    row = ["plain text", "a = b", "", 3, 66.7, None, "'already quoted"]
    assert neutralise_row(row) == row
