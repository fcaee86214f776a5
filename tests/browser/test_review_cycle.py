"""The whole review cycle in a real browser, every page checked with axe:
the learner submits → the trainer asks for a revision with rubric levels and
feedback → the learner reads it and resubmits → the trainer sees the diff and
approves → the module completes and the mail is delivered."""
from pathlib import Path

import sqlalchemy as sa

from course.extensions import db
from course.mail.sender import send_queued
from course.models import MailStatus, ModuleProgress, OutboxMail, utcnow
from tests import factories
from tests.browser.dialogs import answer_confirmation


def _new_page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    return page


def _rate(page, level, decision, feedback):
    for name in ("helderheid", "haalbaarheid", "samenhang"):
        page.check(f"input[name='level__{name}'][value='{level}']")
    page.fill("textarea[name='feedback_md']", feedback)
    page.check(f"input[name='decision'][value='{decision}']")


def test_the_review_cycle_from_submission_to_completed_module(app, browser, live_server, browser_page, axe_check,
                                                              browser_login, organisation):
    trainer = factories.make_user(role="trainer", email="tom@example.org", name="Tom Trainer")
    learner = factories.make_user(email="lotte@example.org", name="Lotte Leerling", org=organisation)
    course = factories.make_course(modules=1, sequential=False, title="Welzijn 2.0")
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    enrolment = factories.make_enrolment(learner, course, cohort=cohort)
    module = course.modules[0]
    db.session.add(ModuleProgress(enrolment_id=enrolment.id, module_id=module.id, read_at=utcnow(),
                                  quiz_passed_at=utcnow()))
    db.session.commit()
    assignment_url = f"/mijn-leren/{course.slug}/{module.slug}/opdracht"

    # 1. The learner submits.
    learner_page = browser_page
    browser_login(learner_page, "lotte@example.org")
    learner_page.goto(assignment_url)
    axe_check(learner_page, "assignment form")
    learner_page.fill("textarea[name='field-doelgroep']", "Mantelzorgers in de wijk.")
    learner_page.fill("textarea[name='field-boodschap']", "Wij staan naast je.")
    learner_page.click("button[name='action'][value='submit']")
    answer_confirmation(learner_page)
    # The privacy check runs before the form is sent: wait for the page that confirms it.
    learner_page.get_by_text("Ingediend, wacht op feedback").first.wait_for()

    # 2. The trainer asks for a revision with rubric levels and feedback.
    trainer_page = _new_page(browser, live_server)
    browser_login(trainer_page, "tom@example.org")
    trainer_page.goto("/beoordelen")
    assert "1 te beoordelen" in trainer_page.inner_text("header")
    axe_check(trainer_page, "queue")
    trainer_page.click("table.review-queue a.button")
    trainer_page.wait_for_load_state()
    assert "Mantelzorgers in de wijk." in trainer_page.inner_text("main")
    axe_check(trainer_page, "review page")
    _rate(trainer_page, "voldoende", "revision_requested", "Maak de doelgroep **concreter**.")
    trainer_page.click("input[name='save']")
    trainer_page.wait_for_load_state()
    assert "/beoordelen" in trainer_page.url and "opgeslagen" in trainer_page.inner_text("main")

    # 3. The learner reads the feedback and resubmits.
    learner_page.goto(f"/mijn-leren/{course.slug}/{module.slug}")
    assert "concreter" in learner_page.inner_text("main")
    axe_check(learner_page, "module page with feedback")
    learner_page.goto(assignment_url)
    learner_page.fill("textarea[name='field-doelgroep']", "Mantelzorgers van 50+ in de wijk Noord.")
    learner_page.click("button[name='action'][value='submit']")
    answer_confirmation(learner_page)
    # The privacy check runs before the form is sent: wait for the page that confirms it.
    learner_page.get_by_text("Ingediend, wacht op feedback").first.wait_for()

    # 4. The trainer sees the diff and approves.
    trainer_page.goto("/beoordelen")
    trainer_page.click("table.review-queue a.button")
    trainer_page.wait_for_load_state()
    # "Toon wijzigingen" puts the changes in the answer's place.
    assert not trainer_page.locator(".review-diff").is_visible()
    trainer_page.get_by_role("button", name="Toon wijzigingen").click()
    assert trainer_page.locator(".review-diff").is_visible()
    diff = trainer_page.inner_text(".review-diff")
    assert "Wijzigingen sinds versie 1" in diff and "50+" in diff
    assert trainer_page.locator(".review-diff ins").count() >= 1
    assert "concreter" in trainer_page.inner_text("main")  # the earlier feedback
    axe_check(trainer_page, "review page with diff")
    _rate(trainer_page, "goed", "approved", "Helemaal goed zo.")
    trainer_page.click("input[name='save_next']")
    trainer_page.wait_for_load_state()
    assert "Er wacht niets op beoordeling" in trainer_page.inner_text("main")

    # 5. The module completes, and the mail is delivered.
    db.session.expire_all()
    progress = db.session.scalar(sa.select(ModuleProgress).where(ModuleProgress.enrolment_id == enrolment.id))
    assert progress.assignment_approved_at is not None and progress.completed_at is not None
    sent, failed = send_queued()
    assert failed == 0 and sent >= 2
    mails = db.session.scalars(sa.select(OutboxMail).where(OutboxMail.kind == "review_decided")
                               .order_by(OutboxMail.id)).all()
    assert [m.status for m in mails] == [MailStatus.SENT, MailStatus.SENT]
    assert all(m.to_address == "lotte@example.org" for m in mails)
    files = sorted(Path(app.config["MAIL_DIR"]).glob("*-review_decided.eml"))
    assert len(files) == 2 and "goedgekeurd" in files[-1].read_text()
    learner_page.goto(f"/mijn-leren/{course.slug}/{module.slug}")
    assert "Helemaal goed zo." in learner_page.inner_text("main")
    trainer_page.goto(f"/voortgang/groep/{cohort.public_id}")
    axe_check(trainer_page, "progress matrix")
    trainer_page.goto(f"/voortgang/deelnemer/{enrolment.public_id}")
    axe_check(trainer_page, "learner detail")
    for path in ("/voortgang", f"/voortgang/groep/{cohort.public_id}/beoordelingen",
                 f"/voortgang/groep/{cohort.public_id}/quizanalyse", "/beoordelen/tekstblokken"):
        trainer_page.goto(path)
        axe_check(trainer_page, path)
    trainer_page.context.close()


def test_the_queue_does_not_scroll_the_page_sideways_on_a_phone(app, browser, live_server, browser_login,
                                                                 organisation):
    trainer = factories.make_user(role="trainer", email="tom@example.org", name="Tom Trainer")
    learner = factories.make_user(email="lotte@example.org", name="Lotte Leerling", org=organisation)
    course = factories.make_course(modules=1, sequential=False, title="Welzijn 2.0")
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    enrolment = factories.make_enrolment(learner, course, cohort=cohort)
    from tests.factories_review import make_submission

    make_submission(enrolment, course.modules[0])
    context = browser.new_context(base_url=live_server, locale="nl-NL", viewport={"width": 360, "height": 740})
    page = context.new_page()
    browser_login(page, "tom@example.org")
    page.goto("/beoordelen")
    assert page.locator("table.review-queue tbody tr").count() == 1
    # The table scrolls inside its box; its visually hidden labels must not widen the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
