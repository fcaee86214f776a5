"""Open Badges 2.0 JSON-LD documents for hosted verification.

Every `id` is a stable public URL built from BASE_URL. The recipient is only ever
a salted SHA-256 hash of the e-mail address: no document contains it in clear.
"""
from datetime import datetime

from flask import current_app

from course.models import BadgeAssertion, BadgeClass, Course
from course.urls import external_url

from . import queries

CONTEXT = "https://w3id.org/openbadges/v2"


def iso(moment: datetime) -> str:
    """ISO 8601 with a timezone (stored datetimes are naive UTC)."""
    return moment.replace(microsecond=0).isoformat() + "+00:00"


def issuer_profile(course: Course | None = None) -> dict:
    """The issuer Profile: the course's issuer (queries.issuer_name) for a course's
    badges, the platform itself for /ob/issuer.json."""
    config = current_app.config
    url = (external_url("badges.course_issuer_json", course_slug=course.slug) if course is not None
           else external_url("badges.issuer_json"))
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": url,
        "name": queries.issuer_name(course),
        "url": config["BASE_URL"].rstrip("/") + "/",
        "email": config.get("SUPPORT_EMAIL", ""),
        "description": config.get("BADGE_ISSUER_DESCRIPTION", "Leerlijn: self-paced courses for welfare work."),
    }


def badge_class(badge: BadgeClass) -> dict:
    course = badge.course
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": external_url("badges.badge_class_json", public_id=badge.public_id),
        "name": badge.name,
        "description": badge.description,
        "image": external_url("badges.badge_class_png", public_id=badge.public_id),
        "criteria": {
            "id": external_url("badges.criteria", public_id=badge.public_id),
            "narrative": badge.criteria_narrative,
        },
        "issuer": external_url("badges.course_issuer_json", course_slug=course.slug),
        "tags": [course.title, course.slug],
    }


def assertion(item: BadgeAssertion) -> dict:
    """The hosted assertion. A revoked one answers with `revoked` and the reason only."""
    url = external_url("badges.assertion_json", public_id=item.public_id)
    if queries.is_revoked(item):
        return {
            "@context": CONTEXT,
            "type": "Assertion",
            "id": url,
            "revoked": True,
            "revocationReason": queries.revocation_reason(item),
        }
    document = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": url,
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": item.recipient_salt,
            "identity": item.recipient_hash,
        },
        "badge": external_url("badges.badge_class_json", public_id=item.badge_class.public_id),
        "verification": {"type": "HostedBadge"},
        "issuedOn": iso(item.issued_at),
        "image": external_url("badges.baked_png", public_id=item.public_id),
    }
    if item.evidence_published and item.evidence_excerpt:
        document["evidence"] = {
            "id": external_url("badges.evidence", public_id=item.public_id),
            "narrative": item.evidence_excerpt,
        }
    return document
