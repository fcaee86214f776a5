"""Attendance in the organisation's API (issue 15: attended sessions, never course work)
and as xAPI "attended" statements through the outbox, read back from a real LRS."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from course.attendance import services
from course.extensions import db
from course.models import Attendance, XapiStatement, utcnow
from course.xapi import relay
from tests import factories
from tests.factories_api import bearer, team_world
from tests.factories_attendance import make_session, register
from tests.test_xapi_lrs import lrs_app, lrs_python, store  # noqa: F401  (the real LRS fixtures)

ATTENDED = "http://adlnet.gov/expapi/verbs/attended"


@pytest.fixture
def w(app):
    w = team_world()
    w.trainer = factories.make_user(role="trainer")
    start = (utcnow() - timedelta(days=3)).replace(hour=8, minute=0, second=0, microsecond=0)
    w.session = make_session(w.course, cohort=w.cohort, trainers=[w.trainer], title="Teamdag", hours=(3,),
                             starts_at=start)
    w.other_session = make_session(w.course, cohort=w.other_cohort, trainers=[w.trainer], title="Andere teamdag",
                                   starts_at=start)
    marks = {register(w.busy, w.session).public_id: services.Mark(Attendance.PARTIAL, 90),
             register(w.idle, w.session).public_id: services.Mark(Attendance.ABSENT)}
    services.mark_attendance(w.session, marks, w.trainer)
    other = register(w.outsider, w.other_session)
    services.mark_attendance(w.other_session, {other.public_id: services.Mark(Attendance.PRESENT)}, w.trainer)
    return w


def enrolment_json(client, w, enrolment):
    response = client.get(f"/api/v1/enrolments/{enrolment.public_id}", headers=bearer(w.secret))
    assert response.status_code == 200
    return response.get_json()


def test_an_enrolment_carries_the_sessions_attended_with_dates_and_minutes(client, w):
    busy = enrolment_json(client, w, w.busy_enrolment)["attendance"]
    assert busy["sessions_attended"] == 1 and busy["attended_minutes"] == 90
    assert busy["required_sessions"] == 0 and busy["requirement_met"] is True
    [session] = busy["sessions"]
    assert session["id"] == w.session.public_id and session["title"] == "Teamdag"
    assert session["attendance"] == "partial" and session["attended_minutes"] == 90
    assert session["dates"] == [w.session.parts[0].starts_at.date().isoformat()]
    assert session["starts_at"].endswith("+00:00")
    idle = enrolment_json(client, w, w.idle_enrolment)["attendance"]
    assert idle["sessions_attended"] == 0 and [s["attendance"] for s in idle["sessions"]] == ["absent"]
    done = enrolment_json(client, w, w.done_enrolment)["attendance"]
    assert done["sessions"] == []


def test_the_api_never_shows_another_organisations_sessions(client, w):
    body = client.get("/api/v1/enrolments", headers=bearer(w.secret), query_string={"limit": 500}).get_data(
        as_text=True)
    assert "Teamdag" in body and "Andere teamdag" not in body and w.other_session.public_id not in body


def test_marking_attendance_moves_the_enrolments_updated_at(client, w):
    before = enrolment_json(client, w, w.done_enrolment)["updated_at"]
    later = utcnow() + timedelta(minutes=5)
    registration = register(w.done, w.session)
    services.mark_attendance(w.session, {registration.public_id: services.Mark(Attendance.PRESENT)}, w.trainer,
                             now=later)
    after = enrolment_json(client, w, w.done_enrolment)
    assert after["updated_at"] > before
    response = client.get("/api/v1/enrolments", headers=bearer(w.secret),
                          query_string={"updated_since": (later - timedelta(seconds=1)).isoformat() + "Z"})
    assert [e["id"] for e in response.get_json()["data"]] == [w.done_enrolment.public_id]


# ---- xAPI --------------------------------------------------------------------------


def test_present_and_partly_present_send_attended_once_absent_sends_nothing(app, trainer):
    app.config.update(XAPI_ENDPOINT="http://127.0.0.1:9/xAPI/")
    course = factories.make_course(slug="welzijn-blended")
    session = make_session(course, trainers=[trainer], hours=(3,))
    present, partial, absent = (factories.make_user() for _ in range(3))
    factories.make_enrolment(present, course)
    regs = {u.id: register(u, session) for u in (present, partial, absent)}
    services.mark_attendance(session, {
        regs[present.id].public_id: services.Mark(Attendance.PRESENT),
        regs[partial.id].public_id: services.Mark(Attendance.PARTIAL, 150),
        regs[absent.id].public_id: services.Mark(Attendance.ABSENT)}, trainer)
    rows = {r.user_id: r for r in db.session.scalars(sa.select(XapiStatement).where(XapiStatement.verb == "attended"))}
    assert set(rows) == {present.id, partial.id}
    statement = rows[partial.id].statement
    assert statement["verb"]["id"] == ATTENDED
    assert statement["object"]["id"] == \
        f"http://leerlijn.test/xapi/activities/course/welzijn-blended/session/{session.public_id}"
    assert statement["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/meeting"
    assert statement["result"] == {"completion": False, "duration": "PT2H30M"}
    assert rows[present.id].statement["result"] == {"completion": True, "duration": "PT3H"}
    services.mark_attendance(session, {regs[partial.id].public_id: services.Mark(Attendance.PARTIAL, 120)}, trainer)
    assert db.session.scalar(sa.select(sa.func.count(XapiStatement.id))) == 2  # a correction sends nothing new
    # present → absent by mistake → present again: still one attendance in the LRS (audit15)
    for mark in (Attendance.ABSENT, Attendance.PRESENT):
        services.mark_attendance(session, {regs[present.id].public_id: services.Mark(mark)}, trainer)
    assert db.session.scalar(sa.select(sa.func.count(XapiStatement.id))) == 2


def test_the_attended_statement_reaches_a_real_lrs(lrs_app, store, trainer):  # noqa: F811
    course = factories.make_course(slug="welzijn-live")
    session = make_session(course, trainers=[trainer], hours=(2,))
    learner = factories.make_user()
    registration = register(learner, session)
    services.mark_attendance(session, {registration.public_id: services.Mark(Attendance.PRESENT)}, trainer)
    assert relay.send_statements() == (1, 0)
    [stored] = store.statements()
    assert stored["verb"]["id"] == ATTENDED
    assert stored["actor"]["account"]["name"] == learner.public_id
    assert stored["result"]["duration"] == "PT2H"
