"""Enrolling a team from a file: preview every row, then confirm in one transaction."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from course.errors import InvalidTransition
from course.extensions import db
from course.models import (
    Cohort,
    UploadBatch,
    User,
    utcnow,
)

from .eligibility import RowStatus, validate_rows
from .enrolment_files import ParsedRow, parse_enrolment_file
from .invitations import create_invitation
from .seats import (
    lock_licence_of,
)


def preview_upload(cohort: Cohort, filename: str, data: bytes, actor: User) -> UploadBatch:
    """Read the file (FileProblem on junk), validate every row and keep the result
    for confirmation. Nothing is sent yet. One unit of work."""
    parsed = parse_enrolment_file(filename, data)
    batch = UploadBatch(cohort_id=cohort.id, created_by_id=actor.id, filename=(filename or "")[:255],
                        rows=validate_rows(cohort, parsed))
    db.session.add(batch)
    db.session.commit()
    return batch


def confirm_upload(batch: UploadBatch, actor: User) -> tuple[int, int]:
    """Send the invitations of every row that is (still) valid, all in one transaction.
    A second confirmation is refused. Returns (invited, skipped)."""
    claimed = db.session.execute(
        sa.update(UploadBatch).where(UploadBatch.id == batch.id, UploadBatch.confirmed_at.is_(None))
        .values(confirmed_at=utcnow()).execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise InvalidTransition(str(_l("This file has already been confirmed; the invitations were sent.")))
    cohort = batch.cohort
    lock_licence_of(cohort)  # the rows are checked again, under the lock, before they hold seats
    parsed = [ParsedRow(line=r["line"], name=r["name"], email=r["email"], problems=list(r.get("problems", [])))
              for r in batch.rows or []]
    rows = validate_rows(cohort, parsed)
    invited = 0
    for row in rows:
        if RowStatus(row["status"]).invitable:
            create_invitation(cohort.organisation, row["email"], row["name"], cohort=cohort, actor=actor)
            invited += 1
    db.session.commit()
    return invited, len(rows) - invited


def upload_counts(rows: list[dict]) -> dict[str, int]:
    """Rows per status, plus "invitable": the rows confirming will invite."""
    counts = dict.fromkeys(RowStatus, 0)
    for row in rows:
        counts[RowStatus(row["status"])] += 1
    counts["invitable"] = sum(n for status, n in counts.items() if status.invitable)
    return counts
