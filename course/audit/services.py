"""Writing and reading the audit log.

`record_event` adds an event to the caller's unit of work and never commits: the
event is stored exactly when the change it describes is. There is no function that
changes or deletes an event (see the guards in course/models/audit.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from course import permissions
from course.extensions import db
from course.models import AuditAction, AuditEvent, Course, Organisation, User

DETAIL_KEYS_MAX = 10
DETAIL_TEXT_MAX = 64  # room for a kind or a slug, not for anything a person wrote


def actor_role(actor: User | None, organisation: Organisation | None = None) -> str:
    """The role the actor acted in, kept with the event (roles change later)."""
    if actor is None:
        return "system"
    if permissions.is_platform_admin(actor):
        return "platform_admin"
    if organisation is not None and permissions.is_org_admin(actor, organisation):
        return "org_admin"
    if permissions.is_trainer(actor):
        return "trainer"
    if permissions.is_org_admin(actor):
        return "org_admin"
    return "learner"


def _checked_details(details: dict | None) -> dict:
    """Small facts only: a flat mapping of short scalars. Anything that could hold a
    person's text (long strings, nested data) is refused, loudly, at development time."""
    details = dict(details or {})
    if len(details) > DETAIL_KEYS_MAX:
        raise ValueError(f"audit details: at most {DETAIL_KEYS_MAX} keys")
    for key, value in details.items():
        if not isinstance(key, str) or len(key) > 40:
            raise ValueError(f"audit details: bad key {key!r}")
        if isinstance(value, str):
            if len(value) > DETAIL_TEXT_MAX or "@" in value:
                raise ValueError(f"audit details: {key} holds text or an address; store an id instead")
        elif value is not None and not isinstance(value, bool | int | float):
            raise ValueError(f"audit details: {key} must be a number, a yes/no or a short code")
    return details


def _object_ref(obj) -> tuple[str | None, str | None]:
    if obj is None:
        return None, None
    public_id = getattr(obj, "public_id", None)
    if public_id is None and getattr(obj, "id", None) is None:
        db.session.flush()  # a new row: give it its id first
        public_id = getattr(obj, "public_id", None)
    return obj.__tablename__, str(public_id or obj.id)


def _id(value) -> int | None:
    return value if value is None or isinstance(value, int) else value.id


def record_event(action: AuditAction, *, actor: User | None, subject: User | int | None = None,
                 organisation: Organisation | int | None = None, course: Course | int | None = None,
                 obj=None, details: dict | None = None) -> AuditEvent:
    """Add one event to the current session. Never commits: the calling service does."""
    organisation_row = organisation if isinstance(organisation, Organisation) else (
        db.session.get(Organisation, organisation) if organisation else None)
    object_type, object_id = _object_ref(obj)
    event = AuditEvent(action=AuditAction(action).value, actor_id=_id(actor),
                       actor_role=actor_role(actor, organisation_row), subject_id=_id(subject),
                       organisation_id=_id(organisation), course_id=_id(course),
                       object_type=object_type, object_id=object_id, details=_checked_details(details))
    db.session.add(event)
    return event


def record_export(actor: User, export: str, *, subject=None, organisation=None, course=None, obj=None,
                  rows: int | None = None, **details) -> None:
    """A download of personal data (a CSV export, a learner's own data). One unit of work."""
    record_event(AuditAction.EXPORT_DOWNLOADED, actor=actor, subject=subject, organisation=organisation,
                 course=course, obj=obj,
                 details={"export": export, **({"rows": rows} if rows is not None else {}), **details})
    db.session.commit()


# ---- reading -----------------------------------------------------------------


@dataclass
class AuditFilters:
    action: str = ""
    actor: str = ""
    subject: str = ""
    organisation: str = ""  # public id
    date_from: date | None = None
    date_to: date | None = None


def _people_matching(text: str):
    """Ids of accounts whose e-mail or name contains `text` (erased accounts no longer match)."""
    needle = text.strip().lower()
    return sa.select(User.id).where(sa.or_(User.email.contains(needle, autoescape=True),
                                           sa.func.lower(User.name).contains(needle, autoescape=True)))


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min)


def search_query(filters: AuditFilters) -> sa.Select:
    query = sa.select(AuditEvent)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.actor:
        query = query.where(AuditEvent.actor_id.in_(_people_matching(filters.actor)))
    if filters.subject:
        query = query.where(AuditEvent.subject_id.in_(_people_matching(filters.subject)))
    if filters.organisation:
        query = query.where(AuditEvent.organisation_id.in_(
            sa.select(Organisation.id).where(Organisation.public_id == filters.organisation)))
    if filters.date_from:
        query = query.where(AuditEvent.created_at >= _start_of(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEvent.created_at < _start_of(filters.date_to + timedelta(days=1)))
    return query


def search(filters: AuditFilters, page: int = 1, per_page: int = 50):
    """One page of matching events, newest first, with the people, organisation and
    course of each event loaded in the same query (a fixed number of queries)."""
    query = search_query(filters).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).options(
        sa.orm.joinedload(AuditEvent.actor), sa.orm.joinedload(AuditEvent.subject),
        sa.orm.joinedload(AuditEvent.organisation), sa.orm.joinedload(AuditEvent.course))
    page = min(max(page or 1, 1), 100_000)  # a hostile ?page= never becomes a huge OFFSET
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def organisations() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.name)))
