"""Issue 12, the remaining measurements: the assignment's first answer field in view on arrival,
Mijn badges' one form (with a problem beside its badge) axe-clean, at 1280 × 800 and 390 × 844."""
import pytest
from playwright.sync_api import expect

from tests import factories, factories_badges
from tests.factories_learn import load_default_course

pytestmark = pytest.mark.browser

VIEWPORTS = [(1280, 800), (390, 844)]


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_the_first_answer_field_is_in_view_on_arrival(app, browser_page, axe_check, browser_login, width, height):
    course = load_default_course()
    module = course.active_modules[0]
    factories.make_enrolment(factories.make_user(email="lotte@example.org", name="Lotte Leerling"), course)
    page = browser_page
    page.set_viewport_size({"width": width, "height": height})
    browser_login(page, "lotte@example.org")
    page.goto(f"/mijn-leren/{course.slug}/{module.slug}/opdracht")
    first_field = page.locator("#assignment-form textarea").first
    expect(first_field).to_be_visible()
    assert page.evaluate("window.scrollY") == 0
    box = first_field.bounding_box()
    label = page.locator("#assignment-form .assignment-field label").first.bounding_box()
    assert box is not None and label is not None and label["y"] >= 0
    # The label and at least the first lines of the field are in the first screen, untouched.
    assert box["y"] + 48 <= height, f"the first answer field starts at {box['y']:.0f}px of {height}px"
    # The brief is one click away, and opening it shows it.
    brief = page.locator("details.assignment-brief")
    brief.locator("summary").click()
    expect(brief.locator(".prose")).to_be_visible()
    axe_check(page, f"assignment on arrival at {width}px")


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_mijn_badges_saves_all_settings_at_once_and_shows_a_problem_beside_its_badge(
        app, browser_page, axe_check, browser_login, width, height):
    lotte = factories.make_user(email="lotte@example.org", name="Lotte Leerling")
    factories_badges.completed_enrolment(lotte, factories.make_course(title="Welzijn 2.0"))
    unapproved = factories_badges.award_module_badge(
        factories.make_enrolment(lotte, factories.make_course(title="Mantelzorg")))
    page = browser_page
    page.set_viewport_size({"width": width, "height": height})
    browser_login(page, "lotte@example.org")
    page.goto("/mijn-badges")
    save = page.get_by_role("button", name="Instellingen van alle badges opslaan")
    expect(save).to_have_count(1)
    page.check(f"#{unapproved.public_id}-show_name")
    page.check(f"#{unapproved.public_id}-publish_evidence")
    with page.expect_navigation():
        save.click()
    card = page.locator(f"#badge-{unapproved.public_id}")
    expect(card.locator(".field__error")).to_contain_text("geen goedgekeurde opdracht")
    expect(page.locator(f"#{unapproved.public_id}-show_name")).to_be_checked()   # nothing lost
    expect(page.locator("#form-errors")).to_contain_text("Er is nog niets opgeslagen")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"Mijn badges scrolls sideways by {overflow}px"
    axe_check(page, f"Mijn badges with a problem at {width}px")

    page.uncheck(f"#{unapproved.public_id}-publish_evidence")
    with page.expect_navigation():
        page.get_by_role("button", name="Instellingen van alle badges opslaan").click()
    expect(page.locator("body")).to_contain_text("De instellingen van je badges zijn opgeslagen.")
    expect(page.locator(f"#{unapproved.public_id}-show_name")).to_be_checked()
    axe_check(page, f"Mijn badges saved at {width}px")
