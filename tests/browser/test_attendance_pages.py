"""Attendance in the room on a 390 px phone, and a blended course whose completion
waits for the trainer's attendance mark (issue 13). axe stays clean."""
import pytest

from course.extensions import db
from course.models import Enrolment
from tests import factories
from tests.factories_attendance import make_session, register
from tests.factories_badges import complete_module

pytestmark = pytest.mark.browser


def _sideways(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="nl-NL", viewport={"width": 390, "height": 844},
                                  has_touch=True, is_mobile=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_the_trainer_takes_attendance_on_a_390_px_phone(app, phone, axe_check, browser_login):
    trainer = factories.make_user(role="trainer", email="tineke@example.org", name="Tineke Trainer")
    course = factories.make_course(title="Welzijn 2.0")
    session = make_session(course, trainers=[trainer], title="Workshopdag Utrecht", hours=(3,))
    names = ["Anne de Vries", "Bram Bakker", "Çiğdem Yıldırım-van der Heijden"]
    for name in names:
        register(factories.make_user(name=name), session)

    browser_login(phone, "tineke@example.org")
    phone.goto("/aanwezigheid")
    axe_check(phone, "attendance list at 390 px")
    with phone.expect_navigation():
        phone.get_by_role("link", name="Workshopdag Utrecht").click()
    assert _sideways(phone) <= 0, "the attendance page scrolls sideways on a 390 px phone"
    axe_check(phone, "attendance page at 390 px")
    choice = phone.get_by_text("Aanwezig", exact=True).first
    box = choice.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, f"touch target too small: {box}"
    rows = phone.locator("fieldset.attendance-row")
    assert rows.count() == 3
    rows.nth(0).get_by_text("Aanwezig", exact=True).tap()
    rows.nth(1).get_by_text("Afwezig", exact=True).tap()
    rows.nth(2).get_by_text("Deels aanwezig", exact=True).tap()
    rows.nth(2).get_by_label("Uren aanwezig (bij deels aanwezig)").fill("5")   # more than the session: refused
    with phone.expect_navigation():
        phone.get_by_role("button", name="Aanwezigheid opslaan").tap()
    assert "Vul meer dan 0 en minder dan 3 uur in (de hele sessie)." in phone.content()
    axe_check(phone, "attendance page with an error at 390 px")
    assert rows.nth(0).locator("input[value=present]").is_checked()      # nothing lost
    rows.nth(2).get_by_label("Uren aanwezig (bij deels aanwezig)").fill("1,5")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Aanwezigheid opslaan").tap()
    assert "Aanwezigheid opgeslagen (3 gewijzigd)." in phone.content()
    assert rows.nth(2).get_by_label("Uren aanwezig (bij deels aanwezig)").input_value() == "1,5"
    assert rows.nth(1).locator("input[value=absent]").is_checked()
    assert _sideways(phone) <= 0


def test_a_blended_course_completes_when_the_trainer_marks_attendance(app, browser, live_server, axe_check,
                                                                        browser_login):
    trainer = factories.make_user(role="trainer", email="tom@example.org", name="Tom Trainer")
    learner = factories.make_user(email="lotte@example.org", name="Lotte Leerling")
    course = factories.make_course(title="Welzijn blended", attendance_sessions=1)
    enrolment = factories.make_enrolment(learner, course)
    for module in course.modules:
        complete_module(enrolment, module)
    session = make_session(course, trainers=[trainer], title="Live workshop", hours=(3,))
    register(learner, session)
    db.session.commit()

    contexts = [browser.new_context(base_url=live_server, locale="nl-NL") for _ in range(2)]
    try:
        mine, theirs = (c.new_page() for c in contexts)
        browser_login(mine, "lotte@example.org")
        mine.goto(f"/mijn-leren/{course.slug}")
        text = mine.content()
        assert "Sessies bijgewoond: 0 van 1" in text and "Je hebt deze cursus afgerond" not in text
        axe_check(mine, "course overview waiting for attendance")
        mine.goto("/mijn-leren")
        assert "Het online deel is klaar." in mine.content()

        browser_login(theirs, "tom@example.org")
        theirs.goto(f"/sessies/{session.public_id}/aanwezigheid")
        theirs.get_by_text("Aanwezig", exact=True).first.click()
        with theirs.expect_navigation():
            theirs.get_by_role("button", name="Aanwezigheid opslaan").click()
        assert "Aanwezigheid opgeslagen (1 gewijzigd)." in theirs.content()

        mine.goto(f"/mijn-leren/{course.slug}")
        text = mine.content()
        assert "Sessies bijgewoond: 1 van 1" in text and "Je hebt deze cursus afgerond" in text
        axe_check(mine, "course overview completed through attendance")
    finally:
        for context in contexts:
            context.close()
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).completed_at is not None
