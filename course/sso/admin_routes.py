"""The platform admin sets up an organisation's OpenID provider (on the organisation's page)."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from course import permissions
from course.extensions import db
from course.models import Organisation

from . import bp, services
from .forms import ConfigForm


@bp.route("/beheer/organisaties/<public_id>/sso", methods=["GET", "POST"])
@login_required
def edit_config(public_id):
    if not permissions.can_configure_sso(current_user):
        abort(403)
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.public_id == public_id))
    if organisation is None:
        abort(404)
    config = services.config_for(organisation)
    initial = {"password_login_allowed": True}
    if config is not None:
        initial = {"issuer": config.issuer, "client_id": config.client_id,
                   "allowed_domains": "\n".join(config.domains),
                   "password_login_allowed": config.password_login_allowed}
    form = ConfigForm(has_secret=config is not None, organisation=organisation,
                      data=initial if request.method == "GET" else None)
    if form.validate_on_submit():
        services.save_config(organisation, issuer=form.issuer.data, client_id=form.client_id.data,
                             client_secret=form.client_secret.data or None,
                             domains=services.parse_domains(form.allowed_domains.data),
                             password_login_allowed=form.password_login_allowed.data,
                             actor=current_user._get_current_object())
        flash(_("Single sign-on for %(org)s has been saved.", org=organisation.name), "success")
        return redirect(url_for("sso.edit_config", public_id=organisation.public_id))
    return render_template("sso/admin_config.html", organisation=organisation, form=form, config=config,
                           redirect_uri=services.redirect_uri())
