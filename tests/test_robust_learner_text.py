"""Learner text survives whatever it contains: a typed <style> or <script> is shown as
text (never swallowing the rest of the field) on every page that renders it, and a
link of any kind (tel:, ftp:, data:, #anchor, bare) never stops the workbook PDF."""
import io

import pytest
from pypdf import PdfReader

from course.pdf import booklet
from course.text import markdown_as_text, pdf_html, render_user
from course.workbook import documents as workbook_documents
from course.workbook import queries as workbook
from tests import factories
from tests.factories_badges import make_submission

SWALLOWING = {
    "doelgroep": "Voor <style>p{color:red} het vervolg na de stijl",
    "boodschap": "Eerst <script>alert(1)</script> dan de rest van de boodschap",
}
LINKS = ["[bel me](tel:0612345678)", "[bestand](ftp://ftp.example.org/plan.pdf)",
         "[plaatje](data:text/html;base64,PHA+)", "[hier](#boven)", "[leeg]()", "[map](/elders)",
         "<https://www.example.org/plan>", "<www.example.org>", "[x](javascript:alert(1))", "<tel:123>",
         "<mailto:a@example.org>", "<anna@example.org>"]


def test_a_typed_style_or_script_tag_is_text_and_the_rest_of_the_field_survives():
    for text in SWALLOWING.values():
        html = str(render_user(text))
        assert "<style" not in html and "<script" not in html
        assert "&lt;style&gt;" in html or "&lt;script&gt;" in html
    assert "het vervolg na de stijl" in str(render_user(SWALLOWING["doelgroep"]))
    assert "dan de rest van de boodschap" in str(render_user(SWALLOWING["boodschap"]))


def test_links_with_other_schemes_become_their_text():
    assert str(render_user("[bel me](tel:0612345678)")) == "<p>bel me</p>"
    assert str(render_user("[x](javascript:alert(1))")) == "<p>x</p>"
    assert 'href="https://www.example.org"' in str(render_user("[site](https://www.example.org)"))
    assert pdf_html(str(render_user("[hier](#boven)"))) == "<p>hier</p>"
    assert 'href="mailto:a@example.org"' in pdf_html(str(render_user("[mail](mailto:a@example.org)")))


def test_the_markdown_file_escapes_typed_tags_but_keeps_autolinks():
    assert markdown_as_text("a <style>b</style> <https://x.nl> <a@b.nl> 3 < 4") == \
        "a \\<style>b\\</style> <https://x.nl> <a@b.nl> 3 < 4"


@pytest.fixture
def enrolment(app, learner, trainer, organisation):
    course = factories.make_course(modules=2, title="Welzijn")
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    return factories.make_enrolment(learner, course, cohort=cohort)


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_the_workbook_pdf_is_always_delivered_whatever_link_an_answer_holds(enrolment, login_as, learner):
    links = "\n\n".join(f"Zie {link} voor **meer**" for link in LINKS)
    make_submission(enrolment, enrolment.course.modules[0], "submitted",
                    fields={"doelgroep": links, "boodschap": "Slotzin van de boodschap"})
    response = login_as(learner).get(f"/werkboek/{enrolment.public_id}/werkboek.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    assert "voor meer" in text and "Slotzin van de boodschap" in text
    assert "**" not in text  # laid out as Markdown, not the plain-text fallback


def test_the_pdf_falls_back_to_plain_text_when_the_layout_fails(enrolment, monkeypatch):
    make_submission(enrolment, enrolment.course.modules[0], "submitted",
                    fields={"doelgroep": "Tekst die blijft", "boodschap": "Ook deze"})
    monkeypatch.setattr(booklet, "pdf_html", lambda html: '<a href="#nergens">kapot</a>')
    text = _pdf_text(workbook_documents.to_pdf(workbook.compile_workbook(enrolment)))
    assert "Tekst die blijft" in text and "Ook deze" in text


def _pages_with_learner_text(enrolment, learner, trainer, login_as):
    submission = make_submission(enrolment, enrolment.course.modules[0], "submitted", fields=SWALLOWING,
                                 draft=SWALLOWING)
    module = enrolment.course.modules[0]
    as_learner, as_trainer = login_as(learner), login_as(trainer)
    return {
        "review page": as_trainer.get(f"/beoordelen/{submission.public_id}"),
        "learner detail": as_trainer.get(f"/voortgang/deelnemer/{enrolment.public_id}"),
        "workbook page": as_learner.get(f"/werkboek/{enrolment.public_id}"),
        "assignment page": as_learner.get(f"/mijn-leren/{enrolment.course.slug}/{module.slug}/opdracht"),
        "preview": as_learner.post("/mijn-leren/voorbeeld", json={"text": SWALLOWING["doelgroep"]}),
    }


def test_every_page_shows_the_typed_tags_as_text_and_keeps_the_rest(enrolment, learner, trainer, login_as):
    for name, response in _pages_with_learner_text(enrolment, learner, trainer, login_as).items():
        assert response.status_code == 200, name
        body = response.get_json()["html"] if response.is_json else response.get_data(as_text=True)
        assert "het vervolg na de stijl" in body, name
        assert "&lt;style&gt;" in body, name
        assert "<style>p{color" not in body, name
        if name != "preview":
            assert "dan de rest van de boodschap" in body and "<script>alert" not in body, name


def test_the_workbook_pdf_and_markdown_keep_the_text_after_a_typed_tag(enrolment, login_as, learner):
    make_submission(enrolment, enrolment.course.modules[0], "submitted", fields=SWALLOWING)
    client = login_as(learner)
    pdf = _pdf_text(client.get(f"/werkboek/{enrolment.public_id}/werkboek.pdf").data)
    assert "het vervolg na de stijl" in pdf and "dan de rest van de boodschap" in pdf and "<style>" in pdf
    markdown = client.get(f"/werkboek/{enrolment.public_id}/werkboek.md").get_data(as_text=True)
    assert "Voor \\<style>p{color:red} het vervolg na de stijl" in markdown
