"""Pure helpers of the review area: word diffs, working days, chart geometry."""
from datetime import date

from course.content.model import Field
from course.review.charts import bar_chart, column_chart
from course.review.dates import add_working_days, feedback_due, is_overdue
from course.review.diff import diff_fields, diff_text


def test_diff_marks_inserted_and_deleted_words():
    segments = diff_text("Wij helpen jongeren.", "Wij helpen alle jongeren in Noord.")
    assert any(s.op == "insert" and "Noord" in s.text for s in segments)
    assert any(s.op == "delete" and "jongeren." in s.text for s in segments)
    assert "".join(s.text for s in segments if s.op != "delete") == "Wij helpen alle jongeren in Noord."
    assert "".join(s.text for s in segments if s.op != "insert") == "Wij helpen jongeren."


def test_diff_fields_follows_the_assignment_order_and_flags_unchanged_fields():
    fields = [Field("a", "A"), Field("b", "B")]
    diffs = diff_fields(fields, {"a": "oud", "b": "zelfde"}, {"a": "nieuw", "b": "zelfde"})
    assert [(d.field_id, d.changed) for d in diffs] == [("a", True), ("b", False)]


def test_working_days_skip_the_weekend():
    friday = date(2026, 11, 27)
    assert friday.weekday() == 4
    assert add_working_days(friday, 1) == date(2026, 11, 30)
    assert add_working_days(friday, 5) == date(2026, 12, 4)
    assert feedback_due(None, 5) is None
    assert is_overdue(date(2026, 12, 1), date(2026, 12, 2)) and not is_overdue(date(2026, 12, 2), date(2026, 12, 2))


def test_chart_geometry_scales_to_the_largest_value():
    chart = column_chart("c", "Titel", "Uitleg", [("1", 0), ("2", 5), ("3", 10)])
    assert chart.bars[2].height > chart.bars[1].height > chart.bars[0].height == 0
    funnel = bar_chart("f", "Titel", "Uitleg", [("Module 1", 3), ("Module 2", 1)], maximum=4)
    assert funnel.bars[0].width == 3 * funnel.bars[1].width


def test_a_wide_chart_has_a_narrow_twin_for_the_phone():
    """Drawn charts.NARROW wide, so on a phone its 12-unit text is never scaled below 12 px."""
    from course.review.charts import NARROW

    chart = column_chart("c", "Titel", "Uitleg", [(str(d), d) for d in range(30)])
    assert chart.narrow.width == NARROW and chart.narrow.id == "c-phone" and chart.narrow.narrow is None
    assert [b.value for b in chart.narrow.bars] == [b.value for b in chart.bars]
    assert all(b.x + b.width <= NARROW for b in chart.narrow.bars)
    funnel = bar_chart("f", "Titel", "Uitleg", [("Module 1", 3), ("Module 2", 1)], maximum=4)
    assert funnel.narrow.width == NARROW and max(b.value_x for b in funnel.narrow.bars) < NARROW
