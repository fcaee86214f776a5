"""Forms of the organisation area. Field rules live here; rules that depend on
seats, enrolments and invitations live in the services."""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    IntegerField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import NumberRange, Optional, ValidationError

from course.forms import confirm_field, email_field, max_length, name_field, new_password_field, required
from course.org.queries.team import LearnerState


class CohortForm(FlaskForm):
    name = StringField(_l("Name of the group"), validators=[required(), max_length(120)],
                       render_kw={"maxlength": 120})
    course = SelectField(_l("Course"), choices=[], validate_choice=True)
    starts_on = DateField(_l("Start date"), validators=[Optional()],
                          description=_l("Optional. When the group starts."))
    target_on = DateField(_l("Target date"), validators=[Optional()],
                          description=_l("Optional. When the group should have finished."))
    trainers = SelectMultipleField(_l("Trainers"), choices=[], validators=[Optional()],
                                   description=_l("The trainers who review this group's assignments. You can choose "
                                                   "the trainers the platform admin appointed to the course."))
    submit = SubmitField(_l("Save group"))

    def validate_target_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The target date must be on or after the start date."))


class InviteForm(FlaskForm):
    name = name_field(optional=True)
    email = email_field()
    submit = SubmitField(_l("Send invitation"))


class UploadForm(FlaskForm):
    file = FileField(_l("File with names and e-mail addresses"),
                     validators=[FileRequired(message=_l("Choose a file to upload."))],
                     description=_l("A .csv or .xlsx file with the columns \"naam\" and \"e-mail\". "
                                    "Separators ; and , both work. At most 2,000 rows."),
                     render_kw={"accept": ".csv,.txt,.xlsx"})
    submit = SubmitField(_l("Check the file"))


class InviteLinkForm(FlaskForm):
    seat_cap = IntegerField(_l("Maximum number of sign-ups"), validators=[
        required(), NumberRange(min=1, max=1000, message=_l("Choose a number from 1 to 1,000."))], default=10)
    expires_on = DateField(_l("Valid until"), validators=[required()])
    submit = SubmitField(_l("Create link"))


class ProgressFilterForm(FlaskForm):
    """GET filters for the team progress (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Show"), choices=[("", _l("All learners")), *LearnerState.choices()],
                         validators=[Optional()])
    days = IntegerField(_l("Inactive for more than (days)"), validators=[Optional(), NumberRange(min=1, max=365)],
                        default=14)
    q = SearchField(_l("Search by name or e-mail"), validators=[Optional(), max_length(120)])


class NewAccountForm(FlaskForm):
    """Accepting a personal invitation without an account: the address is the invitation's."""

    name = name_field()
    password = new_password_field(_l("Password"))
    confirm = confirm_field()
    submit = SubmitField(_l("Create account and join"))


class LinkAccountForm(FlaskForm):
    name = name_field()
    email = email_field()
    password = new_password_field(_l("Password"))
    confirm = confirm_field()
    submit = SubmitField(_l("Create account and join"))


class InCompanyRequestForm(FlaskForm):
    organisation = StringField(_l("Organisation"), validators=[required(), max_length(200)],
                               render_kw={"autocomplete": "organization", "maxlength": 200})
    contact_name = name_field(_l("Contact person"))
    email = email_field()
    team_size = IntegerField(_l("Number of participants"), validators=[
        required(), NumberRange(min=1, max=5000, message=_l("Enter a number from 1 to 5,000."))],
        render_kw={"inputmode": "numeric", "min": 1, "max": 5000})
    # Preferred dates of the live sessions (issue 13): up to three, optional.
    date_1 = DateField(_l("Preferred date"), validators=[Optional()],
                       description=_l("Optional. When would the live workshop suit your team?"))
    date_2 = DateField(_l("Second preferred date"), validators=[Optional()], description=_l("Optional."))
    date_3 = DateField(_l("Third preferred date"), validators=[Optional()], description=_l("Optional."))
    wishes = TextAreaField(_l("Wishes"), validators=[Optional(), max_length(5000)],
                           description=_l("Optional. For example a preferred start date or a topic to focus on."),
                           render_kw={"rows": 5, "maxlength": 5000})
    # Honeypot: hidden from people by CSS, labelled "leave empty" for screen readers.
    website = StringField(_l("Leave this field empty"), validators=[Optional()],
                          render_kw={"autocomplete": "off", "tabindex": "-1"})
    submit = SubmitField(_l("Send request"))

    def preferred_dates(self) -> list:
        return [d for d in (self.date_1.data, self.date_2.data, self.date_3.data) if d is not None]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        today = date.today()
        for item in (self.date_1, self.date_2, self.date_3):
            if item.data is not None and not today < item.data <= today + timedelta(days=730):
                item.errors.append(_l("Choose a date after today and within two years."))
                valid = False
        return valid
