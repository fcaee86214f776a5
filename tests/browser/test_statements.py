"""The statements in a real browser: reached from the footer, and clean under axe."""


def test_both_statements_are_reached_from_the_footer_and_pass_axe(app, browser_page, axe_check):
    page = browser_page
    page.goto("/")
    page.locator("footer a", has_text="Privacyverklaring").click()
    page.wait_for_url("**/privacy")
    assert page.locator("h1").inner_text() == "Privacyverklaring"
    axe_check(page, "privacy statement")
    page.locator("footer a", has_text="Toegankelijkheidsverklaring").click()
    page.wait_for_url("**/toegankelijkheid")
    assert page.locator("h1").inner_text() == "Toegankelijkheidsverklaring"
    axe_check(page, "accessibility statement")


def test_the_audit_log_passes_axe(app, browser_page, axe_check, browser_login):
    from course.audit.services import record_event
    from course.extensions import db
    from course.models import AuditAction
    from tests import factories

    admin = factories.make_user(role="admin", email="beheer@example.org")
    record_event(AuditAction.TRAINER_APPOINTED, actor=admin, subject=factories.make_user(),
                 details={"seats": 3})
    db.session.commit()
    page = browser_page
    browser_login(page, "beheer@example.org")
    page.goto("/beheer/logboek")
    assert page.locator("tbody tr").count() == 1
    axe_check(page, "audit log")
    page.goto("/beheer/logboek?date_from=gisteren")
    axe_check(page, "audit log with an invalid filter")
