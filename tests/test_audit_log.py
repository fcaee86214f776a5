"""The audit log records who did what, when and to whom, inside the action's own
transaction; it is append-only and holds no names, addresses or texts."""
import pytest
import sqlalchemy as sa

from course.audit.services import record_event
from course.extensions import db
from course.models import AuditAction, AuditEvent, Membership, MembershipRole, Role, SeatLicence, utcnow
from course.models.audit import AppendOnly
from course.org.tokens import invitation_token
from tests import factories
from tests.factories_badges import award_module_badge
from tests.factories_org import make_invitation, make_licence
from tests.factories_review import form_data, make_submission


def events(action=None) -> list[AuditEvent]:
    query = sa.select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


@pytest.fixture
def team(app, organisation, trainer, learner):
    course = factories.make_course(open_enrolment=False)
    make_licence(organisation, course, seats=10)
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    enrolment = factories.make_enrolment(learner, course, cohort=cohort)
    return course, cohort, enrolment


# ---- the API -------------------------------------------------------------------


def test_record_event_joins_the_callers_transaction_and_never_commits(app, platform_admin, learner):
    record_event(AuditAction.TRAINER_APPOINTED, actor=platform_admin, subject=learner)
    db.session.rollback()
    assert events() == []
    record_event(AuditAction.TRAINER_APPOINTED, actor=platform_admin, subject=learner)
    db.session.commit()
    [event] = events()
    assert (event.actor_id, event.actor_role, event.subject_id) == (platform_admin.id, "platform_admin", learner.id)


def test_an_event_without_actor_is_the_system(app, learner):
    record_event(AuditAction.ACCOUNT_ERASED, actor=None, subject=learner)
    db.session.commit()
    assert events()[0].actor_role == "system"


@pytest.mark.parametrize("details", [
    {"feedback": "Een lange tekst die een leerling of trainer schreef en die in het logboek niets te zoeken heeft."},
    {"email": "iemand@example.org"},
    {"nested": {"text": "x"}},
    {f"k{i}": i for i in range(11)},
])
def test_details_refuse_texts_addresses_and_nested_data(app, platform_admin, details):
    with pytest.raises(ValueError):
        record_event(AuditAction.SEATS_CHANGED, actor=platform_admin, details=details)


def test_an_unknown_action_is_refused(app, platform_admin):
    with pytest.raises(ValueError):
        record_event("made.up", actor=platform_admin)


def test_events_cannot_be_changed_or_deleted(app, platform_admin, learner, is_postgres):
    record_event(AuditAction.TRAINER_APPOINTED, actor=platform_admin, subject=learner)
    db.session.commit()
    event = events()[0]
    event.action = AuditAction.ACCOUNT_ERASED
    with pytest.raises(AppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(event)
    with pytest.raises(AppendOnly):
        db.session.commit()
    db.session.rollback()
    for statement in (sa.update(AuditEvent).values(actor_role="x"), sa.delete(AuditEvent)):
        with pytest.raises(AppendOnly):
            db.session.execute(statement)
        db.session.rollback()
    if is_postgres:  # the database itself refuses too, whoever connects
        for sql in ("DELETE FROM audit_event", "UPDATE audit_event SET action = 'x'"):
            with pytest.raises(sa.exc.DBAPIError, match="append-only"), db.engine.begin() as conn:
                conn.execute(sa.text(sql))
        # ON DELETE SET NULL is the one change the trigger lets through.
        with db.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM membership WHERE user_id = :id"), {"id": learner.id})
            conn.execute(sa.text('DELETE FROM "user" WHERE id = :id'), {"id": learner.id})
        db.session.expire_all()
        assert events()[0].subject_id is None
    assert [e.action for e in events()] == [AuditAction.TRAINER_APPOINTED]


# ---- wired into the services ------------------------------------------------------------


@pytest.mark.parametrize("decision, action", [("approved", AuditAction.SUBMISSION_APPROVED),
                                              ("revision_requested", AuditAction.REVISION_REQUESTED)])
def test_a_trainer_decision_is_logged_without_the_feedback_or_the_text(app, trainer_client, trainer, learner,
                                                                       organisation, team, decision, action):
    course, cohort, enrolment = team
    submission = make_submission(enrolment, course.modules[0], fields={"plan": "GEHEIM-ANTWOORD"})
    response = trainer_client.post(f"/beoordelen/{submission.public_id}",
                                   data=form_data(submission, decision=decision, feedback="GEHEIME-FEEDBACK"))
    assert response.status_code == 302
    [event] = events(action)
    assert (event.actor_id, event.actor_role, event.subject_id) == (trainer.id, "trainer", learner.id)
    assert (event.organisation_id, event.course_id) == (organisation.id, course.id)
    assert (event.object_type, event.object_id) == ("submission", submission.public_id)
    assert "GEHEIM" not in repr(event.details)


def test_seat_changes_by_the_platform_admin_are_logged_with_old_and_new_numbers(app, admin_client, platform_admin,
                                                                                organisation):
    course = factories.make_course()
    for seats in ("12", "20"):
        assert admin_client.post(f"/beheer/organisaties/{organisation.public_id}/plaatsen",
                                 data={"course": course.slug, "seats": seats}).status_code == 302
    logged = events(AuditAction.SEATS_CHANGED)
    assert [(e.details["previous"], e.details["seats"]) for e in logged] == [(0, 12), (12, 20)]
    licence = db.session.scalar(sa.select(SeatLicence))
    assert {(e.actor_id, e.organisation_id, e.course_id, e.object_id) for e in logged} == {
        (platform_admin.id, organisation.id, course.id, str(licence.id))}


def test_appointing_and_removing_an_organisation_admin_and_a_trainer_are_logged(app, admin_client, platform_admin,
                                                                                organisation, learner):
    base = f"/beheer/organisaties/{organisation.public_id}/beheerders"
    admin_client.post(base, data={"email": learner.email})
    admin_client.post(f"{base}/{learner.public_id}/verwijderen")
    admin_client.post(base, data={"email": "nog-geen-account@example.org"})
    admin_client.post("/beheer/trainers", data={"email": learner.email})
    assert [(e.action, e.subject_id) for e in events()] == [
        (AuditAction.ORG_ADMIN_APPOINTED, learner.id), (AuditAction.ORG_ADMIN_REMOVED, learner.id),
        (AuditAction.ORG_ADMIN_INVITED, None), (AuditAction.TRAINER_APPOINTED, learner.id)]
    assert {e.actor_id for e in events()} == {platform_admin.id}
    assert learner.role == Role.TRAINER


def test_an_admin_invitation_accepted_and_one_withdrawn_are_logged(app, login_as, admin_client, organisation,
                                                                   learner):
    accepted = make_invitation(organisation, learner.email, as_org_admin=True)
    assert login_as(learner).post("/uitnodiging/" + invitation_token(accepted)).status_code == 302
    withdrawn = make_invitation(organisation, "later@example.org", as_org_admin=True)
    admin_client.post(f"/beheer/organisaties/{organisation.public_id}/uitnodigingen/{withdrawn.public_id}/intrekken")
    assert [(e.action, e.subject_id, e.object_id) for e in events()] == [
        (AuditAction.ORG_ADMIN_INVITATION_ACCEPTED, learner.id, accepted.public_id),
        (AuditAction.ORG_ADMIN_INVITATION_WITHDRAWN, None, withdrawn.public_id)]
    assert db.session.scalar(sa.select(Membership.role).where(Membership.user_id == learner.id)) \
        == MembershipRole.ADMIN


def test_removing_a_learner_from_a_group_is_logged(app, org_admin_client, org_admin, learner, organisation, team):
    course, cohort, enrolment = team
    response = org_admin_client.post(f"/organisatie/groepen/{cohort.public_id}/deelnemers/"
                                     f"{enrolment.public_id}/verwijderen")
    assert response.status_code == 302
    [event] = events(AuditAction.LEARNER_REMOVED)
    assert (event.actor_id, event.actor_role, event.subject_id, event.organisation_id, event.course_id) == (
        org_admin.id, "org_admin", learner.id, organisation.id, course.id)


def test_revoking_a_badge_is_logged_without_the_free_text_reason(app, admin_client, platform_admin, learner, team):
    course, cohort, enrolment = team
    badge = award_module_badge(enrolment, course.modules[0])
    admin_client.post(f"/badges/{badge.public_id}/intrekken", data={"reason": "Fraude, gemeld door Jan Jansen"})
    [event] = events(AuditAction.BADGE_REVOKED)
    assert (event.actor_id, event.subject_id, event.object_id, event.course_id) == (
        platform_admin.id, learner.id, badge.public_id, course.id)
    assert "Jansen" not in repr(event.details)


def test_every_csv_export_of_personal_data_is_logged(app, login_as, trainer, org_admin, platform_admin, team):
    course, cohort, enrolment = team
    downloads = [
        (org_admin, f"/organisatie/groepen/{cohort.public_id}/voortgang.csv", "org_progress"),
        (trainer, f"/voortgang/groep/{cohort.public_id}/voortgang.csv", "trainer_progress"),
        (trainer, f"/voortgang/groep/{cohort.public_id}/beoordelingen.csv", "trainer_grades"),
        (platform_admin, f"/groepen/{cohort.public_id}/presentielijst.csv", "attendance"),
    ]
    for user, path, _export in downloads:
        assert login_as(user).get(path).status_code == 200, path
    logged = events(AuditAction.EXPORT_DOWNLOADED)
    assert [(e.actor_id, e.details["export"]) for e in logged] == [
        (user.id, export) for user, _path, export in downloads]
    assert logged[0].details["rows"] == 1  # the one learner in the group
    assert {(e.object_id, e.course_id) for e in logged} == {(cohort.public_id, course.id)}


def test_an_erasure_is_logged_by_id_and_the_log_keeps_nothing_that_names_the_person(app, login_as, learner,
                                                                                    admin_client, team):
    name, email = learner.name, learner.email
    record_event(AuditAction.TRAINER_APPOINTED, actor=learner, subject=learner)
    db.session.commit()
    client = login_as(learner)
    response = client.post("/mijn-account/verwijderen", data={"current_password": factories.PASSWORD})
    assert response.status_code == 302
    [event] = events(AuditAction.ACCOUNT_ERASED)
    assert (event.actor_id, event.subject_id, event.details) == (learner.id, learner.id, {})
    rows = db.session.execute(sa.select(AuditEvent.__table__)).all()
    assert rows and not any(name in repr(row) or email in repr(row) for row in rows)
    page = admin_client.get("/beheer/logboek").get_data(as_text=True)
    assert "Verwijderd account" in page and email not in page and name not in page


def test_an_erasure_from_the_command_line_is_logged_as_the_system(app, learner):
    result = app.test_cli_runner().invoke(args=["users", "erase", "--email", learner.email, "--yes"])
    assert result.exit_code == 0, result.output
    [event] = events(AuditAction.ACCOUNT_ERASED)
    assert (event.actor_id, event.actor_role, event.subject_id) == (None, "system", learner.id)


def test_events_keep_their_time_and_order(app, platform_admin, learner):
    before = utcnow()
    for action in (AuditAction.TRAINER_APPOINTED, AuditAction.ORG_ADMIN_APPOINTED):
        record_event(action, actor=platform_admin, subject=learner)
    db.session.commit()
    assert [e.action for e in events()] == [AuditAction.TRAINER_APPOINTED, AuditAction.ORG_ADMIN_APPOINTED]
    assert all(e.created_at >= before for e in events())


def test_course_staff_appointments_and_the_learner_data_export_are_recorded(app, login_as):
    """Actions of the staff and privacy areas land in the log, by id, with the actor."""
    from course.models import AuditEvent
    from course.staff import services as staff

    admin = factories.make_user(role="admin", email="beheer@example.test")
    trainer = factories.make_user(email="nieuw@example.test")
    course = factories.make_course(modules=1)
    db.session.commit()
    staff.add_course_trainer(course, "nieuw@example.test", actor=admin)
    staff.add_course_author(course, "nieuw@example.test", actor=admin)
    login_as(trainer).get("/mijn-account/mijn-gegevens.zip")
    rows = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(r.action, r.actor_id, r.subject_id) for r in rows] == [
        ("course.trainer_appointed", admin.id, trainer.id),
        ("course.author_appointed", admin.id, trainer.id),
        ("export.downloaded", trainer.id, trainer.id),
    ]
