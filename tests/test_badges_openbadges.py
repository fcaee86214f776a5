"""Open Badges 2.0 hosted verification: the JSON-LD documents, checked against
the spec's required fields and types by a small validator, and their status codes."""
import hashlib
import re
from datetime import datetime

import pytest

from course.badges import queries, services
from course.extensions import db
from tests import factories
from tests.factories_badges import award_module_badge, completed_enrolment

CONTEXT = "https://w3id.org/openbadges/v2"
BASE = "http://leerlijn.test"


# ---- a small Open Badges 2.0 validator ---------------------------------------

def _is_iri(value) -> bool:
    return isinstance(value, str) and re.match(r"^(https?://|urn:uuid:)", value) is not None


def _is_datetime(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return parsed.tzinfo is not None


def _check_common(doc: dict, expected_type: str) -> list[str]:
    problems = []
    if doc.get("@context") != CONTEXT:
        problems.append("@context must be the OB 2.0 context")
    types = doc.get("type")
    if not (types == expected_type or (isinstance(types, list) and expected_type in types)):
        problems.append(f"type must be {expected_type}")
    if not _is_iri(doc.get("id")):
        problems.append("id must be an IRI")
    return problems


def validate_profile(doc: dict) -> list[str]:
    problems = _check_common(doc, "Issuer")
    for key in ("name", "url"):
        if not isinstance(doc.get(key), str) or not doc[key]:
            problems.append(f"Profile.{key} is required text")
    if not _is_iri(doc.get("url")):
        problems.append("Profile.url must be an IRI")
    if "email" in doc and "@" not in doc["email"]:
        problems.append("Profile.email must be an e-mail address")
    return problems


def validate_badge_class(doc: dict) -> list[str]:
    problems = _check_common(doc, "BadgeClass")
    for key in ("name", "description"):
        if not isinstance(doc.get(key), str) or not doc[key]:
            problems.append(f"BadgeClass.{key} is required text")
    if not _is_iri(doc.get("image")):
        problems.append("BadgeClass.image must be an IRI")
    criteria = doc.get("criteria")
    if not (_is_iri(criteria) or (isinstance(criteria, dict) and (_is_iri(criteria.get("id"))
                                                                   or criteria.get("narrative")))):
        problems.append("BadgeClass.criteria must be an IRI or a Criteria object")
    if not _is_iri(doc.get("issuer")):
        problems.append("BadgeClass.issuer must be the IRI of a Profile")
    return problems


def validate_assertion(doc: dict) -> list[str]:
    problems = _check_common(doc, "Assertion")
    recipient = doc.get("recipient") or {}
    if recipient.get("type") != "email":
        problems.append("recipient.type must be email")
    if not isinstance(recipient.get("hashed"), bool):
        problems.append("recipient.hashed must be a boolean")
    if recipient.get("hashed") and not re.match(r"^sha256\$[0-9a-f]{64}$", recipient.get("identity", "")):
        problems.append("recipient.identity must be sha256$<hex>")
    if recipient.get("hashed") and not isinstance(recipient.get("salt"), str):
        problems.append("recipient.salt must be text")
    if not _is_iri(doc.get("badge")):
        problems.append("badge must be the IRI of a BadgeClass")
    verification = doc.get("verification") or {}
    if verification.get("type") != "HostedBadge":
        problems.append("verification.type must be HostedBadge")
    if not _is_datetime(doc.get("issuedOn")):
        problems.append("issuedOn must be an ISO 8601 date-time with a timezone")
    if "image" in doc and not _is_iri(doc["image"]):
        problems.append("image must be an IRI")
    if "evidence" in doc:
        evidence = doc["evidence"]
        if not (_is_iri(evidence) or (isinstance(evidence, dict) and (_is_iri(evidence.get("id"))
                                                                      or evidence.get("narrative")))):
            problems.append("evidence must be an IRI or an Evidence object")
    # Hosted verification: the assertion lives on the issuer's origin.
    if doc.get("id", "").split("/")[2:3] != doc.get("badge", "").split("/")[2:3]:
        problems.append("assertion and badge must share the issuer's origin")
    return problems


def test_the_validator_catches_a_broken_assertion():
    broken = {"@context": CONTEXT, "type": "Assertion", "id": "x", "recipient": {"type": "email",
              "hashed": "true", "identity": "a@b.nl"}, "verification": {"type": "Signed"}, "issuedOn": "2024"}
    assert len(validate_assertion(broken)) >= 5


# ---- fixtures ----------------------------------------------------------------

@pytest.fixture
def assertion(app, learner):
    enrolment = factories.make_enrolment(learner, factories.make_course(title="Welzijn 2.0"))
    return award_module_badge(enrolment)


def _path(url: str) -> str:
    assert url.startswith(BASE), url
    return url[len(BASE):]


def test_issuer_profile_is_a_valid_profile(client):
    response = client.get("/ob/issuer.json")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    doc = response.get_json(force=True)
    assert validate_profile(doc) == []
    assert doc["id"] == f"{BASE}/ob/issuer.json"


def test_assertion_badge_class_and_issuer_chain_validates(client, assertion, learner):
    response = client.get(f"/ob/assertions/{assertion.public_id}.json")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    doc = response.get_json(force=True)
    assert validate_assertion(doc) == []
    assert doc["id"] == f"{BASE}/ob/assertions/{assertion.public_id}.json"

    badge = client.get(_path(doc["badge"]))
    assert badge.status_code == 200 and badge.mimetype == "application/ld+json"
    badge_doc = badge.get_json(force=True)
    assert validate_badge_class(badge_doc) == []
    assert badge_doc["name"] == "Module 1"
    assert badge_doc["criteria"]["narrative"]

    issuer = client.get(_path(badge_doc["issuer"]))
    assert validate_profile(issuer.get_json(force=True)) == []
    image = client.get(_path(badge_doc["image"]))
    assert image.status_code == 200 and image.mimetype == "image/png"
    criteria = client.get(_path(badge_doc["criteria"]["id"]))
    assert criteria.status_code == 200 and b"Module 1" in criteria.data


def test_the_recipient_is_a_salted_hash_and_the_email_never_appears(client, assertion, learner):
    body = client.get(f"/ob/assertions/{assertion.public_id}.json").get_data(as_text=True)
    doc = client.get(f"/ob/assertions/{assertion.public_id}.json").get_json(force=True)
    recipient = doc["recipient"]
    expected = hashlib.sha256((learner.email + recipient["salt"]).encode()).hexdigest()
    assert recipient == {"type": "email", "hashed": True, "salt": recipient["salt"],
                         "identity": f"sha256${expected}"}
    assert learner.email not in body
    assert learner.name not in body


def test_every_assertion_has_its_own_salt(app, learner):
    course = factories.make_course()
    enrolment = factories.make_enrolment(learner, course)
    one = award_module_badge(enrolment, course.modules[0])
    two = award_module_badge(enrolment, course.modules[1])
    assert one.recipient_salt != two.recipient_salt
    assert one.recipient_hash != two.recipient_hash


def test_urls_come_from_base_url_not_from_the_request_host(client, assertion):
    doc = client.get(f"/ob/assertions/{assertion.public_id}.json", base_url="http://evil.example").get_json(
        force=True)
    assert doc["id"].startswith(BASE) and doc["badge"].startswith(BASE)


def test_a_revoked_assertion_answers_410_with_the_reason(client, assertion, platform_admin):
    services.revoke(assertion, "Fraude met de opdracht", actor=platform_admin)
    response = client.get(f"/ob/assertions/{assertion.public_id}.json")
    assert response.status_code == 410
    doc = response.get_json(force=True)
    assert doc["revoked"] is True
    assert doc["revocationReason"] == "Fraude met de opdracht"
    assert doc["id"].endswith(f"/ob/assertions/{assertion.public_id}.json")


def test_erasing_the_account_makes_every_assertion_answer_revoked(client, learner):
    enrolment = completed_enrolment(learner)
    ids = [a.public_id for a in queries.assertions_of(learner)]
    assert len(ids) == 3
    services.revoke_all_for_user(learner)
    db.session.commit()
    for public_id in ids:
        response = client.get(f"/ob/assertions/{public_id}.json")
        assert response.status_code == 410
        assert response.get_json(force=True)["revoked"] is True
    certificate = queries.certificates_of(learner)[0]
    assert not queries.certificate_is_valid(certificate)
    assert enrolment.id == certificate.enrolment_id


def test_an_erased_user_is_revoked_even_without_the_explicit_call(client, assertion, learner):
    from course.models import utcnow

    learner.erased_at = utcnow()
    db.session.commit()
    response = client.get(f"/ob/assertions/{assertion.public_id}.json")
    assert response.status_code == 410
    assert "erased" in response.get_json(force=True)["revocationReason"]


@pytest.mark.parametrize("path", [
    "/ob/assertions/not-a-real-id.json",
    "/ob/badges/not-a-real-id.json",
])
def test_unknown_documents_answer_404_in_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["status"] == 404


def test_a_tampered_badge_url_answers_html_to_people_and_json_to_machines(client, assertion):
    tampered = assertion.public_id[:-2] + ("AA" if not assertion.public_id.endswith("AA") else "BB")
    page = client.get(f"/badges/{tampered}", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert page.mimetype == "text/html"
    machine = client.get(f"/badges/{tampered}", headers={"Accept": "application/json"})
    assert machine.status_code == 404 and machine.is_json


def test_the_badge_page_answers_json_ld_to_machines(client, assertion):
    response = client.get(f"/badges/{assertion.public_id}", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    assert validate_assertion(response.get_json(force=True)) == []


def test_published_evidence_appears_in_the_assertion(client, app, learner):
    enrolment = completed_enrolment(learner)
    assertion = next(a for a in queries.assertions_of(learner) if a.badge_class.module_id)
    services.update_settings(assertion, show_name=False, publish_evidence=True)
    doc = client.get(f"/ob/assertions/{assertion.public_id}.json").get_json(force=True)
    assert validate_assertion(doc) == []
    assert doc["evidence"]["id"].endswith(f"/badges/{assertion.public_id}/bewijs")
    assert "Antwoord voor Doelgroep" in doc["evidence"]["narrative"]
    assert enrolment.user_id == learner.id
