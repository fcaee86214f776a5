"""Factories for badges, certificates and workbooks. They build the rows that
the learner-progress and review code would create, so these tests do not depend
on that code: completed module progress, submissions with versions and reviews."""
from course.badges import services
from course.extensions import db
from course.models import (
    Enrolment,
    ModuleProgress,
    Review,
    ReviewDecision,
    ReviewScore,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
    utcnow,
)
from tests import factories


def default_fields(module, prefix="Antwoord") -> dict:
    return {f["id"]: f"{prefix} voor {f['label']} in {module.title}." for f in module.assignment["fields"]}


def make_submission(enrolment, module, status="approved", fields=None, draft=None, reviewer=None,
                    feedback="Goed gedaan, helder plan.", versions=1) -> Submission:
    """A submission in `status` with `versions` submitted versions. Each version but the
    last gets a revision request; the last is approved when status is "approved"."""
    fields = fields or default_fields(module)
    submission = Submission(enrolment_id=enrolment.id, module_id=module.id, status=SubmissionStatus(status),
                            draft_fields=draft or {}, draft_saved_at=utcnow())
    db.session.add(submission)
    if status != "draft":
        for number in range(1, versions + 1):
            version = SubmissionVersion(submission=submission, number=number, content_version="v1",
                                        fields=fields if number == versions else {k: f"Eerste versie: {v}"
                                                                                  for k, v in fields.items()})
            db.session.add(version)
            last = number == versions
            if not last or status in ("approved", "revision_requested"):
                decision = ReviewDecision.APPROVED if last and status == "approved" \
                    else ReviewDecision.REVISION_REQUESTED
                review = Review(version=version, reviewer=reviewer, decision=decision,
                                feedback_md=feedback if last else "Maak het concreter.")
                for criterion in module.assignment["rubric"]:
                    level = criterion["levels"][-1]
                    review.scores.append(ReviewScore(criterion_id=criterion["id"], level_id=level["id"],
                                                     points=level["points"], comment=f"Over {criterion['title']}"))
                db.session.add(review)
        submission.submitted_at = utcnow()
    db.session.commit()
    return submission


def complete_module(enrolment, module, reviewer=None, with_submission=True) -> ModuleProgress:
    """The rows of a completed module: read, quiz passed, assignment approved."""
    now = utcnow()
    if with_submission:
        make_submission(enrolment, module, "approved", reviewer=reviewer)
    progress = ModuleProgress(enrolment_id=enrolment.id, module_id=module.id, read_at=now, quiz_passed_at=now,
                              assignment_approved_at=now, completed_at=now)
    db.session.add(progress)
    db.session.commit()
    return progress


def completed_enrolment(user, course=None, cohort=None, reviewer=None, award=True) -> Enrolment:
    """An enrolment with every module complete and the course completed; with
    `award`, its badges and certificate issued through the completion hooks."""
    course = course or factories.make_course()
    enrolment = factories.make_enrolment(user, course, cohort=cohort)
    for module in course.modules:
        complete_module(enrolment, module, reviewer=reviewer)
    enrolment.completed_at = utcnow()
    db.session.commit()
    if award:
        for module in course.modules:
            services.on_module_completed(enrolment, module)
        services.on_course_completed(enrolment)
        db.session.commit()
    return enrolment


def award_module_badge(enrolment, module=None):
    """A module badge for `enrolment` (module defaults to the first)."""
    module = module or enrolment.course.modules[0]
    assertion = services.on_module_completed(enrolment, module)
    db.session.commit()
    return assertion
