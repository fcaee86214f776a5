"""The learner page of the trainer dashboard, with trainer overrides: grant one
(extra quiz attempts, lift the cooling-off, reopen an approved assignment, move a
target date) and withdraw one. Load → check the policy → call the service → render."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from course import permissions
from course.attendance import queries as attendance
from course.forms import EmptyForm

from . import bp, overrides
from .override_forms import KINDS, build_forms
from .queries import learner, queue


def enrolment_or_404(public_id: str):
    if not permissions.can_review(current_user):
        abort(403)
    enrolment = learner.load_enrolment(public_id)
    if enrolment is None or not permissions.can_view_learner_detail(current_user, enrolment):
        abort(404)
    return enrolment


def render_learner(enrolment, forms=None, status=200, message=None):
    detail = learner.learner_detail(enrolment)
    given = overrides.overrides_of(enrolment)
    can_override = permissions.can_override_for(current_user, enrolment)
    submissions = {s.module_id: s for s in detail.submissions}
    sessions = attendance.enrolment_summary(enrolment).sessions
    return render_template(
        "review/learner_detail.html", detail=detail, attempt_answers=learner.attempt_answers,
        level_titles=queue.level_titles, overrides=given, timeline=overrides.timeline(detail.events, given, sessions),
        revoke_blockers={o.id: overrides.revoke_blocker(o, submissions.get(o.module_id))
                         for o in given if o.revoked_at is None},
        override_forms=(forms or build_forms(overrides.choices_for(enrolment))) if can_override else {},
        revoke_form=EmptyForm(), message=message,
    ), status


def _learner_url(enrolment, anchor=None):
    return url_for("review.learner_detail", public_id=enrolment.public_id, _anchor=anchor)


def _grant(kind, enrolment, form):
    module = overrides.module_by_slug(enrolment, form.module.data)
    if module is None:
        raise overrides.OverrideRefused(_("Choose a module."))
    if kind == "extra-pogingen":
        return overrides.grant_extra_attempts(enrolment, module, form.amount.data, form.reason.data, current_user)
    if kind == "afkoelen-opheffen":
        return overrides.lift_cooldown(enrolment, module, form.reason.data, current_user)
    if kind == "heropenen":
        return overrides.reopen_assignment(enrolment, module, form.reason.data, current_user)
    return overrides.move_due_date(enrolment, module, form.new_date.data, form.reason.data, current_user)


@bp.post(f"/voortgang/deelnemer/<public_id>/uitzondering/<{KINDS}:kind>")
@login_required
def grant_override(public_id, kind):
    enrolment = enrolment_or_404(public_id)
    if not permissions.can_override_for(current_user, enrolment):
        abort(404)
    forms = build_forms(overrides.choices_for(enrolment), posted_kind=kind)
    form = forms[kind]
    if not form.validate_on_submit():
        return render_learner(enrolment, forms, 400)
    try:
        _grant(kind, enrolment, form)
    except overrides.OverrideRefused as error:
        return render_learner(enrolment, forms, 400, error.message)
    flash(_("The exception for %(name)s has been saved and is on the timeline.", name=enrolment.user.name),
          "success")
    return redirect(_learner_url(enrolment, "overrides-heading"))


@bp.post("/voortgang/deelnemer/<public_id>/uitzondering/<override_id>/intrekken")
@login_required
def revoke_override(public_id, override_id):
    enrolment = enrolment_or_404(public_id)
    override = overrides.load_override(enrolment, override_id)
    if override is None or not permissions.can_override_for(current_user, enrolment):
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        overrides.revoke(override, current_user)
    except overrides.OverrideRefused as error:
        return render_learner(enrolment, status=409, message=error.message)
    flash(_("The exception has been withdrawn."), "success")
    return redirect(_learner_url(enrolment, "overrides-heading"))
