"""Forms of the live sessions: the session form (with up to three parts) and the feed."""
from datetime import UTC, date, datetime, time
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from course.models import utcnow

from .ics import AMSTERDAM, wall_time_exists
from .services import PartData, SessionData

MAX_PARTS = 3
FIRST_YEAR, LAST_YEAR = 2000, 2100


def to_utc(day: date, moment: time) -> datetime:
    """A wall-clock time in Europe/Amsterdam as naive UTC (a time that does not exist
    at the spring change moves forward, as the clock does)."""
    local = datetime.combine(day, moment).replace(tzinfo=AMSTERDAM)
    return local.astimezone(UTC).replace(tzinfo=None)


def to_local(naive_utc: datetime) -> datetime:
    return naive_utc.replace(tzinfo=UTC).astimezone(AMSTERDAM)


def _in_range(form, field):
    if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(_l("Choose a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))


def _time_exists(day_field, time_field) -> bool:
    """Adds the error for a time the clock skips at the spring change; False then."""
    if day_field.data is None or time_field.data is None or wall_time_exists(day_field.data, time_field.data):
        return True
    time_field.errors = [*time_field.errors, _l(
        "This time does not exist on this day: the clocks go forward from 02:00 to 03:00. Choose another time.")]
    return False


class PartForm(Form):
    class Meta:
        """A plain sub-form: give it the Dutch messages of WTForms, as FlaskForm has."""

        def get_translations(self, form):
            return wtforms_translations

    day = DateField(_l("Date"), validators=[Optional(), _in_range])
    starts = TimeField(_l("From"), validators=[Optional()])
    ends = TimeField(_l("Until"), validators=[Optional()])

    def is_empty(self) -> bool:
        return self.day.data is None and self.starts.data is None and self.ends.data is None


def _web_link(form, field):
    value = (field.data or "").strip()
    if not value:
        return
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValidationError(_l("Give a full web address starting with https://."))


class SessionForm(FlaskForm):
    course = SelectField(_l("Course"), choices=[], validators=[DataRequired()])
    cohort = SelectField(_l("For"), choices=[], validators=[Optional()],
                         description=_l("Open registration, or only for one in-company group."))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)],
                        render_kw={"maxlength": 200})
    parts = FieldList(FormField(PartForm), min_entries=MAX_PARTS, max_entries=MAX_PARTS)
    place = TextAreaField(_l("Place (address)"), validators=[Optional(), Length(max=1000)],
                          render_kw={"rows": 3, "maxlength": 1000},
                          description=_l("Leave empty for an online-only session."))
    online_url = URLField(_l("Online meeting link"), validators=[Optional(), Length(max=500), _web_link],
                          render_kw={"maxlength": 500},
                          description=_l("Shown only to the people who signed up."))
    capacity = IntegerField(_l("Places"), validators=[
        InputRequired(), NumberRange(min=1, max=10000, message=_l("Enter a number from 1 to 10,000."))],
                            render_kw={"min": 1, "max": 10000, "inputmode": "numeric"})
    deadline_day = DateField(_l("Registration deadline (date)"), validators=[DataRequired(), _in_range])
    deadline_time = TimeField(_l("Registration deadline (time)"), validators=[DataRequired()])
    note = TextAreaField(_l("Note for participants"), validators=[Optional(), Length(max=1000)],
                         render_kw={"rows": 2, "maxlength": 1000},
                         description=_l("For example: bring your laptop."))
    trainers = SelectMultipleField(_l("Trainers"), choices=[], validators=[Optional()], coerce=str)
    version = HiddenField()
    submit = SubmitField(_l("Save session"))

    new = False  # planning a new session (NewSessionForm): it must start in the future

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        filled = [p for p in self.parts if not p.form.is_empty()]
        for entry in filled:
            part = entry.form
            for sub in (part.day, part.starts, part.ends):
                if sub.data is None and not sub.errors:
                    sub.errors = [*sub.errors, _l("Fill in the date, the start and the end of this part.")]
                    ok = False
            if not (_time_exists(part.day, part.starts) & _time_exists(part.day, part.ends)):
                ok = False
            elif part.day.data and part.starts.data and part.ends.data and (
                    part.ends.data <= part.starts.data
                    or to_utc(part.day.data, part.ends.data) <= to_utc(part.day.data, part.starts.data)):
                part.ends.errors = [*part.ends.errors, _l("The end must be after the start.")]
                ok = False
        if not filled:
            self.parts[0].form.day.errors = [*self.parts[0].form.day.errors,
                                             _l("Give at least one part: a date, a start and an end.")]
            ok = False
        if not (self.place.data or "").strip() and not (self.online_url.data or "").strip():
            self.place.errors = [*self.place.errors, _l("Give a place, an online meeting link, or both.")]
            ok = False
        if not _time_exists(self.deadline_day, self.deadline_time):
            ok = False
        if ok:
            first_start = min(p.starts_at for p in self.part_data())
            if self.new and first_start <= utcnow():
                self.parts[0].form.day.errors = [*self.parts[0].form.day.errors,
                                                 _l("A new session starts in the future: check the date.")]
                ok = False
            elif self.deadline_utc() > first_start:
                self.deadline_day.errors = [*self.deadline_day.errors,
                                            _l("The registration deadline must be before the session starts.")]
                ok = False
        return ok

    def part_data(self) -> tuple[PartData, ...]:
        parts = [PartData(to_utc(p.form.day.data, p.form.starts.data), to_utc(p.form.day.data, p.form.ends.data))
                 for p in self.parts if not p.form.is_empty()]
        return tuple(sorted(parts, key=lambda p: p.starts_at))

    def deadline_utc(self) -> datetime:
        return to_utc(self.deadline_day.data, self.deadline_time.data)

    def session_data(self, *, cohort_id: int | None, trainer_ids: tuple[int, ...]) -> SessionData:
        return SessionData(
            title=self.title.data.strip(), parts=self.part_data(), place=(self.place.data or "").strip(),
            online_url=(self.online_url.data or "").strip(), capacity=self.capacity.data,
            registration_deadline=self.deadline_utc(), note=(self.note.data or "").strip(),
            trainer_ids=trainer_ids, cohort_id=cohort_id)

    def fill_from(self, session) -> None:
        """Prefill from a saved session (GET of the edit page)."""
        self.title.data = session.title
        self.place.data = session.place
        self.online_url.data = session.online_url
        self.capacity.data = session.capacity
        self.note.data = session.note
        deadline = to_local(session.registration_deadline)
        self.deadline_day.data, self.deadline_time.data = deadline.date(), deadline.time().replace(second=0)
        for entry, part in zip(self.parts, session.parts, strict=False):
            start, end = to_local(part.starts_at), to_local(part.ends_at)
            entry.form.day.data, entry.form.starts.data, entry.form.ends.data = start.date(), start.time(), end.time()
        self.trainers.data = [t.public_id for t in session.trainers]
        self.version.data = str(session.version)


class NewSessionForm(SessionForm):
    """Planning a new session: nobody could sign up for one that has started already."""

    new = True


class FeedForm(FlaskForm):
    submit = SubmitField(_l("Make a new calendar link"))
