import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from course.forms import email_field


class StartForm(FlaskForm):
    email = email_field(_l("Your work e-mail address"))
    submit = SubmitField(_l("Continue to your organisation"))


class LinkPasswordForm(FlaskForm):
    password = PasswordField(_l("Your Leerlijn password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Link with my password"))


class LinkMailForm(FlaskForm):
    submit = SubmitField(_l("Send me a confirmation e-mail instead"))


DOMAIN = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"


class ConfigForm(FlaskForm):
    issuer = StringField(_l("Issuer URL"), validators=[
        DataRequired(), Length(max=500),
        Regexp(r"^https?://[^\s/]+(/\S*)?$", message=_l("Enter a web address starting with https://."))],
        description=_l("For Entra ID: https://login.microsoftonline.com/<tenant id>/v2.0"))
    client_id = StringField(_l("Client id"), validators=[DataRequired(), Length(max=255)])
    client_secret = PasswordField(_l("Client secret"), validators=[Length(max=1000)],
                                  render_kw={"autocomplete": "off"},
                                  description=_l("Stored encrypted and never shown. Leave empty to keep the stored "
                                                 "secret."))
    allowed_domains = TextAreaField(_l("Allowed e-mail domains"), validators=[DataRequired(), Length(max=2000)],
                                    description=_l("One per line, for example zorggroep.nl."))
    password_login_allowed = BooleanField(_l("Members of this organisation may still log in with a password"))
    submit = SubmitField(_l("Save single sign-on"))

    def __init__(self, *args, has_secret: bool = False, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_secret = has_secret
        self.organisation = organisation

    def validate_issuer(self, field):
        from .services import issuer_problem

        problem = issuer_problem(field.data or "")
        if problem:
            raise ValidationError(problem)

    def validate_client_secret(self, field):
        if not field.data and not self.has_secret:
            raise ValidationError(_l("Enter the client secret."))

    def validate_allowed_domains(self, field):
        from .services import domains_taken_elsewhere, parse_domains  # services import the models: load late

        domains = parse_domains(field.data or "")
        if not domains:
            raise ValidationError(_l("Enter at least one e-mail domain, for example zorggroep.nl."))
        bad = [d for d in domains if not re.match(DOMAIN, d)]
        if bad:
            raise ValidationError(_l("This is not a domain: %(domain)s", domain=bad[0]))
        taken = domains_taken_elsewhere(self.organisation, domains)
        if taken:
            domain, name = next(iter(taken.items()))
            raise ValidationError(_l("The domain %(domain)s already signs in through the provider of %(org)s. "
                                     "One domain can belong to one organisation only.", domain=domain, org=name))
