"""The attendance lists for Registerplein (issue 13): name, registration number, the
session dates, the attended contact hours (net: the parts' time, or the hours entered
for partly present), and for those who completed the course its points and
accreditation number. One list per session (this file) and one per cohort
(course/badges/queries.attendance_list, which shares `registerplein_columns`).
Streamed as CSV by the views; two queries, whatever the number of people."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from course.extensions import db
from course.models import Enrolment, LiveSession

from . import queries


def dates_text(days) -> str:
    """ISO dates, comma separated: what Registerplein's import reads without doubt."""
    return ", ".join(day.isoformat() for day in days)


def registerplein_columns(course, summary: queries.AttendanceSummary, enrolment: Enrolment | None) -> list:
    """Session dates, contact hours, points, accreditation number."""
    completed = enrolment is not None and enrolment.completed_at is not None
    points = course.accreditation_points if completed and course.accreditation_points is not None else ""
    return [dates_text(summary.days), summary.hours if summary.attended else "", points,
            (course.accreditation_id or "") if completed else ""]


def session_list(session: LiveSession) -> tuple[list[str], list[list]]:
    """One row per participant of the session: their attendance in this session only."""
    course = session.course
    registrations = queries.participants(session)
    enrolments = {e.user_id: e for e in db.session.scalars(
        sa.select(Enrolment).where(Enrolment.course_id == course.id,
                                   Enrolment.user_id.in_([r.user_id for r in registrations] or [-1])))}
    days = queries.session_days(session)
    header = [_("Name"), _("Registration number"), _("Attendance"), _("Session dates"), _("Contact hours"),
              _("Accreditation points"), _("Accreditation number")]
    rows = []
    for registration in registrations:
        summary = queries.AttendanceSummary([queries.AttendedSession(
            session.public_id, session.title, registration.attendance, registration.attended_minutes or 0,
            days=list(days))])
        user = registration.user
        rows.append([user.name, user.registration_number or "", registration.attendance.label,
                     *registerplein_columns(course, summary, enrolments.get(user.id))])
    return header, rows
