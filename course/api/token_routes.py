"""The organisation admin's API-token page: create (the secret is shown once, in the
response, never in the session or a flash), see last use, revoke.
Load (scoped, else 404) → check → service → render."""
import sqlalchemy as sa
from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from course import permissions
from course.errors import DomainError
from course.extensions import db
from course.forms import EmptyForm, one_button_post
from course.models import ApiToken, Organisation

from . import services, tokens_bp
from .forms import TokenForm


def _organisation(public_id: str) -> Organisation:
    if not permissions.can_manage_teams(current_user):
        abort(403)
    organisation = db.session.scalar(sa.select(Organisation).where(
        Organisation.public_id == public_id, permissions.organisations_visible_to(current_user)))
    if organisation is None:
        abort(404)
    if not permissions.can_manage_api_tokens(current_user, organisation):
        abort(403)
    return organisation


def _render(organisation: Organisation, form: TokenForm | None = None, new=None, status: int = 200):
    response = render_template("api/tokens.html", organisation=organisation, form=form or TokenForm(),
                               tokens=services.tokens_of(organisation), new=new, scopes=services.SCOPES,
                               action_form=EmptyForm())
    return response, status, {"Cache-Control": "private, no-store"}


@tokens_bp.get("/organisatie/<org_id>/api-sleutels")
@login_required
def tokens(org_id):
    return _render(_organisation(org_id))


@tokens_bp.post("/organisatie/<org_id>/api-sleutels")
@login_required
def create_token(org_id):
    organisation = _organisation(org_id)
    form = TokenForm()
    if form.validate_on_submit():
        try:
            new = services.create_token(organisation, form.name.data, form.scopes.data, current_user)
        except DomainError as error:
            form.scopes.errors.append(error.message)
        else:
            return _render(organisation, new=new)
    return _render(organisation, form=form, status=400)


@tokens_bp.post("/organisatie/api-sleutels/<public_id>/intrekken")
@login_required
def revoke_token(public_id):
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.public_id == public_id))
    organisation = _organisation(token.organisation.public_id) if token is not None else abort(404)
    one_button_post(lambda: services.revoke_token(token, actor=current_user._get_current_object()),
                    _("The token %(name)s has been revoked; it no longer works.", name=token.name))
    return redirect(url_for("api_tokens.tokens", org_id=organisation.public_id))
