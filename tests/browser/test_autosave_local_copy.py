"""Autosave keeps a local copy in the browser until the server confirms it: with the
server unreachable (autosave requests intercepted and failed), a reload or a closed tab
brings the text back, the learner is told, and once the server answers it is saved."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from course.extensions import db
from course.models import Submission
from tests import factories

pytestmark = pytest.mark.browser

TEXT = "Mantelzorgers in de wijk, geschreven tijdens de storing"


def _fail_autosave(page):
    page.route("**/opdracht/autosave", lambda route: route.abort("failed"))


def test_a_draft_typed_during_an_outage_survives_a_reload_and_a_closed_tab(app, browser_page, axe_check,
                                                                           browser_login):
    learner = factories.make_user(email="lokaal@example.org")
    course = factories.make_course(modules=1, sequential=False)
    factories.make_enrolment(learner, course)
    url = f"/mijn-leren/{course.slug}/module-1/opdracht"
    page = browser_page
    browser_login(page, "lokaal@example.org")

    page.goto(url)
    _fail_autosave(page)
    page.fill("#field-doelgroep", TEXT)
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Nog niet opgeslagen", timeout=15_000)

    page.reload()
    expect(page.locator("#field-doelgroep")).to_have_value(TEXT)
    expect(status).to_contain_text("We hebben de tekst teruggezet")
    axe_check(page, "assignment page with a restored local copy")

    context = page.context
    page.close()
    tab = context.new_page()
    _fail_autosave(tab)
    tab.goto(url)
    expect(tab.locator("#field-doelgroep")).to_have_value(TEXT)

    tab.unroute("**/opdracht/autosave")
    expect(tab.locator("#autosave-status")).to_contain_text("Concept opgeslagen om", timeout=15_000)
    db.session.expire_all()
    assert db.session.scalar(sa.select(Submission)).draft_fields["doelgroep"] == TEXT
    assert tab.evaluate("Object.keys(localStorage).filter(k => k.startsWith('leerlijn-draft:')).length") == 0

    # The server now holds the newest text: a later visit shows it and restores nothing.
    tab.reload()
    expect(tab.locator("#field-doelgroep")).to_have_value(TEXT)
    expect(tab.locator("#autosave-status")).not_to_contain_text("teruggezet")
