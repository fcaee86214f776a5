from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Optional, Regexp

from course.forms import (
    confirm_field,
    current_password_field,
    email_field,
    name_field,
    new_password_field,
)

LANGUAGE_CHOICES = [("nl", "Nederlands"), ("en", "English")]


class LoginForm(FlaskForm):
    email = email_field()
    password = current_password_field()
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
    current_password = current_password_field(_l("Current password"))
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
    current_password = current_password_field(_l("Current password"))
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
    current_password = current_password_field(_l("Your password"))
    submit = SubmitField(_l("Delete my account for good"))
