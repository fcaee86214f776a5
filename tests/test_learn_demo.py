"""The learning demo step: two learners at known stages, built with the real services."""
import sqlalchemy as sa

from course.demo import learning
from course.demo.seed import seed_accounts
from course.extensions import db
from course.learn.queries.progress import course_state
from course.models import Enrolment, SubmissionStatus, User
from tests.factories_learn import load_default_course


def _state(email):
    user = db.session.scalar(sa.select(User).where(User.email == email))
    return course_state(db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == user.id)))


def test_the_learning_demo_puts_two_learners_at_their_stages_and_runs_twice(app):
    load_default_course()
    seed_accounts()
    assert learning.seed().startswith("Learning demo ready")
    assert learning.seed().startswith("Learning demo ready")
    part_way = _state(learning.PART_WAY)
    intro, second = part_way.modules[0], part_way.modules[1]
    assert intro.read and intro.quiz_passed and intro.submission_status == SubmissionStatus.SUBMITTED
    assert second.read and second.quiz_passed and second.submission_status == SubmissionStatus.DRAFT
    assert part_way.next_step[0] == "assignment"
    finished = _state(learning.FINISHED)
    assert all(s.read and s.quiz_passed and s.waiting_for_trainer for s in finished.modules)


def test_the_learning_demo_explains_when_there_is_no_content(app):
    seed_accounts()
    assert "not loaded" in learning.seed()
