"""Issue 11's journey in a real browser: an admin builds a small second course entirely
through the editor (keyboard only for the first form), publishes it, a learner takes it,
the author publishes a change and rolls it back. Every editor page passes axe."""
import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.dialogs import answer_confirmation

pytestmark = pytest.mark.browser

SLUG = "kort-en-krachtig"


def test_a_course_built_in_the_editor_is_published_taken_and_rolled_back(app, browser, live_server, browser_page,
                                                                          axe_check, browser_login):
    page = browser_page
    factories.make_user(role="admin", email="anouk@welzijn.nl", name="Anouk Admin")
    factories.make_user(email="lotte@welzijn.nl", name="Lotte Leerling")
    browser_login(page, "anouk@welzijn.nl")

    page.get_by_role("link", name="Cursussen schrijven").first.click()
    axe_check(page, "editor: list of courses")
    page.get_by_label("Titel van de cursus").focus()            # the keyboard only, from here to the draft
    page.keyboard.type("Kort en krachtig")
    page.keyboard.press("Tab")
    page.keyboard.type(SLUG)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Concept van Kort en krachtig")
    expect(page.locator("#problems")).to_contain_text("de cursus heeft geen modules")
    axe_check(page, "editor: draft with problems")

    page.get_by_role("link", name="Cursusinstellingen").click()
    expect(page.locator("#f-description-error")).to_contain_text("'description' is leeg")
    axe_check(page, "editor: settings with a message at its field")
    page.fill("#f-description", "Een korte cursus over **heldere** boodschappen.")
    page.check("#f-open-enrolment")
    page.get_by_role("button", name="Opslaan in het concept").click()
    expect(page.locator(".flashes")).to_contain_text("Opgeslagen in het concept")

    page.get_by_role("link", name="Concept en modules").click()
    page.fill("#title", "Eerste stap")
    page.get_by_role("button", name="Module toevoegen").click()
    expect(page.locator("h1")).to_contain_text("Eerste stap")
    page.fill("#f-body", "## Waarom kort?\n\nEen **korte** boodschap blijft hangen.")
    expect(page.locator("#preview h2")).to_have_text("Waarom kort?")   # the live preview (JavaScript)
    expect(page.locator("#preview strong")).to_have_text("korte")
    axe_check(page, "editor: reading with its preview")
    page.get_by_role("button", name="Opslaan in het concept").click()
    expect(page.locator(".flashes")).to_contain_text("Opgeslagen in het concept")

    page.get_by_role("link", name="Quiz van deze module").click()
    page.get_by_role("button", name="Quiz toevoegen").click()
    page.locator("a[href$='/quiz/vragen/1']").click()
    page.fill("#q-text", "Wat blijft beter hangen?")
    page.fill("#q-options-0-text", "Een korte boodschap")
    page.fill("#q-options-1-text", "Een lange boodschap")
    axe_check(page, "editor: question")
    page.get_by_role("button", name="Opslaan in het concept").click()
    expect(page.locator(".flashes")).to_contain_text("Opgeslagen in het concept")
    page.get_by_role("link", name="Terug naar de quiz").click()
    expect(page).to_have_url(re.compile(r"/quiz$"))
    axe_check(page, "editor: quiz")

    page.get_by_role("link", name="Concept en modules").click()
    expect(page.locator("#problems")).to_contain_text("De controle vond geen problemen")
    page.get_by_role("link", name="Bekijken als deelnemer").click()
    page.get_by_role("link", name="Eerste stap").click()
    expect(page.locator(".reading strong")).to_have_text("korte")
    axe_check(page, "editor: preview as a learner")
    page.get_by_label("Een lange boodschap").check()   # the author tries the quiz: graded, nothing recorded
    page.get_by_role("button", name="Antwoorden versturen").click()
    expect(page.locator(".quiz-score")).to_contain_text("0 van de 1 punten")
    axe_check(page, "editor: preview quiz result")
    page.get_by_role("link", name="Concept en modules").click()
    page.fill("#note", "Eerste versie")
    page.get_by_role("button", name="Publiceren").click()
    expect(page.locator(".flashes")).to_contain_text("Gepubliceerd als versie 1")
    axe_check(page, "editor: history")

    learner = browser.new_context(base_url=live_server, locale="nl-NL").new_page()
    browser_login(learner, "lotte@welzijn.nl")
    learner.goto(f"/cursussen/{SLUG}")
    learner.get_by_role("button", name="Schrijf je in voor deze cursus").click()
    learner.get_by_role("link", name="Begin met de cursus").click()   # nothing done yet (issue 12)
    expect(learner.locator(".reading strong")).to_have_text("korte")
    learner.get_by_role("button", name="Ik heb dit gelezen").click()
    learner.get_by_role("link", name="Begin de quiz").click()
    learner.get_by_label("Een korte boodschap").check()
    learner.get_by_role("button", name="Antwoorden versturen").click()
    expect(learner.locator(".quiz-score")).to_contain_text("1 van de 1 punten")

    page.goto(f"/auteur/{SLUG}/modules/eerste-stap/leestekst")
    page.fill("#f-body", "## Waarom kort?\n\nEen *andere* tekst.")
    page.get_by_role("button", name="Opslaan in het concept").click()
    page.goto(f"/auteur/{SLUG}")
    page.get_by_role("button", name="Publiceren").click()
    expect(page.locator(".flashes")).to_contain_text("Gepubliceerd als versie 2")
    page.get_by_role("link", name="Wijzigingen in versie 2").click()
    expect(page.locator("ins.diff-add")).to_contain_text("Een *andere* tekst.")
    axe_check(page, "editor: diff")
    page.goto(f"/auteur/{SLUG}/geschiedenis")
    page.get_by_role("button", name="Deze versie opnieuw publiceren (1)").click()
    answer_confirmation(page, expect_text="Versie 1 opnieuw publiceren?")
    expect(page.locator(".flashes")).to_contain_text("Versie 1 is opnieuw gepubliceerd, als versie 3")

    learner.goto(f"/mijn-leren/{SLUG}/eerste-stap")
    expect(learner.locator(".reading strong")).to_have_text("korte")   # version 1's text again
    learner.goto(f"/mijn-leren/{SLUG}")
    expect(learner.locator("main")).not_to_contain_text("Begin de quiz")  # her progress is kept
