"""Held seats: an open personal invitation holds its seat until it expires or is
withdrawn; invite links use only free seats; accepting a personal invitation always
finds its seat. Also with real threads, on SQLite and on PostgreSQL."""
import threading
from datetime import timedelta

import sqlalchemy as sa

from course.errors import SeatLimitReached
from course.extensions import db
from course.models import Enrolment, Invitation, InviteLink, SeatLicence, utcnow
from course.org.cohorts import enrol_into_cohort
from course.org.seats import free_seats, held_seats
from course.org.tokens import invitation_token, invite_link_token
from tests import factories
from tests.factories_org import make_invitation, make_link, make_team


def seats_used(licence) -> int:
    return db.session.scalar(sa.select(SeatLicence.seats_used).where(SeatLicence.id == licence.id))


def link_path(link) -> str:
    return "/uitnodiging/link/" + invite_link_token(link)


def invitation_path(invitation) -> str:
    return "/uitnodiging/" + invitation_token(invitation)


def open_invitations(cohort, count, prefix="persoonlijk"):
    """`count` invited accounts, each with an open invitation: [(user, invitation)]."""
    invited = []
    for i in range(count):
        user = factories.make_user(email=f"{prefix}{i}@welzijn.nl", name=f"Persoonlijk {i}")
        invited.append((user, make_invitation(cohort.organisation, user.email, cohort=cohort)))
    return invited


def test_link_sign_ups_leave_the_seats_of_open_invitations_alone(login_as, organisation):
    """The reported case: 2 free seats and open invitations; 5 people use the link."""
    _course, licence, cohort = make_team(organisation, seats=4)
    invited = open_invitations(cohort, 2)
    assert free_seats(cohort) == 2
    path = link_path(make_link(cohort, seat_cap=10))
    codes = [login_as(factories.make_user(email=f"link{i}@welzijn.nl")).post(path).status_code for i in range(5)]
    assert codes == [302, 302, 400, 400, 400]
    assert seats_used(licence) == 2
    for user, invitation in invited:
        response = login_as(user).post(invitation_path(invitation))
        assert response.status_code == 302, response.get_data(as_text=True)
    assert seats_used(licence) == 4
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 4


def test_the_refused_link_user_reads_why(login_as, organisation):
    _course, _licence, cohort = make_team(organisation, seats=1)
    open_invitations(cohort, 1)
    response = login_as(factories.make_user()).post(link_path(make_link(cohort)))
    assert response.status_code == 400
    assert "plaatsen" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(InviteLink.uses)) == 0  # the link's place is not used up


def test_an_expired_invitation_holds_no_seat(login_as, organisation):
    _course, licence, cohort = make_team(organisation, seats=1)
    make_invitation(organisation, "verlopen@welzijn.nl", cohort=cohort, days=-1)
    assert free_seats(cohort) == 1
    assert login_as(factories.make_user()).post(link_path(make_link(cohort))).status_code == 302
    assert seats_used(licence) == 1


def test_a_withdrawn_invitation_gives_its_seat_back_to_the_link(login_as, org_admin_client, organisation):
    _course, licence, cohort = make_team(organisation, seats=1)
    (_user, invitation), = open_invitations(cohort, 1)
    path = link_path(make_link(cohort))
    newcomer = login_as(factories.make_user())
    assert newcomer.post(path).status_code == 400
    org_admin_client.post(f"/organisatie/uitnodigingen/{invitation.public_id}/intrekken")
    assert newcomer.post(path).status_code == 302
    assert seats_used(licence) == 1


def test_a_direct_enrolment_cannot_take_a_held_seat_either(app, organisation):
    _course, licence, cohort = make_team(organisation, seats=1)
    open_invitations(cohort, 1)
    try:
        enrol_into_cohort(factories.make_user(), cohort)
    except SeatLimitReached:
        db.session.rollback()
    else:
        raise AssertionError("a held seat was given away")
    assert seats_used(licence) == 0


def test_an_invitation_sent_again_after_expiry_needs_a_free_seat(org_admin_client, login_as, organisation):
    _course, licence, cohort = make_team(organisation, seats=1)
    expired = make_invitation(organisation, "later@welzijn.nl", cohort=cohort, days=-1)
    assert login_as(factories.make_user()).post(link_path(make_link(cohort))).status_code == 302
    response = org_admin_client.post(f"/organisatie/uitnodigingen/{expired.public_id}/opnieuw-versturen",
                                     follow_redirects=True)
    assert "Er is geen plaats vrij" in response.get_data(as_text=True)
    assert db.session.get(Invitation, expired.id).expires_at < utcnow()


# ---- real threads: the same tests on SQLite and on PostgreSQL ------------------


def _run_at_once(calls):
    """Start every call at the same moment; return their results (or errors) in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001  surfaced by the caller's assertions
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_link_sign_ups_never_take_held_seats(login_as, organisation):
    """5 seats, 2 held: 8 link sign-ups and both acceptances at the same moment.
    Exactly 3 link users get in and both invited people find their seat."""
    _course, licence, cohort = make_team(organisation, seats=5)
    invited = open_invitations(cohort, 2)
    path = link_path(make_link(cohort, seat_cap=20))
    link_clients = [login_as(factories.make_user(email=f"tegelijk{i}@welzijn.nl")) for i in range(8)]
    invited_calls = [lambda c=login_as(u), p=invitation_path(inv): c.post(p) for u, inv in invited]
    link_calls = [lambda c=c: c.post(path) for c in link_clients]
    responses = _run_at_once(link_calls + invited_calls)  # the link users start first
    assert [getattr(r, "status_code", r) for r in responses[8:]] == [302, 302]
    assert sorted(getattr(r, "status_code", r) for r in responses[:8]) == [302] * 3 + [400] * 5
    assert seats_used(licence) == 5
    assert db.session.scalar(sa.select(InviteLink.uses)) == 3
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 5


def test_concurrent_invitations_and_link_sign_ups_never_promise_more_than_the_seats(
        login_as, org_admin, organisation):
    """3 seats: 3 single invitations and 3 link sign-ups at the same moment. Whatever
    wins, used + held never exceeds 3, and every invitation that was sent can be accepted."""
    _course, licence, cohort = make_team(organisation, seats=3)
    path = link_path(make_link(cohort, seat_cap=20))
    invite_url = f"/organisatie/groepen/{cohort.public_id}/uitnodigen"
    admins = [login_as(org_admin) for _ in range(3)]
    invite_calls = [lambda c=c, i=i: c.post(invite_url, data={"name": f"Nieuw {i}", "email": f"nieuw{i}@welzijn.nl"})
                    for i, c in enumerate(admins)]
    link_calls = [lambda c=login_as(factories.make_user(email=f"link{i}@welzijn.nl")): c.post(path)
                  for i in range(3)]
    responses = _run_at_once(invite_calls + link_calls)
    assert all(getattr(r, "status_code", None) in (302, 400) for r in responses), responses
    held = held_seats(organisation.id, cohort.course_id)
    assert seats_used(licence) + held == 3
    assert seats_used(licence) == sum(r.status_code == 302 for r in responses[3:])
    assert held == sum(r.status_code == 302 for r in responses[:3])
    for invitation in db.session.scalars(sa.select(Invitation)).all():
        user = factories.make_user(email=invitation.email)
        assert login_as(user).post(invitation_path(invitation)).status_code == 302
    assert seats_used(licence) == 3


def test_an_invitation_accepted_at_the_last_moment_keeps_its_seat_against_expiry_races(login_as, organisation):
    """An invitation that expires is no longer held: after expiry a link may take the seat,
    and the late acceptance is refused as expired (not as 'no seats')."""
    _course, licence, cohort = make_team(organisation, seats=1)
    (user, invitation), = open_invitations(cohort, 1)
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert login_as(factories.make_user()).post(link_path(make_link(cohort))).status_code == 302
    response = login_as(user).post(invitation_path(invitation))
    assert response.status_code == 400 and "verlopen" in response.get_data(as_text=True)
    assert seats_used(licence) == 1
