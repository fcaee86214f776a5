"""The attendance form: one row per participant (present / absent / partly present and
the hours), built for the session's participants. Field rules live here; whether the
session may be marked at all is the service's."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField
from wtforms.validators import Length, Optional

from course.models import Attendance

from .queries import format_hours
from .services import Mark

CHOICES = (
    (Attendance.PRESENT.value, _l("Present")),
    (Attendance.ABSENT.value, _l("Absent")),
    (Attendance.PARTIAL.value, _l("Partly present")),
)
HOURS = re.compile(r"^\s*(\d{1,3})(?:[.,](\d{1,2}))?\s*$")
HOURS_TIME = re.compile(r"^\s*(\d{1,3}):([0-5]\d)\s*$")


def parse_hours(text: str | None) -> int | None:
    """'2,5' / '2.5' / '2:30' → 150 minutes; None when it is not a number of hours."""
    text = (text or "").strip()
    if match := HOURS_TIME.match(text):
        return int(match.group(1)) * 60 + int(match.group(2))
    if match := HOURS.match(text):
        fraction = match.group(2) or "0"
        return int(match.group(1)) * 60 + round(60 * int(fraction) / (10 ** len(fraction)))
    return None


class AttendanceForm(FlaskForm):
    submit = SubmitField(_l("Save attendance"))

    rows: list  # [(registration, status field, hours field)], set by `attendance_form`
    total_minutes: int = 0

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        allowed = {value for value, _label in CHOICES}
        for _registration, status, hours in self.rows:
            if status.data is not None and not str(status.data).strip():
                status.data = None  # an empty choice: the row stays as it is
            elif status.data is not None and status.data not in allowed:
                status.errors.append(_l("Choose present, absent or partly present."))
                valid = False
            if status.data != Attendance.PARTIAL.value:
                continue
            minutes = parse_hours(hours.data)
            if minutes is None:
                hours.errors.append(_l("Enter the hours present, for example 2,5."))
                valid = False
            elif minutes <= 0 or minutes >= self.total_minutes:
                hours.errors.append(_l("Enter more than 0 and fewer than %(hours)s hours (the whole session).",
                                       hours=format_hours(self.total_minutes)))
                valid = False
        return valid

    def marks(self) -> dict[str, Mark]:
        """{registration public id: Mark} for every row that has a choice."""
        result = {}
        for registration, status, hours in self.rows:
            if not status.data:
                continue
            attendance = Attendance(status.data)
            minutes = parse_hours(hours.data) if attendance == Attendance.PARTIAL else None
            result[registration.public_id] = Mark(attendance, minutes)
        return result


def attendance_form(registrations, total_minutes: int) -> AttendanceForm:
    """The form for these participants, filled with their current marks. Fields are
    named after the registration's public id, so a list that changed between showing
    and saving never puts a mark on the wrong person."""

    class Form(AttendanceForm):
        pass

    data = {}
    for registration in registrations:
        key = registration.public_id
        setattr(Form, f"status-{key}", RadioField(registration.user.name, choices=CHOICES, validators=[Optional()]))
        setattr(Form, f"hours-{key}", StringField(
            _l("Hours present (if partly present)"), validators=[Optional(), Length(max=8)],
            render_kw={"inputmode": "decimal", "autocomplete": "off", "maxlength": 8}))
        if registration.attendance != Attendance.UNKNOWN:
            data[f"status-{key}"] = str(registration.attendance)
        if registration.attendance == Attendance.PARTIAL:
            data[f"hours-{key}"] = format_hours(registration.attended_minutes)
    form = Form(data=data)
    form.total_minutes = total_minutes
    form.rows = [(r, form[f"status-{r.public_id}"], form[f"hours-{r.public_id}"]) for r in registrations]
    return form
