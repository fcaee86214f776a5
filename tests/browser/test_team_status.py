"""The organisation's one-glance team status in a real browser (issue 12): at 1,280 × 800
the landing page shows every group's status bar without scrolling for five groups; the
group page has its bar, "Needs attention" and a mini bar per person; on a phone the
learners are cards and nothing scrolls sideways at 360 px. Every page passes axe."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from course.models import SubmissionStatus, utcnow
from tests import factories
from tests.factories_org import complete_module, enrol_with_seat, make_licence, make_submission
from tests.factories_sessions import make_live_session

pytestmark = pytest.mark.browser

ADMIN = "olga@welzijn.nl"


def _sideways(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.fixture
def five_groups(app, organisation, trainer):
    """Five groups of one organisation, each with people in every state, and sessions."""
    course = factories.make_course(title="Welzijn 2.0: sociale media met een plan", open_enrolment=False)
    licence = make_licence(organisation, course, seats=60)
    factories.make_user(email=ADMIN, name="Olga Organisatie", org=organisation, org_role="admin")
    now, month_ago = utcnow(), utcnow() - timedelta(days=30)
    groups = []
    names = ("Team Noord", "Team Zuid", "Team Oost", "Team West", "Wijkteam Centrum met een lange naam")
    for i, name in enumerate(names):
        cohort = factories.make_cohort(organisation, course, name=name, trainers=[trainer])
        enrol_with_seat(factories.make_user(name=f"Nieuw {i}"), cohort, licence)
        busy = enrol_with_seat(factories.make_user(name=f"Bezig {i}"), cohort, licence, started_at=now,
                               last_activity_at=now)
        complete_module(busy, course.modules[0])
        enrol_with_seat(factories.make_user(name=f"Stil {i}"), cohort, licence, started_at=month_ago,
                        last_activity_at=month_ago, enrolled_at=month_ago)
        waiting = enrol_with_seat(factories.make_user(name=f"Wacht {i}"), cohort, licence, started_at=now,
                                  last_activity_at=now)
        make_submission(waiting, course.modules[0], SubmissionStatus.SUBMITTED)
        done = enrol_with_seat(factories.make_user(name=f"Klaar {i}", email=f"klaar.met.een.lang.adres.{i}@welzijn.nl"),
                               cohort, licence, started_at=month_ago, completed_at=now, last_activity_at=now)
        for module in course.modules:
            complete_module(done, module)
        make_live_session(course, cohort=cohort, title=f"Startbijeenkomst {name}", starts_in=timedelta(days=3 + i))
        groups.append(cohort)
    return groups


def test_the_landing_page_shows_every_groups_status_bar_without_scrolling(browser_page, axe_check, browser_login,
                                                                          five_groups):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 800})
    browser_login(page, ADMIN)
    page.goto("/organisatie")
    bars = page.locator(".group-card .team-bar")
    expect(bars).to_have_count(5)
    assert page.evaluate("window.scrollY") == 0
    for i in range(5):
        box = bars.nth(i).bounding_box()
        assert box and box["width"] > 100, f"bar {i} is not drawn"
        assert box["y"] + box["height"] <= 800, f"bar {i} ends at {box['y'] + box['height']:.0f} px, below 800"
        legend = page.locator(".group-card .team-legend").nth(i)
        expect(legend).to_contain_text("Inactief: 1")  # the counts are words beside the picture
    axe_check(page, "organisation landing page with five groups")


def test_the_group_page_has_its_bar_attention_list_and_mini_bars(browser_page, axe_check, browser_login,
                                                                 five_groups):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 800})
    browser_login(page, ADMIN)
    page.goto("/organisatie")
    with page.expect_navigation():
        page.get_by_role("link", name="Team Noord").click()
    expect(page.locator(".team-legend")).to_contain_text("Wacht op de trainer: 1")
    attention = page.locator("section.attention")
    expect(attention).to_contain_text("Stil 0")
    expect(attention).to_contain_text("Wacht 0")
    expect(attention.get_by_role("button", name="Herinneringen versturen")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Modules afgerond door Bezig 0")).to_be_visible()
    axe_check(page, "group page")
    with page.expect_navigation():
        page.locator(".team-legend").get_by_role("link", name="Inactief: 1").click()
    rows = page.locator("table.team-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Inactief")


@pytest.mark.parametrize("width", [360, 390])
def test_on_a_phone_the_learners_are_cards_and_nothing_scrolls_sideways(browser, live_server, axe_check,
                                                                         browser_login, five_groups, width):
    context = browser.new_context(base_url=live_server, locale="nl-NL", viewport={"width": width, "height": 844})
    phone = context.new_page()
    try:
        browser_login(phone, ADMIN)
        phone.goto("/organisatie")
        assert _sideways(phone) <= 0, f"the landing page scrolls sideways at {width} px"
        axe_check(phone, f"landing page at {width} px")
        phone.goto(f"/organisatie/groepen/{five_groups[4].public_id}")
        assert _sideways(phone) <= 0, f"the group page scrolls sideways at {width} px"
        first = phone.locator("table.team-table tbody tr").first
        box = first.bounding_box()
        assert box["width"] <= width, "a learner's card is wider than the phone"
        assert phone.locator("table.team-table thead").bounding_box()["height"] <= 1  # headings move into the cards
        expect(first.locator("td").first).to_be_visible()
        axe_check(phone, f"group page at {width} px")
    finally:
        context.close()


def test_status_pills_show_an_icon_beside_the_word(browser_page, browser_login, five_groups):
    page = browser_page
    browser_login(page, ADMIN)
    page.goto(f"/organisatie/groepen/{five_groups[0].public_id}")
    pill = page.locator("table.team-table .status--icon", has_text="Inactief")
    expect(pill).to_have_text("Inactief")  # the word stays; the icon adds no text
    icon = pill.evaluate("e => { const s = getComputedStyle(e, '::before');"
                         " return [s.maskImage || s.webkitMaskImage, parseFloat(s.width)]; }")
    assert "svg" in icon[0] and icon[1] > 5, icon


def test_the_typeface_is_served_from_here_and_used(browser_page, browser_login, five_groups, live_server):
    page = browser_page
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    browser_login(page, ADMIN)
    page.goto("/organisatie")
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family + ' ' + f.weight)")
    assert any("Atkinson Hyperlegible Next" in face and "400" in face for face in loaded), loaded
    assert any("Atkinson Hyperlegible Next" in face and "700" in face for face in loaded), loaded
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Atkinson Hyperlegible Next"')
    assert hosts == {live_server.split("/")[2]}, hosts  # nothing from elsewhere


@pytest.mark.parametrize("who", ["visitor", "learner"])
def test_on_a_phone_the_course_pages_sign_up_action_is_in_the_first_screen(browser, live_server, browser_login,
                                                                          app, who):
    course = factories.make_course(title="Welzijn 2.0: van magie naar strategie", open_enrolment=True,
                                   tagline="Zet social media doordacht en duurzaam in voor je welzijnswerk, in vier "
                                           "overzichtelijke stappen.",
                                   description_html="<p>" + "Een lange beschrijving van de cursus. " * 40 + "</p>")
    context = browser.new_context(base_url=live_server, locale="nl-NL", viewport={"width": 390, "height": 844})
    phone = context.new_page()
    try:
        if who == "learner":
            browser_login(phone, factories.make_user(email="lotte@welzijn.nl").email)
        phone.goto(f"/cursussen/{course.slug}")
        name = "Schrijf je in voor deze cursus" if who == "learner" else "Maak een account aan"
        action = phone.get_by_role("button" if who == "learner" else "link", name=name)
        expect(action).to_be_visible()
        box = action.bounding_box()
        assert box["y"] + box["height"] <= 844, f"the sign-up action ends at {box['y'] + box['height']:.0f} px"
        assert _sideways(phone) <= 0
    finally:
        context.close()
