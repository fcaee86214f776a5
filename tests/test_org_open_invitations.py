"""The cohort page lists the invitations nobody accepted yet (open or expired) and the
cohort's invite links; each invitation can be mailed again with a fresh expiry date
(the same signed, single-use link) or withdrawn, which frees the seat it promised."""
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import Enrolment, Invitation, OutboxMail, SeatLicence, UploadBatch, utcnow
from course.org.seats import free_seats, held_seats
from course.org.tokens import invitation_token, invite_link_token
from tests import factories
from tests.factories_org import make_invitation, make_link, make_team
from tests.querycount import count_queries


def cohort_path(cohort, suffix=""):
    return f"/organisatie/groepen/{cohort.public_id}{suffix}"


def resend_path(invitation):
    return f"/organisatie/uitnodigingen/{invitation.public_id}/opnieuw-versturen"


def revoke_path(invitation):
    return f"/organisatie/uitnodigingen/{invitation.public_id}/intrekken"


def mailed_path(mail) -> str:
    return re.search(r"http://leerlijn\.test(/\S+)", mail.body_text).group(1)


def fresh(invitation) -> Invitation:
    db.session.expire_all()
    return db.session.get(Invitation, invitation.id)


@pytest.fixture
def team(app, organisation):
    return make_team(organisation, seats=3)


def test_after_confirming_an_upload_the_cohort_page_lists_the_open_invitations(org_admin_client, team):
    _course, _licence, cohort = team
    org_admin_client.post(cohort_path(cohort, "/bestand"), content_type="multipart/form-data", data={
        "file": (io.BytesIO(b"naam;email\nAnna Appel;anna@welzijn.nl\nBen Boom;ben@welzijn.nl\n"), "team.csv")})
    batch = db.session.scalar(sa.select(UploadBatch))
    response = org_admin_client.post(f"/organisatie/bestanden/{batch.public_id}/bevestigen", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert response.request.path == cohort_path(cohort)
    assert "Openstaande uitnodigingen" in text
    assert "2 uitnodigingen nog niet geaccepteerd" in text
    for email, name in (("anna@welzijn.nl", "Anna Appel"), ("ben@welzijn.nl", "Ben Boom")):
        assert f'<th scope="row" class="cell-long">{email}</th>' in text and name in text
        # every button says which address it acts on, for screen readers too
        assert f'Opnieuw versturen<span class="visually-hidden">: {email}</span>' in text
        assert f'Intrekken<span class="visually-hidden">: {email}</span>' in text
    assert "Geen deelnemers die aan deze filters voldoen" not in text
    assert "Er heeft zich nog niemand bij deze groep aangesloten" in text


def test_a_single_invitation_is_listed_with_its_dates_and_status(org_admin_client, team):
    _course, _licence, cohort = team
    org_admin_client.post(cohort_path(cohort, "/uitnodigen"), data={"name": "Sanne", "email": "sanne@welzijn.nl"})
    text = org_admin_client.get(cohort_path(cohort)).get_data(as_text=True)
    section = text[text.index('id="uitnodigingen"'):]
    for header in ("E-mailadres", "Naam", "Uitgenodigd op", "Verloopt op", "Status"):
        assert f'<th scope="col">{header}</th>' in section
    assert "sanne@welzijn.nl" in section and "Sanne" in section and ">Open<" in section


def test_expired_invitations_are_listed_as_expired_and_accepted_or_withdrawn_ones_not_at_all(
        org_admin_client, team, organisation):
    _course, _licence, cohort = team
    make_invitation(organisation, "verlopen@welzijn.nl", cohort=cohort, days=-1)
    make_invitation(organisation, "geaccepteerd@welzijn.nl", cohort=cohort, accepted_at=utcnow())
    make_invitation(organisation, "ingetrokken@welzijn.nl", cohort=cohort, revoked_at=utcnow())
    text = org_admin_client.get(cohort_path(cohort)).get_data(as_text=True)
    section = text[text.index('id="uitnodigingen"'):]
    assert "verlopen@welzijn.nl" in section and ">Verlopen<" in section and ">Open<" not in section
    assert "geaccepteerd@welzijn.nl" not in text and "ingetrokken@welzijn.nl" not in text


def test_the_cohort_page_shows_the_invite_links(org_admin_client, team):
    _course, _licence, cohort = team
    assert "Deze groep heeft geen uitnodigingslinks" in org_admin_client.get(cohort_path(cohort)).get_data(
        as_text=True)
    link = make_link(cohort, seat_cap=4)
    text = org_admin_client.get(cohort_path(cohort)).get_data(as_text=True)
    assert "/uitnodiging/link/" + invite_link_token(link) in text
    assert f"/organisatie/links/{link.public_id}/intrekken" in text


def test_revoking_a_link_from_the_cohort_page_returns_there(org_admin_client, team):
    _course, _licence, cohort = team
    link = make_link(cohort)
    response = org_admin_client.post(f"/organisatie/links/{link.public_id}/intrekken",
                                     data={"next": cohort_path(cohort) + "#links"})
    assert response.headers["Location"].endswith(cohort_path(cohort) + "#links")


# ---- resend ----------------------------------------------------------------------


def test_resending_mails_the_same_single_use_link_again_with_a_fresh_expiry(
        app, org_admin_client, login_as, team, organisation, outbox):
    _course, licence, cohort = team
    invitation = make_invitation(organisation, "later@welzijn.nl", cohort=cohort, name="Later", days=-2)
    response = org_admin_client.post(resend_path(invitation))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(cohort_path(cohort) + "#uitnodigingen")
    assert fresh(invitation).expires_at > utcnow() + timedelta(days=13)
    mail = outbox()[-1]
    assert (mail.kind, mail.to_address) == ("org_invitation", "later@welzijn.nl")
    path = mailed_path(mail)
    assert path == "/uitnodiging/" + invitation_token(invitation)
    flashed = org_admin_client.get(cohort_path(cohort)).get_data(as_text=True)
    assert "De uitnodiging aan later@welzijn.nl is opnieuw verstuurd" in flashed
    # the link works again, once
    user = factories.make_user(email="later@welzijn.nl")
    client = login_as(user)
    assert client.post(path).status_code == 302
    assert db.session.scalar(sa.select(Enrolment.cohort_id).where(Enrolment.user_id == user.id)) == cohort.id
    again = client.post(path)
    assert again.status_code == 400 and "al gebruikt" in again.get_data(as_text=True)
    assert db.session.get(SeatLicence, licence.id).seats_used == 1


def test_resending_an_open_invitation_keeps_the_one_seat_it_promised(org_admin_client, organisation, outbox):
    _course, _licence, cohort = make_team(organisation, seats=1)
    invitation = make_invitation(organisation, "open@welzijn.nl", cohort=cohort, days=1)
    assert org_admin_client.post(resend_path(invitation)).status_code == 302
    assert len(outbox()) == 1
    assert free_seats(cohort) == 0
    assert held_seats(organisation.id, cohort.course_id) == 1


def test_resending_an_expired_invitation_needs_a_free_seat(org_admin_client, organisation, outbox):
    _course, _licence, cohort = make_team(organisation, seats=1)
    make_invitation(organisation, "heeft-de-plaats@welzijn.nl", cohort=cohort)
    expired = make_invitation(organisation, "verlopen@welzijn.nl", cohort=cohort, days=-1)
    before = expired.expires_at
    response = org_admin_client.post(resend_path(expired), follow_redirects=True)
    assert "Er is geen plaats vrij" in response.get_data(as_text=True)
    assert fresh(expired).expires_at == before
    assert outbox() == []


@pytest.mark.parametrize("fields, dutch", [
    ({"accepted_at": utcnow()}, "heeft deze uitnodiging al geaccepteerd"),
    ({"revoked_at": utcnow()}, "is ingetrokken. Stuur in plaats daarvan een nieuwe uitnodiging"),
])
def test_an_accepted_or_withdrawn_invitation_is_not_resent(org_admin_client, team, organisation, outbox, fields,
                                                           dutch):
    _course, _licence, cohort = team
    invitation = make_invitation(organisation, "klaar@welzijn.nl", cohort=cohort, **fields)
    response = org_admin_client.post(resend_path(invitation), follow_redirects=True)
    assert dutch in response.get_data(as_text=True)
    assert outbox() == []


def test_an_invitation_for_someone_who_joined_meanwhile_is_not_resent(org_admin_client, login_as, team,
                                                                      organisation, outbox):
    _course, _licence, cohort = team
    user = factories.make_user(email="via-link@welzijn.nl")
    invitation = make_invitation(organisation, user.email, cohort=cohort, days=-1)
    login_as(user).post("/uitnodiging/link/" + invite_link_token(make_link(cohort)))
    response = org_admin_client.post(resend_path(invitation), follow_redirects=True)
    assert "is al ingeschreven voor deze cursus" in response.get_data(as_text=True)
    assert outbox() == []


def test_an_expired_invitation_is_not_resent_next_to_a_newer_open_one(org_admin_client, team, organisation, outbox):
    _course, _licence, cohort = team
    old = make_invitation(organisation, "twee-keer@welzijn.nl", cohort=cohort, days=-1)
    make_invitation(organisation, "twee-keer@welzijn.nl", cohort=cohort)
    response = org_admin_client.post(resend_path(old), follow_redirects=True)
    assert "heeft al een nieuwere openstaande uitnodiging" in response.get_data(as_text=True)
    assert outbox() == []


# ---- withdraw ----------------------------------------------------------------------


def test_withdrawing_from_the_cohort_page_frees_the_promised_seat(org_admin_client, organisation):
    _course, _licence, cohort = make_team(organisation, seats=1)
    invitation = make_invitation(organisation, "weg@welzijn.nl", cohort=cohort)
    assert free_seats(cohort) == 0
    response = org_admin_client.post(revoke_path(invitation), data={"next": cohort_path(cohort) + "#uitnodigingen"})
    assert response.headers["Location"].endswith(cohort_path(cohort) + "#uitnodigingen")
    assert fresh(invitation).revoked_at is not None
    assert free_seats(cohort) == 1
    text = org_admin_client.get(cohort_path(cohort)).get_data(as_text=True)
    assert "De uitnodiging aan weg@welzijn.nl is ingetrokken" in text
    assert 'visually-hidden">: weg@welzijn.nl' not in text


def test_an_accepted_invitation_cannot_be_withdrawn(org_admin_client, team, organisation):
    _course, _licence, cohort = team
    invitation = make_invitation(organisation, "binnen@welzijn.nl", cohort=cohort, accepted_at=utcnow())
    response = org_admin_client.post(revoke_path(invitation), follow_redirects=True)
    assert "heeft deze uitnodiging al geaccepteerd" in response.get_data(as_text=True)
    assert fresh(invitation).revoked_at is None


def test_a_foreign_next_address_is_ignored(org_admin_client, team, organisation):
    _course, _licence, cohort = team
    invitation = make_invitation(organisation, "x@welzijn.nl", cohort=cohort)
    for path in (resend_path(invitation), revoke_path(invitation)):
        response = org_admin_client.post(path, data={"next": "https://elders.example/"})
        assert response.headers["Location"].endswith(cohort_path(cohort) + "#uitnodigingen")


# ---- who may ---------------------------------------------------------------------


def test_another_organisations_admin_gets_404_and_changes_nothing(login_as, other_org_admin, team, organisation,
                                                                 outbox):
    _course, _licence, cohort = team
    invitation = make_invitation(organisation, "van-ons@welzijn.nl", cohort=cohort)
    outsider = login_as(other_org_admin)
    assert outsider.post(resend_path(invitation)).status_code == 404
    assert outsider.post(revoke_path(invitation)).status_code == 404
    assert fresh(invitation).revoked_at is None and outbox() == []


def test_an_organisation_admin_invitation_is_not_reachable_through_the_cohort_routes(org_admin_client,
                                                                                   organisation):
    invitation = make_invitation(organisation, "baas@welzijn.nl", as_org_admin=True)
    assert org_admin_client.post(resend_path(invitation)).status_code == 404
    assert org_admin_client.post(revoke_path(invitation)).status_code == 404


def test_resend_and_withdraw_need_the_csrf_token(make_app, org_admin, organisation):
    _course, _licence, cohort = make_team(organisation, seats=3)
    invitation = make_invitation(organisation, "csrf@welzijn.nl", cohort=cohort, days=-1)
    # A fresh app, not the shared cached CSRF app: building that one re-initialises the global
    # rate limiter, and which app did so last decides whether later tests are rate-limited.
    csrf_app = make_app(WTF_CSRF_ENABLED=True, _fresh=True)
    client = csrf_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = org_admin.get_id()
    for path in (resend_path(invitation), revoke_path(invitation)):
        assert client.post(path).status_code == 400
    invitation = fresh(invitation)
    assert invitation.revoked_at is None and invitation.expires_at < utcnow()
    assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 0


# ---- queries ---------------------------------------------------------------------


def test_the_cohort_page_uses_the_same_number_of_queries_for_2_or_10_invitations(org_admin_client, organisation):
    _course, _licence, cohort = make_team(organisation, seats=50)

    def fill(start, n):
        for i in range(start, start + n):
            make_invitation(organisation, f"persoon{i}@welzijn.nl", cohort=cohort, days=-1 if i % 3 == 0 else 14)
            make_link(cohort, seat_cap=i + 1)

    fill(0, 2)
    org_admin_client.get(cohort_path(cohort))
    with count_queries() as small:
        assert org_admin_client.get(cohort_path(cohort)).status_code == 200
    fill(2, 8)
    with count_queries() as large:
        text = org_admin_client.get(cohort_path(cohort)).get_data(as_text=True)
    assert "persoon9@welzijn.nl" in text and "10 uitnodigingen nog niet geaccepteerd" in text
    assert small.count == large.count, large.statements


# ---- real concurrent requests on PostgreSQL ------------------------------------


def test_withdrawing_and_accepting_at_the_same_moment_has_one_winner(is_postgres, login_as, org_admin_client,
                                                                    organisation, learner):
    from tests.test_org_seats import _run_at_once

    _course, licence, cohort = make_team(organisation, seats=1)
    invitation = make_invitation(organisation, learner.email, cohort=cohort)
    accept_path = "/uitnodiging/" + invitation_token(invitation)
    learner_client = login_as(learner)
    _run_at_once([lambda: learner_client.post(accept_path), lambda: org_admin_client.post(revoke_path(invitation))])
    invitation = fresh(invitation)
    enrolments = db.session.scalar(sa.select(sa.func.count(Enrolment.id)))
    seats = db.session.get(SeatLicence, licence.id).seats_used
    if invitation.accepted_at is not None:
        assert (invitation.revoked_at, enrolments, seats) == (None, 1, 1)
    else:
        assert invitation.revoked_at is not None and (enrolments, seats) == (0, 0)
