"""Who can be invited into a cohort: the same rules for a single invitation, every
row of an uploaded file and its confirmation. A fixed number of queries, however
long the file. Call it after `seats.lock_licence_of(cohort)` when the result is
acted on, so concurrent invitations cannot both take the last free seat or both
invite one address into two groups."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from course.extensions import db
from course.models import Cohort, Enrolment, Invitation, User
from course.states import LabelledEnum

from .enrolment_files import ParsedRow
from .seats import free_seats, open_invitation_clause

NO_FREE_SEAT = _l("There is no free seat: every seat is taken or promised to an open invitation. "
                  "Withdraw an open invitation or ask Leerlijn for more seats.")

class RowStatus(LabelledEnum):
    """What confirming does with one row of an enrolment file (or one invitation)."""

    OK = "ok", _l("Will be invited"), "done"
    SELF_ENROLLED = "self_enrolled", _l("Already following the course on their own: will be added to this group"), \
        "done"
    INVALID = "invalid", _l("Not valid"), "problem"
    DUPLICATE = "duplicate", _l("Appears more than once in the file"), "problem"
    ENROLLED = "enrolled", _l("Already enrolled in this course"), "problem"
    INVITED = "invited", _l("Already invited to this group"), "problem"
    INVITED_ELSEWHERE = "invited_elsewhere", \
        _l("Already invited to another group of this course: withdraw that invitation first"), "problem"
    OVER_LIMIT = "over_limit", _l("Over the seat limit"), "problem"

    @property
    def invitable(self) -> bool:
        """A self-enrolled learner's enrolment is attached to the cohort when they accept
        (enrol_into_cohort), taking a seat then, like anyone else's."""
        return self in (RowStatus.OK, RowStatus.SELF_ENROLLED)
CHUNK = 500


def _chunks(emails: list[str]):
    for start in range(0, len(emails), CHUNK):
        yield emails[start:start + CHUNK]


def enrolment_states(cohort: Cohort, emails: list[str]) -> dict[str, RowStatus]:
    """For the addresses that already follow the cohort's course: "self_enrolled" when
    they enrolled on their own (no group, no seat), which an invitation turns into a
    place in this group; "enrolled" when they follow it in a group or on a seat (of
    this organisation or another), which an invitation cannot change. One query per
    500 addresses."""
    states: dict[str, RowStatus] = {}
    for chunk in _chunks(emails):
        for email, cohort_id, seat_licence_id in db.session.execute(
                sa.select(User.email, Enrolment.cohort_id, Enrolment.seat_licence_id)
                .join(Enrolment, Enrolment.user_id == User.id)
                .where(Enrolment.course_id == cohort.course_id, User.email.in_(chunk))):
            own = cohort_id is None and seat_licence_id is None
            states[email] = RowStatus.SELF_ENROLLED if own else RowStatus.ENROLLED
    return states


def open_invitations_in_course(cohort: Cohort, emails: list[str]) -> dict[str, Cohort]:
    """Address -> the cohort of its open invitation, among this organisation's cohorts
    of the same course (this cohort first). Each such invitation holds a seat, so one
    address gets one. One query per 500 addresses."""
    found: dict[str, Cohort] = {}
    for chunk in _chunks(emails):
        rows = db.session.execute(
            sa.select(Invitation.email, Cohort).join(Cohort, Invitation.cohort_id == Cohort.id)
            .where(Cohort.organisation_id == cohort.organisation_id, Cohort.course_id == cohort.course_id,
                   open_invitation_clause(), Invitation.email.in_(chunk))
            .order_by(Invitation.id)
        ).all()
        for email, other in rows:
            if found.get(email) is None or other.id == cohort.id:
                found[email] = other
    return found


def open_invitation_cohort(cohort: Cohort, email: str) -> Cohort | None:
    return open_invitations_in_course(cohort, [email]).get(email)


def validate_rows(cohort: Cohort, parsed: list[ParsedRow]) -> list[dict]:
    """Check every row against the file itself, existing enrolments, open invitations
    (in this group or another group of the course) and free seats."""
    emails = sorted({r.email for r in parsed if r.email and not r.problems})
    states = enrolment_states(cohort, emails)
    invited = open_invitations_in_course(cohort, emails)
    free = free_seats(cohort)
    seen: set[str] = set()
    rows = []
    for row in parsed:
        if row.problems:
            status = RowStatus.INVALID
        elif row.email in seen:
            status = RowStatus.DUPLICATE
        elif states.get(row.email) == RowStatus.ENROLLED:
            status = RowStatus.ENROLLED
        elif row.email in invited:
            status = RowStatus.INVITED if invited[row.email].id == cohort.id else RowStatus.INVITED_ELSEWHERE
        elif free <= 0:
            status = RowStatus.OVER_LIMIT
        else:
            status = states.get(row.email, RowStatus.OK)
            free -= 1
        seen.add(row.email)
        rows.append({"line": row.line, "name": row.name, "email": row.email, "status": status,
                     "problems": list(row.problems)})
    return rows
