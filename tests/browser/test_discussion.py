"""Cohort discussion in a real browser: a learner starts a thread, a colleague's reply
with a phone number is held back by the privacy hint and sent anyway, the learner
reports it, the trainer hides it from the reports page. Every page is axe-clean."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from course.extensions import db
from course.models import DiscussionPost, DiscussionReport
from tests import factories

pytestmark = pytest.mark.browser


def _page(browser, live_server, browser_login, email):
    context = browser.new_context(base_url=live_server, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    browser_login(page, email)
    return context, page


def test_a_discussion_with_a_privacy_hint_a_report_and_a_hide(app, browser, live_server, axe_check, browser_login):
    org = factories.make_organisation()
    course = factories.make_course(modules=1, sequential=False, open_enrolment=False)
    trainer = factories.make_user(role="trainer", email="disc-trainer@example.org", name="Tessa Trainer")
    cohort = factories.make_cohort(org, course, name="Team Noord", trainers=[trainer])
    for email, name in (("disc-anna@example.org", "Anna Aarts"), ("disc-bram@example.org", "Bram Bos")):
        factories.make_enrolment(factories.make_user(org=org, email=email, name=name), course, cohort=cohort)
    contexts = []
    try:
        anna_context, anna = _page(browser, live_server, browser_login, "disc-anna@example.org")
        contexts.append(anna_context)
        anna.goto(f"/mijn-leren/{course.slug}/module-1")
        anna.get_by_role("link", name="Discussie over deze module met je groep").click()
        expect(anna.get_by_role("heading", level=1)).to_have_text("Discussie: Module 1")
        anna.get_by_role("link", name="Nieuwe draad beginnen").click()
        anna.get_by_label("Titel").fill("Hoe bereik je jongeren?")
        anna.get_by_label("Bericht").fill("Ik denk aan **Instagram**. Wie heeft ervaring?")
        axe_check(anna, "new thread form")
        anna.get_by_role("button", name="Draad plaatsen").click()
        expect(anna.locator(".flashes")).to_contain_text("Je draad is geplaatst")
        expect(anna.locator(".post__body strong")).to_have_text("Instagram")
        thread_url = anna.url

        bram_context, bram = _page(browser, live_server, browser_login, "disc-bram@example.org")
        contexts.append(bram_context)
        bram.goto(f"/discussie/cursus/{course.slug}/module-1/{cohort.public_id}")
        expect(bram.locator(".thread-list")).to_contain_text("Nieuwe berichten")
        axe_check(bram, "thread list with an unread thread")
        bram.get_by_role("link", name="Hoe bereik je jongeren?").click()
        bram.get_by_label("Je reactie").fill("Bel mevrouw Jansen op 06-12345678, zij weet het.")
        bram.get_by_role("button", name="Reactie plaatsen").click()
        warning = bram.get_by_role("alert").filter(has_text="persoonsgegevens")
        expect(warning).to_contain_text("In ‘Bericht’: een telefoonnummer (06-…)")
        expect(bram.locator("#privacy-warning")).to_be_focused()
        db.session.expire_all()
        assert db.session.scalar(sa.select(sa.func.count(DiscussionPost.id))) == 1, "nothing was sent yet"
        axe_check(bram, "thread with the privacy warning")
        bram.get_by_role("button", name="Toch versturen").click()
        expect(bram.locator(".flashes")).to_contain_text("Je reactie is geplaatst.")
        expect(bram.locator(".post").last).to_contain_text("06-12345678")

        anna.goto(thread_url)
        expect(anna.locator(".post").last.get_by_text("Nieuw", exact=True)).to_be_visible()
        anna.locator(".post").last.get_by_role("link", name="Melden dit bericht bij de trainer").click()
        anna.get_by_label("Waarom meld je dit bericht?").fill("Naam en telefoonnummer van een cliënt.")
        axe_check(anna, "report form")
        anna.get_by_role("button", name="Melding versturen").click()
        expect(anna.locator(".flashes")).to_contain_text("De trainer is op de hoogte")
        db.session.expire_all()
        assert db.session.scalar(sa.select(DiscussionReport.reason)) == "Naam en telefoonnummer van een cliënt."

        trainer_context, tessa = _page(browser, live_server, browser_login, "disc-trainer@example.org")
        contexts.append(trainer_context)
        tessa.goto("/discussie")
        tessa.get_by_role("link", name="Gemelde berichten").click()
        expect(tessa.locator(".report")).to_contain_text("Naam en telefoonnummer van een cliënt.")
        axe_check(tessa, "reports page")
        tessa.get_by_role("link", name="Bekijken in de draad").click()
        tessa.locator(".post").last.get_by_role("button", name="Verbergen dit bericht voor deelnemers").click()
        expect(tessa.locator(".flashes")).to_contain_text("Het bericht is verborgen.")
        expect(tessa.locator(".post").last).to_contain_text("Verborgen voor deelnemers")
        axe_check(tessa, "thread as the trainer, with a hidden post")
        tessa.goto("/discussie/gemelde-berichten")
        expect(tessa.get_by_text("Geen open meldingen.")).to_be_visible()

        anna.goto(thread_url)
        expect(anna.locator(".post").last).to_contain_text("Verborgen: de trainer heeft dit bericht verborgen.")
        expect(anna.locator(".post").last).not_to_contain_text("06-12345678")
        axe_check(anna, "thread as a learner, with a hidden post")
    finally:
        for context in contexts:
            context.close()
