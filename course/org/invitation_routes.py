"""Accepting a personal invitation or joining through an invite link.
Anonymous visitors create an account (or log in first); logged-in users accept."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user

from course.auth.services import EmailTaken, find_user_by_email
from course.forms import EmptyForm
from course.i18n import select_locale

from . import bp, invitations, invite_links
from .forms import LinkAccountForm, NewAccountForm
from .tokens import InvitationProblem

PROBLEM_MESSAGES = {
    "invalid": _l("This invitation link is not valid. Check that you copied the whole link from the e-mail."),
    "expired": _l("This invitation has expired. Ask your organisation for a new one."),
    "revoked": _l("This invitation has been withdrawn by your organisation. Ask them if this is a mistake."),
    "used": _l("This invitation has already been used. Log in to continue with your course."),
    "full": _l("This link has reached its maximum number of sign-ups. Ask your organisation for a new link."),
    "other_address": _l("This invitation was sent to another e-mail address than the one you are logged in "
                        "with. Log out and open the link again, or log in with the invited address."),
    "has_account": _l("There is already an account with this e-mail address. Log in to accept the invitation."),
}


def _problem(error: InvitationProblem):
    message = PROBLEM_MESSAGES.get(error.reason) or error.message or PROBLEM_MESSAGES["invalid"]
    status = 403 if error.reason == "other_address" else 400
    return render_template("org/invitation_problem.html", message=message, reason=error.reason), status


def _welcome(invitation_or_cohort_name: str, as_admin: bool = False):
    if as_admin:
        flash(_("Welcome! You now manage %(org)s.", org=invitation_or_cohort_name), "success")
        return redirect(url_for("org.overview"))
    flash(_("Welcome to the group %(name)s! You can start right away.", name=invitation_or_cohort_name), "success")
    return redirect(url_for("learn.my_learning"))


def _invitation_target(invitation) -> str:
    return invitation.organisation.name if invitation.as_org_admin else invitation.cohort.name


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    try:
        invitation = invitations.invitation_for_token(token)
        if current_user.is_authenticated:
            return _accept_logged_in(token, invitation)
        return _accept_new_account(token, invitation)
    except InvitationProblem as error:
        return _problem(error)


def _accept_logged_in(token, invitation):
    if current_user.email != invitation.email:
        raise InvitationProblem("other_address")
    form = EmptyForm()
    if form.validate_on_submit():
        invitations.accept_invitation(token, current_user)
        return _welcome(_invitation_target(invitation), invitation.as_org_admin)
    return render_template("org/accept_invitation.html", invitation=invitation, form=form, new_account=False)


def _accept_new_account(token, invitation):
    if find_user_by_email(invitation.email) is not None:
        return render_template("org/accept_invitation.html", invitation=invitation, form=None, new_account=False,
                               login_url=url_for("auth.login", next=request.path))
    form = NewAccountForm()
    if form.validate_on_submit():
        user = invitations.accept_invitation_new_account(token, form.name.data, form.password.data,
                                                      locale=select_locale())
        login_user(user)
        return _welcome(_invitation_target(invitation), invitation.as_org_admin)
    if request.method == "GET" and invitation.name:
        form.name.data = invitation.name
    return render_template("org/accept_invitation.html", invitation=invitation, form=form, new_account=True)


@bp.route("/uitnodiging/link/<token>", methods=["GET", "POST"])
def join_link(token):
    try:
        link = invite_links.link_for_token(token)
        if current_user.is_authenticated:
            form = EmptyForm()
            if form.validate_on_submit():
                invite_links.join_with_link(token, current_user)
                return _welcome(link.cohort.name)
            return render_template("org/join_link.html", link=link, form=form, new_account=False)
        return _join_new_account(token, link)
    except InvitationProblem as error:
        return _problem(error)


def _join_new_account(token, link):
    form = LinkAccountForm()
    if form.validate_on_submit():
        try:
            user = invite_links.join_with_link_new_account(token, form.name.data, form.email.data, form.password.data,
                                                       locale=select_locale())
        except EmailTaken:
            form.email.errors.append(_("There is already an account with this e-mail address. Log in first, "
                                       "then open the link again."))
        else:
            login_user(user)
            return _welcome(link.cohort.name)
    return render_template("org/join_link.html", link=link, form=form, new_account=True,
                           login_url=url_for("auth.login", next=request.path))


