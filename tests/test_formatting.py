"""display_date: one label per local day, in the reader's time zone; naive datetimes are UTC."""
from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import format_date, refresh, to_user_timezone
from markupsafe import Markup, escape

from course.formatting import csv_days, date_labels, display_date
from course.review.queries.scope import format_moment


@pytest.mark.parametrize("zone", ["Europe/Amsterdam", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns"])
def test_every_minute_around_midnight_gets_the_day_flask_babel_gives(app, zone):
    """The labels are shared per UTC quarter hour: that must never move a moment to
    another day, also in zones that are half or three quarters of an hour off UTC."""
    with app.test_request_context():
        babel = app.extensions["babel"]  # Flask-Babel's configuration of this app
        kept = babel.default_timezone
        babel.default_timezone = zone
        refresh()
        try:
            _compare_around_midnight(zone)
        finally:
            babel.default_timezone = kept


def _compare_around_midnight(zone):
    start = datetime(2026, 3, 28, 12, 0)  # across the spring clock change in Europe
    label, day = date_labels(), csv_days()  # bound once, as the list pages do
    for minutes in range(0, 2 * 24 * 60, 7):
        moment = start + timedelta(minutes=minutes)
        assert display_date(moment) == format_date(moment, "medium"), (zone, moment)
        assert label(moment) == escape(format_date(moment, "medium")), (zone, moment)
        assert format_moment(moment) == day(moment) == to_user_timezone(moment).date().isoformat(), (zone, moment)
        aware = moment.replace(tzinfo=UTC)
        assert display_date(aware) == label(aware) == format_date(aware, "medium"), (zone, moment)
        assert day(aware) == to_user_timezone(aware).date().isoformat(), (zone, moment)


def test_a_date_and_nothing(app):
    with app.test_request_context():
        assert display_date(date(2026, 12, 1)) == format_date(date(2026, 12, 1), "medium")
        assert display_date(None) == ""
        assert date_labels()(date(2026, 12, 1)) == format_date(date(2026, 12, 1), "medium")
        assert date_labels()(None) == Markup() and csv_days()(None) == ""
        assert csv_days()(date(2026, 12, 1)) == "2026-12-01"
    with app.app_context():  # no request (a command, the worker): the plain functions
        assert date_labels()(date(2026, 12, 1)) == display_date(date(2026, 12, 1))
        assert csv_days()(datetime(2026, 12, 1, 23, 30)) == format_moment(datetime(2026, 12, 1, 23, 30))


def test_a_list_language_switch_gets_new_labels(app):
    """A labeller is bound to the language it was made in; one made after a switch
    speaks the new language (the date state is made again)."""
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        assert date_labels()(date(2026, 10, 1)) == "1 okt 2026"
        from flask import g

        g._flask_babel.babel_locale = __import__("babel").Locale.parse("en")
        assert date_labels()(date(2026, 10, 1)) == "Oct 1, 2026"


def test_bound_pills_and_bars_write_what_the_single_calls_write(app):
    """mini_bars() formats plain strings with the name escaped first: the same markup as
    Markup's own % (which escapes), also for a name that is an attack."""
    from flask_babel import gettext

    from course.org.queries.team import LearnerState
    from course.templating import mini_bar, mini_bars, status_pill, status_pills

    name = '<script>alert("x")</script> & \'Bo\''
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        bar = mini_bars()(3, 5, name)
        assert bar == mini_bar(3, 5, name)
        translated = Markup(gettext("Modules completed by %(name)s"))  # noqa: S704  (our own catalogue)
        assert str(translated % {"name": name}) in bar
        assert "<script>" not in bar and "&lt;script&gt;" in bar
        assert "3 van 5" in bar and 'max="5" value="3"' in bar
        pill = status_pills()
        for state in LearnerState:
            assert pill(state) == status_pill(state) and str(state.label) in pill(state)


def test_flask_babel_keeps_its_request_state_where_it_always_did(app):
    """course/i18n.py reads Flask-Babel's per-request namespace without the `g` proxy:
    the same object as `g._flask_babel`, made when missing, and None outside any context."""
    import contextvars

    import flask_babel
    from flask import g

    from course.i18n import _babel_context

    assert flask_babel._get_current_context is _babel_context
    assert contextvars.Context().run(_babel_context) is None  # no app context at all
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert not hasattr(g, "_flask_babel")
        namespace = _babel_context()
        assert g._flask_babel is namespace and _babel_context() is namespace
        assert str(flask_babel.get_locale()) == "en" and namespace.babel_locale is flask_babel.get_locale()
        flask_babel.refresh()
        assert not hasattr(g._flask_babel, "babel_locale")
    with app.app_context():
        assert _babel_context() is g._flask_babel
