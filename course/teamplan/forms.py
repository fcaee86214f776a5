"""Forms of the team plan: the trainer's composition (one choice per chapter, built for
the group's course) and the learner's sharing consent."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, Length, Optional

from .services import INTRO_MAX, TITLE_MAX


def _one_break(value):
    """A line break as one character ("\r\n" → "\n"), as the browser's maxlength counts it."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


class ComposeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Optional(), Length(max=TITLE_MAX)],
                        description=_l("Empty: “Social-media protocol of” and the organisation's name."),
                        render_kw={"maxlength": TITLE_MAX})
    intro_md = TextAreaField(_l("Introduction"), filters=[_one_break], validators=[Optional(), Length(max=INTRO_MAX)],
                             description=_l("Why the team has this protocol and how to use it. Markdown is allowed."),
                             render_kw={"rows": 6, "maxlength": INTRO_MAX})
    submit = SubmitField(_l("Save the team plan"))


def compose_form(book, formdata=None) -> tuple[ComposeForm, list[tuple[str, object]]]:
    """The form for this plan: a radio group per chapter. Returns the form and
    [(field name, section, chapter)] in course order."""

    class Form(ComposeForm):
        pass

    names = []
    for chapter in book.chapters:
        for section in chapter.sections:
            name = f"choice_{len(names)}"
            choices = [("", _l("No contribution"))] + [(c.enrolment_public_id, c.author) for c in section.candidates]
            setattr(Form, name, RadioField(section.label, choices=choices, validators=[Optional()],
                                           default=section.chosen.enrolment_public_id if section.chosen else ""))
            names.append((name, section, chapter))
    if formdata is None:
        form = Form(formdata=None, title=book.plan.title if book.plan else "", intro_md=book.intro_md)
    else:
        form = Form()
    return form, names


class ConsentForm(FlaskForm):
    share = HiddenField(validators=[AnyOf(["1", "0"])])
    submit = SubmitField(_l("Save"))
