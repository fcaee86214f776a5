"""Account pages in a real browser: the password strength hint and the e-mail change page."""
from playwright.sync_api import expect

from tests import factories


def test_the_password_hint_speaks_while_typing_and_pages_pass_axe(app, browser_page, axe_check, browser_login):
    factories.make_user(email="lotte.visser@example.org", name="Lotte Visser")
    page = browser_page
    browser_login(page, "lotte.visser@example.org")
    page.goto("/mijn-account/wachtwoord")
    hint = page.locator("#password-strength")
    assert hint.get_attribute("aria-live") == "polite"
    assert "password-strength" in page.locator("#password").get_attribute("aria-describedby")
    page.fill("#password", "kort")
    expect(hint).to_contain_text("Te kort")
    page.fill("#password", "wachtwoord123")
    expect(hint).to_contain_text("veelgebruikt")
    page.fill("#password", "paars fietspad onder water")
    expect(hint).to_contain_text("Sterk")
    axe_check(page, "change password with hint")
    page.goto("/mijn-account/e-mailadres")
    axe_check(page, "change e-mail address")
