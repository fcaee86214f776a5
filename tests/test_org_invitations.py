"""Single invitations and invite links: signed, single-use, clear Dutch messages
for every way they cannot be used; acceptance creates or attaches an account."""
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import (
    Enrolment,
    EventKind,
    Invitation,
    InviteLink,
    Membership,
    MembershipRole,
    ModuleProgress,
    ProgressEvent,
    User,
    utcnow,
)
from course.org.tokens import invitation_token, invite_link_token
from tests import factories
from tests.factories_org import complete_module, make_invitation, make_link, make_team

PASSWORD = "een lange zin als wachtwoord"


def mailed_path(mail) -> str:
    return re.search(r"http://leerlijn\.test(/\S+)", mail.body_text).group(1)


@pytest.fixture
def team(app, organisation, trainer):
    course, licence, cohort = make_team(organisation, seats=3, trainers=[trainer])
    return course, licence, cohort


def test_single_invitation_is_mailed_through_the_outbox_with_a_signed_link(org_admin_client, team, outbox):
    _course, _licence, cohort = team
    response = org_admin_client.post(f"/organisatie/groepen/{cohort.public_id}/uitnodigen",
                                     data={"name": "Sanne", "email": "Sanne@Welzijn.nl"})
    assert response.status_code == 302
    mail = outbox()[-1]
    assert (mail.kind, mail.to_address) == ("org_invitation", "sanne@welzijn.nl")
    assert mailed_path(mail).startswith("/uitnodiging/")
    assert "Stichting Test" in mail.body_text


def test_a_new_person_creates_an_account_through_the_mailed_link_and_is_enrolled_with_a_seat(
        app, org_admin_client, team, outbox):
    _course, licence, cohort = team
    org_admin_client.post(f"/organisatie/groepen/{cohort.public_id}/uitnodigen",
                          data={"name": "Sanne", "email": "sanne@welzijn.nl"})
    path = mailed_path(outbox()[-1])
    visitor = app.test_client()
    page = visitor.get(path)
    assert page.status_code == 200 and b"sanne@welzijn.nl" in page.data
    response = visitor.post(path, data={"name": "Sanne Smit", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/mijn-leren")
    user = db.session.scalar(sa.select(User).where(User.email == "sanne@welzijn.nl"))
    enrolment = db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == user.id))
    assert (enrolment.cohort_id, enrolment.seat_licence_id) == (cohort.id, licence.id)
    assert db.session.get(type(licence), licence.id).seats_used == 1
    assert db.session.scalar(sa.select(ProgressEvent.kind).where(ProgressEvent.enrolment_id == enrolment.id)) \
        == EventKind.ENROLLED
    assert db.session.scalar(sa.select(Membership.role).where(Membership.user_id == user.id)) == MembershipRole.MEMBER
    # logged in right away
    assert visitor.get("/mijn-account").status_code == 200


def test_an_existing_account_is_asked_to_log_in_and_then_accepts(app, login_as, team, organisation):
    _course, licence, cohort = team
    user = factories.make_user(email="bestaand@welzijn.nl")
    invitation = make_invitation(organisation, "bestaand@welzijn.nl", cohort=cohort)
    path = "/uitnodiging/" + invitation_token(invitation)
    page = app.test_client().get(path)
    assert page.status_code == 200
    assert "/inloggen?next=" in page.get_data(as_text=True)
    client = login_as(user)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    assert db.session.scalar(sa.select(Enrolment.cohort_id).where(Enrolment.user_id == user.id)) == cohort.id


def test_a_self_enrolment_is_attached_to_the_cohort_not_duplicated(app, login_as, team, organisation):
    course, licence, cohort = team
    user = factories.make_user(email="zelf@welzijn.nl")
    own = factories.make_enrolment(user, course)
    invitation = make_invitation(organisation, user.email, cohort=cohort)
    login_as(user).post("/uitnodiging/" + invitation_token(invitation))
    enrolments = db.session.scalars(sa.select(Enrolment).where(Enrolment.user_id == user.id)).all()
    assert [e.id for e in enrolments] == [own.id]
    assert (enrolments[0].cohort_id, enrolments[0].seat_licence_id) == (cohort.id, licence.id)


@pytest.mark.parametrize("state, message", [
    ("expired", "verlopen"),
    ("revoked", "ingetrokken"),
    ("used", "al gebruikt"),
])
def test_an_unusable_invitation_gets_a_clear_dutch_message(app, team, organisation, state, message):
    _course, _licence, cohort = team
    fields = {"expired": {"days": -1}, "revoked": {"revoked_at": utcnow()}, "used": {"accepted_at": utcnow()}}[state]
    invitation = make_invitation(organisation, "x@welzijn.nl", cohort=cohort, **fields)
    response = app.test_client().get("/uitnodiging/" + invitation_token(invitation))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_a_tampered_token_is_refused_in_dutch(app):
    response = app.test_client().get("/uitnodiging/eyJpIjoiZmFrZSJ9.tampered")
    assert response.status_code == 400
    assert "niet geldig" in response.get_data(as_text=True)


def test_a_token_for_another_address_is_refused_for_the_logged_in_user(login_as, learner, team, organisation):
    _course, _licence, cohort = team
    invitation = make_invitation(organisation, "iemand-anders@welzijn.nl", cohort=cohort)
    client = login_as(learner)
    path = "/uitnodiging/" + invitation_token(invitation)
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 403
        assert "ander e-mailadres" in response.get_data(as_text=True)
    assert db.session.get(Invitation, invitation.id).accepted_at is None


def test_accepting_twice_is_refused_the_second_time(login_as, learner, team, organisation):
    _course, licence, cohort = team
    invitation = make_invitation(organisation, learner.email, cohort=cohort)
    client = login_as(learner)
    path = "/uitnodiging/" + invitation_token(invitation)
    assert client.post(path).status_code == 302
    again = client.post(path)
    assert again.status_code == 400 and "al gebruikt" in again.get_data(as_text=True)
    assert db.session.get(type(licence), licence.id).seats_used == 1


def test_an_invitation_when_all_seats_are_taken_says_so_and_enrols_nobody(login_as, learner, team, organisation):
    _course, licence, cohort = team
    licence.seats_used = licence.seats
    db.session.commit()
    invitation = make_invitation(organisation, learner.email, cohort=cohort)
    response = login_as(learner).post("/uitnodiging/" + invitation_token(invitation))
    assert response.status_code == 400
    assert "plaatsen" in response.get_data(as_text=True)
    assert db.session.get(Invitation, invitation.id).accepted_at is None
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 0


def test_an_expired_licence_takes_no_seat(login_as, learner, team, organisation):
    _course, licence, cohort = team
    licence.ends_on = utcnow().date() - timedelta(days=1)
    db.session.commit()
    invitation = make_invitation(organisation, learner.email, cohort=cohort)
    assert login_as(learner).post("/uitnodiging/" + invitation_token(invitation)).status_code == 400


def test_an_org_admin_invitation_makes_the_new_account_organisation_admin(app, organisation, outbox):
    invitation = make_invitation(organisation, "nieuwe-baas@welzijn.nl", as_org_admin=True)
    client = app.test_client()
    response = client.post("/uitnodiging/" + invitation_token(invitation),
                           data={"name": "Nieuwe Baas", "password": PASSWORD, "confirm": PASSWORD})
    assert response.headers["Location"].endswith("/organisatie")
    user = db.session.scalar(sa.select(User).where(User.email == "nieuwe-baas@welzijn.nl"))
    assert db.session.scalar(sa.select(Membership.role).where(Membership.user_id == user.id)) == MembershipRole.ADMIN
    assert client.get("/organisatie").status_code == 200


def test_the_new_account_form_gives_dutch_errors(app, team, organisation):
    _course, _licence, cohort = team
    invitation = make_invitation(organisation, "kort@welzijn.nl", cohort=cohort)
    response = app.test_client().post("/uitnodiging/" + invitation_token(invitation),
                                      data={"name": "", "password": "kort", "confirm": "anders"})
    text = response.get_data(as_text=True)
    assert "Vul dit veld in." in text and "Gebruik minstens 10 tekens." in text
    assert db.session.scalar(sa.select(User).where(User.email == "kort@welzijn.nl")) is None


def test_inviting_someone_already_enrolled_or_invited_gives_a_form_error(org_admin_client, team, organisation, learner):
    course, licence, cohort = team
    factories.make_enrolment(learner, course, cohort=cohort, seat_licence_id=licence.id)
    response = org_admin_client.post(f"/organisatie/groepen/{cohort.public_id}/uitnodigen",
                                     data={"email": learner.email})
    assert response.status_code == 400 and "Al ingeschreven" in response.get_data(as_text=True)
    make_invitation(organisation, "open@welzijn.nl", cohort=cohort)
    response = org_admin_client.post(f"/organisatie/groepen/{cohort.public_id}/uitnodigen",
                                     data={"email": "open@welzijn.nl"})
    assert response.status_code == 400 and "Al uitgenodigd" in response.get_data(as_text=True)


def test_a_single_invitation_without_a_free_seat_says_what_to_do(org_admin_client, organisation, outbox):
    _course, licence, cohort = make_team(organisation, seats=1)
    make_invitation(organisation, "open@welzijn.nl", cohort=cohort)  # promises the only seat
    response = org_admin_client.post(f"/organisatie/groepen/{cohort.public_id}/uitnodigen",
                                     data={"email": "nog-een@welzijn.nl"})
    assert response.status_code == 400
    assert "Er is geen plaats vrij" in response.get_data(as_text=True)
    assert outbox() == []


def test_an_invalid_address_gets_a_dutch_form_error(org_admin_client, team):
    _course, _licence, cohort = team
    response = org_admin_client.post(f"/organisatie/groepen/{cohort.public_id}/uitnodigen",
                                     data={"email": "geen-adres"})
    assert response.status_code == 400
    assert "geldig e-mailadres" in response.get_data(as_text=True)


def test_revoking_an_invitation_makes_its_link_useless(app, org_admin_client, team, organisation):
    _course, _licence, cohort = team
    invitation = make_invitation(organisation, "weg@welzijn.nl", cohort=cohort)
    assert org_admin_client.post(f"/organisatie/uitnodigingen/{invitation.public_id}/intrekken").status_code == 302
    response = app.test_client().get("/uitnodiging/" + invitation_token(invitation))
    assert "ingetrokken" in response.get_data(as_text=True)


# ---- invite links ------------------------------------------------------------


def link_path(link):
    return "/uitnodiging/link/" + invite_link_token(link)


def test_org_admin_creates_a_link_with_cap_and_end_date_and_it_is_shown(org_admin_client, team):
    _course, _licence, cohort = team
    until = (utcnow() + timedelta(days=10)).date().isoformat()
    response = org_admin_client.post(f"/organisatie/groepen/{cohort.public_id}/links",
                                     data={"seat_cap": 4, "expires_on": until})
    assert response.status_code == 302
    link = db.session.scalar(sa.select(InviteLink))
    assert (link.seat_cap, link.expires_at.date().isoformat()) == (4, until)
    page = org_admin_client.get(f"/organisatie/groepen/{cohort.public_id}/inschrijven")
    assert link_path(link) in page.get_data(as_text=True)


def test_a_link_valid_until_a_date_ends_at_midnight_in_the_netherlands_and_shows_that_date(org_admin_client, team):
    _course, _licence, cohort = team
    org_admin_client.post(f"/organisatie/groepen/{cohort.public_id}/links",
                          data={"seat_cap": 4, "expires_on": "2030-01-01"})
    link = db.session.scalar(sa.select(InviteLink))
    assert link.expires_at == datetime(2030, 1, 1, 22, 59, 59)  # 23:59:59 in Amsterdam (CET), stored as UTC
    page = org_admin_client.get(f"/organisatie/groepen/{cohort.public_id}/inschrijven").get_data(as_text=True)
    assert "1 jan 2030" in page
    assert "2 jan 2030" not in page


def test_a_link_end_date_in_the_past_is_refused(org_admin_client, team):
    _course, _licence, cohort = team
    response = org_admin_client.post(f"/organisatie/groepen/{cohort.public_id}/links",
                                     data={"seat_cap": 4, "expires_on": "2001-01-01"})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(InviteLink.id))) == 0


def test_joining_through_a_link_with_a_new_account(app, team):
    _course, licence, cohort = team
    link = make_link(cohort, seat_cap=2)
    response = app.test_client().post(link_path(link), data={
        "name": "Link Gebruiker", "email": "link@welzijn.nl", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    assert db.session.get(InviteLink, link.id).uses == 1
    assert db.session.get(type(licence), licence.id).seats_used == 1


def test_joining_through_a_link_when_logged_in(login_as, learner, team):
    _course, _licence, cohort = team
    link = make_link(cohort)
    client = login_as(learner)
    assert client.get(link_path(link)).status_code == 200
    assert client.post(link_path(link)).status_code == 302
    assert db.session.scalar(sa.select(Enrolment.cohort_id).where(Enrolment.user_id == learner.id)) == cohort.id
    again = client.post(link_path(link))
    assert again.status_code == 400 and "al in deze groep" in again.get_data(as_text=True)
    assert db.session.get(InviteLink, link.id).uses == 1


@pytest.mark.parametrize("fields, message", [
    ({"seat_cap": 1, "uses": 1}, "maximale aantal aanmeldingen"),
    ({"days": -1}, "verlopen"),
    ({"revoked_at": utcnow()}, "ingetrokken"),
])
def test_an_unusable_link_gets_a_clear_dutch_message(login_as, learner, team, fields, message):
    _course, _licence, cohort = team
    link = make_link(cohort, **fields)
    for response in (login_as(learner).get(link_path(link)), login_as(learner).post(link_path(link))):
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)


def test_revoking_a_link_through_the_page(app, org_admin_client, team):
    _course, _licence, cohort = team
    link = make_link(cohort)
    assert org_admin_client.post(f"/organisatie/links/{link.public_id}/intrekken").status_code == 302
    assert db.session.get(InviteLink, link.id).revoked_at is not None


def test_an_invitation_token_is_not_a_link_token(app, team, organisation):
    _course, _licence, cohort = team
    invitation = make_invitation(organisation, "x@welzijn.nl", cohort=cohort)
    response = app.test_client().get("/uitnodiging/link/" + invitation_token(invitation))
    assert response.status_code == 400


def test_a_self_enrolled_learner_can_be_invited_singly_and_keeps_their_progress(
        login_as, org_admin_client, team, outbox):
    course, licence, cohort = team
    user = factories.make_user(email="zelf@welzijn.nl")
    own = factories.make_enrolment(user, course, started_at=utcnow() - timedelta(days=3))
    complete_module(own, course.modules[0])
    response = org_admin_client.post(f"/organisatie/groepen/{cohort.public_id}/uitnodigen",
                                     data={"email": "zelf@welzijn.nl"})
    assert response.status_code == 302
    path = mailed_path(outbox()[-1])
    assert login_as(user).post(path).status_code == 302
    db.session.expire_all()
    enrolments = db.session.scalars(sa.select(Enrolment).where(Enrolment.user_id == user.id)).all()
    assert [(e.id, e.cohort_id, e.seat_licence_id) for e in enrolments] == [(own.id, cohort.id, licence.id)]
    assert enrolments[0].started_at is not None
    assert db.session.scalar(sa.select(sa.func.count(ModuleProgress.id))
                             .where(ModuleProgress.enrolment_id == own.id)) == 1
    assert db.session.get(type(licence), licence.id).seats_used == 1


def test_a_learner_in_another_group_of_the_organisation_is_not_invited(org_admin_client, team, organisation):
    course, licence, cohort = team
    other = factories.make_cohort(organisation, course, name="Andere groep")
    user = factories.make_user(email="al-in-groep@welzijn.nl")
    factories.make_enrolment(user, course, cohort=other, seat_licence_id=licence.id)
    response = org_admin_client.post(f"/organisatie/groepen/{cohort.public_id}/uitnodigen",
                                     data={"email": user.email})
    assert response.status_code == 400 and "Al ingeschreven" in response.get_data(as_text=True)


def test_an_invite_link_attaches_a_self_enrolment_like_an_invitation_does(login_as, team):
    course, licence, cohort = team
    user = factories.make_user(email="zelf-link@welzijn.nl")
    own = factories.make_enrolment(user, course, started_at=utcnow())
    assert login_as(user).post(link_path(make_link(cohort))).status_code == 302
    db.session.expire_all()
    enrolments = db.session.scalars(sa.select(Enrolment).where(Enrolment.user_id == user.id)).all()
    assert [(e.id, e.cohort_id, e.seat_licence_id) for e in enrolments] == [(own.id, cohort.id, licence.id)]
    assert db.session.get(type(licence), licence.id).seats_used == 1
