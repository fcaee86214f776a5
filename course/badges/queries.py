"""Badges and certificates: the read side (what a learner has, lookups, the admin's
list, the attendance list, public URLs and the issuer's name). State changes live in
services.py.
"""
from datetime import datetime
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from course.extensions import db
from course.models import (
    BadgeAssertion,
    BadgeClass,
    Certificate,
    Cohort,
    Course,
    Enrolment,
    Review,
    ReviewDecision,
    Submission,
    SubmissionVersion,
    User,
)
from course.urls import external_url

# The badge key of the course badge (a module badge is keyed by its slug).
COURSE_KEY = "course"

REASON_ERASED = "The learner's account was erased."
EVIDENCE_FIELD_CHARS = 600


# ---- public URLs and the issuer ------------------------------------------


def assertion_url(assertion: BadgeAssertion) -> str:
    return external_url("badges.assertion_json", public_id=assertion.public_id)


def certificate_url(certificate: Certificate) -> str:
    return external_url("badges.certificate_page", public_id=certificate.public_id)


def platform_name() -> str:
    return current_app.config.get("BADGE_ISSUER_NAME", "Leerlijn")


def issuer_name(course: Course | None) -> str:
    """The one issuer rule (modules/README.md): the course's `issuer` from course.yml,
    else the platform's name. Badge JSON, badge page, certificate and its page use it."""
    own = (course.issuer or "").strip() if course is not None else ""
    return own or platform_name()


def linkedin_url(certificate: Certificate) -> str:
    """LinkedIn's "add certification" form, prefilled."""
    course = certificate.enrolment.course
    issued: datetime = certificate.issued_at
    query = urlencode({
        "startTask": "CERTIFICATION_NAME",
        "name": course.title,
        "organizationName": issuer_name(course),
        "issueYear": issued.year,
        "issueMonth": issued.month,
        "certUrl": certificate_url(certificate),
        "certId": certificate.public_id,
    })
    return f"https://www.linkedin.com/profile/add?{query}"


# ---- what a learner has --------------------------------------------------


def assertions_of(user: User) -> list[BadgeAssertion]:
    """The user's badges, newest first, course badges before module badges of the same day."""
    return list(db.session.scalars(
        sa.select(BadgeAssertion).join(BadgeClass)
        .where(BadgeAssertion.user_id == user.id)
        .options(sa.orm.joinedload(BadgeAssertion.badge_class).joinedload(BadgeClass.course),
                 sa.orm.joinedload(BadgeAssertion.badge_class).joinedload(BadgeClass.module))
        .order_by(BadgeClass.course_id, BadgeClass.module_id.is_not(None), BadgeAssertion.issued_at.desc())
    ).unique())


def valid_assertions_for_enrolment(enrolment: Enrolment) -> list[BadgeAssertion]:
    """The badges earned in this enrolment's course that still stand (for the course page)."""
    return [a for a in assertions_of(enrolment.user)
            if a.badge_class.course_id == enrolment.course_id and not is_revoked(a)]


def certificates_of(user: User) -> list[Certificate]:
    return list(db.session.scalars(
        sa.select(Certificate).join(Enrolment).where(Enrolment.user_id == user.id)
        .options(sa.orm.joinedload(Certificate.enrolment).joinedload(Enrolment.course))
        .order_by(Certificate.issued_at.desc())
    ).unique())


def is_revoked(assertion: BadgeAssertion) -> bool:
    """Revoked by an admin, or the account was erased."""
    return assertion.revoked_at is not None or assertion.user.erased_at is not None


def revocation_reason(assertion: BadgeAssertion) -> str:
    if assertion.revoked_at is not None:
        return assertion.revocation_reason or ""
    return REASON_ERASED


def certificate_is_valid(certificate: Certificate) -> bool:
    return certificate.revoked_at is None and certificate.enrolment.user.erased_at is None


# ---- lookups -------------------------------------------------------------


def get_assertion(public_id: str) -> BadgeAssertion | None:
    return db.session.scalar(sa.select(BadgeAssertion).where(BadgeAssertion.public_id == public_id))


def get_badge_class(public_id: str) -> BadgeClass | None:
    return db.session.scalar(sa.select(BadgeClass).where(BadgeClass.public_id == public_id))


def get_certificate(public_id: str) -> Certificate | None:
    return db.session.scalar(sa.select(Certificate).where(Certificate.public_id == public_id))


def course_by_slug(slug: str) -> Course | None:
    return db.session.scalar(sa.select(Course).where(Course.slug == slug))


def get_cohort(public_id: str) -> Cohort | None:
    return db.session.scalar(sa.select(Cohort).where(Cohort.public_id == public_id))


# ---- evidence ------------------------------------------------------------


def approved_version(enrolment_id: int, module_id: int) -> SubmissionVersion | None:
    """The latest approved version of the learner's assignment for this module."""
    return db.session.scalar(
        sa.select(SubmissionVersion).join(Submission).join(Review)
        .where(Submission.enrolment_id == enrolment_id, Submission.module_id == module_id,
               Review.decision == ReviewDecision.APPROVED)
        .order_by(SubmissionVersion.number.desc()).limit(1)
    )


def evidence_excerpt(assertion: BadgeAssertion) -> str:
    """A short excerpt of the approved assignment, field by field (Markdown)."""
    module = assertion.badge_class.module
    if module is None or assertion.enrolment_id is None:
        return ""
    version = approved_version(assertion.enrolment_id, module.id)
    if version is None:
        return ""
    parts = []
    assignment = module.assignment_spec
    for field in assignment.fields if assignment else []:
        text = (version.fields or {}).get(field.id, "").strip()
        if not text:
            continue
        if len(text) > EVIDENCE_FIELD_CHARS:
            text = text[:EVIDENCE_FIELD_CHARS].rsplit(" ", 1)[0] + " …"
        parts.append(f"**{field.label}**\n\n{text}")
    return "\n\n".join(parts)


def can_have_evidence(assertion: BadgeAssertion) -> bool:
    return assertion.badge_class.module_id is not None


# ---- celebrations --------------------------------------------------------


def pending_celebrations(user: User) -> list:
    """(id, name) of the badges earned since the learner last saw a page: read only."""
    return db.session.execute(
        sa.select(BadgeAssertion.id, BadgeClass.name).join(BadgeClass)
        .where(BadgeAssertion.user_id == user.id, BadgeAssertion.celebrated_at.is_(None),
               BadgeAssertion.revoked_at.is_(None))
        .order_by(BadgeAssertion.issued_at)
    ).all()


# ---- lists ---------------------------------------------------------------


def issued_badges_page(page: int = 1, per_page: int = 50):
    """Every issued badge, newest first, for the platform admin."""
    return db.paginate(
        sa.select(BadgeAssertion).join(User).order_by(BadgeAssertion.issued_at.desc(), BadgeAssertion.id.desc())
        .options(sa.orm.joinedload(BadgeAssertion.user),
                 sa.orm.joinedload(BadgeAssertion.badge_class).joinedload(BadgeClass.course)),
        page=page, per_page=per_page, error_out=False,
    )


def attendance_list(cohort: Cohort) -> tuple[list[str], list[list]]:
    """Header and rows of the cohort's attendance list for Registerplein: name,
    registration number, completion date, study hours, the dates of the live sessions
    attended and the contact hours (net, issue 13), accreditation points and the
    course's accreditation number (date, study hours, points and number only for those
    who completed). Two queries."""
    from course.attendance import exports
    from course.attendance import queries as attendance

    enrolments = db.session.scalars(
        sa.select(Enrolment).join(User).where(Enrolment.cohort_id == cohort.id)
        .options(sa.orm.joinedload(Enrolment.user), sa.orm.joinedload(Enrolment.course))
        .order_by(User.name, User.id)
    ).all()
    found = attendance.summaries((e.user_id, e.course_id) for e in enrolments)
    header = [_("Name"), _("Registration number"), _("Completion date"), _("Study hours"), _("Session dates"),
              _("Contact hours"), _("Accreditation points"), _("Accreditation number")]
    rows = []
    for e in enrolments:
        dates, hours, points, number = exports.registerplein_columns(e.course, found[(e.user_id, e.course_id)], e)
        completed = [e.completed_at.date(), e.course.study_hours] if e.completed_at else ["", ""]
        rows.append([e.user.name, e.user.registration_number or "", *completed, dates, hours, points, number])
    return header, rows

