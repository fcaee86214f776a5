"""Seats are never exceeded: the conditional UPDATE, the CHECK behind it, freeing a
seat, and real concurrent requests on PostgreSQL."""
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from course.errors import SeatLimitReached
from course.extensions import db
from course.models import Enrolment, EventKind, Invitation, InviteLink, ProgressEvent, SeatLicence, utcnow
from course.org.cohorts import AlreadyEnrolled, enrol_into_cohort
from course.org.seats import take_seat
from course.org.tokens import invitation_token, invite_link_token
from tests import factories
from tests.factories_org import enrol_with_seat, make_invitation, make_link, make_team


def seats_used(licence) -> int:
    return db.session.scalar(sa.select(SeatLicence.seats_used).where(SeatLicence.id == licence.id))


def test_take_seat_counts_up_to_the_licence_and_then_refuses(app, organisation):
    _course, licence, _cohort = make_team(organisation, seats=2)
    take_seat(licence.id)
    take_seat(licence.id)
    with pytest.raises(SeatLimitReached):
        take_seat(licence.id)
    db.session.commit()
    assert seats_used(licence) == 2


def test_an_ended_licence_gives_no_seat(app, organisation):
    from datetime import timedelta

    _course, licence, _cohort = make_team(organisation, seats=5)
    licence.ends_on = utcnow().date() - timedelta(days=1)
    db.session.commit()
    with pytest.raises(SeatLimitReached):
        take_seat(licence.id)


def test_the_database_refuses_overbooking_even_without_the_service(app, organisation):
    _course, licence, _cohort = make_team(organisation, seats=1)
    with pytest.raises(IntegrityError):
        db.session.execute(sa.update(SeatLicence).where(SeatLicence.id == licence.id).values(seats_used=2))
        db.session.flush()
    db.session.rollback()


def test_removing_a_learner_who_has_not_started_frees_the_seat(org_admin_client, organisation):
    _course, licence, cohort = make_team(organisation, seats=1)
    enrolment = enrol_with_seat(factories.make_user(name="Nog Niet Begonnen"), cohort, licence)
    response = org_admin_client.post(
        f"/organisatie/groepen/{cohort.public_id}/deelnemers/{enrolment.public_id}/verwijderen")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 0
    assert seats_used(licence) == 0
    # the freed seat can be used again
    newcomer = factories.make_user()
    enrol_into_cohort(newcomer, cohort)
    db.session.commit()
    assert seats_used(licence) == 1


def test_removing_a_learner_leaves_no_history_behind_for_a_later_enrolment(org_admin_client, organisation):
    """SQLite does not enforce ON DELETE CASCADE here: the service deletes the
    enrolment's events itself, so a reused id never inherits them."""
    _course, licence, cohort = make_team(organisation, seats=2)
    leaver = enrol_into_cohort(factories.make_user(name="Vertrekt"), cohort)
    db.session.commit()
    removed_id = leaver.id
    org_admin_client.post(f"/organisatie/groepen/{cohort.public_id}/deelnemers/{leaver.public_id}/verwijderen")
    assert db.session.scalar(sa.select(sa.func.count(ProgressEvent.id))
                             .where(ProgressEvent.enrolment_id == removed_id)) == 0
    newcomer = enrol_into_cohort(factories.make_user(name="Nieuw"), cohort)
    db.session.commit()
    events = db.session.scalars(sa.select(ProgressEvent).where(ProgressEvent.enrolment_id == newcomer.id)).all()
    assert [e.kind for e in events] == [EventKind.ENROLLED]


def test_a_learner_who_started_cannot_be_removed_and_keeps_the_seat(org_admin_client, organisation):
    _course, licence, cohort = make_team(organisation, seats=1)
    enrolment = enrol_with_seat(factories.make_user(), cohort, licence, started_at=utcnow())
    response = org_admin_client.post(
        f"/organisatie/groepen/{cohort.public_id}/deelnemers/{enrolment.public_id}/verwijderen",
        follow_redirects=True)
    assert "al begonnen" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 1
    assert seats_used(licence) == 1


def test_moving_between_cohorts_of_the_same_organisation_keeps_one_seat(app, organisation):
    course, licence, first = make_team(organisation, seats=1)
    second = factories.make_cohort(organisation, course)
    user = factories.make_user()
    enrol_into_cohort(user, first)
    db.session.commit()
    enrol_into_cohort(user, second)
    db.session.commit()
    assert seats_used(licence) == 1
    assert db.session.scalar(sa.select(Enrolment.cohort_id).where(Enrolment.user_id == user.id)) == second.id


def test_a_learner_of_another_organisations_licence_is_not_taken_over(app, organisation, other_organisation):
    course, licence, cohort = make_team(organisation, seats=2)
    from tests.factories_org import make_licence

    other_licence = make_licence(other_organisation, course, seats=2)
    other_cohort = factories.make_cohort(other_organisation, course)
    user = factories.make_user()
    enrol_into_cohort(user, other_cohort)
    db.session.commit()
    with pytest.raises(AlreadyEnrolled):
        enrol_into_cohort(user, cohort)
    db.session.rollback()
    assert (seats_used(licence), seats_used(other_licence)) == (0, 1)


# ---- real concurrent requests on PostgreSQL ------------------------------------

def _run_at_once(calls):
    """Start every call at the same moment; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_many_invitations_accepted_at_the_same_moment_never_exceed_the_seats(login_as, organisation):
    _course, licence, cohort = make_team(organisation, seats=3)
    users = [factories.make_user(email=f"gelijk{i}@welzijn.nl") for i in range(10)]
    paths = ["/uitnodiging/" + invitation_token(make_invitation(organisation, u.email, cohort=cohort))
             for u in users]
    clients = [login_as(u) for u in users]
    responses = _run_at_once([lambda c=c, p=p: c.post(p) for c, p in zip(clients, paths, strict=True)])
    codes = sorted(r.status_code for r in responses)
    assert codes == [302] * 3 + [400] * 7
    assert seats_used(licence) == 3
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 3
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id)).where(Invitation.accepted_at.is_not(None))) == 3
    refused = [r for r in responses if r.status_code == 400]
    assert all("plaatsen" in r.get_data(as_text=True) for r in refused)


def test_an_invite_link_is_never_used_beyond_its_cap_under_concurrency(login_as, organisation):
    _course, licence, cohort = make_team(organisation, seats=20)
    link = make_link(cohort, seat_cap=2)
    path = "/uitnodiging/link/" + invite_link_token(link)
    clients = [login_as(factories.make_user()) for _ in range(8)]
    responses = _run_at_once([lambda c=c: c.post(path) for c in clients])
    assert sorted(r.status_code for r in responses) == [302] * 2 + [400] * 6
    assert db.session.scalar(sa.select(InviteLink.uses).where(InviteLink.id == link.id)) == 2
    assert seats_used(licence) == 2


def test_the_same_invitation_clicked_twice_at_once_enrols_once(login_as, organisation, learner):
    _course, licence, cohort = make_team(organisation, seats=5)
    path = "/uitnodiging/" + invitation_token(make_invitation(organisation, learner.email, cohort=cohort))
    clients = [login_as(learner) for _ in range(4)]
    responses = _run_at_once([lambda c=c: c.post(path) for c in clients])
    assert sorted(r.status_code for r in responses) == [302] + [400] * 3
    assert seats_used(licence) == 1
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 1
