"""The check-in form and the opt-out confirmations."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, Length, Optional

from .services import ANSWER_MAX


def _one_break(value):
    """A line break as one character ("\r\n" → "\n"), as the browser's maxlength counts it."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _answer(label, description):
    return TextAreaField(label, description=description, filters=[_one_break],
                         validators=[Optional(), Length(max=ANSWER_MAX)],
                         render_kw={"rows": 4, "maxlength": ANSWER_MAX})


class CheckinForm(FlaskForm):
    plan_md = _answer(_l("What did you do with your plan?"),
                      _l("What have you put into practice since the course?"))
    goal_md = _answer(_l("Which goal did you reach?"), _l("One goal from your plan is enough."))
    success_md = _answer(_l("One success to celebrate"), _l("Something that worked, however small."))
    obstacles_md = _answer(_l("What got in the way?"), _l("Time, tools, colleagues, anything."))
    submit = SubmitField(_l("Save my answers"))

    def any_answer(self) -> bool:
        return any((f.data or "").strip() for f in (self.plan_md, self.goal_md, self.success_md, self.obstacles_md))


class OptOutForm(FlaskForm):
    submit = SubmitField(_l("Send me no more follow-up mail"))


class PreferenceForm(FlaskForm):
    wants = HiddenField(validators=[AnyOf(["1", "0"])])
    submit = SubmitField(_l("Save"))
