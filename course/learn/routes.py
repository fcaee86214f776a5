"""The learner's path: catalogue, course pages, "Mijn leren", module, reading, quiz,
assignment. Each view loads (out of scope → 404), checks the policy, calls a
service and renders."""
from pathlib import Path

from flask import abort, flash, jsonify, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from course import permissions
from course.content.module_files import MAX_MAX_LENGTH
from course.content.spec import MEDIA_PREFIX
from course.downloads import image_response
from course.errors import DomainError
from course.forms import EmptyForm
from course.live import queries as live_queries
from course.models import SubmissionStatus
from course.peer.queries import consent_answer
from course.peer.queries import module_state as peer_module_state
from course.privacy_hints.hints import suggestions
from course.security import accepts_json
from course.stash import pop_stash
from course.text import render_user

from . import bp, privacy, services
from .forms import QuizForm, assignment_form, field_name, field_values
from .grading import QuizFormTampered, Unanswered, questions_for_display, shuffle_seed
from .queries import feedback as feedback_queries
from .queries import news, progress, rewards
from .queries.progress import catalogue_courses, course_state, learner_courses


def media_html(html: str, course_slug: str, module_slug: str) -> Markup:
    """Course HTML (trusted) with its images pointed at the media route."""
    base = url_for("learn.media", course_slug=course_slug, module_slug=module_slug, filename="__file__")
    # Course files are trusted content (modules/README.md): rendered at load, not sanitised.
    return Markup(html.replace(MEDIA_PREFIX, base.removesuffix("__file__")))  # noqa: S704


def module_context(enrolment, module) -> dict:
    state = course_state(enrolment)
    attempts = services.attempts_of(enrolment, module) if module.has_quiz else []
    submission = feedback_queries.submission_with_reviews(enrolment, module) if module.has_assignment else None
    return {
        "course": module.course, "module": module, "enrolment": enrolment, "state": state,
        "mstate": state.module(module.slug),
        "reading_html": media_html(module.reading_html, module.course.slug, module.slug),
        "attempts": attempts, "best": max(attempts, key=lambda a: a.score, default=None),
        "availability": services.quiz_availability(enrolment, module, attempts) if module.has_quiz else None,
        "submission": submission, "feedback": feedback_queries.feedback_history(submission, module),
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
                          "verdict": feedback_queries.attempt_verdict(attempt, question.id, grade)})
    return {"course": module.course, "module": module, "attempt": attempt, "questions": questions,
            "availability": services.quiz_availability(enrolment, module, attempts),
            "pass_mark": services.pass_mark(module),
            "percent": round(100 * attempt.score / attempt.max_score) if attempt.max_score else 0,
            "content_changed": attempt.content_version != module.content_version}


def _prompt_html(module) -> str:
    assignment = module.assignment_spec
    return assignment.prompt_html if assignment else ""


def render_assignment(enrolment, module, form, preview=False, restored=False, privacy_hints=None):
    state = course_state(enrolment)
    if state.module(module.slug).locked:
        return _locked_redirect(enrolment, module)
    submission = feedback_queries.submission_with_reviews(enrolment, module)
    editable = submission is None or submission.status.is_editable
    if not form.is_submitted() and not restored and submission is not None:
        for spec in form.specs:
            form[field_name(spec.id)].data = submission.draft_fields.get(spec.id, "")
    previews = {}
    if preview:
        from course.text import render_user

        previews = {spec.id: render_user(text) for spec in form.specs
                    if (text := form[field_name(spec.id)].data or "").strip()}  # only fields with text
    feedback = feedback_queries.feedback_history(submission, module)
    return render_template(
        "learn/assignment.html", course=module.course, module=module, enrolment=enrolment, form=form, state=state,
        submission=submission, editable=editable, previews=previews, restored=restored,
        privacy_hints=privacy_hints or [], privacy_suggestions=suggestions(privacy_hints or []),
        feedback=feedback, latest=feedback_queries.latest_feedback(feedback, module), statuses=SubmissionStatus,
        peer=peer_module_state(enrolment, module, submission),
        prompt_html=media_html(_prompt_html(module), module.course.slug, module.slug),
    )


def bad_request(message: str):
    return render_template("learn/bad_request.html", message=message), 400


@bp.app_template_filter("course_media")
def course_media_filter(html: str, module) -> Markup:
    """For other areas' templates: `{{ module.assignment_spec.prompt_html|course_media(module) }}`."""
    return media_html(html or "", module.course.slug, module.slug)


def _course_or_404(course_slug):
    return services.active_course(course_slug) or abort(404)


def _enrolment_or_404(course_slug):
    enrolment = progress.enrolment_for(current_user, course_slug)
    if enrolment is None or not permissions.can_study(current_user, enrolment):
        abort(404)
    return enrolment


def _module_or_404(course_slug, module_slug):
    enrolment = _enrolment_or_404(course_slug)
    module = services.module_of(enrolment, module_slug) or abort(404)
    return enrolment, module


def _module_url(module, anchor=None):
    return url_for("learn.module_page", course_slug=module.course.slug, module_slug=module.slug,
                   _anchor=anchor)


def _json_object() -> dict:
    """The posted JSON object; anything else (a list, a string, no JSON) reads as {}."""
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


# ---- public ----------------------------------------------------------------


@bp.get("/cursussen")
def catalogue():
    return render_template("learn/catalogue.html", courses=catalogue_courses())


@bp.get("/cursussen/<course_slug>")
def course_page(course_slug):
    course = _course_or_404(course_slug)
    enrolment = progress.enrolment_for(current_user, course_slug)
    return render_template("learn/course_page.html", course=course, enrolment=enrolment, form=EmptyForm(),
                           live_sessions=live_queries.upcoming_public(course.id))


@bp.post("/cursussen/<course_slug>/inschrijven")
@login_required
def enrol(course_slug):
    course = _course_or_404(course_slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not permissions.can_enrol_self(current_user, course):
        flash(_("This course is not open for enrolment. Ask your organisation about it."), "warning")
        return redirect(url_for("learn.course_page", course_slug=course.slug))
    _enrolment, created = services.enrol_self(current_user, course)
    if created:
        flash(_("You are enrolled. Welcome!"), "success")
    return redirect(url_for("learn.course_overview", course_slug=course.slug))


@bp.get("/cursussen/<course_slug>/media/<module_slug>/<path:filename>")
def media(course_slug, module_slug, filename):
    """Images from a module folder. Only files the content check allows are served."""
    course = _course_or_404(course_slug)
    from course.authoring.queries import published_image
    image = published_image(course, module_slug, filename)  # the published version, on every server
    if image is not None:
        return image_response(image, filename)
    folder = feedback_queries.media_folder(course, module_slug, filename)
    if folder is None:
        abort(404)
    return send_from_directory(folder, Path(filename).name, max_age=3600)


@bp.get("/cursussen/<course_slug>/omslag/<filename>")
def cover(course_slug, filename):
    """The course's cover image (course.yml `cover:`), from the course folder: public, like
    the course page."""
    course = _course_or_404(course_slug)
    folder = feedback_queries.cover_folder(course, filename)
    if folder is not None:
        return send_from_directory(folder, filename, max_age=3600)
    data = feedback_queries.published_cover(course) if filename == course.cover else None
    if data is None:
        abort(404)
    return image_response(data, filename)


# ---- the learner's own pages -----------------------------------------------


@bp.get("/mijn-leren")
@login_required
def my_learning():
    # news_for fills the reviewers, in its one query; the page shows no module's content
    states = learner_courses(current_user, reviewers=False, light=True)
    sessions = live_queries.my_sessions(current_user, limit=3)
    return render_template("learn/my_learning.html", states=states, my_live_sessions=sessions,
                           news=news.news_for(current_user, states, sessions))


@bp.get("/mijn-leren/<course_slug>")
@login_required
def course_overview(course_slug):
    enrolment = _enrolment_or_404(course_slug)
    state = course_state(enrolment)
    return render_template("learn/course_overview.html", state=state, course=enrolment.course,
                           enrolment=enrolment, trainers=progress.trainers_of(enrolment) if state.fresh else [])


@bp.get("/mijn-leren/<course_slug>/afgerond")
@login_required
def course_finished(course_slug):
    """The reward for finishing: certificate preview, PDF, LinkedIn, workbook and badges."""
    enrolment = _enrolment_or_404(course_slug)
    if enrolment.completed_at is None:
        flash(_("You have not completed this course yet. Here is how far you are."), "info")
        return redirect(url_for("learn.course_overview", course_slug=course_slug))
    return render_template("learn/course_finished.html", course=enrolment.course, enrolment=enrolment,
                           **rewards.finished_context(enrolment))


@bp.get("/mijn-leren/<course_slug>/<module_slug>")
@login_required
def module_page(course_slug, module_slug):
    enrolment, module = _module_or_404(course_slug, module_slug)
    return render_template("learn/module.html", **module_context(enrolment, module), form=EmptyForm())


@bp.post("/mijn-leren/<course_slug>/<module_slug>/gelezen")
@login_required
def mark_read(course_slug, module_slug):
    enrolment, module = _module_or_404(course_slug, module_slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        if services.mark_read(enrolment, module, current_user):
            flash(_("Marked as read. Well done!"), "success")
    except DomainError as error:
        flash(error.message, "warning")
        return redirect(_module_url(module))
    return redirect(_module_url(module, "quiz" if module.has_quiz else "assignment"))


@bp.route("/mijn-leren/<course_slug>/<module_slug>/quiz", methods=["GET", "POST"])
@login_required
def quiz(course_slug, module_slug):
    enrolment, module = _module_or_404(course_slug, module_slug)
    if not module.has_quiz:
        abort(404)
    form = QuizForm()
    if request.method == "GET":
        return render_quiz(enrolment, module, form)
    if not form.validate_on_submit() or not (form.attempt.data or "").isdigit():
        return bad_request(_("The quiz form was incomplete. Open the quiz again and resubmit."))
    try:
        attempt, created = services.submit_quiz(enrolment, module, int(form.attempt.data), request.form, current_user)
    except Unanswered as error:
        return render_quiz(enrolment, module, form, unanswered=error, status=400)
    except QuizFormTampered:
        return bad_request(_("This quiz form contains answers that do not belong to this quiz. "
                                   "Open the quiz again and answer the questions shown."))
    except DomainError as error:
        flash(error.message, "warning")
        return redirect(url_for("learn.quiz", course_slug=course_slug, module_slug=module_slug))
    if not created:
        flash(_("This attempt had already been submitted; here is its result."), "info")
    return redirect(url_for("learn.quiz_result", course_slug=course_slug, module_slug=module_slug,
                            number=attempt.number))


@bp.get("/mijn-leren/<course_slug>/<module_slug>/quiz/poging-<int:number>")
@login_required
def quiz_result(course_slug, module_slug, number):
    enrolment, module = _module_or_404(course_slug, module_slug)
    context = quiz_result_context(enrolment, module, number) or abort(404)
    return render_template("learn/quiz_result.html", **context)


@bp.route("/mijn-leren/<course_slug>/<module_slug>/opdracht", methods=["GET", "POST"])
@login_required
def assignment(course_slug, module_slug):
    enrolment, module = _module_or_404(course_slug, module_slug)
    if not module.has_assignment:
        abort(404)
    if request.method == "GET":
        kept = pop_stash(request.path)
        return render_assignment(enrolment, module, assignment_form(module, formdata=kept), restored=bool(kept))
    form = assignment_form(module)
    action = request.form.get("action", "save")
    if not form.validate_on_submit() or action == "preview":
        return render_assignment(enrolment, module, form, preview=action == "preview")
    if action == "submit" and (hints := privacy.assignment_hints(module, field_values(form))):
        return render_assignment(enrolment, module, form, privacy_hints=hints)
    try:
        if action in ("submit", privacy.SEND_ANYWAY):
            consent = consent_answer(enrolment, module, request.form)  # peer feedback (course/peer)
            _submission, created = services.submit_assignment(enrolment, module, field_values(form), current_user,
                                                              peer_consent=consent)
            flash(_("Your assignment has been submitted. Your trainer will give feedback.") if created
                  else _("Your assignment had already been submitted."), "success" if created else "info")
            if consent is not None:  # now asked to give feedback to colleagues
                return redirect(url_for("learn.assignment", course_slug=course_slug, module_slug=module_slug,
                                        _anchor="peer-give"))
            # the assignment page from its top: the message, the status and the text sent, in view
            return redirect(url_for("learn.assignment", course_slug=course_slug, module_slug=module_slug))
        services.save_draft(enrolment, module, field_values(form), current_user)
    except services.AssignmentInvalid as error:
        for field_id, message in error.errors.items():
            form[field_name(field_id)].errors = [message]
        return render_assignment(enrolment, module, form)
    except DomainError as error:
        flash(error.message, "warning")
        return redirect(url_for("learn.assignment", course_slug=course_slug, module_slug=module_slug))
    flash(_("Your draft has been saved."), "success")
    return redirect(url_for("learn.assignment", course_slug=course_slug, module_slug=module_slug))


@bp.post("/mijn-leren/<course_slug>/<module_slug>/opdracht/autosave")
@accepts_json
@login_required
def autosave(course_slug, module_slug):
    """JSON {fields: {id: text}} from static/js/assignment.js (CSRF in X-CSRFToken)."""
    enrolment, module = _module_or_404(course_slug, module_slug)
    fields = _json_object().get("fields")
    if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
        return jsonify(error=_("The draft could not be read.")), 400
    try:
        submission = services.save_draft(enrolment, module, fields, current_user)
    except services.AssignmentInvalid as error:
        return jsonify(error=error.message, fields=error.errors), 400
    except DomainError as error:
        return jsonify(error=error.message), 409
    return jsonify(saved_at=submission.draft_saved_at.isoformat() + "Z")


@bp.post("/mijn-leren/voorbeeld")
@accepts_json
@login_required
def preview():
    """Markdown preview for the assignment page: the same sanitised HTML as shown later."""
    text = _json_object().get("text", "")
    # no field is longer than MAX_MAX_LENGTH: a longer text is no answer, and Markdown's
    # cost grows faster than the text (so the limit keeps the preview quick)
    if not isinstance(text, str) or len(text) > MAX_MAX_LENGTH:
        return jsonify(error=_("The text could not be read.")), 400
    return jsonify(html=str(render_user(text)))
