"""Forms of the platform administration."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, SubmitField, TimeField
from wtforms.validators import NumberRange, Optional

from course.emails import EmailAddress
from course.forms import email_field, max_length, name_field, required


class ConvertRequestForm(FlaskForm):
    organisation_name = StringField(_l("Name of the organisation"), validators=[Optional(), max_length(200)],
                                    description=_l("As in the request. Change it if an organisation with this name "
                                                   "already exists, for example by adding the town."),
                                    render_kw={"maxlength": 200})
    seats = IntegerField(_l("Seats"), validators=[
        required(), NumberRange(min=1, max=10000, message=_l("Enter a number from 1 to 10,000."))])
    ends_on = DateField(_l("Licence ends on"), validators=[Optional()], description=_l("Optional."))
    # Issue 13: the group and its live sessions in the same step, one session per date.
    create_sessions = BooleanField(_l("Also create the group and a live session on each date"))
    cohort_name = StringField(_l("Name of the group"), validators=[Optional(), max_length(120)],
                              render_kw={"maxlength": 120}, description=_l("Default: the course's title."))
    session_date_1 = DateField(_l("Session date"), validators=[Optional()],
                               description=_l("Filled in with the preferred dates of the request."))
    session_date_2 = DateField(_l("Second session date"), validators=[Optional()])
    session_date_3 = DateField(_l("Third session date"), validators=[Optional()])
    session_starts = TimeField(_l("From (Dutch time)"), validators=[Optional()])
    session_ends = TimeField(_l("Until (Dutch time)"), validators=[Optional()])
    session_place = StringField(_l("Place"), validators=[Optional(), max_length(300)], render_kw={"maxlength": 300})
    submit = SubmitField(_l("Create organisation and invite the contact"))

    def session_dates(self) -> list:
        return [d for d in (self.session_date_1.data, self.session_date_2.data, self.session_date_3.data) if d]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.create_sessions.data:
            return valid
        if not self.session_dates():
            self.session_date_1.errors.append(_l("Give at least one date for the sessions."))
            valid = False
        if self.session_starts.data is None:
            self.session_starts.errors.append(_l("Give the start time."))
            valid = False
        if self.session_ends.data is None:
            self.session_ends.errors.append(_l("Give the end time."))
            valid = False
        elif self.session_starts.data is not None and self.session_ends.data <= self.session_starts.data:
            self.session_ends.errors.append(_l("The end time must be after the start time."))
            valid = False
        return valid

    def session_plan(self):
        from course.attendance.incompany import SessionPlan

        if not self.create_sessions.data:
            return None
        return SessionPlan(cohort_name=self.cohort_name.data or "", dates=tuple(self.session_dates()),
                           starts=self.session_starts.data, ends=self.session_ends.data,
                           place=self.session_place.data or "")


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name of the organisation"), validators=[required(), max_length(200)],
                       render_kw={"maxlength": 200})
    contact_name = name_field(_l("Contact person"), optional=True)
    contact_email = StringField(_l("Contact e-mail address"), validators=[Optional(), max_length(254), EmailAddress()],
                                render_kw={"autocomplete": "email", "maxlength": 254})
    submit = SubmitField(_l("Create organisation"))


class SeatsForm(FlaskForm):
    course = SelectField(_l("Course"), choices=[])
    seats = IntegerField(_l("Seats"), validators=[
        required(), NumberRange(min=0, max=10000, message=_l("Enter a number from 0 to 10,000."))])
    ends_on = DateField(_l("Licence ends on"), validators=[Optional()], description=_l("Optional."))
    submit = SubmitField(_l("Save seats"))


class AppointAdminForm(FlaskForm):
    name = name_field(optional=True)
    email = email_field()
    submit = SubmitField(_l("Appoint organisation admin"))


class AppointTrainerForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Appoint trainer"))
