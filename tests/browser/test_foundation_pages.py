"""The foundation's pages in a real browser: login, profile, error pages, 360 px phone."""
from tests import factories


def test_login_lands_on_the_learners_own_page_and_pages_pass_axe(app, browser_page, axe_check, browser_login):
    factories.make_user(email="lotte@example.org", name="Lotte")
    page = browser_page
    page.goto("/")
    axe_check(page, "home")
    page.goto("/inloggen")
    axe_check(page, "login")
    browser_login(page, "lotte@example.org")
    assert "/mijn-leren" in page.url
    page.goto("/mijn-account")
    axe_check(page, "profile")
    page.goto("/bestaat-niet")
    assert page.locator("h1").inner_text()
    axe_check(page, "404")


def test_wrong_password_shows_an_error_and_keeps_the_email(app, browser_page, axe_check):
    factories.make_user(email="lotte@example.org")
    page = browser_page
    page.goto("/inloggen")
    page.fill("input[name=email]", "lotte@example.org")
    page.fill("input[name=password]", "wrong password!")
    page.locator("main form button[type=submit], main form input[type=submit]").last.click()
    assert page.locator("input[name=email]").input_value() == "lotte@example.org"
    assert page.locator(".alert--error").count() == 1
    axe_check(page, "login error")


def test_layout_works_on_a_360px_phone(app, browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto("/inloggen")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, "the page scrolls sideways on a 360 px phone"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused, "the first Tab reaches the skip link"
    context.close()
