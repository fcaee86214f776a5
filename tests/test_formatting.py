"""display_date: one label per local day, in the reader's time zone; naive datetimes are UTC."""
from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import format_date, refresh, to_user_timezone

from course.formatting import display_date
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
    for minutes in range(0, 2 * 24 * 60, 7):
        moment = start + timedelta(minutes=minutes)
        assert display_date(moment) == format_date(moment, "medium"), (zone, moment)
        assert format_moment(moment) == to_user_timezone(moment).date().isoformat(), (zone, moment)
        aware = moment.replace(tzinfo=UTC)
        assert display_date(aware) == format_date(aware, "medium"), (zone, moment)


def test_a_date_and_nothing(app):
    with app.test_request_context():
        assert display_date(date(2026, 12, 1)) == format_date(date(2026, 12, 1), "medium")
        assert display_date(None) == ""


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
