"""What the issue-16 caches keep per process or per request stays right: fixed links per
script root, translations per locale (also under force_locale), status pills per language,
Session.get's stand-in, and the news query built once per shape."""
import re

import pytest
import sqlalchemy as sa
from flask import render_template_string
from flask_babel import force_locale, gettext

from course.discussion import services as discussion
from course.extensions import db, get_by_key
from course.models import SubmissionStatus, TeamPlanConsent
from course.templating import status_pill
from tests import factories, factories_discussion


def test_the_layouts_fixed_links_follow_the_script_root(client):
    plain = client.get("/inloggen").text
    assert 'href="/static/css/app.css"' in plain and 'href="/cursussen"' in plain
    mounted = client.get("/inloggen", base_url="http://localhost/leerlijn").text
    assert 'href="/leerlijn/static/css/app.css"' in mounted and 'href="/leerlijn/cursussen"' in mounted
    assert 'href="/static/css/app.css"' in client.get("/inloggen").text, "the other root's links are not reused"


def test_translations_follow_the_locale_within_one_request(app):
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        assert gettext("Log in") == "Inloggen"
        assert render_template_string("{{ _('Log in') }}") == "Inloggen"
        with force_locale("en"):
            assert gettext("Log in") == "Log in"
            assert render_template_string("{{ _('Log in') }}") == "Log in"
        assert gettext("Log in") == "Inloggen"
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):  # a request of its own
        assert gettext("Log in") == "Log in"


def test_a_status_pill_speaks_the_language_of_each_request(app):
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "nl"}):
        dutch = str(status_pill(SubmissionStatus.APPROVED))
        with force_locale("en"):
            english = str(status_pill(SubmissionStatus.APPROVED))
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        assert str(status_pill(SubmissionStatus.APPROVED)) == english
    assert dutch != english and "status--" in dutch


def test_get_by_key_answers_as_session_get(app):
    course = factories.make_course(modules=1)
    organisation = factories.make_organisation()
    cohort = factories.make_cohort(organisation, course)
    enrolment = factories.make_enrolment(factories.make_user(), course, cohort=cohort)
    assert get_by_key(TeamPlanConsent, enrolment.id) is None
    consent = TeamPlanConsent(enrolment_id=enrolment.id)
    db.session.add(consent)
    db.session.commit()
    assert get_by_key(TeamPlanConsent, enrolment.id) is consent  # the session's own object
    db.session.expunge_all()
    loaded = get_by_key(TeamPlanConsent, enrolment.id)
    assert loaded is not None and loaded is not consent and loaded.enrolment_id == enrolment.id


def _news(html: str) -> str:
    found = re.search(r'<section class="card news".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_replies_in_a_group_and_in_an_open_course_are_both_news(app, login_as):
    """A learner in a cohort of one course and self-enrolled in another: the news query
    names both groups (one shape of the statement built once), and each learner's own."""
    w = factories_discussion.make_world()
    factories.make_enrolment(w.anna, w.open_course)
    in_group = factories_discussion.start(w.space, w.anna, title="In de groep")
    discussion.reply(in_group, w.bram, "Antwoord in de groep.")
    in_open = factories_discussion.start(w.self_space, w.anna, title="In de open cursus")
    discussion.reply(in_open, w.solo, "Antwoord in de open cursus.")
    news = _news(login_as(w.anna).get("/mijn-leren").text)
    assert "“In de groep”" in news and "“In de open cursus”" in news
    # Bram (one group) and Sanne (one open course) use other shapes, and see their own only
    assert _news(login_as(w.bram).get("/mijn-leren").text) == ""
    assert _news(login_as(w.solo).get("/mijn-leren").text) == ""


def test_a_light_course_state_knows_which_modules_have_a_reading_without_loading_it(app):
    from course.learn.queries.progress import course_states
    from course.models import CourseModule, Enrolment

    course = factories.make_course(modules=2)
    course.modules[1].reading_html = ""
    enrolment_id = factories.make_enrolment(factories.make_user(), course).id
    db.session.commit()
    db.session.expunge_all()
    (state,) = course_states([db.session.get(Enrolment, enrolment_id)], light=True)
    first, second = (ms.module for ms in state.modules)
    assert (first.has_reading, second.has_reading) == (True, False)
    assert "reading_html" not in first.__dict__, "the reading did not travel"
    assert first.reading_html and first.has_reading, "and loads when asked"
    db.session.execute(sa.update(CourseModule).where(CourseModule.id == second.id).values(reading_html="<p>Nu wel</p>"))
    db.session.expire(second)
    assert second.has_reading, "an expired module answers from the database again"


@pytest.mark.parametrize("kind", ["day", "moment"])
def test_a_date_reads_in_the_language_of_each_request(app, kind):
    from datetime import date, datetime

    from course.formatting import display_date, display_datetime

    show, value = {"day": (display_date, date(2026, 3, 2)),
                   "moment": (display_datetime, datetime(2026, 3, 2, 8, 30))}[kind]  # UTC: 09:30 in Amsterdam
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "nl"}):
        dutch = show(value)
        with force_locale("en"):
            english = show(value)
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        assert show(value) == english
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "nl"}):
        assert show(value) == dutch
    assert dutch != english
    if kind == "day":
        assert "mrt" in dutch and "Mar" in english
    else:
        assert "09:30" in dutch
