"""The review demo step: after `flask demo seed` the dashboard is alive."""
import sqlalchemy as sa

from course.extensions import db
from course.models import Enrolment, Review, Submission, SubmissionStatus, SubmissionVersion, User
from course.review.queries import queue as queries


def test_the_demo_has_waiting_revised_and_approved_work_and_a_finished_learner(app, login_as):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert "Review demo ready" in result.output

    statuses = db.session.scalars(sa.select(Submission.status)).all()
    assert SubmissionStatus.SUBMITTED in statuses and SubmissionStatus.APPROVED in statuses
    resubmitted = db.session.scalar(
        sa.select(Submission).join(SubmissionVersion).where(SubmissionVersion.number == 2))
    assert resubmitted is not None and resubmitted.status == SubmissionStatus.SUBMITTED
    assert resubmitted.enrolment.user.email == "leerling@example.org"

    finished = db.session.scalar(
        sa.select(Enrolment).join(User).where(User.email == "afgerond@example.org"))
    assert finished.completed_at is not None

    trainer = db.session.scalar(sa.select(User).where(User.email == "trainer@example.org"))
    page = queries.queue_page(trainer, queries.QueueFilters())
    assert page.total >= 3
    assert any(item.overdue for item in page.items)
    html = login_as(trainer).get("/beoordelen").get_data(as_text=True)
    assert "te beoordelen" in html and "Te laat" in html
    review_html = login_as(trainer).get(f"/beoordelen/{resubmitted.public_id}").get_data(as_text=True)
    assert "Wijzigingen sinds versie 1" in review_html

    reviews_before = db.session.scalar(sa.select(sa.func.count(Review.id)))
    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0, again.output
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == reviews_before
