"""The course staff pages (issue 17) in a real browser: the platform admin appoints a
course trainer by e-mail, sees the "zonder trainer" work, and every page passes axe."""
import pytest
from playwright.sync_api import expect

from tests import factories
from tests.factories_review import make_submission

pytestmark = pytest.mark.browser


def test_the_admin_appoints_a_course_trainer_and_sees_work_without_a_trainer(app, browser_page, axe_check,
                                                                            browser_login, organisation):
    page = browser_page
    course = factories.make_course(title="Welzijn 2.0")
    factories.make_user(role="admin", email="anouk@welzijn.nl", name="Anouk Admin")
    factories.make_user(role="learner", email="tom@welzijn.nl", name="Tom Trainer")
    author = factories.make_user(email="auteur@welzijn.nl", name="Aad Auteur")
    cohort = factories.make_cohort(organisation, course, name="Team Noord")
    team = factories.make_enrolment(factories.make_user(name="Team Lid", org=organisation), course, cohort=cohort)
    make_submission(team, course.modules[0])
    browser_login(page, "anouk@welzijn.nl")

    page.goto("/beheer/cursussen")
    axe_check(page, "courses and their staff")
    page.get_by_role("link", name="Welzijn 2.0").click()
    expect(page.locator("h1")).to_have_text("Staf van Welzijn 2.0")
    expect(page.locator(".alert--warning")).to_contain_text("1 inzending van deze cursus wacht zonder trainer")
    axe_check(page, "course staff page")

    page.get_by_role("button", name="Cursustrainer toevoegen").click()
    expect(page.locator("#form-errors")).to_be_visible()
    axe_check(page, "course staff page with an error")
    page.fill("#trainer-email", "tom@welzijn.nl")
    page.get_by_role("button", name="Cursustrainer toevoegen").click()
    expect(page.locator(".flashes")).to_contain_text("Tom Trainer had een deelnemersaccount en heeft nu de rol trainer")
    page.fill("#author-email", author.email)
    page.get_by_role("button", name="Auteur toevoegen").click()
    expect(page.locator("#auteurs ~ ul").first).to_contain_text("Aad Auteur")
    axe_check(page, "course staff page with staff")

    page.goto("/beoordelen?trainer=none")
    expect(page.locator("table.review-queue")).to_contain_text("Zonder trainer")
    axe_check(page, "review queue without a trainer")
