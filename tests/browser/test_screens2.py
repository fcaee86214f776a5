"""Issue 12, the remaining measurements: the assignment's first answer field in view on arrival,
Mijn badges' one form (with a problem beside its badge) axe-clean, at 1280 × 800 and 390 × 844."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from course.extensions import db
from course.models import Submission
from tests import factories, factories_badges
from tests.factories_learn import load_default_course

pytestmark = pytest.mark.browser

VIEWPORTS = [(1280, 800), (390, 844)]


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_the_first_answer_field_is_in_view_on_arrival(app, browser_page, axe_check, browser_login, width, height):
    course = load_default_course()
    module = course.active_modules[0]
    factories.make_enrolment(factories.make_user(email="lotte@example.org", name="Lotte Leerling"), course)
    page = browser_page
    page.set_viewport_size({"width": width, "height": height})
    browser_login(page, "lotte@example.org")
    page.goto(f"/mijn-leren/{course.slug}/{module.slug}/opdracht")
    first_field = page.locator("#assignment-form textarea").first
    expect(first_field).to_be_visible()
    assert page.evaluate("window.scrollY") == 0
    box = first_field.bounding_box()
    label = page.locator("#assignment-form .assignment-field label").first.bounding_box()
    assert box is not None and label is not None and label["y"] >= 0
    # The label and at least the first lines of the field are in the first screen, untouched.
    assert box["y"] + 48 <= height, f"the first answer field starts at {box['y']:.0f}px of {height}px"
    # The brief is one click away, and opening it shows it.
    brief = page.locator("details.assignment-brief")
    brief.locator("summary").click()
    expect(brief.locator(".prose")).to_be_visible()
    axe_check(page, f"assignment on arrival at {width}px")


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_mijn_badges_saves_all_settings_at_once_and_shows_a_problem_beside_its_badge(
        app, browser_page, axe_check, browser_login, width, height):
    lotte = factories.make_user(email="lotte@example.org", name="Lotte Leerling")
    factories_badges.completed_enrolment(lotte, factories.make_course(title="Welzijn 2.0"))
    unapproved = factories_badges.award_module_badge(
        factories.make_enrolment(lotte, factories.make_course(title="Mantelzorg")))
    page = browser_page
    page.set_viewport_size({"width": width, "height": height})
    browser_login(page, "lotte@example.org")
    page.goto("/mijn-badges")
    save = page.get_by_role("button", name="Instellingen van alle badges opslaan")
    expect(save).to_have_count(1)
    page.check(f"[id=\"{unapproved.public_id}-show_name\"]")
    page.check(f"[id=\"{unapproved.public_id}-publish_evidence\"]")
    with page.expect_navigation():
        save.click()
    card = page.locator(f"#badge-{unapproved.public_id}")
    expect(card.locator(".field__error")).to_contain_text("geen goedgekeurde opdracht")
    expect(page.locator(f"[id=\"{unapproved.public_id}-show_name\"]")).to_be_checked()   # nothing lost
    expect(page.locator("#form-errors")).to_contain_text("Er is nog niets opgeslagen")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"Mijn badges scrolls sideways by {overflow}px"
    axe_check(page, f"Mijn badges with a problem at {width}px")

    page.uncheck(f"[id=\"{unapproved.public_id}-publish_evidence\"]")
    with page.expect_navigation():
        page.get_by_role("button", name="Instellingen van alle badges opslaan").click()
    expect(page.locator("body")).to_contain_text("De instellingen van je badges zijn opgeslagen.")
    expect(page.locator(f"[id=\"{unapproved.public_id}-show_name\"]")).to_be_checked()
    axe_check(page, f"Mijn badges saved at {width}px")


CHART_TEXT_SIZES = """() => [...document.querySelectorAll('figure.chart svg text')]
    .filter(t => t.getBoundingClientRect().width > 0)
    .map(t => ({text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
                height: t.getBoundingClientRect().height}))"""


@pytest.mark.parametrize(("width", "height"), [(390, 844), (360, 800), (1280, 800)])
def test_chart_text_stays_at_least_12px(app, browser_page, axe_check, browser_login, organisation, width, height):
    """Both charts (waiting over 30 days; completion per module): every visible chart text is drawn
    at 12 px or more, measured as its computed font size times the SVG's scale on screen."""
    from tests.factories_review import make_submission

    trainer = factories.make_user(role="trainer", email="tom@example.org", name="Tom Trainer")
    course = factories.make_course(modules=4, sequential=False, title="Welzijn 2.0")
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    for index in range(3):
        learner = factories.make_user(email=f"l{index}@example.org", name=f"Deelnemer {index}", org=organisation)
        make_submission(factories.make_enrolment(learner, course, cohort=cohort), course.modules[0],
                        submitted_days_ago=index * 4)
    page = browser_page
    page.set_viewport_size({"width": width, "height": height})
    browser_login(page, "tom@example.org")
    for path in ("/voortgang", f"/voortgang/groep/{cohort.public_id}"):
        page.goto(path)
        sizes = page.evaluate(CHART_TEXT_SIZES)
        assert len(sizes) >= 3, f"no chart text drawn on {path}"
        smallest = min(sizes, key=lambda s: s["px"])
        assert smallest["px"] >= 12, f"{path} at {width}px draws “{smallest['text']}” at {smallest['px']:.1f}px"
        assert min(s["height"] for s in sizes) >= 12
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        axe_check(page, f"{path} charts at {width}px")


def _roles_world():
    """Stichting Zorgzaam's Team Noord (tests/factories_teamplan.team_world) with a team plan of two
    chapters by Anna and Bram, Dirk's work waiting for trainer Tineke, and a platform admin."""
    from course.teamplan import services as teamplan
    from tests.factories_teamplan import key, team_world

    w = team_world()
    teamplan.save_plan(w.cohort, w.trainer, "Ons plan", "Inleiding", {
        key(w.module, "doelgroep"): w.e_bram.public_id, key(w.module, "boodschap"): w.e_anna.public_id})
    teamplan.set_published(w.cohort, w.trainer, True)
    waiting = db.session.scalar(sa.select(Submission).where(Submission.enrolment_id == w.e_dirk.id))
    admin = factories.make_user(role="admin", email="beheer@zorgzaam.test")
    slug, module = w.course.slug, w.module.slug
    pages = {
        None: ["/", "/cursussen", f"/cursussen/{slug}"],
        w.anna.email: ["/mijn-leren", f"/mijn-leren/{slug}", f"/mijn-leren/{slug}/{module}",
                       f"/mijn-leren/{slug}/{module}/opdracht", "/mijn-badges", f"/mijn-werkboek/{slug}",
                       f"/groepen/{w.cohort.public_id}/teamplan"],
        w.trainer.email: ["/beoordelen", "/voortgang", f"/voortgang/groep/{w.cohort.public_id}",
                          f"/voortgang/groep/{w.cohort.public_id}/quizanalyse", f"/beoordelen/{waiting.public_id}"],
        w.org_admin.email: ["/organisatie", f"/organisatie/groepen/{w.cohort.public_id}",
                            f"/organisatie/groepen/{w.cohort.public_id}/deelnemers/{w.e_anna.public_id}"],
        admin.email: ["/beheer", "/beheer/badges", "/beheer/organisaties", "/beheer/aanvragen"],
    }
    return w, pages


def test_no_main_page_of_any_role_scrolls_sideways_at_360px(app, browser, live_server, browser_login):
    _w, pages = _roles_world()
    checked = []
    for email, paths in pages.items():
        context = browser.new_context(base_url=live_server, locale="nl-NL", viewport={"width": 360, "height": 740})
        context.set_default_timeout(10_000)
        page = context.new_page()
        if email:
            browser_login(page, email)
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, f"{path} as {email}: {response and response.status}"
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} as {email or 'visitor'} scrolls sideways by {overflow}px at 360px"
            checked.append(path)
        context.close()
    assert len(checked) >= 20


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_the_landing_page_names_who_wrote_which_chapter_and_stays_axe_clean(
        app, browser_page, axe_check, browser_login, width, height):
    w, _pages = _roles_world()
    page = browser_page
    page.set_viewport_size({"width": width, "height": height})
    browser_login(page, w.org_admin.email)
    page.goto("/organisatie")
    card = page.locator(".group-card").filter(has_text="Team Noord")
    expect(card).to_contain_text("2 van 4 hoofdstukken afgesproken (gepubliceerd)")
    owners = card.locator("details.plan-owners")
    expect(owners.locator("li").first).not_to_be_visible()        # folded: the bars stay in view
    owners.locator("summary").click()
    expect(owners.locator("li")).to_have_text(["Doelgroep: Bram Bos", "Kernboodschap: Anna Altena"])
    expect(page.locator("body")).not_to_contain_text("Bram: jongeren tot 23.")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    axe_check(page, f"organisation landing page with chapter owners at {width}px")
