"""One address, one open invitation per course in an organisation: a second one in
another group of the same course would hold a second seat. Refused for a single
invitation, marked in the upload preview, refused at the invite link; race-safe."""
import io

import sqlalchemy as sa

from course.extensions import db
from course.models import Enrolment, Invitation, InviteLink, UploadBatch
from course.org.invitations import revoke_invitation
from course.org.seats import free_seats, held_seats
from tests import factories
from tests.factories_org import make_invitation, make_link, make_team
from tests.test_org_held_seats import _run_at_once, link_path


def two_groups(organisation, seats=5):
    course, licence, first = make_team(organisation, seats=seats)
    second = factories.make_cohort(organisation, course, name="Groep Zuid")
    first.name = "Groep Noord"
    db.session.commit()
    return course, licence, first, second


def invitation_count(email) -> int:
    return db.session.scalar(sa.select(sa.func.count(Invitation.id)).where(Invitation.email == email))


def test_a_second_single_invitation_in_another_group_of_the_course_is_refused(org_admin_client, organisation):
    _course, _licence, first, second = two_groups(organisation)
    make_invitation(organisation, "sanne@welzijn.nl", cohort=first)
    response = org_admin_client.post(f"/organisatie/groepen/{second.public_id}/uitnodigen",
                                     data={"name": "Sanne", "email": "Sanne@welzijn.nl"})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "sanne@welzijn.nl heeft al een openstaande uitnodiging voor de groep Groep Noord" in text
    assert invitation_count("sanne@welzijn.nl") == 1
    assert free_seats(second) == 4


def test_an_expired_or_withdrawn_invitation_elsewhere_does_not_block(org_admin_client, organisation):
    _course, _licence, first, second = two_groups(organisation)
    make_invitation(organisation, "oud@welzijn.nl", cohort=first, days=-1)
    withdrawn = make_invitation(organisation, "ingetrokken@welzijn.nl", cohort=first)
    revoke_invitation(withdrawn)
    for email in ("oud@welzijn.nl", "ingetrokken@welzijn.nl"):
        response = org_admin_client.post(f"/organisatie/groepen/{second.public_id}/uitnodigen",
                                         data={"name": "", "email": email})
        assert response.status_code == 302
        assert invitation_count(email) == 2


def test_an_invitation_to_another_course_does_not_block(org_admin_client, organisation):
    _course, _licence, first, _second = two_groups(organisation)
    _other_course, _other_licence, other_cohort = make_team(organisation, seats=5)
    make_invitation(organisation, "sanne@welzijn.nl", cohort=other_cohort)
    response = org_admin_client.post(f"/organisatie/groepen/{first.public_id}/uitnodigen",
                                     data={"name": "", "email": "sanne@welzijn.nl"})
    assert response.status_code == 302


def test_the_upload_preview_marks_an_address_invited_to_another_group(org_admin_client, organisation):
    _course, _licence, first, second = two_groups(organisation)
    make_invitation(organisation, "sanne@welzijn.nl", cohort=first)
    data = b"naam;e-mail\nSanne;sanne@welzijn.nl\nLea;lea@welzijn.nl\n"
    org_admin_client.post(f"/organisatie/groepen/{second.public_id}/bestand",
                          data={"file": (io.BytesIO(data), "team.csv")}, content_type="multipart/form-data")
    batch = db.session.scalar(sa.select(UploadBatch))
    assert [r["status"] for r in batch.rows] == ["invited_elsewhere", "ok"]
    text = org_admin_client.get(f"/organisatie/bestanden/{batch.public_id}").get_data(as_text=True)
    assert "Al uitgenodigd voor een andere groep van deze cursus" in text
    org_admin_client.post(f"/organisatie/bestanden/{batch.public_id}/bevestigen")
    assert invitation_count("sanne@welzijn.nl") == 1 and invitation_count("lea@welzijn.nl") == 1


def test_an_expired_invitation_is_not_sent_again_while_another_group_holds_one(org_admin_client, organisation):
    _course, _licence, first, second = two_groups(organisation)
    make_invitation(organisation, "sanne@welzijn.nl", cohort=first)
    expired = make_invitation(organisation, "sanne@welzijn.nl", cohort=second, days=-1)
    response = org_admin_client.post(f"/organisatie/uitnodigingen/{expired.public_id}/opnieuw-versturen",
                                     follow_redirects=True)
    assert "openstaande uitnodiging voor de groep Groep Noord" in response.get_data(as_text=True)
    assert held_seats(organisation.id, first.course_id) == 1


def test_someone_with_a_personal_invitation_is_sent_to_it_by_the_invite_link(login_as, organisation):
    _course, licence, first, second = two_groups(organisation)
    sanne = factories.make_user(email="sanne@welzijn.nl")
    make_invitation(organisation, sanne.email, cohort=first)
    response = login_as(sanne).post(link_path(make_link(second)))
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "persoonlijke uitnodiging voor de groep Groep Noord" in text
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 0
    assert db.session.scalar(sa.select(InviteLink.uses)) == 0


def test_two_invitations_of_one_address_at_the_same_moment_make_one(login_as, org_admin, organisation):
    """Two admins invite the same person into two groups at once (threads; SQLite and PostgreSQL)."""
    _course, _licence, first, second = two_groups(organisation)
    clients = [login_as(org_admin), login_as(org_admin)]
    urls = [f"/organisatie/groepen/{g.public_id}/uitnodigen" for g in (first, second)]
    calls = [lambda c=c, u=u: c.post(u, data={"name": "Sanne", "email": "sanne@welzijn.nl"})
             for c, u in zip(clients, urls, strict=True)]
    responses = _run_at_once(calls)
    assert sorted(getattr(r, "status_code", r) for r in responses) == [302, 400]
    assert invitation_count("sanne@welzijn.nl") == 1
