"""Forms of peer feedback. Field rules live here; state rules live in services."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from course.models.peer import DEFAULT_REVIEWS, MAX_REVIEWS

from .services import MAX_TEXT

# The textareas are called "field-<id>", as on the assignment form, so the privacy
# warning's "Edit my text" link and static/js/privacy-hints.js find them.
PROMPTS = (("strengths", _l("What is strong?"), _l("Name what works well, and why.")),
           ("improvements", _l("What could be sharper?"), _l("One or two concrete suggestions.")))


def field_name(field_id: str) -> str:
    return "field-" + field_id


class _FeedbackBase(FlaskForm):
    pass


def feedback_form(**kwargs) -> FlaskForm:
    form_class = type("PeerFeedbackForm", (_FeedbackBase,), {})
    for field_id, label, help_text in PROMPTS:
        setattr(form_class, field_name(field_id), TextAreaField(
            label, description=help_text,
            render_kw={"rows": 5, "data-field-id": field_id, "maxlength": MAX_TEXT}))
    form = form_class(**kwargs)
    form.prompts = PROMPTS
    return form


def feedback_values(form) -> dict[str, str]:
    return {field_id: form[field_name(field_id)].data or "" for field_id, _label, _help in PROMPTS}


class SettingForm(FlaskForm):
    enabled = BooleanField(_l("Peer feedback is on for this group"))
    modules = SelectMultipleField(_l("Assignments with peer feedback"), coerce=int, validators=[Optional()],
                                  option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))
    per_learner = IntegerField(
        _l("Reviews each learner gives"), default=DEFAULT_REVIEWS,
        validators=[InputRequired(message=_l("Fill in a number.")),
                    NumberRange(min=1, max=MAX_REVIEWS, message=_l("Choose a number from %(min)s to %(max)s."))],
        render_kw={"min": 1, "max": MAX_REVIEWS, "inputmode": "numeric"})
    anonymous = BooleanField(_l("Anonymous: learners do not see each other's names"),
                             description=_l("You, as trainer, always see who wrote what."))
    use_rubric = BooleanField(_l("Also ask for a light version of the rubric (a level per criterion, no points)"))
