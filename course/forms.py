"""Forms shared by several areas."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField
from wtforms.validators import DataRequired, Length

from .emails import MAX_EMAIL, EmailAddress


class EmptyForm(FlaskForm):
    """Carries only the CSRF token: for one-button POSTs (Enrol, Approve, …)."""


def email_field(label=None, **kwargs) -> EmailField:
    return EmailField(
        label or _l("E-mail address"),
        validators=[DataRequired(), Length(max=MAX_EMAIL), EmailAddress()],  # the one rule, see course/emails.py
        render_kw={"autocomplete": "email", "maxlength": MAX_EMAIL},
        **kwargs,
    )


def name_field(label=None) -> StringField:
    return StringField(
        label or _l("Name"),
        validators=[DataRequired(), Length(max=120)],
        render_kw={"autocomplete": "name", "maxlength": 120},
    )
