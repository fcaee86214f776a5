"""Issue 12, done-when: after a revision request the learner's landing page names it, and
on the assignment page the first line of the feedback is inside the first viewport, on a
desktop (1280 × 800) and a phone (390 × 844). Every page passes axe."""
import re

import pytest
from playwright.sync_api import expect

from course.review.services import decide
from tests import factories
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
