"""Enrolment by file: upload → preview (every row validated) → confirm (one
transaction). Junk never gives a 500; the size is limited."""
import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import Enrolment, Invitation, ModuleProgress, OutboxMail, SeatLicence, UploadBatch, utcnow
from course.org.tokens import invitation_token
from tests import factories
from tests.factories_org import complete_module, enrol_with_seat, make_invitation, make_licence, make_team

FIXTURES = Path(__file__).parent / "fixtures" / "enrolment_files"


def upload(client, cohort, name, data, headers=None):
    return client.post(f"/organisatie/groepen/{cohort.public_id}/bestand", headers=headers,
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


@pytest.fixture
def team(app, organisation):
    return make_team(organisation, seats=10)


def test_upload_shows_a_preview_and_sends_nothing_until_confirmed(org_admin_client, team, outbox):
    _course, _licence, cohort = team
    response = upload(org_admin_client, cohort, "team.csv", (FIXTURES / "dutch_semicolon_bom.csv").read_bytes())
    assert response.status_code == 302
    preview = org_admin_client.get(response.headers["Location"])
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Şükrü Yılmaz" in text and "Wordt uitgenodigd" in text and "3 uitnodigingen versturen" in text
    assert outbox() == [] and db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def test_confirming_invites_every_valid_row_in_one_go(org_admin_client, team, outbox):
    _course, _licence, cohort = team
    upload(org_admin_client, cohort, "team.csv", (FIXTURES / "dutch_semicolon_bom.csv").read_bytes())
    batch = db.session.scalar(sa.select(UploadBatch))
    response = org_admin_client.post(f"/organisatie/bestanden/{batch.public_id}/bevestigen", follow_redirects=True)
    assert "3 uitnodigingen verstuurd; 0 rijen overgeslagen" in response.get_data(as_text=True)
    assert sorted(m.to_address for m in outbox()) == ["anneke@welzijn.nl", "lea@welzijn.nl", "sukru@welzijn.nl"]
    assert all(m.kind == "org_invitation" for m in outbox())


def test_confirming_twice_sends_nothing_the_second_time(org_admin_client, team, outbox):
    _course, _licence, cohort = team
    upload(org_admin_client, cohort, "team.csv", (FIXTURES / "dutch_semicolon_bom.csv").read_bytes())
    batch = db.session.scalar(sa.select(UploadBatch))
    org_admin_client.post(f"/organisatie/bestanden/{batch.public_id}/bevestigen")
    again = org_admin_client.post(f"/organisatie/bestanden/{batch.public_id}/bevestigen", follow_redirects=True)
    assert "al bevestigd" in again.get_data(as_text=True)
    assert len(outbox()) == 3


def test_preview_marks_invalid_duplicate_enrolled_invited_and_over_the_seat_limit(org_admin_client, organisation):
    course, licence, cohort = make_team(organisation, seats=3)
    enrolled = factories.make_user(email="al@welzijn.nl")
    factories.make_enrolment(enrolled, course, cohort=cohort, seat_licence_id=licence.id)
    licence.seats_used = 1
    db.session.commit()
    make_invitation(organisation, "open@welzijn.nl", cohort=cohort)  # promises one more seat
    data = (b"naam;email\nAl Ingeschreven;al@welzijn.nl\nOpen Uitnodiging;open@welzijn.nl\nFout;fout-adres\n"
            b"Eerste;een@welzijn.nl\nDubbel;EEN@welzijn.nl\nTweede;twee@welzijn.nl\n")
    upload(org_admin_client, cohort, "lijst.csv", data)
    batch = db.session.scalar(sa.select(UploadBatch))
    assert [(r["email"], r["status"]) for r in batch.rows] == [
        ("al@welzijn.nl", "enrolled"), ("open@welzijn.nl", "invited"), ("fout-adres", "invalid"),
        ("een@welzijn.nl", "ok"), ("een@welzijn.nl", "duplicate"), ("twee@welzijn.nl", "over_limit")]
    text = org_admin_client.get(f"/organisatie/bestanden/{batch.public_id}").get_data(as_text=True)
    for dutch in ("Al ingeschreven voor deze cursus", "Al uitgenodigd voor deze groep",
                  "Dit is geen geldig e-mailadres", "Staat meer dan eens in het bestand", "Boven het aantal plaatsen"):
        assert dutch in text


def test_confirm_checks_again_and_skips_rows_that_became_invalid(org_admin_client, organisation, outbox):
    course, licence, cohort = make_team(organisation, seats=5)
    upload(org_admin_client, cohort, "lijst.csv", b"naam;email\nA;a@welzijn.nl\nB;b@welzijn.nl\n")
    late = factories.make_user(email="b@welzijn.nl")
    enrol_with_seat(late, factories.make_cohort(organisation, course, name="Andere groep"), licence)
    batch = db.session.scalar(sa.select(UploadBatch))
    response = org_admin_client.post(f"/organisatie/bestanden/{batch.public_id}/bevestigen", follow_redirects=True)
    assert "1 uitnodiging verstuurd; 1 rij overgeslagen." in response.get_data(as_text=True)
    assert [m.to_address for m in outbox()] == ["a@welzijn.nl"]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_no_fixture_file_gives_a_server_error(org_admin_client, team, name):
    _course, _licence, cohort = team
    response = upload(org_admin_client, cohort, name, (FIXTURES / name).read_bytes())
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert org_admin_client.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize("name, dutch", [
    ("binary_junk.csv", "Dit is geen CSV-bestand"),
    ("wrong_type.pdf", "Upload een .csv- of .xlsx-bestand"),
    ("fake.xlsx", "Dit Excel-bestand kon niet worden geopend"),
    ("empty.csv", "Het bestand is leeg"),
    ("no_email_column.csv", "Er is geen kolom met e-mailadressen gevonden"),
])
def test_an_unreadable_file_gets_a_clear_dutch_error_on_the_page(org_admin_client, team, name, dutch):
    _course, _licence, cohort = team
    response = upload(org_admin_client, cohort, name, (FIXTURES / name).read_bytes())
    assert response.status_code == 400
    assert dutch in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(UploadBatch.id))) == 0


def test_ten_thousand_rows_get_a_clear_error(org_admin_client, team):
    _course, _licence, cohort = team
    data = ("naam;email\n" + "".join(f"Persoon {i};p{i}@welzijn.nl\n" for i in range(10_000))).encode()
    response = upload(org_admin_client, cohort, "groot.csv", data)
    assert response.status_code == 400
    assert "hoogstens 2000 tegelijk" in response.get_data(as_text=True)


def test_no_file_gets_a_form_error(org_admin_client, team):
    _course, _licence, cohort = team
    response = org_admin_client.post(f"/organisatie/groepen/{cohort.public_id}/bestand", data={},
                                     content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Kies een bestand om te uploaden." in response.get_data(as_text=True)


def test_a_file_over_the_size_limit_gets_the_413_page(org_admin_client, team):
    _course, _licence, cohort = team
    org_admin_client.application.config["MAX_CONTENT_LENGTH"] = 2048
    page = f"/organisatie/groepen/{cohort.public_id}"
    response = upload(org_admin_client, cohort, "groot.csv", b"naam;email\n" + b"x;y@z.nl\n" * 1000,
                      headers={"Referer": f"http://localhost{page}"})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "te groot" in html and "hoogstens 2 kB" in html
    assert f'href="http://localhost{page}">Terug naar de pagina waar je was' in html, "back into the form"
    elsewhere = upload(org_admin_client, cohort, "groot.csv", b"x;y@z.nl\n" * 1000,
                       headers={"Referer": "https://evil.example/phish"})
    assert "evil.example" not in elsewhere.get_data(as_text=True), "only a page of our own"


def test_another_organisation_cannot_upload_preview_or_confirm(login_as, other_org_admin, org_admin_client, team):
    _course, _licence, cohort = team
    outsider = login_as(other_org_admin)
    assert upload(outsider, cohort, "team.csv", b"naam;email\nA;a@welzijn.nl\n").status_code == 404
    upload(org_admin_client, cohort, "team.csv", b"naam;email\nA;a@welzijn.nl\n")
    batch = db.session.scalar(sa.select(UploadBatch))
    assert outsider.get(f"/organisatie/bestanden/{batch.public_id}").status_code == 404
    assert outsider.post(f"/organisatie/bestanden/{batch.public_id}/bevestigen").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 0


def test_an_xlsx_upload_works_end_to_end(org_admin_client, team):
    from openpyxl import Workbook

    _course, _licence, cohort = team
    workbook = Workbook()
    workbook.active.append(["Naam", "E-mail"])
    workbook.active.append(["Excel Mens", "excel@welzijn.nl"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(org_admin_client, cohort, "team.xlsx", buffer.getvalue())
    assert response.status_code == 302
    assert "excel@welzijn.nl" in org_admin_client.get(response.headers["Location"]).get_data(as_text=True)


# ---- learners who already follow the course on their own ---------------------------


def test_a_self_enrolled_learner_is_previewed_as_joining_the_group_and_invited_on_confirm(
        org_admin_client, login_as, organisation, outbox):
    course, licence, cohort = make_team(organisation, seats=5)
    user = factories.make_user(email="zelf@welzijn.nl", name="Zelf Begonnen")
    own = factories.make_enrolment(user, course, started_at=utcnow())
    complete_module(own, course.modules[0])
    upload(org_admin_client, cohort, "team.csv", b"naam;email\nZelf Begonnen;ZELF@welzijn.nl\nNieuw;nieuw@welzijn.nl\n")
    batch = db.session.scalar(sa.select(UploadBatch))
    assert [(r["email"], r["status"]) for r in batch.rows] == [
        ("zelf@welzijn.nl", "self_enrolled"), ("nieuw@welzijn.nl", "ok")]
    text = org_admin_client.get(f"/organisatie/bestanden/{batch.public_id}").get_data(as_text=True)
    assert "Volgt de cursus al op eigen gelegenheid: wordt aan deze groep toegevoegd" in text
    assert "Al ingeschreven" not in text
    assert "2 uitnodigingen versturen" in text
    response = org_admin_client.post(f"/organisatie/bestanden/{batch.public_id}/bevestigen", follow_redirects=True)
    assert "2 uitnodigingen verstuurd; 0 rijen overgeslagen" in response.get_data(as_text=True)
    mail = next(m for m in outbox() if m.to_address == "zelf@welzijn.nl")
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.email == "zelf@welzijn.nl"))
    assert "/uitnodiging/" + invitation_token(invitation) in mail.body_text
    # accepting attaches the existing enrolment: no duplicate, progress kept, one seat taken
    assert login_as(user).post("/uitnodiging/" + invitation_token(invitation)).status_code == 302
    db.session.expire_all()
    enrolments = db.session.scalars(sa.select(Enrolment).where(Enrolment.user_id == user.id)).all()
    assert [(e.id, e.cohort_id, e.seat_licence_id) for e in enrolments] == [(own.id, cohort.id, licence.id)]
    assert db.session.scalar(sa.select(sa.func.count(ModuleProgress.id))
                             .where(ModuleProgress.enrolment_id == own.id)) == 1
    assert db.session.get(SeatLicence, licence.id).seats_used == 1


def test_a_self_enrolled_learner_needs_a_free_seat_like_anyone_else(org_admin_client, organisation):
    course, _licence, cohort = make_team(organisation, seats=1)
    factories.make_enrolment(factories.make_user(email="zelf@welzijn.nl"), course)
    upload(org_admin_client, cohort, "team.csv", b"naam;email\nA;nieuw@welzijn.nl\nB;zelf@welzijn.nl\n")
    batch = db.session.scalar(sa.select(UploadBatch))
    assert [r["status"] for r in batch.rows] == ["ok", "over_limit"]


def test_learners_in_a_group_of_this_or_another_organisation_stay_already_enrolled(
        org_admin_client, organisation, other_organisation):
    course, licence, cohort = make_team(organisation, seats=5)
    enrol_with_seat(factories.make_user(email="andere-groep@welzijn.nl"),
                    factories.make_cohort(organisation, course, name="Andere groep"), licence)
    elsewhere = make_licence(other_organisation, course, seats=5)
    enrol_with_seat(factories.make_user(email="elders@welzijn.nl"),
                    factories.make_cohort(other_organisation, course, name="Elders"), elsewhere)
    upload(org_admin_client, cohort, "team.csv", b"email\nandere-groep@welzijn.nl\nelders@welzijn.nl\n")
    batch = db.session.scalar(sa.select(UploadBatch))
    assert [r["status"] for r in batch.rows] == ["enrolled", "enrolled"]
    for email in ("andere-groep@welzijn.nl", "elders@welzijn.nl"):
        response = org_admin_client.post(f"/organisatie/groepen/{cohort.public_id}/uitnodigen", data={"email": email})
        assert response.status_code == 400 and "Al ingeschreven" in response.get_data(as_text=True)
