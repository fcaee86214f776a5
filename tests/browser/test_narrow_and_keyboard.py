"""Phones (360 px, also what 200 % zoom looks like) and keyboard-only use: wide tables scroll
in their own box that the keyboard reaches, never the whole page; long button labels wrap;
hidden anti-spam fields stay out of the Tab order."""
import pytest

from course.extensions import db
from tests import factories
from tests.factories_learn import load_default_course

pytestmark = pytest.mark.browser


def _sideways(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="nl-NL", viewport={"width": 360, "height": 740})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_a_wide_table_in_a_reading_scrolls_in_its_own_keyboard_reachable_box(app, phone, axe_check, browser_login):
    course = load_default_course()
    course.sequential = False                      # open the module with the widest table directly
    learner = factories.make_user(email="mo@example.org", name="Mo Jongerenwerker")
    factories.make_enrolment(learner, course)
    db.session.commit()

    browser_login(phone, "mo@example.org")
    phone.goto(f"/mijn-leren/{course.slug}/hoe-houd-ik-grip")
    assert _sideways(phone) <= 0, "the module page scrolls sideways on a 360 px phone"
    box = phone.locator(".reading .table-wrap").first
    assert box.get_attribute("tabindex") == "0", "a table box that scrolls can be reached with Tab"
    assert box.get_attribute("aria-label"), "the scrolling box says which table it holds"
    box.focus()
    before = box.evaluate("el => el.scrollLeft")
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function("el => el.scrollLeft > 0", arg=box.element_handle())
    assert box.evaluate("el => el.scrollLeft") > before
    axe_check(phone, "module page at 360 px")


def test_delete_account_page_fits_a_phone_and_has_a_way_back(app, phone, axe_check, browser_login):
    factories.make_user(email="sam@example.org", name="Sam de Smet")
    db.session.commit()
    browser_login(phone, "sam@example.org")
    phone.goto("/mijn-account/verwijderen")
    assert _sideways(phone) <= 0, "the long red button pushes the page sideways"
    axe_check(phone, "delete account at 360 px")
    phone.get_by_role("link", name="Annuleren, mijn account houden").click()
    phone.wait_for_url("**/mijn-account")


def test_keyboard_never_lands_in_the_hidden_anti_spam_field(app, browser_page):
    course = load_default_course()
    page = browser_page
    page.goto(f"/cursussen/{course.slug}/in-company")
    page.locator("textarea").last.focus()          # the last visible field before the hidden one
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit", "Tab goes from the last field to the button"


def test_on_a_phone_the_menu_folds_behind_a_button_that_the_keyboard_opens(app, phone, axe_check, browser_login):
    factories.make_user(email="noor@example.org", name="Noor Buurtwerk")
    db.session.commit()
    browser_login(phone, "noor@example.org")
    phone.goto("/mijn-leren")
    menu = phone.get_by_role("button", name="Menu")
    link = phone.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn badges")
    assert menu.get_attribute("aria-expanded") == "false" and not link.is_visible()
    assert phone.locator("h1").bounding_box()["y"] < 200, "the page starts near the top, not under the menu"
    menu.focus()
    phone.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true" and link.is_visible()
    axe_check(phone, "open menu at 360 px")
    phone.keyboard.press("Escape")
    assert not link.is_visible()
    link_wide = phone.context.new_page()
    link_wide.set_viewport_size({"width": 1280, "height": 800})
    link_wide.goto("/mijn-leren")
    assert not link_wide.get_by_role("button", name="Menu").is_visible()
    assert link_wide.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn badges").is_visible()
    link_wide.close()
