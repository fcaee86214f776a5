"""The platform admin's failed-mail page in a real browser, checked with axe."""
import pytest
from playwright.sync_api import expect

from course.extensions import db
from course.models import MailStatus, OutboxMail
from tests import factories

pytestmark = pytest.mark.browser


def test_the_admin_retries_a_failed_mail(app, browser_page, axe_check, browser_login):
    factories.make_user(role="admin", email="anouk@welzijn.nl")
    mail = OutboxMail(to_address="onbereikbaar@example.org", subject="Je uitnodiging", body_text="x",
                      kind="invitation", status=MailStatus.FAILED, attempts=8,
                      last_error="SMTPRecipientsRefused: 550 mailbox unavailable")
    db.session.add(mail)
    db.session.commit()
    page = browser_page
    browser_login(page, "anouk@welzijn.nl")
    page.goto("/beheer")
    page.get_by_role("link", name="Mislukte mail").click()
    expect(page.locator("h1")).to_have_text("Mislukte mail")
    expect(page.locator("table")).to_contain_text("550 mailbox unavailable")
    axe_check(page, "failed mail")
    page.get_by_role("button", name=f"Opnieuw proberen mail {mail.id}").click()
    expect(page.locator(".flashes")).to_contain_text("1 mail staat weer in de wachtrij.")
    expect(page.locator("main")).to_contain_text("Geen mislukte mail")
    axe_check(page, "failed mail, after retrying")
    db.session.refresh(mail)
    assert mail.status == MailStatus.QUEUED
