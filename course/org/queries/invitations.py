"""A group's invitation and invite-link lists."""
from __future__ import annotations

import sqlalchemy as sa

from course.extensions import db
from course.models import (
    Cohort,
    Invitation,
    InviteLink,
)
from course.pagination import Page


def cohort_links(cohort: Cohort) -> list[InviteLink]:
    return list(db.session.scalars(
        sa.select(InviteLink).where(InviteLink.cohort_id == cohort.id).order_by(InviteLink.created_at.desc())
    ))


INVITATIONS_PER_PAGE = 50


def cohort_invitations(cohort: Cohort, page: int = 1, per_page: int = INVITATIONS_PER_PAGE) -> Page:
    """One page of the cohort's invitations that were neither accepted nor withdrawn
    (open or expired), newest first. One query: the total rides along as a window
    count (a second one only for a page past the end)."""
    page = max(page or 1, 1)
    where = (Invitation.cohort_id == cohort.id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
    rows = db.session.execute(
        sa.select(Invitation, sa.func.count().over().label("total")).where(*where)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    if rows:
        total = rows[0].total
    elif page == 1:
        total = 0
    else:
        total = db.session.scalar(sa.select(sa.func.count(Invitation.id)).where(*where)) or 0
    return Page(items=[row[0] for row in rows], page=page, per_page=per_page, total=total)
