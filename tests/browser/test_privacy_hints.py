"""Privacy hints in a real browser: a phone number in an assignment field is named in
an in-page warning before anything is sent; "Toch versturen" sends it after all."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from course.extensions import db
from course.models import Submission, SubmissionStatus
from tests import factories

pytestmark = pytest.mark.browser


def test_a_phone_number_is_named_before_sending_and_can_be_sent_anyway(app, browser_page, axe_check, browser_login):
    course = factories.make_course(modules=1, sequential=False)
    learner = factories.make_user(email="priva@example.org", name="Priva Leerling")
    factories.make_enrolment(learner, course)
    page = browser_page
    browser_login(page, "priva@example.org")

    page.goto(f"/mijn-leren/{course.slug}/module-1/opdracht")
    page.locator("#field-doelgroep").fill("Ik bel mevrouw eerst op 06-12345678 voor een afspraak.")
    page.locator("#field-boodschap").fill("Kom langs in het buurthuis!")
    page.get_by_role("button", name="Indienen voor beoordeling").click()

    warning = page.get_by_role("alert").filter(has_text="persoonsgegevens")
    expect(warning).to_contain_text("In ‘Doelgroep’: een telefoonnummer (06-…)")
    expect(warning).to_contain_text("‘mevrouw J.’ of ‘een bewoner’")
    expect(page.locator("#privacy-warning")).to_be_focused()
    assert "/opdracht" in page.url                  # still on the page: nothing was sent
    db.session.expire_all()
    assert db.session.scalar(sa.select(Submission.status)) in (None, SubmissionStatus.DRAFT)
    axe_check(page, "assignment with the privacy warning")

    page.get_by_role("link", name="Aanpassen").click()
    expect(page.locator("#field-doelgroep")).to_be_focused()
    selected = page.evaluate("() => { const a = document.getElementById('field-doelgroep');"
                             " return a.value.slice(a.selectionStart, a.selectionEnd); }")
    assert selected == "06-12345678"

    page.get_by_role("button", name="Toch versturen").click()
    expect(page.locator(".flashes")).to_contain_text("Je opdracht is ingediend")
    db.session.expire_all()
    submission = db.session.scalar(sa.select(Submission))
    assert submission.status == SubmissionStatus.SUBMITTED
    assert "06-12345678" in submission.versions[-1].fields["doelgroep"]


def test_without_javascript_the_server_shows_the_same_warning(app, browser, live_server, browser_login):
    course = factories.make_course(modules=1, sequential=False)
    learner = factories.make_user(email="zonderjs@example.org")
    factories.make_enrolment(learner, course)
    context = browser.new_context(base_url=live_server, locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    try:
        browser_login(page, "zonderjs@example.org")
        page.goto(f"/mijn-leren/{course.slug}/module-1/opdracht")
        assert "/opdracht" in page.url, page.content()[:3000]
        page.locator("#field-doelgroep").fill("Geboortedatum 3-3-56, woont alleen.")
        page.locator("#field-boodschap").fill("Kom langs!")
        page.get_by_role("button", name="Indienen voor beoordeling").click()
        expect(page.get_by_role("alert")).to_contain_text("In ‘Doelgroep’: een geboortedatum (3-3…)")
        expect(page.locator("#field-doelgroep")).to_have_value("Geboortedatum 3-3-56, woont alleen.")
        page.get_by_role("button", name="Toch versturen").click()
        expect(page.locator(".flashes")).to_contain_text("Je opdracht is ingediend")
    finally:
        context.close()
    db.session.expire_all()
    assert db.session.scalar(sa.select(Submission.status)) == SubmissionStatus.SUBMITTED
