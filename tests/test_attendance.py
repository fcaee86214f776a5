"""Attendance at live sessions (issue 13): the trainer's page in the room, the sign-in
sheet, contact hours, the course requirement that completion waits for, the
Registerplein lists, the audit trail and the xAPI "attended" statement."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from course import permissions
from course.attendance import queries, services
from course.attendance.forms import parse_hours
from course.errors import DomainError
from course.extensions import db
from course.models import (
    Attendance,
    AuditEvent,
    Certificate,
    EventKind,
    ProgressEvent,
    RegistrationStatus,
    utcnow,
)
from tests import factories
from tests.factories_attendance import make_session, register
from tests.factories_badges import complete_module
from tests.factories_org import make_licence


def page(session) -> str:
    return f"/sessies/{session.public_id}/aanwezigheid"


def blended_course(**fields):
    return factories.make_course(attendance_sessions=1, attendance_hours=0, accreditation_points=8,
                                 accreditation_id="RP-2026-04173", **fields)


def modules_done(enrolment):
    for module in enrolment.course.modules:
        complete_module(enrolment, module)


# ---- hours ----------------------------------------------------------------------


@pytest.mark.parametrize("text, minutes", [("2,5", 150), ("2.5", 150), ("2:30", 150), ("1,75", 105), ("3", 180),
                                           (" 1,5 ", 90)])
def test_hours_are_read_the_dutch_way_too(text, minutes):
    assert parse_hours(text) == minutes


@pytest.mark.parametrize("text", ["", "twee", "-1", "1,5,5", "2:75", "9" * 9])
def test_what_is_not_a_number_of_hours_is_refused(text):
    assert parse_hours(text) is None


def test_hours_are_shown_without_trailing_zeros():
    assert [queries.format_hours(m) for m in (360, 150, 105, 0, 20)] == ["6", "2,5", "1,75", "0", "0,33"]


# ---- the policy -------------------------------------------------------------------


def test_the_truth_table_of_taking_attendance():
    facts = permissions.AttendanceFacts
    assert permissions.takes_attendance(facts(platform_admin=True))
    assert permissions.takes_attendance(facts(trainer_role=True, session_trainer=True))
    assert not permissions.takes_attendance(facts(trainer_role=True))
    assert not permissions.takes_attendance(facts(session_trainer=True))  # no longer a trainer
    assert not permissions.takes_attendance(facts())


# ---- marking -------------------------------------------------------------------------


def test_the_trainer_marks_present_absent_and_partly_present_in_one_form(app, login_as, trainer):
    course = factories.make_course()
    session = make_session(course, trainers=[trainer], hours=(3,))
    anne, bram, cas = (factories.make_user(name=n) for n in ("Anne", "Bram", "Cas"))
    regs = [register(u, session) for u in (anne, bram, cas)]
    client = login_as(trainer)
    html = client.get(page(session)).get_data(as_text=True)
    assert "Anne" in html and 'value="present"' in html and "Deels aanwezig" in html
    response = client.post(page(session), data={
        f"status-{regs[0].public_id}": "present", f"status-{regs[1].public_id}": "absent",
        f"status-{regs[2].public_id}": "partial", f"hours-{regs[2].public_id}": "1,5"}, follow_redirects=True)
    assert "Aanwezigheid opgeslagen (3 gewijzigd)." in response.get_data(as_text=True)
    rows = {r.user_id: r for r in db.session.scalars(sa.select(type(regs[0]))).all()}
    db.session.expire_all()
    assert (rows[anne.id].attendance, rows[anne.id].attended_minutes) == (Attendance.PRESENT, 180)
    assert (rows[bram.id].attendance, rows[bram.id].attended_minutes) == (Attendance.ABSENT, 0)
    assert (rows[cas.id].attendance, rows[cas.id].attended_minutes) == (Attendance.PARTIAL, 90)
    assert rows[cas.id].attendance_marked_by_id == trainer.id
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "session.attendance_marked")).all()
    assert {(e.subject_id, e.details["attendance"]) for e in events} == {
        (anne.id, "present"), (bram.id, "absent"), (cas.id, "partial")}
    assert all(e.actor_id == trainer.id and e.object_id == session.public_id for e in events)


def test_saving_again_without_changes_changes_nothing_and_audits_nothing(app, login_as, trainer):
    session = make_session(factories.make_course(), trainers=[trainer])
    reg = register(factories.make_user(), session)
    client = login_as(trainer)
    client.post(page(session), data={f"status-{reg.public_id}": "present"})
    response = client.post(page(session), data={f"status-{reg.public_id}": "present"}, follow_redirects=True)
    assert "(0 gewijzigd)" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))
                             .where(AuditEvent.action == "session.attendance_marked")) == 1


@pytest.mark.parametrize("hours, message", [
    ("", "Vul de uren aanwezig in, bijvoorbeeld 2,5."),
    ("veel", "Vul de uren aanwezig in, bijvoorbeeld 2,5."),
    ("3", "Vul meer dan 0 en minder dan 3 uur in (de hele sessie)."),
    ("0", "Vul meer dan 0 en minder dan 3 uur in (de hele sessie)."),
])
def test_partly_present_needs_hours_within_the_session_and_nothing_is_lost(app, login_as, trainer, hours, message):
    session = make_session(factories.make_course(), trainers=[trainer], hours=(3,))
    first, second = register(factories.make_user(name="Eerste"), session), register(factories.make_user(), session)
    response = login_as(trainer).post(page(session), data={
        f"status-{first.public_id}": "partial", f"hours-{first.public_id}": hours,
        f"status-{second.public_id}": "present"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and "Eerste" in html
    assert html.count("checked") == 2  # both choices are still there
    db.session.expire_all()
    assert db.session.get(type(second), second.id).attendance == Attendance.UNKNOWN  # nothing saved


def test_a_bad_choice_is_a_message_not_a_500(app, login_as, trainer):
    session = make_session(factories.make_course(), trainers=[trainer])
    reg = register(factories.make_user(), session)
    response = login_as(trainer).post(page(session), data={f"status-{reg.public_id}": "x" * 5000})
    assert response.status_code == 400


def test_waiting_and_cancelled_people_are_not_on_the_list(app, login_as, trainer):
    session = make_session(factories.make_course(), trainers=[trainer])
    register(factories.make_user(name="Wachtende Wim"), session, status=RegistrationStatus.WAITING)
    register(factories.make_user(name="Afgezegde Ans"), session, status=RegistrationStatus.CANCELLED)
    register(factories.make_user(name="Deelnemer Dirk"), session)
    html = login_as(trainer).get(page(session)).get_data(as_text=True)
    assert "Deelnemer Dirk" in html and "Wachtende Wim" not in html and "Afgezegde Ans" not in html


def test_attendance_waits_for_the_day_of_the_session(app, login_as, trainer):
    tomorrow = (utcnow() + timedelta(days=2)).replace(hour=8, minute=0)
    session = make_session(factories.make_course(), trainers=[trainer], starts_at=tomorrow)
    reg = register(factories.make_user(), session)
    client = login_as(trainer)
    assert "Aanwezigheid kun je opnemen vanaf de dag van de sessie." in client.get(page(session)).get_data(as_text=True)
    response = client.post(page(session), data={f"status-{reg.public_id}": "present"}, follow_redirects=True)
    assert "Aanwezigheid kun je opnemen vanaf de dag van de sessie." in response.get_data(as_text=True)
    with pytest.raises(DomainError):
        services.mark_attendance(session, {reg.public_id: services.Mark(Attendance.PRESENT)}, trainer)


def test_only_the_sessions_own_trainers_and_platform_admins_take_attendance(
        app, login_as, trainer, other_trainer, platform_admin, org_admin, organisation, learner):
    course = factories.make_course()
    make_licence(organisation, course)
    cohort = factories.make_cohort(organisation, course, trainers=[other_trainer])
    session = make_session(course, cohort=cohort, trainers=[trainer])
    make_session(course, trainers=[other_trainer])  # other_trainer gives another session (and trains the cohort)
    register(learner, session)
    assert login_as(trainer).get(page(session)).status_code == 200
    assert login_as(platform_admin).get(page(session)).status_code == 200
    for user in (other_trainer, org_admin, learner):
        assert login_as(user).get(page(session)).status_code == 404
        assert login_as(user).get(f"/sessies/{session.public_id}/tekenlijst.pdf").status_code == 404
    assert login_as(trainer).get("/sessies/bestaat-niet/aanwezigheid").status_code == 404


def test_the_trainers_list_shows_their_sessions_only(app, login_as, trainer, other_trainer):
    course = factories.make_course()
    mine = make_session(course, trainers=[trainer], title="Mijn workshop")
    make_session(course, trainers=[other_trainer], title="Andermans workshop")
    html = login_as(trainer).get("/aanwezigheid").get_data(as_text=True)
    assert "Mijn workshop" in html and "Andermans workshop" not in html
    assert page(mine) in html


# ---- completion waits for attendance ------------------------------------------------


def test_a_blended_course_completes_only_when_the_attendance_is_marked(app, login_as, trainer):
    course = blended_course()
    learner = factories.make_user(name="Lotte Leerling")
    enrolment = factories.make_enrolment(learner, course)
    modules_done(enrolment)
    from course.learn import completion

    assert completion.check_course_completed(enrolment) is False
    db.session.commit()
    assert enrolment.completed_at is None
    session = make_session(course, trainers=[trainer])
    reg = register(learner, session)
    login_as(trainer).post(page(session), data={f"status-{reg.public_id}": "present"})
    db.session.expire_all()
    enrolment = db.session.get(type(enrolment), enrolment.id)
    assert enrolment.completed_at is not None
    assert db.session.scalar(sa.select(Certificate).where(Certificate.enrolment_id == enrolment.id)) is not None
    assert db.session.scalar(sa.select(ProgressEvent.actor_id).where(
        ProgressEvent.enrolment_id == enrolment.id, ProgressEvent.kind == EventKind.COURSE_COMPLETED)) == trainer.id


def test_absent_does_not_complete_and_hours_must_add_up(app, trainer):
    course = factories.make_course(attendance_hours=5)
    learner = factories.make_user()
    enrolment = factories.make_enrolment(learner, course)
    modules_done(enrolment)
    first, second = make_session(course, trainers=[trainer], hours=(3,)), make_session(course, trainers=[trainer])
    one, two = register(learner, first), register(learner, second)
    services.mark_attendance(first, {one.public_id: services.Mark(Attendance.PRESENT)}, trainer)
    services.mark_attendance(second, {two.public_id: services.Mark(Attendance.ABSENT)}, trainer)
    assert enrolment.completed_at is None
    services.mark_attendance(second, {two.public_id: services.Mark(Attendance.PARTIAL, 90)}, trainer)
    assert enrolment.completed_at is None  # 3 + 1.5 < 5
    services.mark_attendance(second, {two.public_id: services.Mark(Attendance.PARTIAL, 120)}, trainer)
    assert enrolment.completed_at is not None
    assert queries.enrolment_summary(enrolment).minutes == 300


def test_attendance_of_another_course_does_not_count(app, trainer):
    course, other = blended_course(), factories.make_course()
    learner = factories.make_user()
    enrolment = factories.make_enrolment(learner, course)
    modules_done(enrolment)
    session = make_session(other, trainers=[trainer])
    reg = register(learner, session)
    services.mark_attendance(session, {reg.public_id: services.Mark(Attendance.PRESENT)}, trainer)
    assert enrolment.completed_at is None


def test_the_overview_shows_the_requirement_and_what_was_attended(app, login_as, trainer):
    course = factories.make_course(attendance_sessions=1, attendance_hours=6)
    learner = factories.make_user()
    enrolment = factories.make_enrolment(learner, course)
    modules_done(enrolment)
    session = make_session(course, trainers=[trainer], title="Dag 1", hours=(3,))
    reg = register(learner, session)
    client = login_as(learner)
    html = client.get(f"/mijn-leren/{course.slug}").get_data(as_text=True)
    assert "Live sessies" in html and "Sessies bijgewoond: 0 van 1" in html
    assert "Contacturen bijgewoond: 0 van 6" in html
    assert "Het online deel is klaar." in client.get("/mijn-leren").get_data(as_text=True)
    services.mark_attendance(session, {reg.public_id: services.Mark(Attendance.PRESENT)}, trainer)
    html = client.get(f"/mijn-leren/{course.slug}").get_data(as_text=True)
    assert "Sessies bijgewoond: 1 van 1" in html and "Contacturen bijgewoond: 3 van 6" in html
    assert "Dag 1" in html
    assert enrolment.completed_at is None  # 3 of 6 hours
