"""The learner's badge pages, the badge settings (one form for all, POST /mijn-badges), the public verification
page, evidence, revocation by a platform admin and the celebration message."""
import pytest
import sqlalchemy as sa

from course.badges import queries
from course.extensions import db
from course.models import BadgeAssertion
from tests import factories
from tests.factories_badges import award_module_badge, completed_enrolment


@pytest.fixture
def earned(app, learner):
    """A learner who completed a two-module course: three badges, one certificate."""
    learner.name = "Łucja Wąsowska"
    db.session.commit()
    enrolment = completed_enrolment(learner, factories.make_course(title="Welzijn 2.0"))
    module_badge = next(a for a in queries.assertions_of(learner) if a.badge_class.key == "module-1")
    return enrolment, module_badge


def test_my_badges_lists_badges_certificate_and_the_linkedin_link(earned, login_as, learner):
    html = login_as(learner).get("/mijn-badges").get_data(as_text=True)
    assert "Mijn badges" in html
    for name in ("Module 1", "Module 2", "Welzijn 2.0"):
        assert f'alt="Badge: {name}"' in html
    assert "Bewijs van deelname downloaden (pdf)" in html
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in html
    assert "css/badges.css" in html


def test_my_badges_without_badges_says_how_to_earn_one(app, login_as, learner):
    html = login_as(learner).get("/mijn-badges").get_data(as_text=True)
    assert "Je hebt nog geen badges verdiend" in html


def test_the_public_page_hides_the_name_by_default(earned, client):
    _enrolment, badge = earned
    html = client.get(f"/badges/{badge.public_id}").get_data(as_text=True)
    assert "Status: geldig" in html
    assert "Łucja" not in html
    assert "Module 1" in html and "Welzijn 2.0" in html
    assert f"/ob/assertions/{badge.public_id}.json" in html


def test_the_learner_chooses_to_show_their_name(earned, client, login_as, learner):
    _enrolment, badge = earned
    response = login_as(learner).post("/mijn-badges", data={f"{badge.public_id}-show_name": "y"})
    assert response.status_code == 302
    html = client.get(f"/badges/{badge.public_id}").get_data(as_text=True)
    assert "Łucja Wąsowska" in html
    # The assertion stays verifiable either way, and never carries the name.
    assert client.get(f"/ob/assertions/{badge.public_id}.json").status_code == 200
    assert "Łucja" not in client.get(f"/ob/assertions/{badge.public_id}.json").get_data(as_text=True)


def test_evidence_is_off_by_default_and_published_on_request(earned, client, login_as, learner):
    _enrolment, badge = earned
    assert client.get(f"/badges/{badge.public_id}/bewijs").status_code == 404
    login_as(learner).post("/mijn-badges", data={f"{badge.public_id}-publish_evidence": "y"})
    page = client.get(f"/badges/{badge.public_id}/bewijs")
    assert page.status_code == 200
    assert "Antwoord voor Doelgroep in Module 1." in page.get_data(as_text=True)
    # Switching it off again hides it.
    login_as(learner).post("/mijn-badges", data={})
    assert client.get(f"/badges/{badge.public_id}/bewijs").status_code == 404


def test_the_course_badge_cannot_publish_evidence(earned, login_as, learner):
    course_badge = next(a for a in queries.assertions_of(learner) if a.badge_class.key == "course")
    login_as(learner).post("/mijn-badges", data={f"{course_badge.public_id}-publish_evidence": "y"})
    db.session.refresh(course_badge)
    assert course_badge.evidence_published is False


def test_someone_else_cannot_change_the_settings(earned, login_as, trainer):
    _enrolment, badge = earned
    response = login_as(factories.make_user()).post("/mijn-badges", data={f"{badge.public_id}-show_name": "y"})
    assert response.status_code == 302  # their own badges (none) are saved; another's is not theirs to set
    db.session.refresh(badge)
    assert badge.show_name is False


def test_settings_need_a_csrf_token(csrf_app, learner):
    course = factories.make_course()
    badge = award_module_badge(factories.make_enrolment(learner, course))
    client = csrf_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = learner.get_id()
    response = client.post("/mijn-badges", data={f"{badge.public_id}-show_name": "y"})
    assert response.status_code == 400
    db.session.refresh(badge)
    assert badge.show_name is False


def test_a_platform_admin_revokes_with_a_reason(earned, client, login_as, platform_admin):
    _enrolment, badge = earned
    admin = login_as(platform_admin)
    page = admin.get(f"/badges/{badge.public_id}").get_data(as_text=True)
    assert "Badge intrekken" in page
    assert admin.post(f"/badges/{badge.public_id}/intrekken", data={"reason": ""}).status_code == 302
    db.session.refresh(badge)
    assert badge.revoked_at is None  # a reason is required

    admin.post(f"/badges/{badge.public_id}/intrekken", data={"reason": "Opdracht was niet eigen werk"})
    html = client.get(f"/badges/{badge.public_id}").get_data(as_text=True)
    assert "Status: ingetrokken" in html and "Opdracht was niet eigen werk" in html
    listing = admin.get("/beheer/badges").get_data(as_text=True)
    assert "Ingetrokken" in listing


def test_learners_and_trainers_cannot_revoke(earned, login_as, learner, trainer):
    _enrolment, badge = earned
    for user in (learner, trainer):
        assert login_as(user).post(f"/badges/{badge.public_id}/intrekken", data={"reason": "x"}).status_code == 403
        assert "Badge intrekken" not in login_as(user).get(f"/badges/{badge.public_id}").get_data(as_text=True)
    db.session.refresh(badge)
    assert badge.revoked_at is None


def test_the_learner_sees_the_celebration_once(app, login_as, learner):
    enrolment = factories.make_enrolment(learner, factories.make_course())
    award_module_badge(enrolment)
    client = login_as(learner)
    first = client.get("/mijn-leren").get_data(as_text=True)
    assert "Gefeliciteerd, je hebt de badge “Module 1” verdiend!" in first
    assert 'href="/mijn-badges"' in first
    second = client.get("/mijn-leren").get_data(as_text=True)
    assert "Gefeliciteerd" not in second
    assert db.session.scalar(sa.select(BadgeAssertion.celebrated_at)) is not None


def test_downloads_and_json_do_not_use_up_the_celebration(app, login_as, learner):
    enrolment = factories.make_enrolment(learner, factories.make_course())
    badge = award_module_badge(enrolment)
    client = login_as(learner)
    client.get(f"/badges/{badge.public_id}/badge.png")
    client.get(f"/ob/assertions/{badge.public_id}.json")
    assert "Gefeliciteerd" in client.get("/mijn-badges").get_data(as_text=True)


def test_rendering_does_not_write_and_only_a_sent_page_uses_up_the_celebration(app, login_as, learner):
    enrolment = factories.make_enrolment(learner, factories.make_course())
    award_module_badge(enrolment)
    client = login_as(learner)
    missing = client.get("/mijn-leren/bestaat-niet")
    assert missing.status_code == 404
    assert db.session.scalar(sa.select(BadgeAssertion.celebrated_at)) is None
    assert "Gefeliciteerd" in client.get("/mijn-leren").get_data(as_text=True)
    assert db.session.scalar(sa.select(BadgeAssertion.celebrated_at)) is not None


def test_the_celebration_escapes_the_badge_name(app, login_as, learner):
    course = factories.make_course()
    course.modules[0].title = "<img src=x onerror=alert(1)>"
    db.session.commit()
    award_module_badge(factories.make_enrolment(learner, course))
    html = login_as(learner).get("/mijn-leren").get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_the_course_badges_partial_lists_valid_badges(earned, app, login_as, learner):
    enrolment, badge = earned
    from flask import render_template_string

    with app.test_request_context():
        html = render_template_string('{% include "badges/_course_badges.html" %}', enrolment=enrolment)
    assert html.count("<img") == 3 and "Jouw badges in deze cursus" in html


def test_the_evidence_hint_is_shown_once_per_badge(earned, login_as, learner):
    enrolment, badge = earned
    html = login_as(learner).get("/mijn-badges").get_data(as_text=True)
    hint_id = f'id="{badge.public_id}-publish_evidence-hint"'
    assert html.count(hint_id) == 1
    assert f'href="/werkboek/{enrolment.public_id}"' in html  # the workbook, next to the certificate
