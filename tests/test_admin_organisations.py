"""Platform admin: requests → organisation in one action, organisations with seat
usage, seats per course, organisation admins and trainers."""
import re
from datetime import date

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import (
    InCompanyRequest,
    Invitation,
    Membership,
    MembershipRole,
    Organisation,
    RequestStatus,
    Role,
    SeatLicence,
    User,
)
from tests import factories
from tests.factories_org import enrol_with_seat, make_invitation, make_team
from tests.querycount import count_queries

PASSWORD = "een lange zin als wachtwoord"


@pytest.fixture
def in_company(app):
    course = factories.make_course(title="Welzijn 2.0")
    request = InCompanyRequest(course_id=course.id, organisation_name="Stichting Buurtkracht",
                               contact_name="Fenna Fokkema", email="fenna@buurtkracht.nl", team_size=12,
                               wishes="Voorjaar")
    db.session.add(request)
    db.session.commit()
    return request


def test_admin_lists_requests_and_opens_one(admin_client, in_company):
    assert "Stichting Buurtkracht" in admin_client.get("/beheer/aanvragen").get_data(as_text=True)
    assert "Stichting Buurtkracht" in admin_client.get("/beheer/aanvragen?status=new").get_data(as_text=True)
    assert "Stichting Buurtkracht" not in admin_client.get("/beheer/aanvragen?status=declined").get_data(as_text=True)
    page = admin_client.get(f"/beheer/aanvragen/{in_company.public_id}")
    assert page.status_code == 200 and 'value="12"' in page.get_data(as_text=True)


def test_one_action_turns_a_request_into_an_organisation_with_seats_and_an_admin_invitation(
        app, admin_client, in_company, outbox):
    response = admin_client.post(f"/beheer/aanvragen/{in_company.public_id}",
                                 data={"seats": "15", "ends_on": "2027-12-31"})
    assert response.status_code == 302
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Stichting Buurtkracht"))
    licence = db.session.scalar(sa.select(SeatLicence).where(SeatLicence.organisation_id == organisation.id))
    assert (licence.seats, licence.ends_on, licence.course_id) == (15, date(2027, 12, 31), in_company.course_id)
    db.session.expire_all()
    request = db.session.get(InCompanyRequest, in_company.id)
    assert (request.status, request.organisation_id) == (RequestStatus.CONVERTED, organisation.id)
    mail = outbox()[-1]
    assert (mail.kind, mail.to_address) == ("org_admin_invitation", "fenna@buurtkracht.nl")
    # the contact accepts and manages the organisation
    path = re.search(r"http://leerlijn\.test(/\S+)", mail.body_text).group(1)
    contact = app.test_client()
    contact.post(path, data={"name": "Fenna Fokkema", "password": PASSWORD, "confirm": PASSWORD})
    assert "Stichting Buurtkracht" in contact.get("/organisatie").get_data(as_text=True)


def test_a_request_is_converted_only_once(admin_client, in_company):
    admin_client.post(f"/beheer/aanvragen/{in_company.public_id}", data={"seats": "5"})
    again = admin_client.post(f"/beheer/aanvragen/{in_company.public_id}", data={"seats": "5"}, follow_redirects=True)
    assert "al afgehandeld" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 1


def test_converting_into_an_existing_organisation_name_is_refused(admin_client, in_company):
    factories.make_organisation(name="Stichting Buurtkracht")
    response = admin_client.post(f"/beheer/aanvragen/{in_company.public_id}", data={"seats": "5"})
    assert "Er bestaat al een organisatie met deze naam." in response.get_data(as_text=True)
    assert db.session.get(InCompanyRequest, in_company.id).status == RequestStatus.NEW


def test_a_request_whose_name_is_taken_is_converted_under_another_name(admin_client, in_company):
    factories.make_organisation(name="Stichting Buurtkracht")
    page = admin_client.get(f"/beheer/aanvragen/{in_company.public_id}").get_data(as_text=True)
    assert 'value="Stichting Buurtkracht"' in page
    response = admin_client.post(f"/beheer/aanvragen/{in_company.public_id}",
                                 data={"seats": "5", "organisation_name": "Stichting Buurtkracht Zwolle"})
    assert response.status_code == 302
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Stichting Buurtkracht Zwolle"))
    assert db.session.get(InCompanyRequest, in_company.id).organisation_id == organisation.id
    handled = admin_client.get(f"/beheer/aanvragen/{in_company.public_id}").get_data(as_text=True)
    assert f'/beheer/organisaties/{organisation.public_id}"' in handled


def test_declining_a_request(admin_client, in_company):
    admin_client.post(f"/beheer/aanvragen/{in_company.public_id}/afwijzen")
    assert db.session.get(InCompanyRequest, in_company.id).status == RequestStatus.DECLINED


def test_admin_creates_an_organisation_and_sets_seats(admin_client):
    course = factories.make_course(title="Welzijn 2.0")
    response = admin_client.post("/beheer/organisaties/nieuw", data={
        "name": "Wijkteam West", "contact_name": "Wim", "contact_email": "wim@west.nl"})
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Wijkteam West"))
    assert response.headers["Location"].endswith(f"/beheer/organisaties/{organisation.public_id}")
    admin_client.post(f"/beheer/organisaties/{organisation.public_id}/plaatsen",
                      data={"course": course.slug, "seats": "8"})
    admin_client.post(f"/beheer/organisaties/{organisation.public_id}/plaatsen",
                      data={"course": course.slug, "seats": "10", "ends_on": "2027-06-30"})
    licences = db.session.scalars(sa.select(SeatLicence).where(SeatLicence.organisation_id == organisation.id)).all()
    assert [(lic.seats, lic.ends_on) for lic in licences] == [(10, date(2027, 6, 30))]


def test_seats_cannot_go_below_those_in_use(admin_client, organisation):
    _course, licence, cohort = make_team(organisation, seats=3)
    for _ in range(2):
        enrol_with_seat(factories.make_user(), cohort, licence)
    response = admin_client.post(f"/beheer/organisaties/{organisation.public_id}/plaatsen",
                                 data={"course": licence.course.slug, "seats": "1"})
    assert response.status_code == 400
    assert "2 plaatsen in gebruik" in response.get_data(as_text=True)
    assert db.session.get(SeatLicence, licence.id).seats == 3


def test_seats_cannot_go_below_those_in_use_and_held_by_open_invitations(admin_client, organisation):
    _course, licence, cohort = make_team(organisation, seats=5)
    enrol_with_seat(factories.make_user(), cohort, licence)
    for i in range(2):
        make_invitation(organisation, f"beloofd{i}@welzijn.nl", cohort=cohort)
    response = admin_client.post(f"/beheer/organisaties/{organisation.public_id}/plaatsen",
                                 data={"course": licence.course.slug, "seats": "2"})
    assert response.status_code == 400
    assert ("Plaatsen in gebruik: 1; vastgehouden door openstaande uitnodigingen: 2. De licentie kan niet minder "
            "dan 3 plaatsen hebben.") in response.get_data(as_text=True)
    assert db.session.get(SeatLicence, licence.id).seats == 5
    ok = admin_client.post(f"/beheer/organisaties/{organisation.public_id}/plaatsen",
                           data={"course": licence.course.slug, "seats": "3"})
    assert ok.status_code == 302 and db.session.get(SeatLicence, licence.id).seats == 3


def test_a_duplicate_organisation_name_gets_a_form_error(admin_client, organisation):
    response = admin_client.post("/beheer/organisaties/nieuw", data={"name": "stichting test"})
    assert "Er bestaat al een organisatie met deze naam." in response.get_data(as_text=True)


def test_appointing_an_existing_user_as_organisation_admin(admin_client, organisation, learner, outbox):
    admin_client.post(f"/beheer/organisaties/{organisation.public_id}/beheerders", data={"email": learner.email})
    role = db.session.scalar(sa.select(Membership.role).where(Membership.user_id == learner.id,
                                                              Membership.organisation_id == organisation.id))
    assert role == MembershipRole.ADMIN
    assert outbox()[-1].kind == "org_admin_appointed"


def test_appointing_a_new_address_sends_an_admin_invitation(admin_client, organisation, outbox):
    admin_client.post(f"/beheer/organisaties/{organisation.public_id}/beheerders",
                      data={"email": "nieuw@test.nl", "name": "Nieuw"})
    invitation = db.session.scalar(sa.select(Invitation))
    assert (invitation.email, invitation.as_org_admin, invitation.organisation_id) == (
        "nieuw@test.nl", True, organisation.id)
    assert outbox()[-1].kind == "org_admin_invitation"


def test_removing_an_organisation_admin(admin_client, organisation, org_admin):
    admin_client.post(f"/beheer/organisaties/{organisation.public_id}/beheerders/{org_admin.public_id}/verwijderen")
    assert db.session.scalar(sa.select(Membership.role).where(Membership.user_id == org_admin.id)) == \
        MembershipRole.MEMBER


def test_appointing_a_trainer(admin_client, learner):
    response = admin_client.post("/beheer/trainers", data={"email": learner.email})
    assert response.status_code == 302
    assert db.session.get(User, learner.id).role == Role.TRAINER
    assert learner.name in admin_client.get("/beheer/trainers").get_data(as_text=True)


def test_appointing_an_unknown_trainer_gives_a_dutch_error(admin_client):
    response = admin_client.post("/beheer/trainers", data={"email": "niemand@test.nl"})
    assert response.status_code == 400
    assert "Er is geen account met dit e-mailadres." in response.get_data(as_text=True)


def test_the_organisations_list_shows_seat_usage_in_a_fixed_number_of_queries(admin_client, organisation):
    _course, licence, cohort = make_team(organisation, seats=7)
    enrol_with_seat(factories.make_user(), cohort, licence)
    admin_client.get("/beheer/organisaties")
    with count_queries() as small:
        text = admin_client.get("/beheer/organisaties").get_data(as_text=True)
    assert "Stichting Test" in text and "1 van 7" in text
    for i in range(8):
        org = factories.make_organisation(name=f"Organisatie {i:02d}")
        make_team(org, seats=3)
    with count_queries() as large:
        admin_client.get("/beheer/organisaties")
    assert small.count == large.count, large.statements
    assert large.count <= 5


@pytest.mark.parametrize("path", ["/beheer", "/beheer/aanvragen", "/beheer/organisaties", "/beheer/trainers",
                                  "/beheer/organisaties/nieuw"])
def test_only_platform_admins_enter_the_admin_area(client, login_as, org_admin, trainer, learner, path):
    assert client.get(path).status_code == 302
    for user in (org_admin, trainer, learner):
        assert login_as(user).get(path).status_code == 403


def test_an_unknown_organisation_or_request_is_404(admin_client):
    assert admin_client.get("/beheer/organisaties/onbekend").status_code == 404
    assert admin_client.get("/beheer/aanvragen/onbekend").status_code == 404


def test_the_dashboard_counts_new_requests(admin_client, in_company):
    html = admin_client.get("/beheer").get_data(as_text=True)
    assert re.search(r"<dt>Openstaande in-company-aanvragen</dt>\s*<dd><a [^>]*>1</a>", html)
    assert '<span class="badge-count">1 aanvraag</span>' in html  # and in the navigation


def test_the_cli_lists_organisations(app, organisation):
    make_team(organisation, seats=4)
    result = app.test_cli_runner().invoke(args=["organisations", "list"])
    assert result.exit_code == 0 and "Stichting Test: 0/4 seats, 1 groups" in result.output


def test_who_gets_requests_and_who_may_train_are_decided_by_the_policy_filters(app):
    from course import permissions
    from course.admin import services as admin_services
    from course.models import utcnow
    from course.org.cohorts import trainer_choices
    from course.org.requests import platform_admins

    admin = factories.make_user(role="admin", name="Ad Min")
    factories.make_user(role="admin", name="Ex Admin").erased_at = utcnow()
    trainer = factories.make_user(role="trainer", name="Tr Ainer")
    factories.make_user(role="trainer", name="Niet Aangesteld")
    factories.make_user(role="learner", name="Le Erling")
    db.session.commit()
    assert platform_admins() == [admin]
    assert {u.name for u in admin_services.trainers()} == {"Tr Ainer", "Niet Aangesteld"}
    course = factories.make_course()
    for user in (admin, trainer):
        factories.assign_course_trainer(course, user)
    # an organisation admin chooses among the course's trainers only (issue 17)
    assert [(u.name, ids) for u, ids in trainer_choices([course.id])] == [
        ("Ad Min", {course.id}), ("Tr Ainer", {course.id})]
    members = db.session.scalars(sa.select(User).where(permissions.trainer_candidates())).all()
    assert {u.name for u in members} == {"Ad Min", "Tr Ainer", "Niet Aangesteld"}
