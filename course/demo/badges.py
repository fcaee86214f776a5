"""Demo step: badges and certificates for everything the demo learners completed.

The review step approves afgerond@example.org's assignments through the review
service, whose completion hooks issue the badges. This step makes sure nothing is
missing (e.g. data seeded before the hooks existed) and shows the features off:
afgerond shows their name on the course badge and publishes one piece of evidence.
Idempotent: running it again changes nothing.
"""
import sqlalchemy as sa

from course.badges import queries, services
from course.extensions import db
from course.models import BadgeAssertion, Enrolment, ModuleProgress, User

FINISHED = "afgerond@example.org"
DEMO_REGISTRATION_NUMBER = "123456789"


def _enrolments_with_progress() -> list[Enrolment]:
    return list(db.session.scalars(
        sa.select(Enrolment).where(
            sa.or_(Enrolment.completed_at.is_not(None),
                   Enrolment.id.in_(sa.select(ModuleProgress.enrolment_id)
                                    .where(ModuleProgress.completed_at.is_not(None))))
        ).order_by(Enrolment.id)
    ))


def _show_off(user: User) -> None:
    if not user.registration_number:
        user.registration_number = DEMO_REGISTRATION_NUMBER
        db.session.commit()
    assertions = queries.assertions_of(user)
    course_badge = next((a for a in assertions if a.badge_class.module_id is None), None)
    if course_badge is not None and not course_badge.show_name:
        services.update_settings(course_badge, show_name=True, publish_evidence=course_badge.evidence_published)
    first_module = next((a for a in assertions if a.badge_class.module_id is not None), None)
    if first_module is not None and not first_module.evidence_published:
        services.update_settings(first_module, show_name=first_module.show_name, publish_evidence=True)


def seed() -> str:
    enrolments = _enrolments_with_progress()
    for enrolment in enrolments:
        services.ensure_awards(enrolment)
    finished = db.session.scalar(sa.select(User).where(User.email == FINISHED))
    if finished is not None:
        _show_off(finished)
    badges = db.session.scalar(sa.select(sa.func.count(BadgeAssertion.id)))
    mine = len(queries.assertions_of(finished)) if finished else 0
    certificates = len(queries.certificates_of(finished)) if finished else 0
    return (f"Badges: {badges} issued for {len(enrolments)} enrolments; {FINISHED} has {mine} badges "
            f"and {certificates} certificate(s).")
