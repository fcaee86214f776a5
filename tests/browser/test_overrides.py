"""Trainer overrides in a real browser, checked with axe: the learner page with every
override form open, granting an extra attempt with the real form, and the approved
review page showing its decision."""
import sqlalchemy as sa

from course.extensions import db
from course.models import Override
from tests import factories
from tests.factories_review import add_review, make_submission


def test_granting_an_extra_attempt_in_the_browser(app, browser_page, browser_login, axe_check, organisation):
    trainer = factories.make_user(role="trainer", email="tom@example.org", name="Tom Trainer")
    learner = factories.make_user(email="lotte@example.org", name="Lotte Leerling", org=organisation)
    course = factories.make_course(modules=2, sequential=False, title="Welzijn 2.0", quiz_max_attempts=1)
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    enrolment = factories.make_enrolment(learner, course, cohort=cohort)
    first, second = course.modules
    approved = make_submission(enrolment, first)
    add_review(approved, trainer, "approved", level="goed", feedback="Sterk plan.")
    make_submission(enrolment, second)  # waiting: offers the target-date form

    page = browser_page
    browser_login(page, "tom@example.org")
    page.goto(f"/voortgang/deelnemer/{enrolment.public_id}")
    page.evaluate("document.querySelectorAll('details.override-form').forEach(d => { d.open = true; })")
    axe_check(page, "learner page with the override forms")
    form = page.locator("details.override-form").first
    form.locator("select").select_option("module-1")
    form.locator("textarea").fill("Ziek tijdens de eerste poging.")
    form.locator("input[type=submit]").click()
    page.wait_for_load_state()
    assert "Ziek tijdens de eerste poging." in page.inner_text("main")
    assert [o.kind for o in db.session.scalars(sa.select(Override))] == ["extra_attempts"]
    axe_check(page, "learner page with an override")

    page.goto(f"/beoordelen/{approved.public_id}")
    assert "Het besluit over versie 1" in page.inner_text("main")
    assert page.locator("input[name='decision']").count() == 0
    axe_check(page, "approved review page")
