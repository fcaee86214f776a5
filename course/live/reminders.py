"""The reminder of a live session, two days before it starts (a worker job): to every
participant and, in-company, to the organisation's admins."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from course.extensions import db
from course.models import LiveSession, SessionPart, SessionStatus, User, utcnow

from .services import REMINDER_BEFORE, _mail, _people_with_a_place


def send_due_reminders(now: datetime | None = None) -> int:
    """Queue the reminder for sessions starting within two days: to every participant
    and, in-company, to the organisation's admins. A session is claimed with a
    conditional UPDATE on `reminder_sent_at`, so two workers never both send it.
    One commit per session. Returns the number of mails."""
    from course.models import Membership, MembershipRole

    now = now or utcnow()
    first_start = (sa.select(sa.func.min(SessionPart.starts_at)).where(SessionPart.session_id == LiveSession.id)
                   .correlate(LiveSession).scalar_subquery())
    due = db.session.scalars(
        sa.select(LiveSession.id).where(LiveSession.status == SessionStatus.SCHEDULED,
                                        LiveSession.reminder_sent_at.is_(None),
                                        first_start > now, first_start <= now + REMINDER_BEFORE)
        .order_by(LiveSession.id)).all()
    sent = 0
    for session_id in due:
        claimed = db.session.execute(
            sa.update(LiveSession).where(LiveSession.id == session_id, LiveSession.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            db.session.rollback()
            continue
        session = db.session.get(LiveSession, session_id, populate_existing=True)
        registrations = _people_with_a_place(session)
        for registration in registrations:
            _mail(registration.user, session, _l("Reminder: %(title)s", title=session.title),
                  "session_reminder", kind="session_reminder")
            sent += 1
        if session.cohort is not None:
            admins = db.session.scalars(
                sa.select(User).join(Membership, Membership.user_id == User.id)
                .where(Membership.organisation_id == session.cohort.organisation_id,
                       Membership.role == MembershipRole.ADMIN, User.erased_at.is_(None),
                       User.is_active_account.is_(True))
                .order_by(User.id)).all()
            names = [r.user.name for r in registrations]
            for admin in admins:
                _mail(admin, session, _l("Reminder for your team: %(title)s", title=session.title),
                      "session_reminder_org", kind="session_reminder_org", names=names)
                sent += 1
        db.session.commit()
    return sent
