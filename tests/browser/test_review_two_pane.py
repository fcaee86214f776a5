"""The trainer's review screen in a real browser (issue 12): two panes at desktop size with
the decision in view, "toon wijzigingen" on the rendered text, a live points total, the
whole decision by keyboard, and no sideways scroll on a phone. Every state checked with axe."""
from course.extensions import db
from course.models import QuizAttempt, SubmissionStatus
from tests import factories
from tests.factories_review import add_review, make_submission, resubmit

LONG_ANSWER = "\n\n".join(f"Alinea {n}: wij vertellen elke week een verhaal uit de wijk, met foto's van de "
                          f"vrijwilligers en een vraag aan de lezers." for n in range(1, 25))


def _world(organisation, waiting=3):
    """A trainer with `waiting` submissions in the queue; the last one a long resubmission
    whose Markdown changed (bold) beside one real change of words."""
    trainer = factories.make_user(role="trainer", email="tom@example.org", name="Tom Trainer")
    course = factories.make_course(modules=1, sequential=False, title="Welzijn 2.0")
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    module = course.modules[0]
    submissions = []
    for index in range(waiting - 1):
        learner = factories.make_user(email=f"l{index}@example.org", name=f"Deelnemer {index}", org=organisation)
        enrolment = factories.make_enrolment(learner, course, cohort=cohort)
        submissions.append(make_submission(enrolment, module, submitted_days_ago=10 - index))
    learner = factories.make_user(email="lotte@example.org", name="Lotte Leerling", org=organisation)
    enrolment = factories.make_enrolment(learner, course, cohort=cohort)
    resubmission = make_submission(enrolment, module, submitted_days_ago=20, fields={
        "doelgroep": "Mantelzorgers in de wijk.\n\n" + LONG_ANSWER, "boodschap": "Wij staan naast je."})
    add_review(resubmission, trainer, "revision_requested", feedback="Maak de doelgroep *concreter*.")
    resubmit(resubmission, {"doelgroep": "**Mantelzorgers** van 50+ in de wijk.\n\n" + LONG_ANSWER,
                            "boodschap": "Wij staan naast je."})
    return trainer, submissions, resubmission


def _context(browser, live_server, width, height):
    context = browser.new_context(base_url=live_server, locale="nl-NL", viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    return context


def _box(page, selector):
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not rendered"
    return box


def _in_viewport(page, selector, height):
    box = _box(page, selector)
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, f"{selector} is outside the window: {box}"
    # Nothing covers it: the element itself answers at its centre.
    assert page.evaluate("""([sel]) => { const el = document.querySelector(sel); const r = el.getBoundingClientRect();
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return el === hit || el.contains(hit) || (el.labels && [...el.labels].some(l => l.contains(hit))); }""",
                         [selector]), f"{selector} is covered"


def test_at_desktop_size_answer_and_rubric_stand_side_by_side_with_the_decision_in_view(
        app, browser, live_server, browser_login, axe_check, organisation):
    trainer, _waiting, resubmission = _world(organisation)
    context = _context(browser, live_server, 1280, 800)
    page = context.new_page()
    browser_login(page, "tom@example.org")
    page.goto(f"/beoordelen/{resubmission.public_id}")

    answer, rubric = _box(page, ".review-answer"), _box(page, ".rubric-criterion")
    assert answer["x"] + answer["width"] <= rubric["x"], (answer, rubric)  # side by side, answer on the left
    assert rubric["y"] < answer["y"] + answer["height"]  # on the same rows, not below
    for selector in ("label[for='decision-0']", "label[for='decision-1']", "input[name='save_next']",
                     "input[name='save']", ".review-total"):
        _in_viewport(page, selector, 800)
    # The queue position: the resubmission came in last, so it is the third of three.
    assert "3 van 3 te beoordelen" in page.inner_text(".review-head")
    axe_check(page, "review page, desktop")

    # Reading far down the long answer keeps the decision and the rubric in view.
    page.evaluate("window.scrollTo(0, 1200)")
    assert page.evaluate("window.scrollY") == 1200 and _box(page, ".review-answer")["y"] + _box(
        page, ".review-answer")["height"] > 800  # still in the middle of the answer
    for selector in ("input[name='save_next']", "label[for='decision-1']"):
        _in_viewport(page, selector, 800)
    assert _box(page, ".review-panel__body")["y"] >= 0
    _in_viewport(page, "input[name='level__helderheid']", 800)

    # "Toon wijzigingen" replaces the answer by the diff of the rendered text.
    page.evaluate("window.scrollTo(0, 0)")
    toggle = page.get_by_role("button", name="Toon wijzigingen")
    assert toggle.get_attribute("aria-pressed") == "false" and not page.locator("#review-diff").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.locator("#review-diff").is_visible() and not page.locator("#review-answer-view").is_visible()
    diff = page.inner_text("#review-diff")
    assert "van 50+" in page.inner_text("#review-diff ins") and "**" not in diff  # rendered text, no Markdown
    assert "Kernboodschap ongewijzigd" in diff.replace("\n", " ")
    axe_check(page, "review page, changes shown")
    toggle.click()
    assert page.locator("#review-answer-view").is_visible() and not page.locator("#review-diff").is_visible()

    # The live total: "0 van 6 punten" until levels are chosen.
    assert "0 van 6 punten" in page.inner_text("#review-total")
    page.check("input[name='level__helderheid'][value='goed']")
    page.check("input[name='level__haalbaarheid'][value='voldoende']")
    total = page.inner_text("#review-total")
    assert "3 van 6 punten" in total and "nog 1 criterium zonder niveau" in total
    page.check("input[name='level__samenhang'][value='goed']")
    assert page.inner_text("#review-total").strip() == "5 van 6 punten"
    context.close()


def test_the_whole_decision_by_keyboard_alone_then_on_to_the_next(app, browser, live_server, browser_login,
                                                                    axe_check, organisation):
    trainer, waiting, resubmission = _world(organisation)
    context = _context(browser, live_server, 1280, 800)
    page = context.new_page()
    browser_login(page, "tom@example.org")
    page.goto(f"/beoordelen/{resubmission.public_id}")
    keyboard = page.keyboard

    def tab_to(selector, limit=80):
        for _step in range(limit):
            keyboard.press("Tab")
            if page.evaluate("([sel]) => document.activeElement.matches(sel)", [selector]):
                return
        raise AssertionError(f"Tab never reached {selector}")

    def focused_is_visible():
        """In the window and not hidden under the sticky decision bar (WCAG 2.4.11)."""
        box = page.evaluate("""() => { const el = document.activeElement; const r = el.getBoundingClientRect();
            const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            return {top: r.top, bottom: r.bottom, seen: el === hit || el.contains(hit)}; }""")
        assert box["top"] >= 0 and box["bottom"] <= 800 and box["seen"], box

    # The rubric: the first level of each criterion takes focus, two arrow keys choose "Goed" (2 points).
    for criterion in ("helderheid", "haalbaarheid", "samenhang"):
        tab_to(f"input[name='level__{criterion}']")
        keyboard.press("ArrowRight")
        keyboard.press("ArrowRight")
        focused_is_visible()
    assert page.inner_text("#review-total").strip() == "6 van 6 punten"
    tab_to("textarea[name='feedback_md']")
    focused_is_visible()
    keyboard.type("Helemaal goed zo.")
    tab_to("input[name='decision']")
    keyboard.press("Space")  # the first decision: approved
    assert page.is_checked("input[name='decision'][value='approved']")
    focused_is_visible()
    tab_to("input[name='save_next']")
    focused_is_visible()
    with page.expect_navigation():
        keyboard.press("Enter")
    # Saved, and on to the longest-waiting submission that is left ("1 van 2").
    assert f"/beoordelen/{waiting[0].public_id}" in page.url
    assert "1 van 2 te beoordelen" in page.inner_text(".review-head")
    assert "opgeslagen" in page.inner_text("main")
    db.session.expire_all()
    assert db.session.get(type(resubmission), resubmission.id).status == SubmissionStatus.APPROVED
    axe_check(page, "the next submission")
    context.close()


def test_on_a_phone_the_panes_stack_and_nothing_scrolls_sideways(app, browser, live_server, browser_login,
                                                                  axe_check, organisation):
    trainer, _waiting, resubmission = _world(organisation)
    for width, height in ((390, 844), (360, 740)):
        context = _context(browser, live_server, width, height)
        page = context.new_page()
        browser_login(page, "tom@example.org")
        page.goto(f"/beoordelen/{resubmission.public_id}")
        answer, rubric = _box(page, ".review-answer"), _box(page, ".rubric-criterion")
        assert rubric["y"] >= answer["y"] + answer["height"], "below 1100 px the rubric follows the answer"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.get_by_role("button", name="Toon wijzigingen").click()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if width == 390:
            axe_check(page, "review page, phone")
        context.close()


def test_the_progress_heat_map_keeps_the_names_in_view_while_the_modules_scroll(
        app, browser, live_server, browser_login, axe_check, organisation):
    trainer = factories.make_user(role="trainer", email="tom@example.org", name="Tom Trainer")
    course = factories.make_course(modules=8, sequential=False, title="Welzijn 2.0")
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    for index in range(3):
        learner = factories.make_user(email=f"l{index}@example.org", name=f"Deelnemer {index}", org=organisation)
        enrolment = factories.make_enrolment(learner, course, cohort=cohort)
        make_submission(enrolment, course.modules[0])
    for width, height in ((390, 844), (1280, 800)):
        context = _context(browser, live_server, width, height)
        page = context.new_page()
        browser_login(page, "tom@example.org")
        page.goto(f"/voortgang/groep/{cohort.public_id}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        legend = page.inner_text(".heat-legend")
        assert "Legenda" in legend and "Te beoordelen" in legend and "Niet begonnen" in legend
        # The cells speak in words to a screen reader (and in their tooltip).
        first_cell = page.locator(".progress-matrix tbody tr").first.locator("td.heat").first
        assert first_cell.inner_text().strip() == "Te beoordelen"
        assert first_cell.get_attribute("title") == "Te beoordelen"
        wrap = page.locator(".matrix-wrap")
        assert page.evaluate("el => el.scrollWidth > el.clientWidth", wrap.element_handle()), "the matrix scrolls"
        name = page.locator(".progress-matrix tbody th.matrix-name").first
        name.scroll_into_view_if_needed()
        before = name.bounding_box()
        module = page.locator(".progress-matrix thead th.matrix-module").first
        module_before = module.bounding_box()
        page.evaluate("el => { el.scrollLeft = 600; }", wrap.element_handle())
        after, module_after = name.bounding_box(), module.bounding_box()
        assert module_after["x"] < module_before["x"] - 100, "the modules moved"
        assert abs(after["x"] - before["x"]) < 1 and after["x"] >= wrap.bounding_box()["x"] - 1
        assert page.evaluate("""([el]) => { const r = el.getBoundingClientRect();
            const hit = document.elementFromPoint(r.x + 5, r.y + r.height / 2); return el.contains(hit); }""",
                             [name.element_handle()]), "the name is on top, not under the scrolled cells"
        # CSV options live behind the download button.
        assert not page.locator(".csv-options select").is_visible()
        page.get_by_text("Downloaden als CSV").click()
        assert page.locator(".csv-options select").is_visible()
        axe_check(page, f"progress heat map at {width} px")
        with page.expect_download() as download:
            page.locator(".csv-options button[type=submit]").click()
        assert download.value.suggested_filename.endswith(".csv")
        context.close()


def test_the_quiz_analysis_with_bars_and_flags_is_axe_clean_and_fits_a_phone(
        app, browser, live_server, browser_login, axe_check, organisation):
    trainer = factories.make_user(role="trainer", email="tom@example.org", name="Tom Trainer")
    course = factories.make_course(modules=1, sequential=False, title="Welzijn 2.0")
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    module = course.modules[0]
    for index, right in enumerate((True, False, False)):
        learner = factories.make_user(email=f"l{index}@example.org", name=f"Deelnemer {index}", org=organisation)
        enrolment = factories.make_enrolment(learner, course, cohort=cohort)
        db.session.add(QuizAttempt(enrolment_id=enrolment.id, module_id=module.id, number=1, content_version="v1",
                                   answers={"m1q1": ["a" if right else "b"], "m1q3": ["waar"]},
                                   results={"m1q1": right, "m1q3": True}, score=0, max_score=3, passed=False))
    db.session.commit()
    for width, height in ((1280, 800), (390, 844)):
        context = _context(browser, live_server, width, height)
        page = context.new_page()
        browser_login(page, "tom@example.org")
        page.goto(f"/voortgang/groep/{cohort.public_id}/quizanalyse")
        assert page.locator("tr.quiz-analysis__flagged").count() == 1
        assert "Onder 60%: bekijk deze vraag" in page.inner_text("tr.quiz-analysis__flagged")
        assert page.locator("progress.share-bar").count() == 2
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        axe_check(page, f"quiz analysis at {width} px")
        context.close()
