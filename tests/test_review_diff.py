"""A rewritten sentence reads as one change, not as confetti of common words."""
from course.review.diff import diff_text


def test_short_unchanged_words_between_changes_join_the_change():
    segments = diff_text("Ik wil meer jongeren zien en het werk tonen.",
                         "Ik wil meisjes bereiken en ons werk laten zien.")
    ops = [s.op for s in segments]
    assert ops == ["equal", "delete", "insert"], segments
    assert segments[1].text == "meer jongeren zien en het werk tonen."
    assert segments[2].text == "meisjes bereiken en ons werk laten zien."


def test_long_unchanged_runs_stay_visible_as_unchanged():
    old = "We posten elke week een verhaal uit de buurt op Facebook. Dat doet Aziz."
    new = "We posten elke week een verhaal uit de buurt op Facebook. Dat doet Lotte."
    segments = diff_text(old, new)
    assert segments[0].op == "equal" and segments[0].text.startswith("We posten elke week")
    assert [s.text for s in segments if s.op == "delete"] == ["Aziz."]
    assert [s.text for s in segments if s.op == "insert"] == ["Lotte."]


def test_joining_the_segments_gives_back_both_texts():
    old, new = "een twee drie vier vijf", "een zes drie zeven vijf acht"
    segments = diff_text(old, new)
    assert "".join(s.text for s in segments if s.op != "insert") == old
    assert "".join(s.text for s in segments if s.op != "delete") == new
