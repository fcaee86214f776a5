"""The workbook: compiled in course order, latest texts, feedback beside them,
drafts marked; as a page, a PDF and Markdown; only for the learner and their trainers."""
import io

import pytest
from pypdf import PdfReader

from course.extensions import db
from course.workbook import documents, queries
from tests import factories
from tests.factories_badges import make_submission


@pytest.fixture
def setup(app, learner, trainer, organisation):
    course = factories.make_course(modules=3, title="Welzijn 2.0", workbook_title="Mijn werkboek",
                                   workbook_subtitle="mijn socialemediaplan")
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    enrolment = factories.make_enrolment(learner, course, cohort=cohort)
    m1, m2, m3 = course.modules
    make_submission(enrolment, m1, "approved", reviewer=trainer, versions=2,
                    fields={"doelgroep": "Mantelzorgers in de wijk", "boodschap": "Je staat er niet alleen voor"},
                    feedback="Sterke **kernboodschap**.")
    make_submission(enrolment, m2, "revision_requested", reviewer=trainer,
                    fields={"doelgroep": "Jongeren", "boodschap": "Oude boodschap"},
                    draft={"boodschap": "Nieuwe boodschap in concept"}, feedback="Maak de boodschap korter.")
    return {"course": course, "enrolment": enrolment, "modules": (m1, m2, m3), "cohort": cohort}


def test_the_workbook_is_compiled_in_course_order_with_the_latest_texts(setup):
    workbook = queries.compile_workbook(setup["enrolment"])
    first, second, third = workbook.chapters
    assert [c.title for c in workbook.chapters] == ["Module 1", "Module 2", "Module 3"]

    assert first.status == "approved" and not first.is_draft
    assert [a.text for a in first.answers] == ["Mantelzorgers in de wijk", "Je staat er niet alleen voor"]
    assert first.version_number == 2
    assert first.feedback_md == "Sterke **kernboodschap**."
    assert [s.level for s in first.scores] == ["Goed", "Goed", "Goed"]

    # Being revised: the learner's draft wins over the last submitted text, field by field.
    assert second.is_draft
    assert [a.text for a in second.answers] == ["Jongeren", "Nieuwe boodschap in concept"]
    assert second.feedback_md == "Maak de boodschap korter."

    assert third.status is None and third.is_draft  # not started yet
    assert all(a.text == "" for a in third.answers)
    assert third.remember == ["Onthoud 3."]
    assert not workbook.complete and workbook.approved_count == 1


def test_the_page_shows_texts_feedback_drafts_and_what_to_remember(setup, login_as, learner):
    response = login_as(learner).get(f"/mijn-werkboek/{setup['course'].slug}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Mijn werkboek: mijn socialemediaplan" in html
    assert "Mantelzorgers in de wijk" in html
    assert "<strong>kernboodschap</strong>" in html  # trainer's Markdown, sanitised
    assert "Nieuwe boodschap in concept" in html and "Oude boodschap" not in html
    assert html.count('class="draft-tag"') >= 2
    assert "Onthoud 1." in html and "Wat je moet onthouden" in html
    assert "css/workbook.css" in html
    assert html.index("Module 1") < html.index("Module 2") < html.index("Module 3")


def test_learner_text_is_sanitised_on_the_page(setup, login_as, learner):
    module = setup["modules"][2]
    make_submission(setup["enrolment"], module, "submitted",
                    fields={"doelgroep": "<script>alert(1)</script>", "boodschap": "[x](javascript:alert(1))"})
    html = login_as(learner).get(f"/mijn-werkboek/{setup['course'].slug}").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" not in html and "Module 3" in html


def test_the_markdown_export(setup, login_as, learner):
    response = login_as(learner).get(f"/werkboek/{setup['enrolment'].public_id}/werkboek.md")
    assert response.status_code == 200
    assert response.mimetype == "text/markdown"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("# Mijn werkboek: mijn socialemediaplan")
    assert "## 1. Module 1" in text and "## 3. Module 3" in text
    assert "### Doelgroep\n\nMantelzorgers in de wijk" in text
    assert "> Sterke **kernboodschap**." in text
    assert "CONCEPT" in text
    assert "- Onthoud 2." in text


def test_the_pdf_opens_and_contains_the_plan(setup, login_as, learner):
    learner.name = "Şükrü Yılmaz"
    db.session.commit()
    response = login_as(learner).get(f"/werkboek/{setup['enrolment'].public_id}/werkboek.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for expected in ("Mijn werkboek: mijn socialemediaplan", "Şükrü Yılmaz", "Mantelzorgers in de wijk",
                     "Feedback van je trainer", "Nieuwe boodschap in concept", "CONCEPT", "Onthoud 3.",
                     "Wat je moet onthouden"):
        assert expected in text, expected


def test_a_long_workbook_in_any_script_spans_pages_without_a_crash(app, learner):
    learner.name = "محمد العربي"
    course = factories.make_course(modules=2)
    enrolment = factories.make_enrolment(learner, course)
    long_text = ("Nguyễn Łucja Şükrü محمد " + "woord " * 40 + "\n") * 60 + "X" * 3000
    make_submission(enrolment, course.modules[0], "submitted", fields={"doelgroep": long_text, "boodschap": ""})
    data = documents.to_pdf(queries.compile_workbook(enrolment))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 2
    assert "محمد العربي" in reader.pages[0].extract_text()  # the cover: name in the footer
    assert "Nguyễn" in reader.pages[1].extract_text()  # chapter 1 starts on its own page


@pytest.mark.parametrize("path", ["/werkboek/{id}", "/werkboek/{id}/werkboek.pdf", "/werkboek/{id}/werkboek.md"])
def test_only_the_learner_and_their_trainers_open_it(setup, login_as, learner, trainer, other_trainer,
                                                    platform_admin, org_admin, path):
    url = path.format(id=setup["enrolment"].public_id)
    assert login_as(learner).get(url).status_code == 200
    assert login_as(trainer).get(url).status_code == 200
    assert login_as(platform_admin).get(url).status_code == 200
    assert login_as(other_trainer).get(url).status_code == 404
    assert login_as(org_admin).get(url).status_code == 404  # progress only, never texts
    assert login_as(factories.make_user()).get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(setup, client):
    response = client.get(f"/werkboek/{setup['enrolment'].public_id}")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_my_workbook_is_404_without_an_enrolment(app, login_as, learner):
    factories.make_course(slug="andere-cursus")
    assert login_as(learner).get("/mijn-werkboek/andere-cursus").status_code == 404
    assert login_as(learner).get("/mijn-werkboek/bestaat-niet").status_code == 404


def test_a_trainer_of_a_course_opens_the_workbook_of_its_self_enrolled_learner(app, login_as, learner, trainer):
    course = factories.make_course()
    enrolment = factories.make_enrolment(learner, course)
    factories.assign_course_trainer(course, trainer)
    assert login_as(trainer).get(f"/werkboek/{enrolment.public_id}").status_code == 200


def test_the_pdf_renders_the_learners_markdown_instead_of_showing_it_raw(app, learner):
    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    make_submission(enrolment, course.modules[0], "submitted",
                    fields={"doelgroep": "**Mantelzorgers** in *Noord*\n\n- eerste stap\n- tweede stap",
                            "boodschap": "Je staat er niet alleen voor"})
    reader = PdfReader(io.BytesIO(documents.to_pdf(queries.compile_workbook(enrolment))))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Mantelzorgers in Noord" in text and "eerste stap" in text
    assert "**" not in text and "*Noord*" not in text


def test_the_learner_finds_the_workbook_from_the_course_page_and_my_badges(setup, login_as, learner):
    client = login_as(learner)
    html = client.get(f"/mijn-leren/{setup['course'].slug}").get_data(as_text=True)
    assert f'href="/mijn-werkboek/{setup["course"].slug}"' in html
    assert "css/badges.css" in html  # the badges partial brings its own stylesheet
    assert client.get(f"/mijn-werkboek/{setup['course'].slug}").status_code == 200


def test_the_trainer_finds_the_workbook_on_the_learner_detail_page(setup, login_as, trainer):
    enrolment = setup["enrolment"]
    html = login_as(trainer).get(f"/voortgang/deelnemer/{enrolment.public_id}").get_data(as_text=True)
    assert f'href="/werkboek/{enrolment.public_id}"' in html


def test_what_to_remember_blocks_are_not_unlabelled_duplicate_landmarks(setup, login_as, learner):
    html = login_as(learner).get(f"/mijn-werkboek/{setup['course'].slug}").get_data(as_text=True)
    assert html.count("Wat je moet onthouden") == 3
    assert "-remember" not in html  # no <section aria-labelledby> per chapter with the same name
