"""Log in and out, register, reset and change the password, edit the profile."""
from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user, user_logged_in

from course import permissions
from course.extensions import limiter, login_manager
from course.sso.services import password_login_refused
from course.stash import stash_current_post
from course.urls import safe_next

from . import bp, registration, services
from .forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    CompleteRegistrationForm,
    ConfirmForm,
    EraseAccountForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from .passwords import verify_password

login_manager.user_loader(services.load_user)
login_manager.login_view = "auth.login"


@login_manager.unauthorized_handler
def unauthorized():
    # An expired session must not lose what was being posted: keep it for after login.
    if request.method == "POST":
        stash_current_post()
        flash(_("Your session had expired. Log in again; what you typed has been kept."), "warning")
        return redirect(url_for("auth.login", next=_page_to_return_to()))
    flash(_("Log in to see this page."), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _page_to_return_to() -> str:
    """After a lost session, go back to the page the form was on (same site only)."""
    referrer = request.referrer or ""
    if referrer.startswith(request.host_url):
        return "/" + referrer.removeprefix(request.host_url)
    return request.path


@user_logged_in.connect
def _new_csrf_secret_at_login(_app, **_extra) -> None:
    """A CSRF token seen before login (on a shared computer, in a planted form) must not
    work after it: Flask-WTF keeps its secret in the session, so drop it at every login."""
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)


def _login_account_key() -> str:
    return "login-account:" + services.normalise_email(request.form.get("email", ""))


def _login_account_and_ip_key() -> str:
    return f"login-account-ip:{get_remote_address()}:" + services.normalise_email(request.form.get("email", ""))


def _reset_account_key() -> str:
    return "reset-account:" + services.normalise_email(request.form.get("email", ""))


def _mail_target_key() -> str:
    # Registration and address changes mail the typed address: no mail-bombing one inbox.
    return "mail-target:" + services.normalise_email(request.form.get("email", ""))


def _ip_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_IP"]


def _account_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def _account_and_ip_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_IP"]


def _reset_limit() -> str:
    return current_app.config["RESET_LIMIT_PER_ACCOUNT"]


def _register_limit() -> str:
    return current_app.config["REGISTER_LIMIT"]


def _login_failed(response) -> bool:
    # A successful login redirects; only failures count toward the login limits.
    return response.status_code != 302


def _land(user) -> str:
    return safe_next(url_for(permissions.home_endpoint(user)))


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(_ip_limit, methods=["POST"], deduct_when=_login_failed)
@limiter.limit(_account_and_ip_limit, methods=["POST"], key_func=_login_account_and_ip_key,
               deduct_when=_login_failed)
@limiter.limit(_account_limit, methods=["POST"], key_func=_login_account_key, deduct_when=_login_failed)
def login():
    if current_user.is_authenticated:
        return redirect(_land(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user and password_login_refused(user):  # the organisation uses single sign-on only
            flash(_("Your organisation has you log in with your work account. Use \"Log in with your work "
                    "account\" below."), "error")
        elif user:
            login_user(user)  # also drops the pre-login CSRF secret (_new_csrf_secret_at_login)
            session.pop("lang", None)
            return redirect(_land(user))
        else:
            flash(_("The e-mail address or password is not correct."), "error")
    return render_template("auth/login.html", form=form,
                           open_registration=current_app.config["OPEN_REGISTRATION"])


@bp.post("/uitloggen")
def logout():
    if current_user.is_authenticated:
        services.end_session(current_user._get_current_object())
    logout_user()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/registreren", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
@limiter.limit(_reset_limit, methods=["POST"], key_func=_mail_target_key)
def register():
    if not current_app.config["OPEN_REGISTRATION"]:
        return render_template("auth/registration_closed.html"), 403
    if current_user.is_authenticated:
        return redirect(_land(current_user))
    form = RegisterForm()
    if form.validate_on_submit():
        registration.request_registration(form.email.data, form.name.data,
                                          locale=session.get("lang") or _current_locale(),
                                          next_path=safe_next(""))  # e.g. back to a session's sign-up
        # The same page for a new and a known address: the mail tells which.
        return render_template("auth/register_sent.html", email=form.email.data)
    return render_template("auth/register.html", form=form)


@bp.route("/registreren/<token>", methods=["GET", "POST"])
def complete_registration(token):
    if not current_app.config["OPEN_REGISTRATION"]:
        return render_template("auth/registration_closed.html"), 403
    try:
        pending = registration.registration_for_token(token)
    except services.TokenInvalid as error:
        return render_template("auth/link_invalid.html", reason=error.reason), 400
    form = CompleteRegistrationForm()
    form.password_owner = pending
    if form.validate_on_submit():
        try:
            user = registration.complete_registration(token, form.password.data)
        except services.TokenInvalid as error:
            return render_template("auth/link_invalid.html", reason=error.reason), 400
        login_user(user)
        flash(_("Welcome to Leerlijn! Your account has been created."), "success")
        return redirect(pending.next_path or url_for("learn.my_learning"))
    return render_template("auth/complete_registration.html", form=form, pending=pending)


def _current_locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "nl")


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(_ip_limit, methods=["POST"])
@limiter.limit(_reset_limit, methods=["POST"], key_func=_reset_account_key)  # no mail-bombing one inbox
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If an account exists for this address, we have sent a link to reset the password. "
                "Check your mailbox."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        services.user_for_reset_token(token)
    except services.TokenInvalid as error:
        return render_template("auth/reset_invalid.html", reason=error.reason), 400
    form = ResetPasswordForm()
    form.password_owner = services.user_for_reset_token(token)
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data)
        except services.TokenInvalid as error:
            return render_template("auth/reset_invalid.html", reason=error.reason), 400
        login_user(user)
        flash(_("Your password has been changed."), "success")
        return redirect(url_for(permissions.home_endpoint(user)))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/mijn-account/wachtwoord", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    form.password_owner = current_user
    if form.validate_on_submit():
        if services.change_password(current_user, form.current_password.data, form.password.data):
            login_user(current_user._get_current_object())  # new session token: keep this session
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.profile"))
        form.current_password.errors.append(_("This is not your current password."))
    return render_template("auth/change_password.html", form=form)


@bp.route("/mijn-account", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(current_user, form.name.data, form.locale.data, form.registration_number.data)
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)


@bp.route("/mijn-account/e-mailadres", methods=["GET", "POST"])
@login_required
@limiter.limit(_register_limit, methods=["POST"])  # also bounds guessing the current password
@limiter.limit(_reset_limit, methods=["POST"], key_func=_mail_target_key)
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            sent = registration.request_email_change(current_user, form.current_password.data, form.email.data)
        except registration.SameEmail:
            form.email.errors.append(_("This is already your e-mail address."))
        else:
            if sent:
                flash(_("We have sent a link to %(email)s. Your address changes when you open it.",
                        email=form.email.data), "info")
                return redirect(url_for("auth.profile"))
            form.current_password.errors.append(_("This is not your current password."))
    return render_template("auth/change_email.html", form=form)


@bp.route("/e-mailadres-bevestigen/<token>", methods=["GET", "POST"])
def confirm_email_change(token):
    try:
        _user, new_email = registration.email_change_for_token(token)
    except services.TokenInvalid as error:
        return render_template("auth/link_invalid.html", reason=error.reason), 400
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            registration.confirm_email_change(token)
        except services.TokenInvalid as error:
            return render_template("auth/link_invalid.html", reason=error.reason), 400
        except services.EmailTaken:
            return render_template("auth/link_invalid.html", reason="taken"), 400
        flash(_("Your e-mail address has been changed to %(email)s.", email=new_email), "success")
        return redirect(url_for("auth.profile") if current_user.is_authenticated else url_for("auth.login"))
    return render_template("auth/confirm_email_change.html", form=form, new_email=new_email)


@bp.route("/mijn-account/verwijderen", methods=["GET", "POST"])
@login_required
def erase_account():
    form = EraseAccountForm()
    if form.validate_on_submit():
        if verify_password(current_user.password_hash, form.current_password.data):
            services.erase_account(current_user._get_current_object())
            logout_user()
            flash(_("Your account and your personal data have been deleted."), "info")
            return redirect(url_for("main.index"))
        form.current_password.errors.append(_("This is not your current password."))
    return render_template("auth/erase_account.html", form=form)
