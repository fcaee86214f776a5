"""Issue 12, done-when: after a revision request the learner's landing page names it, and
on the assignment page the first line of the feedback is inside the first viewport, on a
desktop (1280 × 800) and a phone (390 × 844). Every page passes axe."""
import re

import pytest
from playwright.sync_api import expect

from course.review.services import decide
from tests import factories, factories_badges
from tests.factories_learn import load_default_course
from tests.factories_review import make_submission

pytestmark = pytest.mark.browser

VIEWPORTS = [(1280, 800), (390, 844)]
FEEDBACK = "Je doelgroep is nog te breed: kies één groep mantelzorgers en schrijf voor hen."


@pytest.fixture
def revision_requested(app):
    """Lotte's first assignment in Welzijn 2.0 (the real content, with its long brief),
    sent back by her trainer with feedback and a comment per rubric criterion."""
    course = load_default_course()
    module = course.active_modules[0]
    learner = factories.make_user(email="lotte@example.org", name="Lotte Leerling")
    trainer = factories.make_user(role="trainer", name="Tom Trainer")
    enrolment = factories.make_enrolment(learner, course)
    fields = {f["id"]: f"Ons antwoord over {f['label']}." for f in module.assignment["fields"]}
    submission = make_submission(enrolment, module, fields=fields)
    scores = {c["id"]: {"level": c["levels"][0]["id"], "comment": "Maak dit *concreter*."}
              for c in module.assignment["rubric"]}
    decide(submission, trainer, "revision_requested", scores, FEEDBACK, submission.lock_version)
    return course, module


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_a_revision_request_is_named_on_mijn_leren_and_its_feedback_opens_in_view(
        revision_requested, browser_page, axe_check, browser_login, width, height):
    course, module = revision_requested
    page = browser_page
    page.set_viewport_size({"width": width, "height": height})
    browser_login(page, "lotte@example.org")
    page.goto("/mijn-leren")
    news = page.locator("section.news")
    expect(news.locator("h2")).to_have_text("Nieuw voor jou")
    expect(news).to_contain_text(f"Je trainer vraagt je “{module.title}” ({course.title}) aan te passen.")
    axe_check(page, f"Mijn leren with news at {width}px")

    with page.expect_navigation():
        news.get_by_role("link", name=re.compile(f"^Lees de feedback.*{re.escape(module.title)}")).click()
    assert page.url.endswith(f"/mijn-leren/{course.slug}/{module.slug}/opdracht#feedback")
    page.evaluate("window.scrollTo(0, 0)")   # the first viewport, as if arriving without the anchor
    first_line = page.locator("#feedback .feedback__text p").first
    expect(first_line).to_contain_text("Je doelgroep is nog te breed")
    box = first_line.bounding_box()
    assert box is not None and box["y"] >= 0
    line = float(page.evaluate("(el) => parseFloat(getComputedStyle(el).lineHeight)", first_line.element_handle()))
    assert box["y"] + line <= height, f"the feedback's first line starts at {box['y']:.0f}px of {height}px"
    expect(page.locator("details.assignment-brief")).not_to_have_attribute("open", "")
    axe_check(page, f"assignment with feedback at {width}px")


def _no_sideways_scroll(page, context):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{context} scrolls sideways by {overflow}px"


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_the_welcome_the_progress_model_and_the_rewards_read_well(app, browser_page, axe_check, browser_login,
                                                                  width, height):
    course = load_default_course()
    module = course.active_modules[0]
    lotte = factories.make_user(email="lotte@example.org", name="Lotte Leerling")
    enrolment = factories.make_enrolment(lotte, course)
    page = browser_page
    page.set_viewport_size({"width": width, "height": height})
    browser_login(page, "lotte@example.org")

    page.goto(f"/mijn-leren/{course.slug}")                       # a new learner: welcome, begin
    expect(page.locator(".welcome h2")).to_have_text(f"Welkom bij “{course.title}”")
    expect(page.get_by_role("link", name="Begin met de cursus")).to_be_in_viewport()
    _no_sideways_scroll(page, "welcome")
    axe_check(page, f"course overview with the welcome at {width}px")

    factories_badges.complete_module(enrolment, module, with_submission=False)
    make_submission(enrolment, course.active_modules[1])          # waiting for feedback
    page.goto(f"/mijn-leren/{course.slug}")
    expect(page.locator(".progress__legend")).to_contain_text("ingediend, wacht op feedback")
    expect(page.locator(".step-mark--waiting .step-mark__name")).to_have_text("Opdracht")
    _no_sideways_scroll(page, "progress model")
    axe_check(page, f"course overview with a waiting segment at {width}px")

    done = factories.make_course(title="Afgeronde cursus")
    factories_badges.completed_enrolment(lotte, done)
    page.goto(f"/mijn-leren/{done.slug}/afgerond")
    expect(page.locator("h1")).to_have_text("Je hebt “Afgeronde cursus” afgerond")
    expect(page.locator(".certificate-preview__course")).to_have_text("Afgeronde cursus")
    expect(page.get_by_role("link", name="Download je certificaat (pdf)")).to_be_visible()
    expect(page.get_by_role("link", name="Zet het op je LinkedIn-profiel")).to_be_visible()
    expect(page.get_by_role("link", name="Open mijn werkboek")).to_be_visible()
    _no_sideways_scroll(page, "course finished")
    axe_check(page, f"course finished at {width}px")

    page.goto("/mijn-badges")                                     # the trophy shelf
    expect(page.locator("#shelf-title")).to_have_text("Je prijzenkast")
    expect(page.locator(".trophy-shelf__slot--open").first).to_contain_text("Nog te verdienen")
    expect(page.locator(".trophy-shelf__slot--earned").first).to_contain_text("Verdiend op")
    _no_sideways_scroll(page, "trophy shelf")
    axe_check(page, f"Mijn badges at {width}px")
