"""Forms of the platform administration."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField
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
    submit = SubmitField(_l("Create organisation and invite the contact"))


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
