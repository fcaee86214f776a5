"""The demo step issues what completed learners are owed, once."""
import sqlalchemy as sa

from course.demo import badges as demo
from course.extensions import db
from course.models import BadgeAssertion, Certificate
from tests import factories
from tests.factories_badges import completed_enrolment


def _count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_demo_step_issues_missing_awards_and_is_idempotent(app):
    finished = factories.make_user(email=demo.FINISHED, name="Aziz Afgerond")
    completed_enrolment(finished, factories.make_course(modules=3), award=False)
    assert _count(BadgeAssertion) == 0

    line = demo.seed()
    assert "4 badges" in line and "1 certificate" in line
    again = demo.seed()
    assert again == line
    assert _count(BadgeAssertion) == 4 and _count(Certificate) == 1

    db.session.refresh(finished)
    assert finished.registration_number == demo.DEMO_REGISTRATION_NUMBER
    published = db.session.scalars(sa.select(BadgeAssertion).where(BadgeAssertion.evidence_published)).all()
    assert len(published) == 1 and published[0].evidence_excerpt


def test_the_demo_step_runs_on_an_empty_database(app):
    assert "0 issued" in demo.seed()
