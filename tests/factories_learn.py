"""Test helpers for the learner's path (content loading, progress)."""
from pathlib import Path

from course.content.loader import load_content
from course.extensions import db
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONTENT = ROOT / "modules"
FIXTURES = Path(__file__).resolve().parent / "content_fixtures"
SECOND_COURSE = FIXTURES / "valid" / "feedback-geven"


def load_default_course():
    """Load modules/ (the Welzijn 2.0 course) and return the Course row."""
    from course.models import Course

    load_content(DEFAULT_CONTENT)
    return db.session.scalar(db.select(Course).where(Course.slug == "welzijn-2-0"))


def correct_answers(module) -> dict:
    """Form data answering every question of the module's quiz correctly."""
    data = {}
    for question in module.quiz_spec.questions:
        data.update(question.example_form(right=True))
    return data


def wrong_answers(module) -> dict:
    """Form data answering every question wrong (no point for any question)."""
    data = {}
    for question in module.quiz_spec.questions:
        data.update(question.example_form(right=False))
    return data


def filled_fields(module, text="Mijn antwoord.") -> dict:
    return {spec.id: f"{text} ({spec.label})" for spec in module.assignment_spec.fields}


def field_form(module, text="Mijn antwoord.") -> dict:
    return {"field-" + k: v for k, v in filled_fields(module, text).items()}


def learner_on_their_pages(app) -> tuple:
    """(client, paths): an enrolled learner's logged-in client and their three pages:
    Mijn leren, the first module, the workbook."""
    with app.app_context():
        course = factories.make_course()
        learner = factories.make_user()
        factories.make_enrolment(learner, course)
        user_id, slug, module = learner.get_id(), course.slug, course.modules[0].slug
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
    return client, ("/mijn-leren", f"/mijn-leren/{slug}/{module}", f"/mijn-werkboek/{slug}")
