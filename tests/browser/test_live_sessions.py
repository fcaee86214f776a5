"""Live sessions (issue 13) in a real browser: a trainer plans a session with one
place; a visitor signs up through the login and comes back; a second person lands on
the waiting list; the first cancels and the second is promoted automatically, with a
mail; the trainer cancels the session. Every page passes axe."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from course.extensions import db
from course.models import LiveSession, OutboxMail, utcnow
from tests import factories
from tests.browser.dialogs import answer_confirmation

pytestmark = pytest.mark.browser


def _new_page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    return context.new_page()


def test_sign_up_waiting_list_promotion_and_cancellation(app, browser, live_server, browser_page, axe_check,
                                                         browser_login):
    course = factories.make_course(slug="welzijn", title="Welzijn 2.0")
    trainer = factories.make_user(role="trainer", email="tom@welzijn.nl", name="Tom Trainer")
    factories.assign_course_trainer(course, trainer)
    factories.make_user(email="lotte@welzijn.nl", name="Lotte Leerling")
    factories.make_user(email="sam@welzijn.nl", name="Sam de Smet")

    # The trainer plans a session with one place.
    planner = browser_page
    browser_login(planner, "tom@welzijn.nl")
    planner.goto("/sessies")
    axe_check(planner, "the planning list")
    planner.get_by_role("link", name="Sessie plannen").click()
    axe_check(planner, "the session form")
    day = (utcnow() + timedelta(days=21)).date()
    planner.select_option("#course", "welzijn")
    planner.fill("#title", "Workshop in de buurt")
    planner.fill("#parts-0-day", day.isoformat())
    planner.fill("#parts-0-starts", "09:30")
    planner.fill("#parts-0-ends", "12:30")
    planner.fill("#place", "Buurthuis De Wissel, Utrecht")
    planner.fill("#capacity", "0")
    planner.fill("#deadline_day", (day - timedelta(days=2)).isoformat())
    planner.fill("#deadline_time", "17:00")
    planner.get_by_role("button", name="Sessie opslaan").click()
    expect(planner.locator("#form-errors")).to_be_visible()
    axe_check(planner, "the session form with an error")
    planner.fill("#capacity", "1")
    planner.get_by_role("button", name="Sessie opslaan").click()
    expect(planner.locator(".flashes")).to_contain_text("De sessie is gepland")
    expect(planner.locator("h1")).to_have_text("Workshop in de buurt")

    # A visitor finds it on the course page and signs up through the login.
    visitor = _new_page(browser, live_server)
    visitor.goto("/cursussen/welzijn")
    expect(visitor.locator("#sessions-title")).to_be_visible()
    axe_check(visitor, "the course page with sessions")
    visitor.get_by_role("link", name="Workshop in de buurt").click()
    expect(visitor.locator(".facts")).to_contain_text("09:30–12:30")
    axe_check(visitor, "the session page for a visitor")
    visitor.get_by_role("link", name="Aanmelden", exact=True).click()
    visitor.wait_for_url(re.compile(r"/inloggen\?next=/sessies/"))
    visitor.fill("input[name=email]", "lotte@welzijn.nl")
    visitor.fill("input[name=password]", factories.PASSWORD)
    visitor.locator("form button[type=submit], form input[type=submit]").last.click()
    expect(visitor.locator("h1")).to_contain_text("Aanmelden: Workshop in de buurt")
    axe_check(visitor, "the sign-up confirmation")
    visitor.get_by_role("button", name="Aanmelding bevestigen").click()
    expect(visitor.locator(".flashes")).to_contain_text("Je bent aangemeld")
    axe_check(visitor, "the session page, signed up")

    # A second person gets the waiting list.
    second = _new_page(browser, live_server)
    browser_login(second, "sam@welzijn.nl")
    second.goto(visitor.url)
    expect(second.locator("#signup-title ~ p").first).to_contain_text("Deze sessie is vol")
    second.get_by_role("link", name="Op de wachtlijst").click()
    second.get_by_role("button", name="Op de wachtlijst").click()
    expect(second.locator(".flashes")).to_contain_text("je staat op de wachtlijst")
    expect(second.get_by_text("Je staat op de wachtlijst (nummer 1)")).to_be_visible()
    axe_check(second, "the session page, waiting")

    # The first cancels; the place goes to the second automatically, with a mail.
    visitor.get_by_role("button", name="Afmelden").click()
    answer_confirmation(visitor, expect_text="Je plaats gaat naar de volgende")
    expect(visitor.locator(".flashes")).to_contain_text("Je hebt je afgemeld")
    second.reload()
    expect(second.locator("#signup-title ~ p").first).to_have_text("Je bent aangemeld.")
    db.session.expire_all()
    kinds = db.session.execute(sa.select(OutboxMail.to_address, OutboxMail.kind).order_by(OutboxMail.id)).all()
    assert ("sam@welzijn.nl", "session_promoted") in kinds
    second.goto("/mijn-leren")
    expect(second.locator("#my-sessions-title")).to_be_visible()
    axe_check(second, "my learning with my sessions")

    # The trainer sees who signed up and cancels the session; everyone is mailed.
    planner.reload()
    expect(planner.locator("table")).to_contain_text("Sam de Smet")
    axe_check(planner, "the session page for its trainer")
    planner.get_by_role("button", name="Sessie annuleren en iedereen mailen").click()
    answer_confirmation(planner, yes=False)
    assert db.session.scalar(sa.select(LiveSession.status)) == "scheduled", "cancelling asks first"
    planner.get_by_role("button", name="Sessie annuleren en iedereen mailen").click()
    answer_confirmation(planner, expect_text="Dit kan niet ongedaan worden gemaakt")
    expect(planner.locator(".flashes")).to_contain_text("De sessie is geannuleerd")
    second.goto(visitor.url)
    expect(second.locator(".alert--warning")).to_have_text("Deze sessie is geannuleerd.")
    axe_check(second, "a cancelled session")
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id)).where(
        OutboxMail.kind == "session_cancelled", OutboxMail.to_address == "sam@welzijn.nl")) == 1
    assert db.session.scalar(sa.select(LiveSession.status)) == "cancelled"
