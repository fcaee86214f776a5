"""Peer feedback in a real browser (issue 14): Anna submits with consent and gives
feedback to Bram; a privacy hint is shown on her feedback and she sends it anyway;
Bram reads it beside his trainer's. Cor submitted without consent: his text is never
shown, yet he gives feedback too. axe stays clean on every page."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from course.extensions import db
from course.models import PeerConsent, PeerReview, PeerReviewStatus
from tests.browser.dialogs import answer_confirmation
from tests.factories_peer import peer_cohort, submit

pytestmark = pytest.mark.browser


def _page_for(browser, live_server, browser_login, email):
    context = browser.new_context(base_url=live_server, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    browser_login(page, email)
    return context, page


def test_peer_feedback_with_consent_and_without_and_a_privacy_hint_overridden(app, browser, live_server,
                                                                               axe_check, browser_login):
    world = peer_cohort(learners=3, per_learner=1, names=["Anna Akker", "Bram Bos", "Cor Claes"])
    anna, bram, cor = world.enrolments
    submit(bram, world.module, consent=True, text="Bram wil mantelzorgers bereiken.")
    submit(cor, world.module, consent=False, text="Cor zijn vertrouwelijke tekst.")
    assignment = f"/mijn-leren/{world.course.slug}/{world.module.slug}/opdracht"

    context, page = _page_for(browser, live_server, browser_login, anna.user.email)
    try:
        page.goto(assignment)
        page.locator("#field-doelgroep").fill("Jongeren in de wijk.")
        page.locator("#field-boodschap").fill("Samen sterker.")
        consent = page.get_by_label("Ja, collega's in mijn groep mogen mijn tekst lezen")
        expect(consent).not_to_be_checked()
        consent.check()
        axe_check(page, "assignment with the consent question")
        page.get_by_role("button", name="Indienen voor beoordeling").click()
        answer_confirmation(page)
        expect(page.locator(".flashes")).to_contain_text("Je opdracht is ingediend")
        db.session.expire_all()
        assert sorted(db.session.scalars(sa.select(PeerConsent.consented))) == [False, True, True]

        page.get_by_role("button", name="Geef feedback aan een collega").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Feedback aan een collega")
        expect(page.locator("main")).to_contain_text("Bram wil mantelzorgers bereiken.")
        expect(page.locator("main")).not_to_contain_text("vertrouwelijke tekst")
        axe_check(page, "giving feedback")

        page.get_by_label("Wat is sterk?").fill("Mooi hoe je mevrouw Jansen als voorbeeld neemt.")
        page.get_by_label("Wat kan scherper?").fill("Maak de oproep korter.")
        page.get_by_role("button", name="Verstuur feedback").click()
        warning = page.get_by_role("alert").filter(has_text="persoonsgegevens")
        expect(warning).to_contain_text("In ‘Wat is sterk?’: een naam")
        expect(page.locator("#privacy-warning")).to_be_focused()
        db.session.expire_all()
        assert db.session.scalar(sa.select(PeerReview.status)) == PeerReviewStatus.ASSIGNED, "nothing sent yet"
        axe_check(page, "feedback with the privacy warning")
        page.get_by_role("link", name="Aanpassen").click()
        expect(page.locator("#field-strengths")).to_be_focused()
        page.get_by_role("button", name="Toch versturen").click()
        expect(page.locator(".flashes")).to_contain_text("je feedback is naar je collega gestuurd")
        expect(page.locator("#peer-give")).to_contain_text("Dank je wel, je hebt al je feedback gegeven.")
    finally:
        context.close()
    db.session.expire_all()
    review = db.session.scalar(sa.select(PeerReview))
    assert review.status == PeerReviewStatus.GIVEN and "mevrouw Jansen" in review.strengths

    context, page = _page_for(browser, live_server, browser_login, bram.user.email)
    try:
        page.goto(assignment)
        feedback = page.locator("#peer-feedback")
        expect(feedback).to_contain_text("Van Anna Akker")
        expect(feedback).to_contain_text("Maak de oproep korter.")
        axe_check(page, "the author reads peer feedback")
    finally:
        context.close()

    context, page = _page_for(browser, live_server, browser_login, cor.user.email)
    try:
        page.goto(assignment)
        expect(page.locator("#peer-feedback")).to_contain_text("Je hebt ervoor gekozen je tekst niet aan collega")
        axe_check(page, "the assignment page without consent")
        page.get_by_role("button", name="Geef feedback aan een collega").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Feedback aan een collega")
        expect(page.locator("main")).not_to_contain_text("vertrouwelijke tekst")
    finally:
        context.close()
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PeerReview).where(
        PeerReview.reviewer_enrolment_id == cor.id)) == 1, "without consent he still gives feedback"
