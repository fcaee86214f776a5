"""Forms of the course staff page."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField

from course.forms import email_field


class AddTrainerForm(FlaskForm):
    email = email_field(_l("E-mail address of the trainer"))
    submit = SubmitField(_l("Add course trainer"))


class AddAuthorForm(FlaskForm):
    email = email_field(_l("E-mail address of the author"))
    submit = SubmitField(_l("Add author"))


class ReviewSettingForm(FlaskForm):
    course_trainers_see_cohorts = BooleanField(
        _l("Course trainers also review the learners of in-company groups"),
        description=_l("Off: an organisation's group is reviewed only by the trainers of that group. "
                       "On: the course trainers see those learners and their texts too."))
    submit = SubmitField(_l("Save setting"))
