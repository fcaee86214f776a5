"""Per-course identity (issue 17): the workbook's name and the issuer come from the
course (course.yml), with neutral defaults, and are the same everywhere they show."""
import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from course.badges import queries as badge_queries
from course.badges import services as badges
from course.content.spec import read_content
from course.extensions import db
from course.models import BadgeAssertion, Course, ModuleProgress, utcnow
from tests import factories
from tests.factories_badges import completed_enrolment, make_submission
from tests.factories_learn import SECOND_COURSE, load_default_course

BASE = "http://localhost:5000"


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def _path(url: str) -> str:
    return url.removeprefix(BASE)


# ---- the workbook's name ------------------------------------------------------------


def test_a_course_without_a_workbook_name_gets_the_neutral_default(app, login_as, learner):
    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    client = login_as(learner)
    html = client.get(f"/mijn-werkboek/{course.slug}").get_data(as_text=True)
    assert '<h1 id="workbook-title">Mijn werkboek</h1>' in html and "socialemediaplan" not in html
    markdown = client.get(f"/werkboek/{enrolment.public_id}/werkboek.md").get_data(as_text=True)
    assert markdown.startswith("# Mijn werkboek\n")
    assert "socialemediaplan" not in client.get(f"/mijn-leren/{course.slug}").get_data(as_text=True)


def test_the_default_name_is_english_for_an_english_learner(app, login_as):
    english = factories.make_user(locale="en")
    course = factories.make_course(modules=1)
    factories.make_enrolment(english, course)
    html = login_as(english).get(f"/mijn-werkboek/{course.slug}").get_data(as_text=True)
    assert '<h1 id="workbook-title">My workbook</h1>' in html


def test_the_default_course_keeps_its_social_media_plan(app, login_as, learner):
    course = load_default_course()
    assert (course.workbook_title, course.workbook_subtitle) == ("Mijn werkboek", "mijn socialemediaplan")
    factories.make_enrolment(learner, course)
    html = login_as(learner).get(f"/mijn-werkboek/{course.slug}").get_data(as_text=True)
    assert '<h1 id="workbook-title">Mijn werkboek: mijn socialemediaplan</h1>' in html


def test_the_markdown_download_names_its_charset_once(app, login_as, learner):
    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    response = login_as(learner).get(f"/werkboek/{enrolment.public_id}/werkboek.md")
    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"


@pytest.mark.parametrize("yaml, offset, message", [
    ("workbook:\n  title: Mijn boek\n  kleur: rood\n", 2, "unknown field 'kleur' in 'workbook'"),
    ("workbook:\n  title: \"" + "x" * 121 + "\"\n", 1, "'title' is 121 characters long; the limit is 120"),
    ("workbook: Mijn boek\n", 0, "'workbook' must be a list of 'key: value' lines"),
])
def test_the_checker_reports_a_bad_workbook_name_with_file_and_line(tmp_path, yaml, offset, message):
    import shutil

    folder = tmp_path / "feedback-geven"
    shutil.copytree(SECOND_COURSE, folder)
    lines = [line for line in (folder / "course.yml").read_text(encoding="utf-8").splitlines(keepends=True)
             if not line.startswith(("workbook:", "  title: \"Mijn feedbackboek", "  subtitle:"))]
    at = next(i for i, line in enumerate(lines) if line.startswith("colours:"))
    (folder / "course.yml").write_text("".join(lines[:at]) + yaml + "".join(lines[at:]), encoding="utf-8")
    problems = [p.display(tmp_path) for p in read_content(tmp_path).problems]
    assert problems == [f"feedback-geven/course.yml:{at + 1 + offset}: {message}"]


# ---- the issuer ---------------------------------------------------------------------


def test_a_course_without_issuer_is_issued_by_the_platform(app, client, learner):
    course = factories.make_course(modules=1, title="Zonder uitgever")
    course.issuer = ""
    db.session.commit()
    enrolment = completed_enrolment(learner, course)
    badge = db.session.scalar(sa.select(BadgeAssertion).where(BadgeAssertion.enrolment_id == enrolment.id))
    badge_class = client.get(f"/ob/badges/{badge.badge_class.public_id}.json").get_json(force=True)
    assert client.get(_path(badge_class["issuer"])).get_json(force=True)["name"] == "Leerlijn"
    certificate = badge_queries.certificates_of(learner)[0]
    page = client.get(f"/certificaat/{certificate.public_id}").get_data(as_text=True)
    assert "uitgegeven door Leerlijn" in page


def _second_course_completed(learner, trainer, organisation):
    """Load tests/content_fixtures/valid/feedback-geven and complete it (badges and certificate)."""
    from course.content.loader import load_content

    load_content(SECOND_COURSE)
    course = db.session.scalar(sa.select(Course).where(Course.slug == "feedback-geven"))
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    enrolment = factories.make_enrolment(learner, course, cohort=cohort)
    now = utcnow()
    for module in course.modules:
        if module.has_assignment:
            make_submission(enrolment, module, "approved", reviewer=trainer)
        db.session.add(ModuleProgress(enrolment_id=enrolment.id, module_id=module.id, read_at=now,
                                      quiz_passed_at=now, assignment_approved_at=now, completed_at=now))
    enrolment.completed_at = now
    db.session.commit()
    for module in course.modules:
        badges.on_module_completed(enrolment, module)
    badges.on_course_completed(enrolment)
    db.session.commit()
    return course, enrolment


def test_the_second_fixture_course_has_its_own_workbook_name_and_issuer_everywhere(
        app, client, login_as, learner, trainer, organisation):
    course, enrolment = _second_course_completed(learner, trainer, organisation)
    assert (course.workbook_title, course.issuer) == ("Mijn feedbackboek", "Testacademie")
    name = "Mijn feedbackboek: gesprekken die aankomen"
    own = login_as(learner)

    # the workbook: page, Markdown, PDF (title and footer)
    html = own.get(f"/mijn-werkboek/{course.slug}").get_data(as_text=True)
    assert f'<h1 id="workbook-title">{name}</h1>' in html and "socialemediaplan" not in html
    assert own.get(f"/werkboek/{enrolment.public_id}/werkboek.md").get_data(as_text=True).startswith(f"# {name}\n")
    pdf = own.get(f"/werkboek/{enrolment.public_id}/werkboek.pdf").data
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title.startswith(name)
    assert name in " ".join(reader.pages[-1].extract_text().split())  # the running footer
    assert name in own.get(f"/mijn-leren/{course.slug}").get_data(as_text=True)

    # the badge: Open Badges issuer profile and the public badge page
    badge = db.session.scalar(sa.select(BadgeAssertion).where(BadgeAssertion.enrolment_id == enrolment.id))
    badge_class = client.get(f"/ob/badges/{badge.badge_class.public_id}.json").get_json(force=True)
    profile = client.get(_path(badge_class["issuer"])).get_json(force=True)
    assert profile["type"] == "Issuer" and profile["name"] == "Testacademie"
    assert profile["id"] == badge_class["issuer"]
    badge_page = client.get(f"/badges/{badge.public_id}").get_data(as_text=True)
    assert "uitgegeven door Testacademie" in badge_page and "<dd>Testacademie</dd>" in badge_page

    # the certificate: the verification page and the PDF
    certificate = badge_queries.certificates_of(learner)[0]
    assert "uitgegeven door Testacademie" in client.get(f"/certificaat/{certificate.public_id}").get_data(
        as_text=True)
    pdf = own.get(f"/certificaat/{certificate.public_id}/bewijs-van-deelname.pdf")
    assert pdf.status_code == 200 and "Testacademie" in _pdf_text(pdf.data)
