"""Attendance at live sessions (issue 13): the trainer's page in the room, the sign-in
sheet, contact hours, the course requirement that completion waits for, the
Registerplein lists, the audit trail and the xAPI "attended" statement."""
import csv
import io
from datetime import timedelta

import pypdf
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


@pytest.mark.parametrize("value", ["x" * 5000, "unknown"])
def test_a_bad_choice_is_a_message_not_a_500(app, login_as, trainer, value):
    session = make_session(factories.make_course(), trainers=[trainer])
    reg = register(factories.make_user(), session)
    response = login_as(trainer).post(page(session), data={f"status-{reg.public_id}": value})
    assert response.status_code == 400


def test_an_empty_choice_leaves_the_row_as_it_is(app, login_as, trainer):
    session = make_session(factories.make_course(), trainers=[trainer])
    reg = register(factories.make_user(), session)
    response = login_as(trainer).post(page(session), data={f"status-{reg.public_id}": " "}, follow_redirects=True)
    assert "(0 gewijzigd)" in response.get_data(as_text=True)


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
    assert f"href=\"/cursussen/{course.slug}\">Bekijk de data en meld je aan voor een sessie" in html
    services.mark_attendance(session, {reg.public_id: services.Mark(Attendance.PRESENT)}, trainer)
    html = client.get(f"/mijn-leren/{course.slug}").get_data(as_text=True)
    assert "Sessies bijgewoond: 1 van 1" in html and "Contacturen bijgewoond: 3 van 6" in html
    assert "Dag 1" in html
    assert enrolment.completed_at is None  # 3 of 6 hours


# ---- where attendance shows -------------------------------------------------------


def marked_world(trainer, organisation):
    """A cohort of a blended course; Anne attended (present, 3 h) one session."""
    course = blended_course()
    make_licence(organisation, course)
    cohort = factories.make_cohort(organisation, course, trainers=[trainer], name="Groep Zuid")
    anne = factories.make_user(name="Anne Aanwezig", registration_number="123456789")
    bram = factories.make_user(name="Bram Afwezig")
    enrolments = [factories.make_enrolment(u, course, cohort=cohort) for u in (anne, bram)]
    session = make_session(course, cohort=cohort, trainers=[trainer], title="Workshopdag",
                           starts_at=utcnow().replace(year=2026, month=11, day=24, hour=8, minute=0))
    a, b = register(anne, session), register(bram, session)
    services.mark_attendance(session, {a.public_id: services.Mark(Attendance.PRESENT),
                                       b.public_id: services.Mark(Attendance.ABSENT)}, trainer)
    return course, cohort, session, enrolments


def test_the_cohort_matrix_shows_sessions_hours_and_dates(app, login_as, trainer, organisation):
    _course, cohort, _session, _enrolments = marked_world(trainer, organisation)
    html = login_as(trainer).get(f"/voortgang/groep/{cohort.public_id}").get_data(as_text=True)
    assert "Live sessies bijgewoond" in html
    assert "1 (3 u): 2026-11-24" in html


def test_the_learner_timeline_shows_attended_and_missed_sessions(app, login_as, trainer, organisation):
    _course, _cohort, _session, (anne, bram) = marked_world(trainer, organisation)
    client = login_as(trainer)
    assert 'Was bij de live sessie "Workshopdag" (3 uur)' in \
        client.get(f"/voortgang/deelnemer/{anne.public_id}").get_data(as_text=True).replace("&#34;", '"')
    assert 'Afwezig bij de live sessie "Workshopdag"' in \
        client.get(f"/voortgang/deelnemer/{bram.public_id}").get_data(as_text=True).replace("&#34;", '"')


def test_team_progress_shows_the_dates_attended_never_course_work(app, org_admin_client, trainer, organisation):
    _course, cohort, _session, (anne, _bram) = marked_world(trainer, organisation)
    html = org_admin_client.get(f"/organisatie/groepen/{cohort.public_id}").get_data(as_text=True)
    assert "Live sessies bijgewoond" in html and "24 nov 2026" in html
    detail = org_admin_client.get(f"/organisatie/groepen/{cohort.public_id}/deelnemers/{anne.public_id}")
    text = detail.get_data(as_text=True)
    assert "Workshopdag: 24 nov 2026 (3 uur)" in text and "Sessies bijgewoond: 1 van 1" in text
    export = org_admin_client.get(f"/organisatie/groepen/{cohort.public_id}/voortgang.csv")
    rows = list(csv.reader(io.StringIO(export.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-2:] == ["Live sessies bijgewoond", "Contacturen"]
    assert rows[1][0] == "Anne Aanwezig" and rows[1][-2:] == ["2026-11-24", "3"]
    assert rows[2][-2:] == ["", ""]


def test_list_pages_read_attendance_by_their_condition_as_by_their_pairs(app, trainer, organisation):
    """The matrix and team progress ask for the summaries of "the enrolments of this
    group" (no 500 parameters): the same summaries as asking per (user, course), and
    nothing from another course or another group."""
    from course.models import Enrolment

    course, cohort, session, (anne, bram) = marked_world(trainer, organisation)
    other_course = blended_course()
    make_licence(organisation, other_course)
    other_cohort = factories.make_cohort(organisation, other_course, trainers=[trainer])
    factories.make_enrolment(anne.user, other_course, cohort=other_cohort)
    elsewhere = make_session(other_course, cohort=other_cohort, trainers=[trainer], title="Elders")
    services.mark_attendance(elsewhere, {register(anne.user, elsewhere).public_id: services.Mark(Attendance.PRESENT)},
                             trainer)
    by_pairs = queries.summaries([(e.user_id, e.course_id) for e in (anne, bram)])
    by_condition = queries.summaries_of_enrolments(Enrolment.cohort_id == cohort.id)
    assert by_condition == by_pairs
    assert [s.title for s in by_condition[(anne.user_id, course.id)].sessions] == ["Workshopdag"]
    assert by_condition[(anne.user_id, other_course.id)] is queries.NO_SESSIONS  # another group: not read
    assert [s.attendance for s in by_condition[(bram.user_id, course.id)].sessions] == [Attendance.ABSENT]


def test_the_registerplein_lists_give_dates_contact_hours_points_and_number(app, login_as, trainer, organisation):
    course, cohort, session, (anne, _bram) = marked_world(trainer, organisation)
    modules_done(anne)
    from course.learn import completion

    completion.check_course_completed(anne)
    db.session.commit()
    client = login_as(trainer)
    per_session = client.get(f"/sessies/{session.public_id}/presentielijst.csv")
    rows = list(csv.reader(io.StringIO(per_session.data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Naam", "Registratienummer", "Aanwezigheid", "Sessiedata", "Contacturen", "Accreditatiepunten",
         "Accreditatienummer"],
        ["Anne Aanwezig", "123456789", "Aanwezig", "2026-11-24", "3", "8", "RP-2026-04173"],
        ["Bram Afwezig", "", "Afwezig", "", "", "", ""],
    ]
    per_cohort = client.get(f"/groepen/{cohort.public_id}/presentielijst.csv")
    rows = list(csv.reader(io.StringIO(per_cohort.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "Anne Aanwezig" and rows[1][4:] == ["2026-11-24", "3", "8", "RP-2026-04173"]
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "export.downloaded", AuditEvent.object_id == session.public_id)) == 1


def test_the_certificate_shows_study_hours_and_contact_hours_apart(app, trainer, organisation):
    from course.badges import certificate

    _course, _cohort, _session, (anne, _bram) = marked_world(trainer, organisation)
    modules_done(anne)
    from course.learn import completion

    completion.check_course_completed(anne)
    db.session.commit()
    item = db.session.scalar(sa.select(Certificate).where(Certificate.enrolment_id == anne.id))
    with app.test_request_context():
        text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(certificate.render(item))).pages)
    assert "Studiebelasting" in text and "4 uur" in text
    assert "Bijgewoonde contacturen" in text and "3 uur" in text


def test_the_sign_in_sheet_lists_everyone_with_a_signature_box_per_day(app, login_as, trainer):
    course = factories.make_course(accreditation_id="RP-2026-04173")
    session = make_session(course, trainers=[trainer], hours=(3, 3), title="Twee ochtenden")
    for name in ("Şükrü Yılmaz", "Łucja Nowak", "Nguyễn Văn An"):
        register(factories.make_user(name=name, registration_number="987654321"), session)
    response = login_as(trainer).get(f"/sessies/{session.public_id}/tekenlijst.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    for expected in ("Tekenlijst", "Twee ochtenden", "Şükrü Yılmaz", "Łucja Nowak", "987654321", "RP-2026-04173",
                     "Contacturen", "6"):
        assert expected in text, expected
    assert "no-store" in response.headers["Cache-Control"]


def test_the_matrix_and_team_progress_keep_a_fixed_number_of_queries(app, login_as, trainer, organisation,
                                                                     org_admin_client):
    from tests.querycount import count_queries

    course, cohort, session, _enrolments = marked_world(trainer, organisation)
    client = login_as(trainer)
    paths = [(client, f"/voortgang/groep/{cohort.public_id}"), (org_admin_client,
                                                                 f"/organisatie/groepen/{cohort.public_id}")]
    small = []
    for who, path in paths:
        who.get(path)
        with count_queries() as counter:
            assert who.get(path).status_code == 200
        small.append(counter.count)
    for i in range(6):
        user = factories.make_user(name=f"Extra {i}")
        factories.make_enrolment(user, course, cohort=cohort)
        services.mark_attendance(session, {register(user, session).public_id: services.Mark(Attendance.PRESENT)},
                                 trainer)
    for (who, path), before in zip(paths, small, strict=True):
        with count_queries() as counter:
            assert who.get(path).status_code == 200
        assert counter.count == before, path
