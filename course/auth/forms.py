from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from course.forms import email_field, name_field

from .password_policy import StrongPassword

MIN_PASSWORD = 10
LANGUAGE_CHOICES = [("nl", "Nederlands"), ("en", "English")]


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


def new_password_field(label=None) -> PasswordField:
    return PasswordField(
        label or _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200,
                    message=_l("Use at least %(num)d characters.", num=MIN_PASSWORD)), StrongPassword()],
        render_kw={"autocomplete": "new-password", **STRENGTH_HINTS},
        description=_l("At least %(num)d characters. A sentence you remember works well.", num=MIN_PASSWORD),
    )


def confirm_field() -> PasswordField:
    return PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Log in"))


class RegisterForm(FlaskForm):
    """Step one: who you are. The password is chosen after following the mailed link,
    so the page says the same for a new and an existing address."""
    name = name_field()
    email = email_field()
    submit = SubmitField(_l("Create account"))


class CompleteRegistrationForm(FlaskForm):
    """Step two, reached through the mailed link. `password_owner` carries the name and address."""
    password = new_password_field(_l("Password"))
    confirm = confirm_field()
    submit = SubmitField(_l("Create account"))


class ChangeEmailForm(FlaskForm):
    email = email_field(_l("New e-mail address"))
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)],
                                     render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Send confirmation link"))


class ConfirmForm(FlaskForm):
    """One button behind a mailed link: mail scanners open links, people press buttons."""
    submit = SubmitField(_l("Confirm"))


class ForgotPasswordForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Send reset link"))


class ResetPasswordForm(FlaskForm):
    password = new_password_field()
    confirm = confirm_field()
    submit = SubmitField(_l("Save new password"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)],
                                     render_kw={"autocomplete": "current-password"})
    password = new_password_field()
    confirm = confirm_field()
    submit = SubmitField(_l("Change password"))


class ProfileForm(FlaskForm):
    name = name_field()
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    registration_number = StringField(
        _l("Registerplein registration number"),
        validators=[Optional(), Regexp(r"^\d{6,10}$", message=_l("A registration number has 6 to 10 digits."))],
        description=_l("Optional. Printed on your certificate so you can claim accreditation points."),
        render_kw={"inputmode": "numeric", "maxlength": 10, "autocomplete": "off"},
    )
    submit = SubmitField(_l("Save profile"))


class EraseAccountForm(FlaskForm):
    current_password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=200)],
                                     render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Delete my account for good"))
