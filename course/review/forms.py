"""Forms of the trainer dashboard. Field rules live here; state rules in services."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from course.content.model import Criterion
from course.csvutil import SEPARATORS
from course.models import ReviewDecision, SubmissionStatus

FEEDBACK_MAX = 20_000
COMMENT_MAX = 5_000


class GetForm(FlaskForm):
    """A filter form read from the query string: no CSRF, never changes anything."""

    class Meta:
        csrf = False


def status_choices():
    return SubmissionStatus.choices(SubmissionStatus.SUBMITTED, SubmissionStatus.REVISION_REQUESTED,
                                    SubmissionStatus.APPROVED)


class _FilterSelect(SelectField):
    """A SelectField with Optional(): left empty, it does not first check the choice.
    Optional() would clear that error anyway, but making it loads WTForms' message
    catalogue from disk, on every unfiltered queue (issue 16)."""

    def pre_validate(self, form):
        if not self.raw_data or (isinstance(self.raw_data[0], str) and not self.raw_data[0].strip()):
            return
        super().pre_validate(form)


class QueueFilterForm(GetForm):
    status = _FilterSelect(_l("Status"), choices=status_choices, default=SubmissionStatus.SUBMITTED.value,
                           validators=[Optional()])
    course = _FilterSelect(_l("Course"), choices=[], validators=[Optional()])
    module = _FilterSelect(_l("Module"), choices=[], validators=[Optional()])
    organisation = _FilterSelect(_l("Organisation"), choices=[], validators=[Optional()])
    cohort = _FilterSelect(_l("Group"), choices=[], validators=[Optional()])
    q = SearchField(_l("Learner name"), validators=[Optional(), Length(max=120)])
    trainer = _FilterSelect(_l("Trainer"), choices=[], validators=[Optional()])

    def fill_choices(self, options) -> None:
        everything = [("", _l("All"))]
        if options.unassigned:  # only platform admins see work that no trainer sees
            self.trainer.choices = everything + [("none", _l("Without a trainer"))]
        else:
            del self.trainer
        self.course.choices = everything + [(c.slug, c.title) for c in options.courses]
        self.module.choices = everything + list(options.modules)
        self.organisation.choices = everything + [(o.public_id, o.name) for o in options.organisations]
        self.cohort.choices = everything + [(c.public_id, f"{c.name} ({c.organisation.name})")
                                            for c in options.cohorts]

    def clean_data(self) -> dict:
        """The filters that passed validation; an invalid value counts as no filter."""
        self.validate()
        return {name: (f.data or "").strip() for name, f in self._fields.items() if not f.errors}


class ReviewForm(FlaskForm):
    """The decision. Rubric fields are added per assignment by `review_form_for`."""

    # the label WTForms would make from the name, given: making it loads WTForms' message
    # catalogue from disk on every review page (issue 16)
    lock_version = HiddenField("Lock Version", validators=[DataRequired()])
    feedback_md = TextAreaField(_l("Overall feedback"), validators=[Length(max=FEEDBACK_MAX)],
                                description=_l("Markdown is allowed: **bold**, *italic*, lists."))
    decision = RadioField(_l("Decision"), choices=[(ReviewDecision.APPROVED.value, _l("Approved")),
                                                   (ReviewDecision.REVISION_REQUESTED.value, _l("Revise"))],
                          validators=[InputRequired(message=_l("Choose approved or revise."))])
    save = SubmitField(_l("Save"))
    save_next = SubmitField(_l("Save and next"))

    rubric: list[dict] = []

    def validate_lock_version(self, field):
        if not str(field.data or "").isdigit():
            raise ValidationError(_l("The form is incomplete. Reload the page."))

    def validate_feedback_md(self, field):
        if self.decision.data == ReviewDecision.REVISION_REQUESTED.value and not (field.data or "").strip():
            raise ValidationError(_l("Explain what the learner should revise."))

    def criteria(self):
        """(criterion, level field, comment field) per rubric criterion, for the template."""
        return [(c, self[f"level__{c.id}"], self[f"comment__{c.id}"]) for c in self.rubric]

    def points_total(self) -> tuple[int, int, int]:
        """(points of the chosen levels, maximum, criteria without a level yet): the total the
        page shows without JavaScript; static/js/review.js keeps it up to date while choosing."""
        chosen, open_criteria = 0, 0
        for criterion, level, _comment in self.criteria():
            picked = criterion.level(level.data) if level.data else None
            if picked is None:
                open_criteria += 1
            else:
                chosen += picked.points
        return chosen, sum(c.max_points for c in self.rubric), open_criteria

    def scores(self) -> dict[str, dict]:
        return {c.id: {"level": level.data, "comment": comment.data or ""} for c, level, comment in self.criteria()}


def review_form_for(rubric: list[Criterion]) -> type[ReviewForm]:
    """A ReviewForm with one level (radio) and one comment field per rubric criterion."""

    class AssignmentReviewForm(ReviewForm):
        pass

    AssignmentReviewForm.rubric = rubric
    for criterion in rubric:
        choices = [(lv.id, f"{lv.title} ({lv.points})") for lv in criterion.levels]
        setattr(AssignmentReviewForm, f"level__{criterion.id}", RadioField(
            criterion.title, choices=choices,
            validators=[InputRequired(message=_l("Choose a level for this criterion."))]))
        setattr(AssignmentReviewForm, f"comment__{criterion.id}", TextAreaField(
            _l("Comment on %(criterion)s", criterion=criterion.title),
            validators=[Optional(), Length(max=COMMENT_MAX)]))
    return AssignmentReviewForm


def tampered_fields(posted, rubric: list[Criterion]) -> list[str]:
    """Posted rubric fields that cannot come from our form: unknown criteria, unknown
    levels, or points sent along. These are refused outright (400)."""
    known = {c.id: {lv.id for lv in c.levels} for c in rubric}
    problems = []
    for key in posted:
        prefix, _sep, criterion = key.partition("__")
        if prefix not in ("level", "comment", "points"):
            continue
        unknown_level = prefix == "level" and posted.get(key) and posted.get(key) not in known.get(criterion, ())
        if criterion not in known or prefix == "points" or unknown_level:
            problems.append(key)
    return problems


class SnippetForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)],
                        description=_l("A short name, so you can find it again."))
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=FEEDBACK_MAX)])
    submit = SubmitField(_l("Save snippet"))


def progress_filter_choices():
    return [
        ("", _l("All learners")),
        ("stuck", _l("Stuck (longer without activity than the days below)")),
        ("not_started", _l("Not started")),
        ("completed", _l("Completed")),
    ]


class ProgressFilterForm(GetForm):
    """The filters of the progress pages and their CSV exports. Odd values (a space, a tab,
    a word) fall back to the default instead of reaching the CSV writer."""

    show = SelectField(_l("Show"), choices=progress_filter_choices, default="", validators=[Optional()])
    days = IntegerField(_l("Days without activity"), default=14,
                        validators=[Optional(), NumberRange(min=1, max=365)])
    separator = SelectField(_l("Download for"), choices=[(";", _l("Excel in Dutch")),
                                                          (",", _l("Excel in English, Google Sheets, Numbers"))],
                            default=";", validators=[Optional()])

    def clean_data(self) -> dict:
        self.validate()
        return {
            "show": self.show.data if self.show.data in {key for key, _label in progress_filter_choices()} else "",
            "days": self.days.data if not self.days.errors and self.days.data else 14,
            "separator": self._separator(),
        }

    def _separator(self) -> str:
        # Optional() passes whitespace-only values without an error, so check the value itself.
        return self.separator.data if self.separator.data in SEPARATORS else ";"
