"""The rewards: the page of a finished course (the trophy shelf is in badges/shelf.py)."""
import sqlalchemy as sa

from course.badges import queries as badge_queries
from course.extensions import db
from course.models import Enrolment

# ---- the course finished ------------------------------------------------------------


def finished_context(enrolment: Enrolment) -> dict:
    """What the "course completed" page shows: the certificate (one query), whether it
    stands, its LinkedIn link and issuer."""
    from course.models import Certificate

    certificate = db.session.scalar(sa.select(Certificate).where(Certificate.enrolment_id == enrolment.id))
    valid = certificate is not None and badge_queries.certificate_is_valid(certificate)
    return {"certificate": certificate, "certificate_valid": valid,
            "linkedin": badge_queries.linkedin_url(certificate) if valid else "",
            "issuer": badge_queries.issuer_name(enrolment.course)}
