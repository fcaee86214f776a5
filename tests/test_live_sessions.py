"""Live sessions (issue 13): capacity, waiting list order, promotion, deadline,
cancelling, editing, reminders, the policy truth table and the pages."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from course import permissions
from course.errors import ConflictError, InvalidTransition, NotAllowed
from course.extensions import db
from course.live import feeds, reminders, services
from course.live.services import PartData, SessionData
from course.mail.sender import build_message
from course.models import (
    AuditEvent,
    CalendarFeed,
    LiveSession,
    OutboxAttachment,
    OutboxMail,
    RegistrationStatus,
    SessionRegistration,
    SessionStatus,
    utcnow,
)
from course.permissions import LiveSessionFacts
from tests import factories
from tests.factories_sessions import make_live_session


@pytest.fixture
def course(app):
    return factories.make_course(slug="welzijn")


def _people(n, **kw):
    return [factories.make_user(name=f"Deelnemer {i}", **kw) for i in range(n)]


def _status(session, user):
    return db.session.scalar(sa.select(SessionRegistration.status).where(
        SessionRegistration.session_id == session.id, SessionRegistration.user_id == user.id))


def test_places_go_first_come_then_the_waiting_list_in_order(app, course, outbox):
    session = make_live_session(course, capacity=2)
    a, b, c, d = _people(4)
    for person in (a, b, c, d):
        services.sign_up(person, session)
    assert [_status(session, p) for p in (a, b, c, d)] == ["registered", "registered", "waiting", "waiting"]
    assert services.registered_count(session.id) == 2
    kinds = [(m.to_address, m.kind) for m in outbox()]
    assert kinds == [(a.email, "session_confirmed"), (b.email, "session_confirmed"),
                     (c.email, "session_waiting"), (d.email, "session_waiting")]


def test_a_freed_place_goes_to_the_first_waiting_with_a_mail_and_an_ics(app, course, outbox):
    session = make_live_session(course, capacity=1)
    a, b, c = _people(3)
    for person in (a, b, c):
        services.sign_up(person, session)
    promoted = services.cancel_registration(a, session)
    assert promoted.user_id == b.id
    assert [_status(session, p) for p in (a, b, c)] == ["cancelled", "registered", "waiting"]
    mail = outbox()[-1]
    assert (mail.to_address, mail.kind) == (b.email, "session_promoted")
    message = build_message(mail)
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar" and attachment.get_filename() == "sessie.ics"
    assert b"BEGIN:VEVENT" in attachment.get_payload(decode=True)
    # Leaving the waiting list promotes nobody; the next freed place goes to c.
    services.cancel_registration(b, session)
    assert _status(session, c) == "registered"


def test_signing_up_again_after_cancelling_queues_at_the_end(app, course):
    session = make_live_session(course, capacity=1)
    a, b, c = _people(3)
    for person in (a, b, c):
        services.sign_up(person, session)
    services.cancel_registration(c, session)  # leaves the waiting list
    services.sign_up(c, session)
    services.cancel_registration(a, session)
    assert _status(session, b) == "registered" and _status(session, c) == "waiting"


def test_signing_up_twice_changes_nothing(app, course, outbox):
    session = make_live_session(course, capacity=5)
    [a] = _people(1)
    services.sign_up(a, session)
    services.sign_up(a, session)
    assert services.registered_count(session.id) == 1 and len(outbox()) == 1


def test_deadline_closes_sign_up_and_cancelling_a_place_but_not_leaving_the_queue(app, course):
    session = make_live_session(course, capacity=1)
    a, b, c = _people(3)
    services.sign_up(a, session)
    services.sign_up(c, session)
    session.registration_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(InvalidTransition):
        services.sign_up(b, session)
    with pytest.raises(InvalidTransition):
        services.cancel_registration(a, session)
    assert _status(session, a) == "registered" and _status(session, b) is None
    services.cancel_registration(c, session)
    assert _status(session, c) == "cancelled"


def test_in_company_sessions_are_only_for_the_cohorts_members(app, course, organisation):
    cohort = factories.make_cohort(organisation, course)
    session = make_live_session(course, cohort=cohort)
    member, outsider = _people(2)
    factories.make_enrolment(member, course, cohort=cohort)
    factories.make_enrolment(outsider, course)
    with pytest.raises(NotAllowed):
        services.sign_up(outsider, session)
    assert services.sign_up(member, session).status == RegistrationStatus.REGISTERED


def test_a_larger_capacity_promotes_waiting_people_a_smaller_one_than_taken_is_refused(app, course, platform_admin):
    session = make_live_session(course, capacity=1)
    a, b, c = _people(3)
    for person in (a, b, c):
        services.sign_up(person, session)
    data = _data_of(session, capacity=2)
    services.update_session(platform_admin, session, data, session.version)
    assert _status(session, b) == "registered" and _status(session, c) == "waiting"
    with pytest.raises(InvalidTransition):
        services.update_session(platform_admin, session, _data_of(session, capacity=1), session.version)


def _data_of(session, **changes):
    values = dict(title=session.title, parts=tuple(PartData(p.starts_at, p.ends_at) for p in session.parts),
                  place=session.place, online_url=session.online_url, capacity=session.capacity,
                  registration_deadline=session.registration_deadline, note=session.note)
    values.update(changes)
    return SessionData(**values)


def test_an_edit_on_an_old_version_is_refused_and_a_change_raises_the_sequence(app, course, platform_admin, outbox):
    session = make_live_session(course, capacity=3)
    [a] = _people(1)
    services.sign_up(a, session)
    version, sequence = session.version, session.ics_sequence
    later = tuple(PartData(p.starts_at + timedelta(hours=1), p.ends_at + timedelta(hours=1)) for p in session.parts)
    services.update_session(platform_admin, session, _data_of(session, parts=later), version)
    assert session.ics_sequence == sequence + 1
    assert outbox()[-1].kind == "session_changed" and outbox()[-1].to_address == a.email
    with pytest.raises(ConflictError):
        services.update_session(platform_admin, session, _data_of(session, title="Oud"), version)
    assert db.session.get(LiveSession, session.id).title != "Oud"
    # A change nobody's calendar sees (capacity) keeps the sequence and mails nobody.
    mails = len(outbox())
    services.update_session(platform_admin, session, _data_of(session, capacity=9), session.version)
    assert session.ics_sequence == sequence + 1 and len(outbox()) == mails


def test_cancelling_a_session_mails_everyone_signed_up_or_waiting_and_is_audited(app, course, platform_admin, outbox):
    session = make_live_session(course, capacity=1)
    a, b = _people(2)
    services.sign_up(a, session)
    services.sign_up(b, session)
    sequence = session.ics_sequence
    assert services.cancel_session(platform_admin, session) == 2
    assert session.status == SessionStatus.CANCELLED and session.ics_sequence == sequence + 1
    cancelled = [m for m in outbox() if m.kind == "session_cancelled"]
    assert sorted(m.to_address for m in cancelled) == sorted([a.email, b.email])
    [ics] = build_message(next(m for m in cancelled if m.to_address == a.email)).iter_attachments()
    assert b"STATUS:CANCELLED" in ics.get_payload(decode=True)
    assert db.session.scalar(sa.select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "session.cancelled"
    with pytest.raises(InvalidTransition):
        services.sign_up(factories.make_user(), session)


def test_create_and_duplicate(app, course, platform_admin):
    start = (utcnow() + timedelta(days=20)).replace(microsecond=0)
    data = SessionData(title="Ochtend", parts=(PartData(start, start + timedelta(hours=3)),
                                               PartData(start + timedelta(days=1), start + timedelta(days=1, hours=3))),
                       place="Utrecht", online_url="", capacity=12, registration_deadline=start - timedelta(days=2),
                       note="", trainer_ids=(platform_admin.id,))
    session = services.create_session(platform_admin, course, data)
    assert len(session.parts) == 2 and [t.id for t in session.trainers] == [platform_admin.id]
    copy = services.duplicate_session(platform_admin, session)
    assert copy.public_id != session.public_id and copy.starts_at == session.starts_at + timedelta(days=7)
    assert len(copy.parts) == 2 and services.registered_count(copy.id) == 0
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["session.created", "session.created"]


def test_reminders_go_two_days_before_to_participants_and_the_org_admin_never_twice(app, course, organisation,
                                                                                  outbox):
    admin = factories.make_user(org=organisation, org_role="admin", name="Beheerder")
    cohort = factories.make_cohort(organisation, course)
    soon = make_live_session(course, cohort=cohort, starts_in=timedelta(hours=40),
                             deadline=utcnow() + timedelta(hours=30))
    later = make_live_session(course, starts_in=timedelta(days=5))
    member = factories.make_user(name="Teamlid Anna")
    factories.make_enrolment(member, course, cohort=cohort)
    services.sign_up(member, soon)
    services.sign_up(member, later)
    before = len(outbox())
    assert reminders.send_due_reminders() == 2
    new = outbox()[before:]
    assert sorted((m.to_address, m.kind) for m in new) == sorted(
        [(member.email, "session_reminder"), (admin.email, "session_reminder_org")])
    assert "Teamlid Anna" in next(m for m in new if m.kind == "session_reminder_org").body_text
    assert reminders.send_due_reminders() == 0, "never twice"
    assert reminders.send_due_reminders(now=utcnow() + timedelta(days=4)) == 1  # the later one, in its turn


def test_feed_tokens_are_stored_hashed_and_revocable(app, course):
    [a] = _people(1)
    token = feeds.new_feed(a)
    stored = db.session.scalars(sa.select(CalendarFeed.token_hash)).all()
    assert token not in stored and len(stored) == 1
    assert feeds.feed_owner(token).id == a.id
    second = feeds.new_feed(a)
    assert feeds.feed_owner(token) is None and feeds.feed_owner(second).id == a.id
    feeds.revoke_feeds(a)
    assert feeds.feed_owner(second) is None


def test_erasure_removes_registrations_and_feeds_and_promotes_the_next(app, course):
    from course.auth.services import erase_account

    session = make_live_session(course, capacity=1)
    a, b = _people(2)
    services.sign_up(a, session)
    services.sign_up(b, session)
    feeds.new_feed(a)
    a_mail = db.session.scalar(sa.select(OutboxMail.id).where(OutboxMail.recipient_id == a.id))
    assert db.session.scalar(sa.select(sa.func.count(OutboxAttachment.id)).where(OutboxAttachment.mail_id == a_mail))
    erase_account(a)
    db.session.expire_all()
    assert db.session.scalars(sa.select(SessionRegistration).where(SessionRegistration.user_id == a.id)).all() == []
    assert db.session.scalars(sa.select(CalendarFeed).where(CalendarFeed.user_id == a.id)).all() == []
    assert _status(session, b) == "registered"
    assert not db.session.scalar(sa.select(OutboxAttachment.id).where(OutboxAttachment.mail_id == a_mail))
    assert not db.session.scalars(sa.select(OutboxMail).where(OutboxMail.to_address == a.email)).all()


@pytest.mark.parametrize("facts, manages, sees, sees_people, joins", [
    (LiveSessionFacts(), False, True, False, False),                                   # visitor, public
    (LiveSessionFacts(logged_in=True), False, True, False, True),                      # learner, public
    (LiveSessionFacts(in_company=True), False, False, False, False),                   # visitor, in-company
    (LiveSessionFacts(in_company=True, logged_in=True), False, False, False, False),   # other cohort
    (LiveSessionFacts(in_company=True, logged_in=True, cohort_member=True), False, True, False, True),
    (LiveSessionFacts(in_company=True, logged_in=True, org_admin=True), False, True, True, False),
    (LiveSessionFacts(logged_in=True, org_admin=True), False, True, False, True),      # org admin, public
    (LiveSessionFacts(logged_in=True, course_trainer=True), True, True, True, True),
    (LiveSessionFacts(in_company=True, logged_in=True, cohort_trainer=True), True, True, True, False),
    (LiveSessionFacts(logged_in=True, cohort_trainer=True), False, True, False, True),  # public: not theirs
    (LiveSessionFacts(in_company=True, logged_in=True, platform_admin=True), True, True, True, False),
])
def test_live_session_policy_truth_table(facts, manages, sees, sees_people, joins):
    assert permissions.manages_live_session(facts) is manages
    assert permissions.sees_live_session(facts) is sees
    assert permissions.sees_live_session_participants(facts) is sees_people
    assert permissions.may_join_live_session(facts) is joins
