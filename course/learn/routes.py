"""The learner's path: catalogue, course pages, "Mijn leren", module, reading, quiz,
assignment. Each view loads (out of scope → 404), checks the policy, calls a
service and renders."""
from pathlib import Path

from flask import abort, flash, jsonify, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from course import permissions
from course.errors import DomainError
from course.forms import EmptyForm
from course.live import queries as live_queries
from course.security import accepts_json
from course.stash import pop_stash
from course.text import render_user

from . import bp, pages, privacy, services
from .forms import QuizForm, assignment_form, field_name, field_values
from .grading import QuizFormTampered, Unanswered
from .overview import catalogue_courses, course_state, learner_courses


def _course_or_404(course_slug):
    return services.active_course(course_slug) or abort(404)


def _enrolment_or_404(course_slug):
    enrolment = services.enrolment_for(current_user, course_slug)
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
    enrolment = services.enrolment_for(current_user, course_slug)
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
    folder = pages.media_folder(course, module_slug, filename)
    if folder is None:
        abort(404)
    return send_from_directory(folder, Path(filename).name, max_age=3600)


# ---- the learner's own pages -----------------------------------------------


@bp.get("/mijn-leren")
@login_required
def my_learning():
    return render_template("learn/my_learning.html", states=learner_courses(current_user),
                           my_live_sessions=live_queries.my_sessions(current_user, limit=3))


@bp.get("/mijn-leren/<course_slug>")
@login_required
def course_overview(course_slug):
    enrolment = _enrolment_or_404(course_slug)
    return render_template("learn/course_overview.html", state=course_state(enrolment), course=enrolment.course,
                           enrolment=enrolment)


@bp.get("/mijn-leren/<course_slug>/<module_slug>")
@login_required
def module_page(course_slug, module_slug):
    enrolment, module = _module_or_404(course_slug, module_slug)
    return render_template("learn/module.html", **pages.module_context(enrolment, module), form=EmptyForm())


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
        return pages.render_quiz(enrolment, module, form)
    if not form.validate_on_submit() or not (form.attempt.data or "").isdigit():
        return pages.bad_request(_("The quiz form was incomplete. Open the quiz again and resubmit."))
    try:
        attempt, created = services.submit_quiz(enrolment, module, int(form.attempt.data), request.form, current_user)
    except Unanswered as error:
        return pages.render_quiz(enrolment, module, form, unanswered=error.question_ids, status=400)
    except QuizFormTampered:
        return pages.bad_request(_("This quiz form contains answers that do not belong to this quiz. "
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
    context = pages.quiz_result_context(enrolment, module, number) or abort(404)
    return render_template("learn/quiz_result.html", **context)


@bp.route("/mijn-leren/<course_slug>/<module_slug>/opdracht", methods=["GET", "POST"])
@login_required
def assignment(course_slug, module_slug):
    enrolment, module = _module_or_404(course_slug, module_slug)
    if not module.has_assignment:
        abort(404)
    if request.method == "GET":
        kept = pop_stash(request.path)
        return pages.render_assignment(enrolment, module, assignment_form(module, formdata=kept), restored=bool(kept))
    form = assignment_form(module)
    action = request.form.get("action", "save")
    if not form.validate_on_submit() or action == "preview":
        return pages.render_assignment(enrolment, module, form, preview=action == "preview")
    if action == "submit" and (hints := privacy.assignment_hints(module, field_values(form))):
        return pages.render_assignment(enrolment, module, form, privacy_hints=hints)
    try:
        if action in ("submit", privacy.SEND_ANYWAY):
            _submission, created = services.submit_assignment(enrolment, module, field_values(form), current_user)
            flash(_("Your assignment has been submitted. Your trainer will give feedback.") if created
                  else _("Your assignment had already been submitted."), "success" if created else "info")
            return redirect(_module_url(module, "assignment"))
        services.save_draft(enrolment, module, field_values(form), current_user)
    except services.AssignmentInvalid as error:
        for field_id, message in error.errors.items():
            form[field_name(field_id)].errors = [message]
        return pages.render_assignment(enrolment, module, form)
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
    if not isinstance(text, str) or len(text) > 200_000:
        return jsonify(error=_("The text could not be read.")), 400
    return jsonify(html=str(render_user(text)))
