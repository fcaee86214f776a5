"""A learner's whole path in a real browser: log in, enrol, read, fail the quiz, pass it,
write a draft that autosaves, preview it and submit it. Every page passes axe."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from course.extensions import db
from course.models import Submission, SubmissionStatus
from tests import factories
from tests.browser.dialogs import answer_confirmation
from tests.factories_learn import SECOND_COURSE, load_default_course

pytestmark = pytest.mark.browser


def _no_violations(results, context):
    """Stricter than axe_check: moderate problems (heading order, ambiguous regions) count too."""
    found = [f"{v['id']} ({v['impact']})" for v in results.response["violations"]]
    assert not found, f"axe on {context}: {found}"


def _answer(page, module, correct: bool):
    """Answer every question by keyboard-reachable controls: check boxes and radio
    buttons for choice questions, select boxes for ordering and matching."""
    for question in module.quiz_spec.questions:
        for name, values in question.example_form(right=correct).items():
            if question.type in ("ordering", "matching"):
                page.select_option(f"select[name='{name}']", values[0])
            else:
                for value in values:
                    page.check(f"#{name}-{value}")


def test_a_learner_walks_the_whole_path(app, browser_page, axe_check, browser_login):
    from course.content.loader import load_content

    course = load_default_course()
    load_content(SECOND_COURSE)                     # a second course next to the default one
    module = course.active_modules[0]
    factories.make_user(email="lotte@example.org", name="Lotte Leerling")
    page = browser_page

    page.goto("/cursussen")
    _no_violations(axe_check(page, "catalogue"), "catalogue with two courses")
    browser_login(page, "lotte@example.org")
    assert "/mijn-leren" in page.url
    axe_check(page, "my learning, empty")

    page.goto(f"/cursussen/{course.slug}")
    axe_check(page, "course page")
    page.get_by_role("button", name="Schrijf je in voor deze cursus").click()
    expect(page.locator("h1")).to_have_text(course.title)
    axe_check(page, "course overview")

    expect(page.locator(".welcome h2")).to_have_text(f"Welkom bij “{course.title}”")   # nothing done yet
    page.get_by_role("link", name="Begin met de cursus").click()
    expect(page.locator("h1")).to_have_text(module.title)
    axe_check(page, "module page")
    page.get_by_role("button", name="Ik heb dit gelezen").click()
    expect(page.locator(".flashes")).to_contain_text("Gemarkeerd als gelezen")
    # the reading has a heading "Quiz" of its own; the page must scroll to the quiz part
    expect(page.locator("#quiz-title")).to_be_in_viewport()

    page.get_by_role("link", name="Begin de quiz").click()
    axe_check(page, "quiz")
    _answer(page, module, correct=False)
    page.get_by_role("button", name="Antwoorden versturen").click()
    expect(page.locator(".quiz-score")).to_contain_text("Je haalde 0 van de")
    assert page.locator(".status--problem").count() == len(module.quiz_spec.questions)
    axe_check(page, "quiz result, failed")

    page.get_by_role("link", name="Probeer het opnieuw").click()
    _answer(page, module, correct=True)
    page.get_by_role("button", name="Antwoorden versturen").click()
    expect(page.locator("main")).to_contain_text("Je hebt de quiz gehaald.")
    axe_check(page, "quiz result, passed")

    page.get_by_role("link", name="Door naar de opdracht").click()
    page.get_by_role("link", name="Begin aan de opdracht").click()
    axe_check(page, "assignment")
    fields = module.assignment["fields"]
    first = page.locator(f"#field-{fields[0]['id']}")
    first.fill("Wij zijn een **klein team** in de wijk.")
    expect(page.locator(f"#field-{fields[0]['id']}-counter")).to_contain_text("39 van")
    expect(page.locator("#autosave-status")).to_contain_text("Concept opgeslagen om", timeout=15_000)
    db.session.expire_all()
    draft = db.session.scalar(sa.select(Submission))
    assert draft.status == SubmissionStatus.DRAFT
    assert draft.draft_fields[fields[0]["id"]] == "Wij zijn een **klein team** in de wijk."

    page.get_by_role("button", name="Voorbeeld").click()
    expect(page.locator(f"#field-{fields[0]['id']}-preview strong")).to_have_text("klein team")
    expect(page.locator(f"#field-{fields[1]['id']}-preview")).to_be_empty()   # no text, no preview (issue 12)
    axe_check(page, "assignment with preview")

    for spec in fields[1:]:
        page.locator(f"#field-{spec['id']}").fill(f"Ons antwoord voor {spec['label']}.")
    page.get_by_role("button", name="Indienen voor beoordeling").click()
    with page.expect_navigation():
        answer_confirmation(page)
    expect(page.locator(".flashes")).to_contain_text("Je opdracht is ingediend")
    expect(page.locator(".flashes")).to_be_in_viewport()                  # the message in view (issue 12)
    expect(page.locator("main")).to_contain_text("Feedback verwacht vóór")
    axe_check(page, "assignment page after submitting")
    db.session.expire_all()
    assert db.session.scalar(sa.select(Submission.status)) == SubmissionStatus.SUBMITTED

    page.goto("/mijn-leren")
    expect(page.locator(".progress__text")).to_have_text("13%")  # read + quiz: 2 of 15 parts
    expect(page.locator(".progress__legend")).to_contain_text("13% afgerond")
    expect(page.locator(".progress__legend")).to_contain_text("7% ingediend, wacht op feedback")  # 1 of 15
    axe_check(page, "my learning, started")

    from course.review.services import decide

    submission = db.session.scalar(sa.select(Submission))
    scores = {c["id"]: {"level": c["levels"][0]["id"], "comment": "Maak het *concreter*."}
              for c in module.assignment["rubric"]}
    decide(submission, factories.make_user(role="trainer"), "revision_requested", scores,
           "Goed begin. <script>alert(1)</script>", submission.lock_version)
    page.goto(f"/mijn-leren/{course.slug}/{module.slug}/opdracht")
    expect(page.locator("#feedback-title")).to_have_text("Feedback van je trainer")
    expect(page.locator(".feedback em").first).to_have_text("concreter")
    assert page.locator(".feedback script").count() == 0
    _no_violations(axe_check(page, "assignment with feedback"), "assignment with the trainer's feedback")
