"""Peer feedback: the learner asks for a colleague's work and gives feedback; the
author chooses whether it goes into the workbook; the trainer switches it on and
moderates. Each view loads (out of scope → 404), checks the policy, calls a service."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from course import permissions
from course.errors import DomainError
from course.extensions import db
from course.forms import EmptyForm
from course.learn import privacy
from course.learn import services as learn_services
from course.learn.privacy import SEND_ANYWAY
from course.learn.routes import _enrolment_or_404, _module_or_404
from course.models import PeerReview
from course.privacy_hints.hints import hints_for, suggestions
from course.security import accepts_json

from . import queries, services
from .forms import PROMPTS, SettingForm, feedback_form, feedback_values, field_name

bp = Blueprint("peer", __name__)


def _assignment_url(module, anchor="peer-feedback"):
    return url_for("learn.assignment", course_slug=module.course.slug, module_slug=module.slug, _anchor=anchor)


def _task_or_404(public_id) -> PeerReview:
    return queries.task_for_reviewer(current_user, public_id) or abort(404)


def _levels_from(form_data) -> dict[str, str]:
    return {key.removeprefix("level__"): value for key, value in form_data.items()
            if key.startswith("level__") and isinstance(value, str)}


def _hints(values: dict[str, str]):
    labels = {field_id: str(label) for field_id, label, _help in PROMPTS}
    return hints_for({k: (v or "")[:services.MAX_TEXT] for k, v in values.items()}, labels)


# ---- the reviewer ------------------------------------------------------------------


@bp.post("/mijn-leren/<course_slug>/<module_slug>/collega-feedback/volgende")
@login_required
def allocate(course_slug, module_slug):
    enrolment, module = _module_or_404(course_slug, module_slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        review = services.allocate_next(enrolment, module)
    except DomainError as error:
        flash(error.message, "info")
        return redirect(_assignment_url(module, "peer-give"))
    return redirect(url_for("peer.give", public_id=review.public_id))


def _render_give(review, form, privacy_hints=None, status=200, levels=None):
    module = review.module
    shown = queries.work_is_shown(review)
    author = queries.display_name(review.author_enrolment.user, review.setting.anonymous)
    rubric = queries.rubric_of(module) if review.setting.use_rubric else []
    chosen = levels if levels is not None else (review.rubric_levels or {})
    return render_template(
        "peer/give.html", review=review, module=module, course=module.course, form=form, shown=shown,
        author=author, rubric=rubric, chosen=chosen, privacy_hints=privacy_hints or [],
        privacy_suggestions=suggestions(privacy_hints or []),
        fields=module.assignment_spec.fields if module.assignment_spec else [],
        given=queries.level_titles(module, review.rubric_levels) if review.is_given else []), status


@bp.route("/collega-feedback/<public_id>", methods=["GET", "POST"])
@login_required
def give(public_id):
    review = _task_or_404(public_id)
    if request.method == "GET" or review.is_given:
        if request.method == "POST":
            flash(_("You had already given this feedback."), "info")
            return redirect(url_for("peer.give", public_id=review.public_id))
        return _render_give(review, feedback_form())
    form = feedback_form()
    levels = _levels_from(request.form)
    if not form.validate_on_submit():
        return _render_give(review, form, status=400, levels=levels)
    values = feedback_values(form)
    action = request.form.get("action", "submit")
    if action != SEND_ANYWAY and (hints := _hints(values)):
        return _render_give(review, form, privacy_hints=hints, levels=levels)
    try:
        created = services.give_feedback(review, current_user, values["strengths"], values["improvements"], levels)
    except services.PeerInvalid as error:
        for field_id, message in error.errors.items():
            if field_id in form:
                form[field_id].errors = [message]
            elif field_name(field_id) in form:
                form[field_name(field_id)].errors = [message]
            else:
                flash(message, "warning")
        return _render_give(review, form, status=400, levels=levels)
    except DomainError as error:
        flash(error.message, "warning")
        return redirect(_assignment_url(review.module, "peer-give"))
    flash(_("Thank you: your feedback has been sent to your colleague.") if created
          else _("You had already given this feedback."), "success" if created else "info")
    return redirect(_assignment_url(review.module, "peer-give"))


@bp.post("/collega-feedback/<public_id>/privacy")
@accepts_json
@login_required
def privacy_check(public_id):
    """JSON {fields: {id: text}} from static/js/privacy-hints.js: the same check and
    warning as the assignment's (course/learn/privacy.py)."""
    _task_or_404(public_id)
    fields = privacy.posted_fields()
    if fields is None:
        return privacy.unreadable()
    return privacy.hints_response(_hints(fields))


# ---- the author -------------------------------------------------------------------------


@bp.post("/mijn-leren/<course_slug>/<module_slug>/collega-feedback/toestemming")
@login_required
def consent(course_slug, module_slug):
    """Withdraw the consent given on submitting, or give it afterwards."""
    enrolment, module = _module_or_404(course_slug, module_slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    share = request.form.get("share") == "y"
    submission = learn_services.submission_of(enrolment, module)
    if not permissions.can_change_peer_consent(current_user, submission):
        flash(_("Submit your assignment first; then you choose whether colleagues may read it."), "info")
        return redirect(_assignment_url(module))
    try:
        changed = services.change_consent(submission, current_user, share)
    except DomainError as error:
        flash(error.message, "info")
        return redirect(_assignment_url(module))
    if changed:
        flash(_("Colleagues in your group may now read your text and give feedback on it.") if share
              else _("Colleagues no longer see your text. Feedback they already gave stays with you."), "success")
    return redirect(_assignment_url(module))



@bp.post("/mijn-leren/<course_slug>/collega-feedback/werkboek")
@login_required
def workbook_choice(course_slug):
    enrolment = _enrolment_or_404(course_slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    show = request.form.get("show") == "y"
    services.set_workbook_choice(enrolment, show)
    flash(_("Peer feedback is now shown in your workbook.") if show
          else _("Peer feedback is no longer shown in your workbook."), "success")
    back = request.form.get("module", "")
    module = db.session.scalar(queries.module_by_slug(enrolment, back)) if back else None
    if module is not None:
        return redirect(_assignment_url(module))
    return redirect(url_for("workbook.my_workbook", course_slug=enrolment.course.slug))


# ---- the trainer ----------------------------------------------------------------------------


def _scope_or_abort(kind, key):
    if not permissions.can_review(current_user):
        abort(403)
    return queries.load_scope(current_user, kind, key) or abort(404)


@bp.route("/voortgang/<kind>/<key>/collega-feedback", methods=["GET", "POST"])
@login_required
def pool_page(kind, key):
    scope = _scope_or_abort(kind, key)
    setting = queries.setting_of(scope.course.id, scope.cohort.id if scope.cohort else None)
    form = SettingForm()
    choices = [(m.id, m.title) for m in scope.course.active_modules if m.has_assignment]
    form.modules.choices = choices
    if request.method == "GET" and setting is not None:
        form.enabled.data, form.per_learner.data = setting.enabled, setting.reviews_per_learner
        form.anonymous.data, form.use_rubric.data = setting.anonymous, setting.use_rubric
        form.modules.data = list(setting.module_ids or [])
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.save_setting(scope.course, scope.cohort, current_user, enabled=form.enabled.data,
                                      module_ids=form.modules.data or [], per_learner=form.per_learner.data,
                                      anonymous=form.anonymous.data, use_rubric=form.use_rubric.data)
            except DomainError as error:
                flash(error.message, "warning")
            else:
                flash(_("The peer feedback settings have been saved."), "success")
                return redirect(url_for("peer.pool_page", kind=kind, key=key))
        status = 400
    overview = queries.pool_overview(scope, setting)
    return render_template("peer/pool.html", scope=scope, setting=setting, form=form, overview=overview,
                           names=queries.names_of(overview), hide_form=EmptyForm()), status


@bp.post("/collega-feedback/<public_id>/verbergen")
@login_required
def hide(public_id):
    if not permissions.can_review(current_user):
        abort(403)
    review = queries.review_for_moderation(current_user, public_id) or abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    hidden = request.form.get("action") != "show"
    try:
        changed = services.set_hidden(review, current_user, hidden)
    except DomainError as error:
        flash(error.message, "warning")
        changed = False
    if changed:
        flash(_("The feedback is hidden from its recipient.") if hidden
              else _("The feedback is shown to its recipient again."), "success")
    setting = review.setting
    kind, key = ("groep", setting.cohort.public_id) if setting.cohort is not None else ("cursus", setting.course.slug)
    return redirect(url_for("peer.pool_page", kind=kind, key=key, _anchor=f"review-{review.public_id}"))
