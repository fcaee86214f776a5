"""Log in and out, register, reset and change the password, edit the profile."""
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from course import permissions
from course.extensions import limiter, login_manager
from course.stash import stash_current_post
from course.urls import safe_next

from . import bp, services
from .forms import (
    ChangePasswordForm,
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


def _login_account_key() -> str:
    return "login-account:" + services.normalise_email(request.form.get("email", ""))


def _reset_account_key() -> str:
    return "reset-account:" + services.normalise_email(request.form.get("email", ""))


def _ip_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_IP"]


def _account_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def _land(user) -> str:
    return safe_next(url_for(permissions.home_endpoint(user)))


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(_ip_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_login_account_key)
def login():
    if current_user.is_authenticated:
        return redirect(_land(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user:
            login_user(user)
            session.pop("lang", None)
            return redirect(_land(user))
        flash(_("The e-mail address or password is not correct."), "error")
    return render_template("auth/login.html", form=form,
                           open_registration=current_app.config["OPEN_REGISTRATION"])


@bp.post("/uitloggen")
def logout():
    logout_user()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/registreren", methods=["GET", "POST"])
def register():
    if not current_app.config["OPEN_REGISTRATION"]:
        return render_template("auth/registration_closed.html"), 403
    if current_user.is_authenticated:
        return redirect(_land(current_user))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register(form.email.data, form.name.data, form.password.data,
                                     locale=session.get("lang") or _current_locale())
        except services.EmailTaken as error:
            form.email.errors.append(error.message)
        else:
            login_user(user)
            flash(_("Welcome to Leerlijn! Your account has been created."), "success")
            return redirect(safe_next(url_for("learn.my_learning")))
    return render_template("auth/register.html", form=form)


def _current_locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "nl")


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(_ip_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_reset_account_key)  # no mail-bombing one inbox
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
        try:
            services.update_profile(current_user, form.name.data, form.email.data, form.locale.data,
                                    form.registration_number.data)
        except services.EmailTaken as error:
            form.email.errors.append(error.message)
        else:
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)


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
