"""Discussion forms. Field rules live here; rules that depend on state (a locked
thread, an earlier report) live in the services."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from course.models import MailMode

MAX_TITLE = 200
MAX_BODY = 10_000
MAX_REASON = 1_000


def _strip(value):
    """Without surrounding space, and a line break as one character ("\r\n" → "\n"), as
    the browser's character limit counts it: a text the page accepted is not refused."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _title_field():
    return StringField(_l("Title"), filters=[_strip], validators=[
        DataRequired(_l("Give your thread a title.")),
        Length(max=MAX_TITLE, message=_l("A title can have at most %(max)d characters.", max=MAX_TITLE))],
        id="field-title", render_kw={"maxlength": MAX_TITLE, "data-field-id": "title"})


def _body_field(label=None):
    return TextAreaField(label or _l("Message"), filters=[_strip], validators=[
        DataRequired(_l("Write a message.")),
        Length(max=MAX_BODY, message=_l("A message can have at most %(max)d characters.", max=MAX_BODY))],
        id="field-body", render_kw={"rows": 6, "maxlength": MAX_BODY, "data-field-id": "body"},
        description=_l("Markdown is allowed. Write about clients without names or other personal data."))


class _PostForm(FlaskForm):
    # "submit": check for personal data first; "submit-anyway": the learner chose to send.
    action = HiddenField(default="submit")

    def privacy_fields(self) -> dict[str, str]:
        return {"body": self.body.data or ""}

    @staticmethod
    def privacy_labels() -> dict[str, str]:
        return {"title": str(_l("Title")), "body": str(_l("Message"))}


class ThreadForm(_PostForm):
    title = _title_field()
    body = _body_field()

    def privacy_fields(self) -> dict[str, str]:
        return {"title": self.title.data or "", "body": self.body.data or ""}


class ReplyForm(_PostForm):
    body = _body_field(_l("Your reply"))


class EditForm(_PostForm):
    """Editing a post; the title only for the opening post (the view removes it otherwise)."""

    title = _title_field()
    body = _body_field()

    def privacy_fields(self) -> dict[str, str]:
        fields = {"body": self.body.data or ""}
        if "title" in self:
            fields = {"title": self.title.data or "", **fields}
        return fields


class ReportForm(FlaskForm):
    reason = TextAreaField(_l("Why are you reporting this post?"), filters=[_strip], validators=[
        DataRequired(_l("Tell the trainer briefly what is wrong with this post.")),
        Length(max=MAX_REASON, message=_l("At most %(max)d characters.", max=MAX_REASON))],
        render_kw={"rows": 4, "maxlength": MAX_REASON},
        description=_l("Only the trainers of this group read your report. The author does not see who reported."))


class ChoiceForm(FlaskForm):
    """One button with a value (hide/show, lock/pin, follow): the value is checked."""

    action = HiddenField(validators=[DataRequired()])

    def __init__(self, choices, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.validators = [DataRequired(), AnyOf(list(choices))]


class MailSettingForm(FlaskForm):
    mail_mode = RadioField(_l("E-mail about new posts in the threads you follow"),
                           choices=[(m.value, m.label) for m in MailMode],
                           validators=[DataRequired(_l("Choose one of the options."))])
