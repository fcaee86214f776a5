"""The review service: one transaction per decision, optimistic version check,
rubric validation, mail through the outbox, completion hooks."""
import pytest
import sqlalchemy as sa

from course.content.model import Assignment
from course.extensions import db
from course.models import (
    EventKind,
    ModuleProgress,
    ProgressEvent,
    Review,
    ReviewScore,
    SubmissionStatus,
)
from course.review import services
from course.review.services import InvalidScores, NotWaiting, ReviewConflict, check_scores, decide
from tests import factories
from tests.factories_review import add_review, make_submission, resubmit, scores_for


@pytest.fixture
def world(app, trainer, learner, organisation):
    course = factories.make_course(title="Welzijn 2.0")
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    enrolment = factories.make_enrolment(learner, course, cohort=cohort)
    module = course.modules[0]
    return course, cohort, enrolment, module


RUBRIC = Assignment.from_json(factories.assignment_json()).rubric


def test_check_scores_accepts_a_level_per_criterion_and_derives_points():
    checked = check_scores(RUBRIC, {c.id: {"level": "goed", "comment": " ok "} for c in RUBRIC})
    assert [(s.criterion_id, s.level_id, s.points, s.comment) for s in checked][0] == ("helderheid", "goed", 2, "ok")


def test_check_scores_refuses_a_missing_level():
    scores = {"helderheid": {"level": "goed"}, "haalbaarheid": {"level": "goed"}}
    with pytest.raises(InvalidScores, match="Samenhang"):
        check_scores(RUBRIC, scores)


def test_check_scores_refuses_an_unknown_criterion():
    scores = {c.id: {"level": "goed"} for c in RUBRIC} | {"creativiteit": {"level": "goed"}}
    with pytest.raises(InvalidScores, match="creativiteit"):
        check_scores(RUBRIC, scores)


def test_check_scores_refuses_an_unknown_level():
    scores = {c.id: {"level": "uitmuntend"} for c in RUBRIC}
    with pytest.raises(InvalidScores):
        check_scores(RUBRIC, scores)


@pytest.mark.parametrize("points", [-1, 3, 99, "2", True])
def test_check_scores_refuses_points_outside_the_criterion_range(points):
    scores = {c.id: {"level": "goed", "points": points} for c in RUBRIC}
    with pytest.raises(InvalidScores):
        check_scores(RUBRIC, scores)


def test_approving_records_review_scores_status_mail_and_completion_in_one_go(world, trainer, outbox):
    course, cohort, enrolment, module = world
    submission = make_submission(enrolment, module)
    lock = submission.lock_version
    review = decide(submission, trainer, "approved", scores_for(module, "goed", "Helder"), "**Top**", lock)

    db.session.expire_all()
    assert submission.status == SubmissionStatus.APPROVED
    assert submission.lock_version == lock + 1
    assert submission.decided_at is not None
    assert review.version_id == submission.versions[-1].id
    assert review.reviewer_id == trainer.id
    assert {(s.criterion_id, s.level_id, s.points, s.comment) for s in review.scores} == {
        ("helderheid", "goed", 2, "Helder"), ("haalbaarheid", "goed", 2, "Helder"), ("samenhang", "goed", 2, "Helder")}
    mails = [m for m in outbox() if m.kind == "review_decided"]
    assert len(mails) == 1 and mails[0].to_address == enrolment.user.email
    assert "goedgekeurd" in mails[0].subject
    assert module.title in mails[0].body_text and "**Top**" in mails[0].body_text
    assert "/mijn-leren/" in mails[0].body_text
    kinds = set(db.session.scalars(sa.select(ProgressEvent.kind).where(ProgressEvent.enrolment_id == enrolment.id)))
    assert EventKind.ASSIGNMENT_APPROVED in kinds
    progress = db.session.scalar(sa.select(ModuleProgress).where(ModuleProgress.enrolment_id == enrolment.id))
    assert progress.assignment_approved_at is not None


def test_requesting_a_revision_keeps_every_version_and_decision(world, trainer, outbox):
    course, cohort, enrolment, module = world
    submission = make_submission(enrolment, module)
    decide(submission, trainer, "revision_requested", scores_for(module, "onvoldoende"), "Graag concreter.",
           submission.lock_version)
    db.session.expire_all()
    assert submission.status == SubmissionStatus.REVISION_REQUESTED
    assert "aan te passen" in outbox()[-1].subject
    resubmit(submission, {"doelgroep": "Mantelzorgers van 50+.", "boodschap": "Wij staan naast je."})
    decide(submission, trainer, "approved", scores_for(module), "", submission.lock_version)
    db.session.expire_all()
    reviews = db.session.scalars(sa.select(Review).order_by(Review.id)).all()
    assert [r.decision for r in reviews] == ["revision_requested", "approved"]
    assert [r.version.number for r in reviews] == [1, 2]
    assert db.session.scalar(sa.select(sa.func.count(ReviewScore.id))) == 6
    kinds = db.session.scalars(sa.select(ProgressEvent.kind).order_by(ProgressEvent.id)).all()
    assert EventKind.REVISION_REQUESTED in kinds and EventKind.ASSIGNMENT_APPROVED in kinds


def test_a_stale_lock_version_is_a_conflict_showing_the_first_decision(world, trainer, other_trainer, outbox):
    course, cohort, enrolment, module = world
    submission = make_submission(enrolment, module)
    opened_with = submission.lock_version
    decide(submission, trainer, "approved", scores_for(module), "Eerste besluit", opened_with)
    with pytest.raises(ReviewConflict) as caught:
        decide(submission, other_trainer, "revision_requested", scores_for(module, "onvoldoende"), "Tweede",
               opened_with)
    assert caught.value.review.feedback_md == "Eerste besluit"
    assert trainer.name in caught.value.message
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 1
    assert submission.status == SubmissionStatus.APPROVED
    assert len([m for m in outbox() if m.kind == "review_decided"]) == 1


def test_a_resubmission_while_reviewing_is_a_plain_conflict(world, trainer):
    course, cohort, enrolment, module = world
    submission = make_submission(enrolment, module)
    add_review(submission, trainer, "revision_requested")
    resubmit(submission, {"doelgroep": "Nieuw", "boodschap": "Nieuw"})
    opened_with = submission.lock_version
    submission.lock_version += 1  # the learner's service bumps it on every submit
    db.session.commit()
    with pytest.raises(ReviewConflict) as caught:
        decide(submission, trainer, "approved", scores_for(module), "", opened_with)
    assert caught.value.review is None and "gewijzigd" in caught.value.message


@pytest.mark.parametrize("status", ["approved", "revision_requested", "draft"])
def test_deciding_on_a_submission_that_is_not_waiting_is_refused(world, trainer, status):
    course, cohort, enrolment, module = world
    submission = make_submission(enrolment, module, status=status)
    with pytest.raises(NotWaiting):
        decide(submission, trainer, "approved", scores_for(module), "", submission.lock_version)
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 0


def test_invalid_scores_write_nothing(world, trainer, outbox):
    course, cohort, enrolment, module = world
    submission = make_submission(enrolment, module)
    with pytest.raises(InvalidScores):
        decide(submission, trainer, "approved", {"helderheid": {"level": "goed"}}, "", submission.lock_version)
    db.session.expire_all()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert outbox() == []


def test_approving_the_last_assignment_completes_the_module(world, trainer):
    course, cohort, enrolment, module = world
    from course.learn import completion

    progress = completion.progress_for(enrolment, module)
    progress.read_at = progress.quiz_passed_at = enrolment.enrolled_at
    db.session.commit()
    submission = make_submission(enrolment, module)
    decide(submission, trainer, "approved", scores_for(module), "", submission.lock_version)
    db.session.expire_all()
    assert db.session.get(ModuleProgress, progress.id).completed_at is not None


def test_the_hooks_run_inside_the_decision_transaction(world, trainer, monkeypatch):
    course, cohort, enrolment, module = world
    calls = []

    from course.learn import completion

    monkeypatch.setattr(completion, "on_assignment_approved",
                        lambda submission, actor: calls.append(("approved", submission.id, actor.id,
                                                                submission.status)))
    monkeypatch.setattr(completion, "on_revision_requested",
                        lambda submission, actor: calls.append(("revision", submission.id, actor.id,
                                                                submission.status)))
    submission = make_submission(enrolment, module)
    decide(submission, trainer, "approved", scores_for(module), "", submission.lock_version)
    assert calls == [("approved", submission.id, trainer.id, SubmissionStatus.APPROVED)]


def test_digest_mails_each_trainer_with_waiting_work_once_a_day(world, trainer, other_trainer, platform_admin,
                                                                 outbox):
    course, cohort, enrolment, module = world
    make_submission(enrolment, module, submitted_days_ago=10)
    sent = services.send_digests()
    assert sent == [(trainer.email, 1)]
    mail = [m for m in outbox() if m.kind == "review_digest"]
    assert len(mail) == 1 and mail[0].to_address == trainer.email
    assert "1 inzending wacht op je feedback" in mail[0].body_text
    assert "over de feedbackdatum" in mail[0].body_text
    assert "/beoordelen" in mail[0].body_text
    assert services.send_digests() == []


def test_digest_command_queues_the_mail(app, world, trainer, outbox):
    course, cohort, enrolment, module = world
    make_submission(enrolment, module)
    result = app.test_cli_runner().invoke(args=["digest", "send"])
    assert result.exit_code == 0, result.output
    assert "Queued 1 digest mail" in result.output
    assert [m.to_address for m in outbox() if m.kind == "review_digest"] == [trainer.email]


def test_previous_decision_helper(world, trainer):
    course, cohort, enrolment, module = world
    submission = make_submission(enrolment, module)
    add_review(submission, trainer, "revision_requested")
    assert services.latest_review(submission).decision == "revision_requested"
