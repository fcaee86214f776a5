"""Ordering and matching questions in a real browser: answered with the keyboard only,
on a phone-wide screen without sideways scrolling, and axe-clean before and after."""
import pytest
from playwright.sync_api import expect

from course.extensions import db
from tests import factories
from tests.factories_learn import load_default_course

pytestmark = pytest.mark.browser


def test_ordering_and_matching_are_answered_by_keyboard_and_pass_axe(app, browser, live_server, axe_check,
                                                                     browser_login):
    course = load_default_course()
    course.sequential = False
    learner = factories.make_user(email="sam@example.org", name="Sam Sociaal Werker")
    factories.make_enrolment(learner, course)
    db.session.commit()
    module = next(m for m in course.modules if m.slug == "waar-en-hoe-begin-je")
    context = browser.new_context(base_url=live_server, locale="nl-NL", viewport={"width": 360, "height": 740})
    context.set_default_timeout(10_000)
    page = context.new_page()
    browser_login(page, "sam@example.org")
    page.goto(f"/mijn-leren/{course.slug}/{module.slug}/quiz")
    axe_check(page, "quiz with ordering and matching, 360 px")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0

    answers = {}
    for question in module.quiz_spec.questions:
        answers.update(question.example_form(right=True))
    for name, values in answers.items():
        if name.startswith(("q-toepassingen-koppelen-", "q-passief-reactief-actief-")):
            select = page.locator(f"select[name='{name}']")
            select.focus()                                  # Tab reaches it; the arrow keys choose
            for _press in range(12):
                if select.input_value() == values[0]:
                    break
                page.keyboard.press("ArrowDown")
            assert select.input_value() == values[0], name
            expect(page.locator(f"label[for='{name}']")).to_be_visible()
        else:
            for value in values:
                page.locator(f"#{name}-{value}").focus()
                page.keyboard.press("Space")
    page.get_by_role("button", name="Antwoorden versturen").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".quiz-score")).to_contain_text("(100%)")
    expect(page.locator("main")).to_contain_text("Jouw koppelingen:")
    axe_check(page, "quiz result with ordering and matching")
    context.close()
