"""Badges and certificates: issuing, settings, revocation.

The completion hooks (`on_module_completed`, `on_course_completed`) run inside the
caller's unit of work and never commit. Each insert sits in a savepoint, and the
unique constraints decide races: an IntegrityError means "someone issued it just
now", so every badge and certificate exists exactly once, even when two requests
complete the same module at the same moment. The other public functions are
units of work of their own and commit once (except `revoke_all_for_user`, which
runs inside its caller's transaction). Erasure (course.privacy.erasure) does not
revoke rows: an erased account's badges answer as revoked through `erased_at`, and
keep counting on the organisation's progress page.
"""
import hashlib
import secrets

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from course.audit.services import record_event
from course.extensions import db
from course.models import (
    AuditAction,
    BadgeAssertion,
    BadgeClass,
    Certificate,
    Course,
    CourseModule,
    Enrolment,
    EventKind,
    ModuleProgress,
    ProgressEvent,
    User,
    utcnow,
)
from course.sqlite_locks import lock_for_write

from .queries import COURSE_KEY, REASON_ERASED, can_have_evidence, evidence_excerpt

# ---- recipients ----------------------------------------------------------


def new_salt() -> str:
    return secrets.token_hex(16)


def hash_identity(email: str, salt: str) -> str:
    """Open Badges 2.0 hashed identity: `sha256$` + hex(sha256(email + salt))."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()


# ---- savepoints ------------------------------------------------------------


def _savepoint():
    """A savepoint inside the caller's transaction. The pysqlite driver begins its
    transaction lazily (at the first write), and a SAVEPOINT outside a transaction
    would commit when released: so on SQLite begin the (immediate) write transaction."""
    lock_for_write(db.session)
    return db.session.begin_nested()


# ---- badge classes -------------------------------------------------------


def _badge_class_texts(course: Course, module: CourseModule | None) -> dict:
    """Name, description and criteria, in the course's own language."""
    with force_locale(course.language or "nl"):
        if module is None:
            return {
                "name": course.title,
                "description": _("Completed every module of the course “%(course)s”.", course=course.title),
                "criteria_narrative": _(
                    "Complete all modules of “%(course)s”: read each reading, pass each quiz and have "
                    "each assignment approved by a trainer.", course=course.title),
            }
        return {
            "name": module.title,
            "description": _("Completed the module “%(module)s” of the course “%(course)s”.",
                             module=module.title, course=course.title),
            "criteria_narrative": _(
                "In the module “%(module)s”: read the reading, pass the quiz and have the assignment "
                "approved by a trainer against its rubric.", module=module.title),
        }


def get_or_create_badge_class(course: Course, module: CourseModule | None = None) -> BadgeClass:
    """The badge class for a module (key = its slug) or the course (key "course").
    Created lazily, race-safe; never commits."""
    key = module.slug if module is not None else COURSE_KEY
    query = sa.select(BadgeClass).where(BadgeClass.course_id == course.id, BadgeClass.key == key)
    badge_class = db.session.scalar(query)
    if badge_class is not None:
        return badge_class
    try:
        with _savepoint():
            badge_class = BadgeClass(course_id=course.id, module_id=module.id if module else None, key=key,
                                     **_badge_class_texts(course, module))
            db.session.add(badge_class)
    except IntegrityError:
        badge_class = db.session.scalar(query.execution_options(populate_existing=True))
    return badge_class


# ---- issuing (inside the caller's transaction) ---------------------------


def _existing_assertion(badge_class_id: int, user_id: int) -> BadgeAssertion | None:
    return db.session.scalar(
        sa.select(BadgeAssertion)
        .where(BadgeAssertion.badge_class_id == badge_class_id, BadgeAssertion.user_id == user_id)
        .execution_options(populate_existing=True)
    )


def _issue(badge_class: BadgeClass, enrolment: Enrolment, module: CourseModule | None) -> BadgeAssertion:
    existing = _existing_assertion(badge_class.id, enrolment.user_id)
    if existing is not None:
        return existing
    user = enrolment.user
    salt = new_salt()
    try:
        with _savepoint():
            assertion = BadgeAssertion(
                badge_class_id=badge_class.id, user_id=user.id, enrolment_id=enrolment.id,
                recipient_salt=salt, recipient_hash=hash_identity(user.email, salt),
            )
            db.session.add(assertion)
            db.session.flush()
            db.session.add(ProgressEvent(
                enrolment_id=enrolment.id, module_id=module.id if module else None,
                kind=EventKind.BADGE_ISSUED, data={"badge": badge_class.key, "assertion": assertion.public_id},
            ))
    except IntegrityError:
        # Another request issued it first; its row is the one and only assertion.
        return _existing_assertion(badge_class.id, enrolment.user_id)
    return assertion


def on_module_completed(enrolment, module):
    """Issue the module's badge (exactly once). Never commits."""
    badge_class = get_or_create_badge_class(enrolment.course, module)
    return _issue(badge_class, enrolment, module)


def _existing_certificate(enrolment_id: int) -> Certificate | None:
    return db.session.scalar(
        sa.select(Certificate).where(Certificate.enrolment_id == enrolment_id)
        .execution_options(populate_existing=True)
    )


def issue_certificate(enrolment: Enrolment) -> Certificate:
    """The enrolment's certificate, created once (race-safe). Never commits."""
    existing = _existing_certificate(enrolment.id)
    if existing is not None:
        return existing
    try:
        with _savepoint():
            certificate = Certificate(enrolment_id=enrolment.id, issued_at=enrolment.completed_at or utcnow())
            db.session.add(certificate)
    except IntegrityError:
        return _existing_certificate(enrolment.id)
    return certificate


def on_course_completed(enrolment):
    """Issue the course badge and the certificate (exactly once). Never commits."""
    badge_class = get_or_create_badge_class(enrolment.course, None)
    assertion = _issue(badge_class, enrolment, None)
    issue_certificate(enrolment)
    return assertion


def ensure_awards(enrolment: Enrolment) -> int:
    """Issue whatever the enrolment has earned but not yet received (for the demo
    seed and repairs). One unit of work; returns the number of awards that exist."""
    completed = db.session.scalars(
        sa.select(ModuleProgress).where(ModuleProgress.enrolment_id == enrolment.id,
                                        ModuleProgress.completed_at.is_not(None))
    ).all()
    for progress in completed:
        on_module_completed(enrolment, progress.module)
    count = len(completed)
    if enrolment.completed_at is not None:
        on_course_completed(enrolment)
        count += 2
    db.session.commit()
    return count


# ---- the learner's choices -----------------------------------------------


def update_settings(assertion: BadgeAssertion, show_name: bool, publish_evidence: bool) -> None:
    """Whether the public page shows the name; whether the evidence excerpt is public."""
    assertion.show_name = bool(show_name)
    publish = bool(publish_evidence) and can_have_evidence(assertion)
    if publish:
        excerpt = evidence_excerpt(assertion)
        publish = bool(excerpt)
        assertion.evidence_excerpt = excerpt
    else:
        assertion.evidence_excerpt = ""
    assertion.evidence_published = publish
    db.session.commit()


def update_all_settings(choices: list[tuple[BadgeAssertion, bool, bool]]) -> dict[int, str]:
    """Mijn badges' one save: (assertion, show name, publish evidence) for every badge, one unit of work.
    A badge asked to publish evidence it has none of (no approved assignment yet) is a problem: then
    nothing is saved, and the problems come back per assertion id so the page shows each beside its
    badge. A course badge has no evidence; asking for it is ignored."""
    excerpts, problems = {}, {}
    for assertion, _show, publish in choices:
        if publish and can_have_evidence(assertion):
            excerpts[assertion.id] = evidence_excerpt(assertion)
            if not excerpts[assertion.id]:
                problems[assertion.id] = _("There is no approved assignment to publish for this badge.")
    if problems:
        return problems
    for assertion, show, _publish in choices:
        assertion.show_name = bool(show)
        assertion.evidence_excerpt = excerpts.get(assertion.id, "")
        assertion.evidence_published = bool(assertion.evidence_excerpt)
    db.session.commit()
    return {}


def mark_celebrated(assertion_ids: list[int]) -> None:
    """The page that congratulated the learner was sent: do not do it again."""
    db.session.execute(
        sa.update(BadgeAssertion).where(BadgeAssertion.id.in_(assertion_ids), BadgeAssertion.celebrated_at.is_(None))
        .values(celebrated_at=utcnow())
    )
    db.session.commit()


# ---- revocation ----------------------------------------------------------


def revoke(assertion: BadgeAssertion, reason: str, actor: User | None = None) -> None:
    """A platform admin revokes a badge; the assertion answers `revoked` from now on."""
    if assertion.revoked_at is None:
        assertion.revoked_at = utcnow()
    assertion.revocation_reason = reason.strip()[:300]
    # The reason is free text and may name people: the event keeps only the ids.
    record_event(AuditAction.BADGE_REVOKED, actor=actor, subject=assertion.user_id,
                 course=assertion.badge_class.course_id, obj=assertion)
    current_app.logger.info("Badge %s revoked by %s", assertion.public_id, actor.public_id if actor else "-")
    db.session.commit()


def revoke_all_for_user(user: User, reason: str = REASON_ERASED) -> int:
    """Every assertion and certificate of the user answers as revoked. Runs inside
    the caller's transaction: flushes, never commits."""
    now = utcnow()
    result = db.session.execute(
        sa.update(BadgeAssertion)
        .where(BadgeAssertion.user_id == user.id, BadgeAssertion.revoked_at.is_(None))
        .values(revoked_at=now, revocation_reason=reason[:300], show_name=False,
                evidence_published=False, evidence_excerpt="")
        .execution_options(synchronize_session="fetch")
    )
    db.session.execute(
        sa.update(Certificate)
        .where(Certificate.enrolment_id.in_(sa.select(Enrolment.id).where(Enrolment.user_id == user.id)),
               Certificate.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    return result.rowcount
