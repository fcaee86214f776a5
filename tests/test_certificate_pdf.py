"""The certificate of completion: a PDF that opens and says what it must, for any name;
its public verification page; the attendance list per cohort."""
import csv
import io

import pytest
from pypdf import PdfReader

from course.badges import certificate as certificate_pdf
from course.badges import queries, services
from course.extensions import db
from tests import factories
from tests.factories_badges import completed_enrolment


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def accredited_course(app):
    course = factories.make_course(title="Welzijn 2.0: van magie naar strategie", accreditation_points=4,
                                   accreditation_id="RP-2026-12345", accreditation_body="Registerplein")
    course.issuer = "Stichting Welzijn Academie"
    db.session.commit()
    return course


def test_the_certificate_pdf_opens_and_shows_everything(app, login_as, learner, trainer, organisation,
                                                         accredited_course):
    learner.name = "Łucja Wąsowska"
    learner.registration_number = "123456789"
    cohort = factories.make_cohort(organisation, accredited_course, trainers=[trainer])
    enrolment = completed_enrolment(learner, accredited_course, cohort=cohort)
    certificate = queries.certificates_of(learner)[0]

    response = login_as(learner).get(f"/certificaat/{certificate.public_id}/bewijs-van-deelname.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = _flat(_text(response.data))
    assert "Bewijs van deelname" in text
    assert "Łucja Wąsowska" in text
    assert "Welzijn 2.0: van magie naar strategie" in text
    assert "4 uur" in text
    assert "4 punten" in text and "RP-2026-12345" in text and "Registerplein" in text
    assert "123456789" in text
    assert "Stichting Welzijn Academie" in text
    assert trainer.name in text
    assert f"http://leerlijn.test/certificaat/{certificate.public_id}" in text.replace(" ", "")
    assert str(enrolment.completed_at.year) in text


def test_the_certificate_has_a_qr_code_image(app, learner):
    completed_enrolment(learner)
    data = certificate_pdf.render(queries.certificates_of(learner)[0])
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages[0].images) == 1


def test_without_accreditation_or_registration_number_those_lines_are_left_out(app, learner):
    completed_enrolment(learner)
    text = _flat(_text(certificate_pdf.render(queries.certificates_of(learner)[0])))
    assert "Accreditatie" not in text and "Registerplein" not in text


@pytest.mark.parametrize("name", [
    "Şükrü Yılmaz", "Łucja Wąsowska", "Nguyễn Thị Minh Khai", "محمد بن عبد الله العربي",
    "Maximiliaan Johannes Bartholomeus van der Hoeven-Wijnbergen tot Zuylen " * 2,
    "Ωmega " + "W" * 110,
])
def test_any_name_renders_in_the_certificate(app, learner, name):
    learner.name = name[:120]
    db.session.commit()
    completed_enrolment(learner)
    data = certificate_pdf.render(queries.certificates_of(learner)[0])
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1  # long names shrink and wrap, they never spill onto a second page
    text = _flat(reader.pages[0].extract_text())
    for word in name.split()[:3]:
        if word.isascii():
            assert word in text.replace(" ", "") or word in text
    from course.pdf import fonts

    assert fonts.missing_glyphs(name, bold=True) == set()


def test_arabic_names_come_out_of_the_pdf_as_text(app, learner):
    learner.name = "محمد العربي"
    db.session.commit()
    completed_enrolment(learner)
    text = _text(certificate_pdf.render(queries.certificates_of(learner)[0]))
    assert "محمد" in text and "العربي" in text


def test_only_the_learner_and_their_trainers_download_the_pdf(app, login_as, learner, trainer, other_trainer,
                                                             organisation):
    course = factories.make_course()
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    completed_enrolment(learner, course, cohort=cohort)
    path = f"/certificaat/{queries.certificates_of(learner)[0].public_id}/bewijs-van-deelname.pdf"
    assert login_as(trainer).get(path).status_code == 200
    assert login_as(other_trainer).get(path).status_code == 404
    assert login_as(factories.make_user()).get(path).status_code == 404
    assert app.test_client().get(path).status_code == 302


def test_the_public_verification_page_shows_the_facts_and_the_status(app, client, learner, platform_admin):
    learner.name = "Nguyễn Thị Minh Khai"
    learner.registration_number = "987654321"
    db.session.commit()
    completed_enrolment(learner)
    certificate = queries.certificates_of(learner)[0]
    page = client.get(f"/certificaat/{certificate.public_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Nguyễn Thị Minh Khai" in html and "Status: geldig" in html
    assert "987654321" not in html  # the registration number stays in the PDF
    assert client.get("/certificaat/verzonnen-nummer").status_code == 404

    services.revoke_all_for_user(learner)
    db.session.commit()
    html = client.get(f"/certificaat/{certificate.public_id}").get_data(as_text=True)
    assert "Status: ingetrokken" in html and "Nguyễn" not in html


def test_the_linkedin_link_is_prefilled(app, learner):
    course = factories.make_course(title="Welzijn 2.0")
    course.issuer = "Leerlijn Academie"
    completed_enrolment(learner, course)
    certificate = queries.certificates_of(learner)[0]
    from urllib.parse import parse_qs, urlsplit

    url = urlsplit(queries.linkedin_url(certificate))
    assert (url.scheme, url.netloc, url.path) == ("https", "www.linkedin.com", "/profile/add")
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert query == {
        "startTask": "CERTIFICATION_NAME", "name": "Welzijn 2.0", "organizationName": "Leerlijn Academie",
        "issueYear": str(certificate.issued_at.year), "issueMonth": str(certificate.issued_at.month),
        "certUrl": f"http://leerlijn.test/certificaat/{certificate.public_id}", "certId": certificate.public_id,
    }


# ---- attendance list ------------------------------------------------------


def test_trainers_export_the_attendance_list_of_their_cohort(app, login_as, trainer, organisation):
    course = factories.make_course(accreditation_points=8, accreditation_id="RP-2026-04173",
                                   accreditation_body="Registerplein")
    cohort = factories.make_cohort(organisation, course, trainers=[trainer], name="Groep Noord")
    done = factories.make_user(name="Şükrü Yılmaz", registration_number="111222333")
    busy = factories.make_user(name="=HYPERLINK(\"x\")")
    enrolment = completed_enrolment(done, course, cohort=cohort)
    factories.make_enrolment(busy, course, cohort=cohort)

    response = login_as(trainer).get(f"/groepen/{cohort.public_id}/presentielijst.csv")
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Naam", "Registratienummer", "Datum afgerond", "Studie-uren", "Sessiedata", "Contacturen",
                       "Accreditatiepunten", "Accreditatienummer"]
    assert rows[1] == ["'=HYPERLINK(\"x\")", "", "", "", "", "", "", ""]
    assert rows[2] == ["Şükrü Yılmaz", "111222333", enrolment.completed_at.date().isoformat(), "4", "", "", "8",
                       "RP-2026-04173"]


def test_the_attendance_list_is_hidden_from_others(app, login_as, trainer, other_trainer, org_admin,
                                                   other_org_admin, organisation, platform_admin):
    cohort = factories.make_cohort(organisation, factories.make_course(), trainers=[trainer])
    path = f"/groepen/{cohort.public_id}/presentielijst.csv"
    assert login_as(platform_admin).get(path).status_code == 200
    assert login_as(org_admin).get(path).status_code == 200
    assert login_as(other_trainer).get(path).status_code == 404
    assert login_as(other_org_admin).get(path).status_code == 404
    assert login_as(trainer).get("/groepen/verzonnen/presentielijst.csv").status_code == 404
