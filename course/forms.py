"""Forms and field factories shared by every area: one rule per kind of field,
so an address that one form accepts is accepted by all of them."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional

from .emails import MAX_EMAIL, EmailAddress

MIN_PASSWORD = 10
MAX_NAME = 120
REQUIRED = _l("Fill in this field.")

# The hint static/js/password.js shows while typing; the server's check is StrongPassword.
STRENGTH_HINTS = {
    "data-strength-min": MIN_PASSWORD,
    "data-strength-short": _l("Too short: use at least %(num)d characters.", num=MIN_PASSWORD),
    "data-strength-personal": _l("Do not use your name or e-mail address in your password."),
    "data-strength-common": _l("This looks like a common password. Choose something less predictable."),
    "data-strength-fair": _l("Fair. Longer is stronger: add a word or two."),
    "data-strength-good": _l("Good."),
    "data-strength-strong": _l("Strong."),
}


class EmptyForm(FlaskForm):
    """Carries only the CSRF token: for one-button POSTs (Enrol, Approve, …)."""


def required():
    """Something was sent (0 counts): for numbers, dates and choices."""
    return InputRequired(message=REQUIRED)


def filled():
    """Text that is more than white space: for names, addresses and passwords."""
    return DataRequired(message=REQUIRED)


def max_length(n: int):
    return Length(max=n, message=_l("Use at most %(max)d characters.", max=n))


def email_field(label=None, **kwargs) -> EmailField:
    return EmailField(
        label or _l("E-mail address"),
        validators=[filled(), max_length(MAX_EMAIL), EmailAddress()],  # the one rule, see course/emails.py
        render_kw={"autocomplete": "email", "maxlength": MAX_EMAIL},
        **kwargs,
    )


def name_field(label=None, optional=False) -> StringField:
    presence = Optional() if optional else filled()
    return StringField(
        label or _l("Name"),
        validators=[presence, max_length(MAX_NAME)],
        render_kw={"autocomplete": "name", "maxlength": MAX_NAME},
    )


def current_password_field(label=None) -> PasswordField:
    return PasswordField(label or _l("Password"), validators=[filled(), max_length(200)],
                         render_kw={"autocomplete": "current-password"})


def new_password_field(label=None) -> PasswordField:
    from .auth.password_policy import StrongPassword  # here, not at the top: course.auth imports this module

    too_short = _l("Use at least %(num)d characters.", num=MIN_PASSWORD)
    return PasswordField(
        label or _l("New password"),
        validators=[filled(), Length(min=MIN_PASSWORD, max=200, message=too_short), StrongPassword()],
        render_kw={"autocomplete": "new-password", **STRENGTH_HINTS},
        description=_l("At least %(num)d characters. A sentence you remember works well.", num=MIN_PASSWORD),
    )


def confirm_field() -> PasswordField:
    return PasswordField(
        _l("Repeat the password"),
        validators=[filled(), EqualTo("password", message=_l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )


def one_button_post(action, success, error_category: str = "error") -> bool:
    """The one-button POST: check the CSRF-only form, run the service, flash its
    domain error or the success message. `success` is a text, or a function of the
    service's result. True when the service ran without a domain error."""
    from flask import flash

    from .errors import DomainError

    if not EmptyForm().validate_on_submit():
        return False
    try:
        result = action()
    except DomainError as error:
        flash(error.message, error_category)
        return False
    flash(success(result) if callable(success) else success, "success")
    return True
