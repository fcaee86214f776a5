"""Sign in with the work account: ask the address, send the browser to the organisation's
provider, check its answer, log in (or first link a known account). Load → check → service → render."""
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from course import permissions
from course.extensions import limiter
from course.urls import safe_next

from . import bp, oidc, services
from .errors import SSOError
from .forms import LinkMailForm, LinkPasswordForm, StartForm

FLOWS_KEY = "sso_flows"  # state -> what the callback checks; each state is used once
LINK_KEY = "sso_link"  # a known account that must prove itself before it is linked
MAX_OPEN_FLOWS = 5


def _log_in(user):
    login_user(user)  # also drops the pre-login CSRF secret (see course/auth/routes.py)
    session.pop("lang", None)
    return redirect(safe_next(url_for(permissions.home_endpoint(user))))


def error_page(error: SSOError):
    current_app.logger.info("single sign-on refused: %s %s", error.kind, error.detail)
    status = {"provider_down": 503, "domain": 403, "unknown_domain": 404}.get(error.kind, 400)
    return render_template("sso/error.html", kind=error.kind, detail=error.detail), status


@bp.route("/inloggen/werkaccount", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"])
def start():
    if current_user.is_authenticated:
        return redirect(url_for(permissions.home_endpoint(current_user)))
    form = StartForm()
    if not form.validate_on_submit():
        return render_template("sso/start.html", form=form)
    config = services.config_for_email(form.email.data)
    if config is None:
        return error_page(SSOError("unknown_domain"))
    try:
        url, pending = oidc.start(config.issuer, config.client_id, services.client_secret(config),
                                  services.redirect_uri(), login_hint=form.email.data)
    except SSOError as error:
        return error_page(error)
    flows = dict(list(session.get(FLOWS_KEY, {}).items())[-(MAX_OPEN_FLOWS - 1):])
    flows[pending.pop("state")] = pending | {"org": config.organisation_id}
    session[FLOWS_KEY] = flows
    return render_template("sso/redirect.html", url=url)


@bp.get("/inloggen/werkaccount/terug")
def callback():
    flows = session.get(FLOWS_KEY, {})
    pending = flows.pop(request.args.get("state", ""), None)
    session[FLOWS_KEY] = flows  # popped: the same state never works twice
    try:
        return _finish(pending)
    except SSOError as error:
        return error_page(error)


def _finish(pending: dict | None):
    if pending is None:
        raise SSOError("state", "unknown or already used state")
    if request.args.get("error"):
        kind = "cancelled" if request.args["error"] == "access_denied" else "provider_error"
        raise SSOError(kind, request.args["error"])
    config = services.config_for_organisation_id(pending["org"])
    if config is None or not request.args.get("code"):
        raise SSOError("provider_error", "no code or no configuration")
    if not services.response_issuer_matches(config, request.args.get("iss")):  # RFC 9207: no mix-up
        raise SSOError("invalid_token", "the authorization response names another issuer")
    claims = oidc.finish(config.issuer, config.client_id, services.client_secret(config), services.redirect_uri(),
                         request.args["code"], pending, leeway=current_app.config["OIDC_CLOCK_LEEWAY"])
    sign_in = services.resolve_sign_in(config, claims)
    if sign_in.user is not None:
        return _log_in(sign_in.user)
    session[LINK_KEY] = sign_in.pending
    return redirect(url_for("sso.link"))


@bp.route("/inloggen/werkaccount/koppelen", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_IP"], methods=["POST"])
def link():
    pending = session.get(LINK_KEY)
    user = services.user_for_pending(pending)
    if user is None:
        return error_page(SSOError("state", "nothing to link"))
    form = LinkPasswordForm()
    if form.validate_on_submit():
        if services.link_by_password(user, pending, form.password.data):
            session.pop(LINK_KEY, None)
            flash(_("Your work account is linked. From now on you can log in with it."), "success")
            return _log_in(user)
        form.password.errors.append(_("That is not the password of this Leerlijn account."))
    return render_template("sso/link.html", form=form, mail_form=LinkMailForm(), email=user.email,
                           has_password=bool(user.password_hash))


@bp.post("/inloggen/werkaccount/koppelen/mail")
@limiter.limit(lambda: current_app.config["RESET_LIMIT_PER_ACCOUNT"])
def link_mail():
    pending = session.get(LINK_KEY)
    user = services.user_for_pending(pending)
    if user is None:
        return error_page(SSOError("state", "nothing to link"))
    if LinkMailForm().validate_on_submit():
        services.send_link_mail(user, pending)
        session.pop(LINK_KEY, None)
        return render_template("sso/link_sent.html", email=user.email)
    return redirect(url_for("sso.link"))


@bp.get("/inloggen/werkaccount/koppelen/<token>")
def confirm_link(token):
    try:
        services.confirm_link(token)
    except SSOError as error:
        return error_page(error)
    # The mail proves the address, not who is at this browser: log in with the work account now.
    flash(_("Your work account is linked. Log in with it to continue."), "success")
    return redirect(url_for("sso.start"))
