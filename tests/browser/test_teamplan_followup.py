"""Issue 14 in a real browser: the trainer composes and publishes the team plan, the
organisation admin reads it; a learner answers a check-in and finds it in the
workbook. Every page passes axe."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from course.extensions import db
from course.followup import services as followup
from course.models import FollowupCheckin, utcnow
from tests import factories
from tests.factories_teamplan import key, team_world

pytestmark = pytest.mark.browser


def test_the_trainer_composes_the_team_plan_and_the_org_admin_reads_it(app, browser, live_server, axe_check,
                                                                        browser_login):
    w = team_world()
    trainer = browser.new_context(base_url=live_server, locale="nl-NL").new_page()
    browser_login(trainer, w.trainer.email)
    trainer.goto("/teamplannen")
    axe_check(trainer, "team plans list")
    trainer.get_by_role("link", name="Team Noord").click()
    expect(trainer.locator("h1")).to_have_text("Teamplan samenstellen")
    expect(trainer.locator("main")).to_contain_text("Anna: mantelzorgers in Noord.")
    expect(trainer.locator("main")).not_to_contain_text("GEHEIM-NIET-GEDEELD")
    axe_check(trainer, "composing the team plan")
    section = w.course.modules[0]
    trainer.locator(f"#hoofdstuk-{key(section, 'doelgroep').replace(':', '-')}").get_by_label("Bram Bos").check()
    trainer.locator(f"#hoofdstuk-{key(section, 'boodschap').replace(':', '-')}").get_by_label("Anna Altena").check()
    trainer.fill("#intro_md", "Zo communiceert **Team Noord** online.")
    trainer.get_by_role("button", name="Teamplan opslaan").click()
    expect(trainer.locator(".flashes")).to_contain_text("Het teamplan is opgeslagen.")
    trainer.get_by_role("button", name="Publiceren voor de groep en de organisatie").click()
    expect(trainer.locator(".flashes")).to_contain_text("Het teamplan is gepubliceerd")
    axe_check(trainer, "published team plan, composer")

    admin = browser.new_context(base_url=live_server, locale="nl-NL").new_page()
    browser_login(admin, w.org_admin.email)
    admin.goto("/teamplannen")
    admin.get_by_role("link", name="Team Noord").click()
    expect(admin.locator("h1")).to_have_text("Socialemediaprotocol van Stichting Zorgzaam")
    article = admin.locator("article")
    expect(article).to_contain_text("Bram: jongeren tot 23.")
    expect(article).to_contain_text("Bijdrage van Anna Altena")
    expect(article.locator("strong", has_text="Team Noord")).to_be_visible()
    expect(article).not_to_contain_text("GEHEIM-NIET-GEDEELD")
    expect(article).to_contain_text("Laatst bijgewerkt")
    expect(admin.get_by_role("link", name="Bewerken")).to_have_count(0)
    axe_check(admin, "team plan read by the organisation admin")


def test_a_check_in_is_answered_and_shown_in_the_workbook(app, browser_page, axe_check, browser_login):
    page = browser_page
    user = factories.make_user(email="sanne@zorg.nl", name="Sanne Smit")
    course = factories.make_course(title="Sociale media in de zorg")
    enrolment = factories.make_enrolment(user, course, completed_at=utcnow() - timedelta(days=31))
    assert followup.send_due_checkins() == 1
    checkin = db.session.scalar(sa.select(FollowupCheckin).where(FollowupCheckin.enrolment_id == enrolment.id))
    browser_login(page, user.email)
    page.goto(f"/na-de-cursus/{checkin.public_id}")
    expect(page.locator("h1")).to_have_text("Na de cursus")
    axe_check(page, "check-in form")
    page.get_by_role("button", name="Mijn antwoorden opslaan").click()
    expect(page.locator("#form-errors")).to_be_visible()
    axe_check(page, "check-in form with an error")
    page.get_by_label("Wat heb je met je plan gedaan?").fill("Elke dinsdag een bericht over de inloop.")
    page.get_by_label("Eén succes om te vieren").fill("De buurtavond zat **vol**.")
    page.get_by_role("button", name="Mijn antwoorden opslaan").click()
    expect(page.locator(".flashes")).to_contain_text("Je antwoorden staan in je werkboek")
    chapter = page.locator("#na-de-cursus")
    expect(chapter.locator("h2")).to_have_text("Na de cursus")
    expect(chapter).to_contain_text("Elke dinsdag een bericht over de inloop.")
    expect(chapter.locator("strong", has_text="vol")).to_be_visible()
    expect(page.get_by_role("link", name="Na de cursus")).to_be_visible()
    axe_check(page, "workbook with the chapter after the course")
    page.goto("/mijn-account")
    page.get_by_role("button", name="Stuur mij geen opvolgmail").click()
    expect(page.locator(".flashes")).to_contain_text("Je krijgt geen opvolgmail meer.")
    axe_check(page, "account page, follow-up off")


def test_the_learner_gives_and_withdraws_consent_on_the_workbook_page(app, browser_page, axe_check, browser_login):
    page = browser_page
    w = team_world()
    browser_login(page, w.chris.email)
    page.goto(f"/mijn-werkboek/{w.course.slug}")
    sharing = page.locator("#teamplan-delen")
    expect(sharing).to_contain_text("Je deelt je werk niet in het teamplan.")
    axe_check(page, "workbook with the sharing consent")
    sharing.get_by_role("button", name="Ik geef toestemming om mijn goedgekeurde werk met mijn naam te delen").click()
    expect(page.locator(".flashes")).to_contain_text("Je trainer mag je goedgekeurde werk nu met je naam")
    expect(page.locator("#teamplan-delen")).to_contain_text("Je deelt je goedgekeurde werk in het teamplan")
    page.locator("#teamplan-delen").get_by_role("button", name="Stop met delen").click()
    expect(page.locator(".flashes")).to_contain_text("Je deelt je werk niet meer in het teamplan.")
    axe_check(page, "workbook after withdrawing consent")
