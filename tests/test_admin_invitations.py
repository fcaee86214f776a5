"""The platform admin withdraws or resends a pending organisation-admin invitation
(from converting an in-company request or appointing an unknown address) on the
organisation's page: a fresh expiry with the same signed, single-use link, or a
withdrawn link that no longer works."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import InCompanyRequest, Invitation, Membership, MembershipRole, OutboxMail, User, utcnow
from course.org.tokens import invitation_token
from tests import factories
from tests.factories_org import make_invitation, make_team
from tests.querycount import count_queries

PASSWORD = "een lange zin als wachtwoord"


def page(organisation):
    return f"/beheer/organisaties/{organisation.public_id}"


def action(organisation, invitation, verb):
    return f"{page(organisation)}/uitnodigingen/{invitation.public_id}/{verb}"


def fresh(invitation) -> Invitation:
    db.session.expire_all()
    return db.session.get(Invitation, invitation.id)


@pytest.fixture
def pending(app, organisation):
    return make_invitation(organisation, "nieuwe-baas@welzijn.nl", as_org_admin=True, name="Nieuwe Baas")


def test_the_organisation_page_lists_pending_admin_invitations_with_both_actions(admin_client, organisation,
                                                                                 pending):
    expired = make_invitation(organisation, "verlopen-baas@welzijn.nl", as_org_admin=True, days=-1)
    make_invitation(organisation, "al-baas@welzijn.nl", as_org_admin=True, accepted_at=utcnow())
    make_invitation(organisation, "ingetrokken-baas@welzijn.nl", as_org_admin=True, revoked_at=utcnow())
    text = admin_client.get(page(organisation)).get_data(as_text=True)
    assert "Uitgenodigd als organisatiebeheerder, nog niet geaccepteerd" in text
    for invitation in (pending, expired):
        assert f'<th scope="row" class="cell-long">{invitation.email}</th>' in text
        assert action(organisation, invitation, "opnieuw-versturen") in text
        assert action(organisation, invitation, "intrekken") in text
        assert f'Opnieuw versturen<span class="visually-hidden">: {invitation.email}</span>' in text
        assert f'Intrekken<span class="visually-hidden">: {invitation.email}</span>' in text
    assert ">Verlopen<" in text and ">Open<" in text and "Nieuwe Baas" in text
    assert "al-baas@welzijn.nl" not in text and "ingetrokken-baas@welzijn.nl" not in text


def test_a_converted_request_invitation_can_be_resent_with_the_same_link_and_a_fresh_expiry(
        app, admin_client, outbox):
    course = factories.make_course(title="Welzijn 2.0")
    request = InCompanyRequest(course_id=course.id, organisation_name="Stichting Buurtkracht",
                               contact_name="Fenna", email="fenna@buurtkracht.nl", team_size=4)
    db.session.add(request)
    db.session.commit()
    admin_client.post(f"/beheer/aanvragen/{request.public_id}", data={"seats": "4", "organisation_name": ""})
    invitation = db.session.scalar(sa.select(Invitation))
    organisation = invitation.organisation
    invitation.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    first = outbox()[-1]
    response = admin_client.post(action(organisation, invitation, "opnieuw-versturen"))
    assert response.headers["Location"].endswith(page(organisation) + "#beheerders")
    assert fresh(invitation).expires_at > utcnow() + timedelta(days=13)
    again = outbox()[-1]
    assert again.id != first.id
    assert (again.kind, again.to_address) == ("org_admin_invitation", "fenna@buurtkracht.nl")
    token = invitation_token(invitation)
    assert f"/uitnodiging/{token}" in again.body_text
    assert "opnieuw verstuurd" in admin_client.get(page(organisation)).get_data(as_text=True)
    # the link makes the new account organisation admin, once
    path = re.search(r"http://leerlijn\.test(/\S+)", again.body_text).group(1)
    visitor = app.test_client()
    assert visitor.post(path, data={"name": "Fenna", "password": PASSWORD, "confirm": PASSWORD}).status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "fenna@buurtkracht.nl"))
    assert db.session.scalar(sa.select(Membership.role).where(Membership.user_id == user.id)) == MembershipRole.ADMIN
    assert "al gebruikt" in visitor.post(path).get_data(as_text=True)


def test_withdrawing_makes_the_link_useless(app, admin_client, organisation, pending):
    response = admin_client.post(action(organisation, pending, "intrekken"), follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "De uitnodiging aan nieuwe-baas@welzijn.nl is ingetrokken" in text
    assert action(organisation, pending, "intrekken") not in text
    assert fresh(pending).revoked_at is not None
    link = app.test_client().get("/uitnodiging/" + invitation_token(pending))
    assert link.status_code == 400 and "ingetrokken" in link.get_data(as_text=True)


def test_a_withdrawn_or_accepted_invitation_is_not_resent(admin_client, organisation, outbox):
    withdrawn = make_invitation(organisation, "weg@welzijn.nl", as_org_admin=True, revoked_at=utcnow())
    accepted = make_invitation(organisation, "binnen@welzijn.nl", as_org_admin=True, accepted_at=utcnow())
    for invitation, dutch in ((withdrawn, "is ingetrokken"), (accepted, "al geaccepteerd")):
        response = admin_client.post(action(organisation, invitation, "opnieuw-versturen"), follow_redirects=True)
        assert dutch in response.get_data(as_text=True)
    assert "al geaccepteerd" in admin_client.post(action(organisation, accepted, "intrekken"),
                                                  follow_redirects=True).get_data(as_text=True)
    assert fresh(accepted).revoked_at is None
    assert outbox() == []


def test_another_organisations_or_a_cohort_invitation_is_404(admin_client, organisation, other_organisation,
                                                             pending):
    _course, _licence, cohort = make_team(organisation)
    learner_invitation = make_invitation(organisation, "leerling@welzijn.nl", cohort=cohort)
    for verb in ("opnieuw-versturen", "intrekken"):
        assert admin_client.post(action(other_organisation, pending, verb)).status_code == 404
        assert admin_client.post(action(organisation, learner_invitation, verb)).status_code == 404
        assert admin_client.post(f"{page(organisation)}/uitnodigingen/onbekend/{verb}").status_code == 404
    assert fresh(pending).revoked_at is None and fresh(learner_invitation).revoked_at is None


def test_only_platform_admins_may(login_as, org_admin, organisation, pending, outbox):
    client = login_as(org_admin)
    for verb in ("opnieuw-versturen", "intrekken"):
        assert client.post(action(organisation, pending, verb)).status_code == 403
    assert fresh(pending).revoked_at is None and outbox() == []


def test_both_actions_need_the_csrf_token(make_app, platform_admin, organisation, pending):
    # A fresh app, not the shared cached CSRF app: building that one re-initialises the global
    # rate limiter, and which app did so last decides whether later tests are rate-limited.
    csrf_app = make_app(WTF_CSRF_ENABLED=True, _fresh=True)
    client = csrf_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = platform_admin.get_id()
    for verb in ("opnieuw-versturen", "intrekken"):
        assert client.post(action(organisation, pending, verb)).status_code == 400
    assert fresh(pending).revoked_at is None
    assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 0


def test_the_organisation_page_uses_a_fixed_number_of_queries(admin_client, organisation):
    for i in range(2):
        make_invitation(organisation, f"baas{i}@welzijn.nl", as_org_admin=True)
    admin_client.get(page(organisation))
    with count_queries() as small:
        admin_client.get(page(organisation))
    for i in range(2, 10):
        make_invitation(organisation, f"baas{i}@welzijn.nl", as_org_admin=True, days=-1 if i % 2 else 14)
    with count_queries() as large:
        text = admin_client.get(page(organisation)).get_data(as_text=True)
    assert "baas9@welzijn.nl" in text
    assert small.count == large.count, large.statements
