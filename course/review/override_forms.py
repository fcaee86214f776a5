"""Forms for trainer overrides on the learner page. Each form has its own prefix, so
the four forms on one page never share an id. State rules live in overrides.py."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from .overrides import MAX_EXTRA_ATTEMPTS, REASON_MAX


class OverrideForm(FlaskForm):
    module = SelectField(_l("Module"), choices=[], validators=[DataRequired(message=_l("Choose a module."))])
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(message=_l("Give a reason: the learner's timeline shows why the exception was made.")),
        Length(max=REASON_MAX)], description=_l("Shown on the learner's timeline, with your name and the time."))


class ExtraAttemptsForm(OverrideForm):
    amount = IntegerField(_l("Extra attempts"), default=1, validators=[
        InputRequired(message=_l("Enter a number.")), NumberRange(min=1, max=MAX_EXTRA_ATTEMPTS)])
    submit = SubmitField(_l("Grant extra attempts"))


class LiftCooldownForm(OverrideForm):
    submit = SubmitField(_l("Lift the cooling-off"))


class ReopenForm(OverrideForm):
    submit = SubmitField(_l("Reopen for a new version"))


class MoveDateForm(OverrideForm):
    new_date = DateField(_l("New target date"), validators=[InputRequired(message=_l("Choose a date."))])
    submit = SubmitField(_l("Move the target date"))


# URL part → (form class, prefix, attribute of overrides.Choices offering its modules)
FORMS = {
    "extra-pogingen": (ExtraAttemptsForm, "extra", "quizzes"),
    "afkoelen-opheffen": (LiftCooldownForm, "lift", "quizzes"),
    "heropenen": (ReopenForm, "reopen", "approved"),
    "streefdatum": (MoveDateForm, "due", "waiting"),
}
KINDS = "any(" + ", ".join(f"'{kind}'" for kind in FORMS) + ")"


def build_forms(choices, posted_kind: str | None = None) -> dict:
    """One form per kind; only the posted one reads the request."""
    forms = {}
    for kind, (form_class, prefix, offered) in FORMS.items():
        kwargs = {} if kind == posted_kind else {"formdata": None}
        form = form_class(prefix=prefix, **kwargs)
        form.module.choices = list(getattr(choices, offered))
        forms[kind] = form
    return forms
