"""The organisation area: cohorts, enrolling the team, following its progress.
Every view: load (scoped to what the user administers, else 404) → check → service → render."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from course import permissions
from course.attendance import queries as attendance
from course.audit.services import record_export
from course.csvutil import csv_response
from course.errors import DomainError
from course.extensions import db
from course.forms import EmptyForm, one_button_post
from course.models import Cohort, Course, Enrolment, Invitation, InviteLink, Organisation, UploadBatch, utcnow
from course.pagination import requested_page
from course.urls import safe_next

from . import bp, cohorts, eligibility, invitations, invite_links, reminders, seats, team_html, uploads
from .enrolment_files import PROBLEMS, FileProblem
from .forms import CohortForm, InviteForm, InviteLinkForm, ProgressFilterForm, UploadForm
from .queries import invitations as invitation_queries
from .queries import landing, team

# ---- loading, scoped ------------------------------------------------------


def _require_teams() -> None:
    if not permissions.can_manage_teams(current_user):
        abort(403)


def _scoped(model, public_id: str, *where):
    _require_teams()
    obj = db.session.scalar(sa.select(model).where(model.public_id == public_id, *where))
    if obj is None:
        abort(404)
    return obj


def _cohort(public_id: str) -> Cohort:
    _require_teams()
    cohort = db.session.scalar(  # with its organisation and course, which every cohort page shows
        sa.select(Cohort).where(Cohort.public_id == public_id, permissions.cohorts_managed_by(current_user))
        .options(sa.orm.joinedload(Cohort.organisation), sa.orm.joinedload(Cohort.course)))
    if cohort is None:
        abort(404)
    return cohort


def _managed_cohort_ids():
    return sa.select(Cohort.id).where(permissions.cohorts_managed_by(current_user))


def _organisation(public_id: str) -> Organisation:
    return _scoped(Organisation, public_id, permissions.organisations_visible_to(current_user))


def _enrolment(cohort: Cohort, public_id: str) -> Enrolment:
    return _scoped(Enrolment, public_id, Enrolment.cohort_id == cohort.id)


# ---- cohorts --------------------------------------------------------------


@bp.get("/organisatie")
@login_required
def overview():
    _require_teams()
    summaries = landing.organisation_summaries(permissions.organisations_visible_to(current_user),
                                               reminders.inactive_days_setting())
    return render_template("org/overview.html", summaries=summaries)


def _cohort_form(form: CohortForm, organisation: Organisation | None, cohort: Cohort | None = None) -> CohortForm:
    """Trainers by name only (no one's e-mail address): the course trainers of the
    cohort's course, or, for a new cohort, of each licensed course (named when there
    are several; the service refuses a trainer of another course)."""
    if organisation is not None:
        courses = cohorts.licensed_courses(organisation)
        form.course.choices = [(c.slug, c.title) for c in courses]
    else:
        courses = [cohort.course]
        del form.course
    titles = {c.id: c.title for c in courses}

    def label(user, course_ids):
        if len(titles) == 1:
            return user.name
        return f"{user.name} ({', '.join(titles[c] for c in sorted(course_ids) if c in titles)})"

    form.trainers.choices = [(u.public_id, label(u, ids)) for u, ids in cohorts.trainer_choices(titles, cohort)]
    return form


@bp.route("/organisatie/<org_id>/groepen/nieuw", methods=["GET", "POST"])
@login_required
def new_cohort(org_id):
    organisation = _organisation(org_id)
    form = _cohort_form(CohortForm(), organisation)
    if form.validate_on_submit():
        course = db.session.scalar(sa.select(Course).where(Course.slug == form.course.data))
        try:
            cohort = cohorts.create_cohort(organisation, course, form.name.data, form.starts_on.data,
                                            form.target_on.data, form.trainers.data)
        except cohorts.TrainerNotAllowed as error:
            form.trainers.errors.append(error.message)
        except DomainError as error:
            form.name.errors.append(error.message)
        else:
            flash(_("The group %(name)s has been created.", name=cohort.name), "success")
            return redirect(url_for("org.view_cohort", public_id=cohort.public_id))
    return render_template("org/new_cohort.html", form=form, organisation=organisation)


@bp.route("/organisatie/groepen/<public_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_cohort(public_id):
    cohort = _cohort(public_id)
    form = _cohort_form(CohortForm(obj=cohort), None, cohort)
    if request.method == "GET":
        form.trainers.data = cohorts.cohort_trainer_ids(cohort)
    if form.validate_on_submit():
        try:
            cohorts.update_cohort(cohort, form.name.data, form.starts_on.data, form.target_on.data,
                                   form.trainers.data)
        except cohorts.TrainerNotAllowed as error:
            form.trainers.errors.append(error.message)
        except DomainError as error:
            form.name.errors.append(error.message)
        else:
            flash(_("The group has been saved."), "success")
            return redirect(url_for("org.view_cohort", public_id=cohort.public_id))
    return render_template("org/edit_cohort.html", form=form, cohort=cohort)


def _filters() -> tuple[ProgressFilterForm, dict]:
    form = ProgressFilterForm(request.args)
    form.validate()
    status = form.status.data if form.status.data in team.PROGRESS_FILTERS and not form.status.errors else ""
    days = form.days.data if form.days.data and not form.days.errors else reminders.inactive_days_setting()
    search = (form.q.data or "")[:120]
    return form, {"status": status, "search": search, "inactive_days": days}


@bp.get("/organisatie/groepen/<public_id>")
@login_required
def view_cohort(public_id):
    cohort = _cohort(public_id)
    form, filters = _filters()
    everyone = team.team_status(cohort, filters["inactive_days"])
    shown = team.filter_rows(everyone, filters["status"], filters["search"])
    learners = team.learner_page(shown, request.args.get("deelnemers", 1, type=int))
    licence = seats.licence_for(cohort.organisation_id, cohort.course_id)
    return render_template("org/view_cohort.html", cohort=cohort, rows=learners.items, learners=learners,
                           filter_form=form, filters=filters, attention=team.Attention.of(everyone),
                           status=team.StatusCounts.of(r.state for r in everyone),
                           total_modules=team.module_count(cohort.course_id), licence=licence,
                           action_form=EmptyForm(), invitations=_invitations_page(cohort),
                           links=invitation_queries.cohort_links(cohort), link_url=invite_links.invite_link_url,
                           now=utcnow(), team_rows=team_html.team_rows)


@bp.get("/organisatie/groepen/<public_id>/voortgang.csv")
@login_required
def export_progress(public_id):
    cohort = _cohort(public_id)
    _form, filters = _filters()
    rows = team.team_progress(cohort, **filters)
    header, body = team.progress_export_rows(cohort, rows, team.module_count(cohort.course_id))
    record_export(current_user, "org_progress", organisation=cohort.organisation_id, course=cohort.course_id,
                  obj=cohort, rows=len(body))
    separator = "," if request.args.get("sep") == "comma" else ";"
    return csv_response(f"voortgang-{cohort.name}.csv", header, body, separator=separator)


@bp.get("/organisatie/groepen/<public_id>/deelnemers/<enrolment_id>")
@login_required
def view_learner(public_id, enrolment_id):
    cohort = _cohort(public_id)
    enrolment = _enrolment(cohort, enrolment_id)
    modules, badges = team.learner_progress(enrolment)
    return render_template("org/view_learner.html", cohort=cohort, enrolment=enrolment, modules=modules,
                           badges=badges, form=EmptyForm(), attendance=attendance.requirement_status(enrolment))


@bp.post("/organisatie/groepen/<public_id>/deelnemers/<enrolment_id>/verwijderen")
@login_required
def remove_learner(public_id, enrolment_id):
    cohort = _cohort(public_id)
    enrolment = _enrolment(cohort, enrolment_id)
    one_button_post(lambda: cohorts.remove_learner(enrolment, current_user),
                    _("%(name)s has been removed from the group; the seat is free again.", name=enrolment.user.name))
    return redirect(url_for("org.view_cohort", public_id=cohort.public_id))


@bp.post("/organisatie/groepen/<public_id>/herinneringen")
@login_required
def send_reminders(public_id):
    cohort = _cohort(public_id)
    one_button_post(lambda: reminders.send_reminders(cohort, actor=current_user),
                    lambda sent: _("Reminders sent: %(num)d. Learners who completed the course, are waiting for "
                                   "their trainer or had a reminder in the past week get none.", num=sent))
    return redirect(url_for("org.view_cohort", public_id=cohort.public_id))


def _invitations_page(cohort: Cohort):
    return invitation_queries.cohort_invitations(cohort, page=requested_page(request.args))


# ---- enrolling: file, single invitation, invite link ---------------------


def _render_enrol(cohort: Cohort, upload_form=None, invite_form=None, link_form=None, status=200):
    return render_template(
        "org/enrol_learners.html", cohort=cohort, upload_form=upload_form or UploadForm(),
        invite_form=invite_form or InviteForm(), link_form=link_form or InviteLinkForm(),
        links=invitation_queries.cohort_links(cohort), invitations=_invitations_page(cohort),
        free=seats.free_seats(cohort), link_url=invite_links.invite_link_url, action_form=EmptyForm(),
        now=utcnow(),
    ), status


@bp.get("/organisatie/groepen/<public_id>/inschrijven")
@login_required
def enrol_learners(public_id):
    return _render_enrol(_cohort(public_id))


@bp.post("/organisatie/groepen/<public_id>/bestand")
@login_required
def upload_file(public_id):
    cohort = _cohort(public_id)
    form = UploadForm()
    if not form.validate_on_submit():
        return _render_enrol(cohort, upload_form=form, status=400)
    upload = form.file.data
    try:
        batch = uploads.preview_upload(cohort, upload.filename or "", upload.read(), current_user)
    except FileProblem as problem:
        form.file.errors.append(str(problem.message))
        return _render_enrol(cohort, upload_form=form, status=400)
    return redirect(url_for("org.preview_upload", public_id=batch.public_id))


def _batch(public_id: str) -> UploadBatch:
    return _scoped(UploadBatch, public_id, UploadBatch.cohort_id.in_(_managed_cohort_ids()))


@bp.get("/organisatie/bestanden/<public_id>")
@login_required
def preview_upload(public_id):
    batch = _batch(public_id)
    rows = batch.rows or []
    return render_template("org/preview_upload.html", batch=batch, cohort=batch.cohort, rows=rows,
                           counts=uploads.upload_counts(rows), row_states=eligibility.RowStatus,
                           problems=PROBLEMS, form=EmptyForm())


@bp.post("/organisatie/bestanden/<public_id>/bevestigen")
@login_required
def confirm_upload(public_id):
    batch = _batch(public_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        invited, skipped = uploads.confirm_upload(batch, current_user)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        flash(_("%(invited)s; %(skipped)s.",
                invited=ngettext("%(num)d invitation sent", "%(num)d invitations sent", invited),
                skipped=ngettext("%(num)d row skipped", "%(num)d rows skipped", skipped)), "success")
    return redirect(url_for("org.view_cohort", public_id=batch.cohort.public_id))


@bp.post("/organisatie/groepen/<public_id>/uitnodigen")
@login_required
def invite_learner(public_id):
    cohort = _cohort(public_id)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitations.invite_one(cohort, form.email.data, form.name.data or "", current_user)
        except DomainError as error:
            form.email.errors.append(error.message)
        else:
            flash(_("An invitation has been sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("org.enrol_learners", public_id=cohort.public_id))
    return _render_enrol(cohort, invite_form=form, status=400)


@bp.post("/organisatie/groepen/<public_id>/links")
@login_required
def create_link(public_id):
    cohort = _cohort(public_id)
    form = InviteLinkForm()
    if form.validate_on_submit():
        try:
            invite_links.create_invite_link(cohort, form.seat_cap.data, form.expires_on.data, current_user)
        except DomainError as error:
            form.expires_on.errors.append(error.message)
        else:
            flash(_("The link has been created. Share it on your intranet."), "success")
            return redirect(url_for("org.enrol_learners", public_id=cohort.public_id) + "#links")
    return _render_enrol(cohort, link_form=form, status=400)


@bp.post("/organisatie/links/<public_id>/intrekken")
@login_required
def revoke_link(public_id):
    link = _scoped(InviteLink, public_id, InviteLink.cohort_id.in_(_managed_cohort_ids()))
    one_button_post(lambda: invite_links.revoke_invite_link(link),
                    _("The link has been revoked; it can no longer be used."))
    return redirect(safe_next(url_for("org.enrol_learners", public_id=link.cohort.public_id) + "#links"))


# ---- open invitations: resend, withdraw ------------------------------------


def _invitation(public_id: str) -> Invitation:
    return _scoped(Invitation, public_id, Invitation.cohort_id.in_(_managed_cohort_ids()))


def _back_to_invitations(invitation: Invitation):
    return redirect(safe_next(url_for("org.view_cohort", public_id=invitation.cohort.public_id) + "#uitnodigingen"))


@bp.post("/organisatie/uitnodigingen/<public_id>/opnieuw-versturen")
@login_required
def resend_invitation(public_id):
    invitation = _invitation(public_id)
    one_button_post(lambda: invitations.resend_invitation(invitation, current_user),
                    _("The invitation to %(email)s has been sent again, with a new expiry date.",
                      email=invitation.email))
    return _back_to_invitations(invitation)


@bp.post("/organisatie/uitnodigingen/<public_id>/intrekken")
@login_required
def revoke_invitation(public_id):
    invitation = _invitation(public_id)
    one_button_post(lambda: invitations.revoke_invitation(invitation, current_user),
                    _("The invitation to %(email)s has been withdrawn.", email=invitation.email))
    return _back_to_invitations(invitation)
