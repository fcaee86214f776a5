"""What the learner's pages show: template contexts built from services and overview.
Read-only; nothing here changes data."""
from pathlib import Path

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from course.content.questions import Grade, Verdict
from course.content.spec import IMAGE_TYPES, MEDIA_PREFIX, SLUG
from course.extensions import db
from course.models import Review, Submission, SubmissionStatus, SubmissionVersion
from course.peer.queries import module_state as peer_module_state
from course.privacy_hints.hints import suggestions

from . import bp, services
from .forms import field_name
from .grading import questions_for_display, shuffle_seed
from .overview import course_state


def media_html(html: str, course_slug: str, module_slug: str) -> Markup:
    """Course HTML (trusted) with its images pointed at the media route."""
    base = url_for("learn.media", course_slug=course_slug, module_slug=module_slug, filename="__file__")
    # Course files are trusted content (modules/README.md): rendered at load, not sanitised.
    return Markup(html.replace(MEDIA_PREFIX, base.removesuffix("__file__")))  # noqa: S704


def media_folder(course, module_slug: str, filename: str) -> Path | None:
    """The module folder holding `filename`, if it is an image that may be served."""
    if not SLUG.match(module_slug) or "/" in filename or "\\" in filename or filename.startswith("."):
        return None
    if Path(filename).suffix.lower() not in IMAGE_TYPES or not course.source_path:
        return None
    folder = Path(course.source_path) / module_slug
    target = folder / filename
    # a symbolic link may not lead out of the module folder (the content check refuses it too)
    if not target.is_file() or target.resolve().parent != folder.resolve():
        return None
    return folder


def _submission_with_reviews(enrolment, module) -> Submission | None:
    """The submission with its versions, reviews, reviewers and scores: one query."""
    review = joinedload(Submission.versions).joinedload(SubmissionVersion.review)
    return db.session.execute(
        sa.select(Submission).where(Submission.enrolment_id == enrolment.id, Submission.module_id == module.id)
        .options(review.joinedload(Review.scores), review.joinedload(Review.reviewer))
    ).unique().scalar()


def feedback_history(submission: Submission | None, module) -> list[dict]:
    """The trainer's reviews, newest first, with rubric titles resolved."""
    if submission is None:
        return []
    assignment = module.assignment_spec
    history = []
    for version in reversed(submission.versions):
        review = version.review
        if review is None:
            continue
        scores = []
        for score in review.scores:
            criterion = assignment.criterion(score.criterion_id) if assignment else None
            level = criterion.level(score.level_id) if criterion else None
            scores.append({"criterion": criterion.title if criterion else score.criterion_id,
                           "level": level.title if level else score.level_id, "points": score.points,
                           "max": criterion.max_points if criterion and criterion.levels else score.points,
                           "comment": score.comment})
        history.append({"version": version, "review": review, "scores": scores})
    return history


def module_context(enrolment, module) -> dict:
    state = course_state(enrolment)
    attempts = services.attempts_of(enrolment, module) if module.has_quiz else []
    submission = _submission_with_reviews(enrolment, module) if module.has_assignment else None
    return {
        "course": module.course, "module": module, "enrolment": enrolment, "state": state,
        "mstate": state.module(module.slug),
        "reading_html": media_html(module.reading_html, module.course.slug, module.slug),
        "attempts": attempts, "best": max(attempts, key=lambda a: a.score, default=None),
        "availability": services.quiz_availability(enrolment, module, attempts) if module.has_quiz else None,
        "submission": submission, "feedback": feedback_history(submission, module),
        "prompt_html": media_html(_prompt_html(module), module.course.slug, module.slug),
    }


def _locked_redirect(enrolment, module):
    flash(_("This module is still locked."), "warning")
    return redirect(url_for("learn.module_page", course_slug=module.course.slug, module_slug=module.slug))


def render_quiz(enrolment, module, form, unanswered=None, status=200):
    state = course_state(enrolment)
    if state.module(module.slug).locked:
        return _locked_redirect(enrolment, module)
    attempts = services.attempts_of(enrolment, module)
    availability = services.quiz_availability(enrolment, module, attempts)
    number = availability.next_number
    form.attempt.data = str(number)
    questions = questions_for_display(module.quiz_spec, shuffle_seed(enrolment.public_id, module.slug, number))
    # after an incomplete submit the page shows what the learner had chosen
    values = request.form if unanswered is not None else MultiDict()
    return render_template(
        "learn/quiz.html", course=module.course, module=module, form=form, questions=questions,
        availability=availability, attempts=attempts, pass_mark=services.pass_mark(module), number=number,
        unanswered=unanswered.question_ids if unanswered else [], reasons=unanswered.reasons if unanswered else {},
        values=values, passed=any(a.passed for a in attempts),
    ), status


def quiz_result_context(enrolment, module, number) -> dict | None:
    attempts = services.attempts_of(enrolment, module)
    attempt = next((a for a in attempts if a.number == number), None)
    if attempt is None:
        return None
    questions = []
    for question in module.quiz_spec.questions:
        if question.id not in (attempt.answers or {}):
            continue  # a question added after this attempt
        grade = question.grade(attempt.answers[question.id])
        questions.append({"question": question, "grade": grade,
                          "verdict": attempt_verdict(attempt, question.id, grade)})
    return {"course": module.course, "module": module, "attempt": attempt, "questions": questions,
            "availability": services.quiz_availability(enrolment, module, attempts),
            "pass_mark": services.pass_mark(module),
            "percent": round(100 * attempt.score / attempt.max_score) if attempt.max_score else 0,
            "content_changed": attempt.content_version != module.content_version}


def attempt_verdict(attempt, question_id: str, grade: Grade) -> Verdict:
    """Right as it was graded when submitted (stored); otherwise partly right or wrong,
    as the answer reads against the quiz as it is now."""
    if (attempt.results or {}).get(question_id):
        return Verdict.CORRECT
    return Verdict.PARTIAL if grade.verdict is not Verdict.WRONG else Verdict.WRONG


def _prompt_html(module) -> str:
    assignment = module.assignment_spec
    return assignment.prompt_html if assignment else ""


def render_assignment(enrolment, module, form, preview=False, restored=False, privacy_hints=None):
    state = course_state(enrolment)
    if state.module(module.slug).locked:
        return _locked_redirect(enrolment, module)
    submission = _submission_with_reviews(enrolment, module)
    editable = submission is None or submission.status.is_editable
    if not form.is_submitted() and not restored and submission is not None:
        for spec in form.specs:
            form[field_name(spec.id)].data = submission.draft_fields.get(spec.id, "")
    previews = {}
    if preview:
        from course.text import render_user

        previews = {spec.id: render_user(form[field_name(spec.id)].data or "") for spec in form.specs}
    return render_template(
        "learn/assignment.html", course=module.course, module=module, enrolment=enrolment, form=form, state=state,
        submission=submission, editable=editable, previews=previews, restored=restored,
        privacy_hints=privacy_hints or [], privacy_suggestions=suggestions(privacy_hints or []),
        feedback=feedback_history(submission, module), statuses=SubmissionStatus,
        peer=peer_module_state(enrolment, module, submission),
        prompt_html=media_html(_prompt_html(module), module.course.slug, module.slug),
    )


def bad_request(message: str):
    return render_template("learn/bad_request.html", message=message), 400


@bp.app_template_filter("course_media")
def course_media_filter(html: str, module) -> Markup:
    """For other areas' templates: `{{ module.assignment_spec.prompt_html|course_media(module) }}`."""
    return media_html(html or "", module.course.slug, module.slug)
