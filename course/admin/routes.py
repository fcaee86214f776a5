"""Platform administration: in-company requests, organisations and seats, organisation
admins and trainers. Load → check → service → render."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from course import permissions
from course.attendance.incompany import SessionPlanError, preferred_dates
from course.errors import DomainError, InvalidTransition
from course.extensions import db
from course.forms import EmptyForm, one_button_post
from course.models import Course, InCompanyRequest, Invitation, Organisation, RequestStatus, User

from . import bp, queries, services
from .forms import AppointAdminForm, AppointTrainerForm, ConvertRequestForm, OrganisationForm, SeatsForm


@bp.before_request
@login_required
def _platform_admins_only():
    if not permissions.can_administer_platform(current_user):
        abort(403)


def _load(model, public_id: str):
    obj = db.session.scalar(sa.select(model).where(model.public_id == public_id))
    if obj is None:
        abort(404)
    return obj


@bp.get("/beheer")
def dashboard():
    return render_template("admin/dashboard.html", figures=queries.platform_figures())


# ---- in-company requests ---------------------------------------------------


@bp.get("/beheer/aanvragen")
def list_requests():
    status = request.args.get("status", "")
    status = status if status in {s.value for s in RequestStatus} else ""
    return render_template("admin/list_requests.html", requests=services.requests_list(status or None),
                           status=status, statuses=RequestStatus)


@bp.route("/beheer/aanvragen/<public_id>", methods=["GET", "POST"])
def view_request(public_id):
    in_company = _load(InCompanyRequest, public_id)
    form = ConvertRequestForm(data=_convert_defaults(in_company) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            organisation = services.convert_request(in_company, form.seats.data, form.ends_on.data, current_user,
                                                    form.organisation_name.data, plan=form.session_plan())
        except InvalidTransition as error:
            flash(error.message, "error")
        except SessionPlanError as error:
            db.session.rollback()
            form.cohort_name.errors.append(error.message)
        except DomainError as error:
            form.organisation_name.errors.append(error.message)
        else:
            flash(_("%(org)s has been created with %(seats)d seats; %(email)s has been invited as organisation "
                    "admin.", org=organisation.name, seats=form.seats.data, email=in_company.email), "success")
            if form.create_sessions.data:
                flash(_("The group and %(count)d live sessions have been created.",
                        count=len(set(form.session_dates()))), "success")
            return redirect(url_for("admin.view_organisation", public_id=organisation.public_id))
    converted_to = db.session.get(Organisation, in_company.organisation_id) if in_company.organisation_id else None
    return render_template("admin/view_request.html", in_company=in_company, form=form, decline_form=EmptyForm(),
                           converted_to=converted_to, preferred_dates=preferred_dates(in_company))


def _convert_defaults(in_company) -> dict:
    """The conversion form as the request asked: its name, team size and preferred dates."""
    from datetime import time

    dates = preferred_dates(in_company)
    data = {"seats": in_company.team_size, "organisation_name": in_company.organisation_name,
            "create_sessions": bool(dates), "session_starts": time(9, 0), "session_ends": time(12, 30)}
    data.update({f"session_date_{n}": day for n, day in enumerate(dates[:3], start=1)})
    return data


@bp.post("/beheer/aanvragen/<public_id>/afwijzen")
def decline_request(public_id):
    in_company = _load(InCompanyRequest, public_id)
    one_button_post(lambda: services.decline_request(in_company), _("The request has been declined."))
    return redirect(url_for("admin.list_requests"))


# ---- organisations ----------------------------------------------------------


@bp.get("/beheer/organisaties")
def list_organisations():
    return render_template("admin/list_organisations.html", rows=services.organisation_rows())


@bp.route("/beheer/organisaties/nieuw", methods=["GET", "POST"])
def new_organisation():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = services.create_organisation(form.name.data, form.contact_name.data,
                                                        form.contact_email.data)
        except DomainError as error:
            form.name.errors.append(error.message)
        else:
            flash(_("The organisation has been created. Now give it seats."), "success")
            return redirect(url_for("admin.view_organisation", public_id=organisation.public_id))
    return render_template("admin/new_organisation.html", form=form)


def _seats_form(form: SeatsForm) -> SeatsForm:
    form.course.choices = [(c.slug, c.title) for c in services.active_courses()]
    return form


def _render_organisation(organisation, seats_form=None, admin_form=None, status=200):
    return render_template("admin/view_organisation.html", organisation=organisation,
                           seats_form=seats_form or _seats_form(SeatsForm()),
                           admin_form=admin_form or AppointAdminForm(),
                           action_form=EmptyForm(), **services.organisation_detail(organisation)), status


@bp.get("/beheer/organisaties/<public_id>")
def view_organisation(public_id):
    return _render_organisation(_load(Organisation, public_id))


@bp.post("/beheer/organisaties/<public_id>/plaatsen")
def set_seats(public_id):
    organisation = _load(Organisation, public_id)
    form = _seats_form(SeatsForm())
    if form.validate_on_submit():
        course = db.session.scalar(sa.select(Course).where(Course.slug == form.course.data))
        try:
            services.set_seats(organisation, course, form.seats.data, form.ends_on.data, current_user)
        except DomainError as error:
            form.seats.errors.append(error.message)
        else:
            flash(_("The seats have been saved."), "success")
            return redirect(url_for("admin.view_organisation", public_id=organisation.public_id))
    return _render_organisation(organisation, seats_form=form, status=400)


@bp.post("/beheer/organisaties/<public_id>/beheerders")
def appoint_admin(public_id):
    organisation = _load(Organisation, public_id)
    form = AppointAdminForm()
    if form.validate_on_submit():
        outcome = services.appoint_org_admin(organisation, form.email.data, form.name.data or "", current_user)
        if outcome == "invited":
            flash(_("There was no account for %(email)s yet; an invitation has been sent.", email=form.email.data),
                  "success")
        else:
            flash(_("%(email)s now manages this organisation.", email=form.email.data), "success")
        return redirect(url_for("admin.view_organisation", public_id=organisation.public_id))
    return _render_organisation(organisation, admin_form=form, status=400)


@bp.post("/beheer/organisaties/<public_id>/beheerders/<user_id>/verwijderen")
def remove_admin(public_id, user_id):
    organisation = _load(Organisation, public_id)
    user = _load(User, user_id)
    one_button_post(lambda: services.remove_org_admin(organisation, user, current_user),
                    _("%(name)s no longer manages this organisation.", name=user.name))
    return redirect(url_for("admin.view_organisation", public_id=organisation.public_id))


def _admin_invitation(organisation: Organisation, invitation_id: str) -> Invitation:
    """A pending-or-not organisation-admin invitation of this organisation; anything else is 404."""
    invitation = db.session.scalar(sa.select(Invitation).where(
        Invitation.public_id == invitation_id, Invitation.organisation_id == organisation.id,
        Invitation.as_org_admin.is_(True)))
    if invitation is None:
        abort(404)
    return invitation


@bp.post("/beheer/organisaties/<public_id>/uitnodigingen/<invitation_id>/opnieuw-versturen")
def resend_admin_invitation(public_id, invitation_id):
    organisation = _load(Organisation, public_id)
    invitation = _admin_invitation(organisation, invitation_id)
    one_button_post(lambda: services.resend_admin_invitation(invitation, current_user),
                    _("The invitation to %(email)s has been sent again, with a new expiry date.",
                      email=invitation.email))
    return redirect(url_for("admin.view_organisation", public_id=organisation.public_id) + "#beheerders")


@bp.post("/beheer/organisaties/<public_id>/uitnodigingen/<invitation_id>/intrekken")
def revoke_admin_invitation(public_id, invitation_id):
    organisation = _load(Organisation, public_id)
    invitation = _admin_invitation(organisation, invitation_id)
    one_button_post(lambda: services.revoke_admin_invitation(invitation, current_user),
                    _("The invitation to %(email)s has been withdrawn.", email=invitation.email))
    return redirect(url_for("admin.view_organisation", public_id=organisation.public_id) + "#beheerders")


# ---- trainers -----------------------------------------------------------------


@bp.route("/beheer/trainers", methods=["GET", "POST"])
def list_trainers():
    form = AppointTrainerForm()
    if form.validate_on_submit():
        try:
            user = services.appoint_trainer(form.email.data, current_user)
        except DomainError as error:
            form.email.errors.append(error.message)
        else:
            flash(_("%(name)s is now a trainer.", name=user.name), "success")
            return redirect(url_for("admin.list_trainers"))
    return render_template("admin/list_trainers.html", form=form, trainers=services.trainers()), \
        (400 if form.errors else 200)
