"""Test helpers for the learner's path (content loading, progress)."""
from pathlib import Path

from course.content.loader import load_content
from course.extensions import db

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

