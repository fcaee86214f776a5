"""Mijn badges: the publishing settings of every badge in one form with one save (issue 12);
a problem stands beside the badge it concerns, and nothing the learner chose is lost."""
import re

import pytest

from course.badges import queries
from course.extensions import db
from tests import factories
from tests.factories_badges import award_module_badge, completed_enrolment


@pytest.fixture
def badges(app, learner):
    """Three badges of a completed course (approved work), and one module badge of a second
    course whose assignment was never approved: it has no evidence to publish."""
    completed_enrolment(learner, factories.make_course(title="Welzijn 2.0"))
    other = award_module_badge(factories.make_enrolment(learner, factories.make_course(title="Mantelzorg")))
    assertions = queries.assertions_of(learner)
    module_1 = next(a for a in assertions if a.badge_class.key == "module-1" and a.id != other.id)
    course_badge = next(a for a in assertions if a.badge_class.key == "course")
    return module_1, course_badge, other


def _card(html, assertion):
    card = html[html.index(f'id="badge-{assertion.public_id}"'):]
    return card[:card.index('class="card badge-card') if 'class="card badge-card' in card else None]


def _checked(html, field_id):
    tag = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', html).group(0)
    return "checked" in tag


def test_the_page_has_one_form_and_one_save_for_all_badges(badges, login_as, learner):
    html = login_as(learner).get("/mijn-badges").text
    assert html.count('<form method="post" action="/mijn-badges"') == 1
    assert "/instellingen" not in html
    assert html.count("Instellingen van alle badges opslaan") == 1
    form = html[html.index('<form method="post" action="/mijn-badges"'):]
    form = form[:form.index("</form>")]
    assert form.count('type="submit"') == 1 and "<form" not in form[5:]
    for assertion in badges:
        assert f'id="{assertion.public_id}-show_name"' in html
    # The course badge has no evidence to publish: no such choice for it.
    assert f'id="{badges[1].public_id}-publish_evidence"' not in html


def test_one_save_stores_every_badge_s_choices(badges, client, login_as, learner):
    module_1, course_badge, other = badges
    browser = login_as(learner)
    response = browser.post("/mijn-badges", data={
        f"{module_1.public_id}-show_name": "y", f"{module_1.public_id}-publish_evidence": "y",
        f"{course_badge.public_id}-show_name": "y"})
    assert response.status_code == 302 and response.headers["Location"] == "/mijn-badges"
    for assertion in badges:
        db.session.refresh(assertion)
    assert module_1.show_name and module_1.evidence_published
    assert course_badge.show_name and not course_badge.evidence_published
    assert not other.show_name
    page = browser.get("/mijn-badges").text
    assert "De instellingen van je badges zijn opgeslagen." in page
    assert _checked(page, f"{module_1.public_id}-show_name")
    assert _checked(page, f"{module_1.public_id}-publish_evidence")
    assert not _checked(page, f"{other.public_id}-show_name")
    assert "Antwoord voor Doelgroep in Module 1." in client.get(f"/badges/{module_1.public_id}/bewijs").text


def test_a_problem_stands_beside_its_badge_and_nothing_is_lost_or_saved(badges, login_as, learner):
    module_1, course_badge, other = badges
    response = login_as(learner).post("/mijn-badges", data={
        f"{module_1.public_id}-show_name": "y", f"{module_1.public_id}-publish_evidence": "y",
        f"{other.public_id}-publish_evidence": "y"})
    assert response.status_code == 422
    html = response.text
    message = "Er is voor deze badge geen goedgekeurde opdracht om te publiceren."
    # The summary names the badge and links to its choice; the message stands in that badge's card.
    assert f'href="#{other.public_id}-publish_evidence">Module 1: {message}' in html
    card = _card(html, other)
    assert f'id="{other.public_id}-publish_evidence-error"' in card and message in card
    assert 'aria-invalid="true"' in card
    assert message not in _card(html, module_1)
    assert "Er is nog niets opgeslagen; je keuzes staan hieronder nog." in html
    # What the learner chose is still chosen …
    assert _checked(html, f"{module_1.public_id}-show_name")
    assert _checked(html, f"{module_1.public_id}-publish_evidence")
    assert _checked(html, f"{other.public_id}-publish_evidence")
    assert not _checked(html, f"{course_badge.public_id}-show_name")
    # … and nothing was saved.
    db.session.refresh(module_1)
    assert not module_1.show_name and not module_1.evidence_published


def test_the_save_only_touches_the_learner_s_own_badges(badges, login_as, learner):
    module_1 = badges[0]
    stranger = login_as(factories.make_user())
    assert stranger.post("/mijn-badges", data={f"{module_1.public_id}-show_name": "y"}).status_code == 302
    db.session.refresh(module_1)
    assert module_1.show_name is False


def test_a_revoked_badge_has_no_settings_and_is_left_alone(badges, login_as, learner):
    module_1, _course_badge, other = badges
    from course.badges import services
    services.revoke(other, "Niet eigen werk")
    client = login_as(learner)
    html = client.get("/mijn-badges").text
    assert f'id="{other.public_id}-show_name"' not in html and "Ingetrokken" in html
    client.post("/mijn-badges", data={f"{other.public_id}-show_name": "y", f"{module_1.public_id}-show_name": "y"})
    db.session.refresh(other)
    db.session.refresh(module_1)
    assert other.show_name is False and module_1.show_name is True


def test_an_expired_form_comes_back_with_the_choices(csrf_app, learner):
    course = factories.make_course()
    badge = award_module_badge(factories.make_enrolment(learner, course))
    client = csrf_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = learner.get_id()
    response = client.post("/mijn-badges", data={f"{badge.public_id}-show_name": "y"})
    assert response.status_code == 400
    db.session.refresh(badge)
    assert badge.show_name is False
