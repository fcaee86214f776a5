"""Issue 12, the learner: "Nieuw voor jou" on Mijn leren, feedback first on the
assignment page, the progress model, reward moments and writing comfort.
Every test asserts what the learner sees (Dutch, the default language)."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from course.discussion import services as discussion
from course.extensions import db
from course.live import services as live
from course.models import BadgeAssertion, Submission, utcnow
from course.review.services import decide
from tests import factories, factories_badges, factories_discussion, factories_sessions
from tests.factories_review import make_submission, resubmit, scores_for


@pytest.fixture
def world(app, trainer, learner, organisation):
    course = factories.make_course(title="Welzijn 2.0", sequential=False)
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    enrolment = factories.make_enrolment(learner, course, cohort=cohort, started_at=utcnow())
    return course, cohort, enrolment, course.modules[0]


def _news(page: str) -> str:
    """The "Nieuw voor jou" panel of a page, or "" when there is none."""
    found = re.search(r'<section class="card news".*?</section>', page, re.S)
    return found.group(0) if found else ""


def _ask_revision(submission, trainer, feedback="Maak je doelgroep concreter."):
    return decide(submission, trainer, "revision_requested", scores_for(submission.module, "onvoldoende"), feedback,
                  submission.lock_version)


# ---- 1. "Nieuw voor jou" ----------------------------------------------------------


def test_a_revision_request_stands_in_nieuw_voor_jou_with_a_link_to_the_feedback(world, trainer, login_as, learner):
    course, _cohort, enrolment, module = world
    _ask_revision(make_submission(enrolment, module), trainer)
    news = _news(login_as(learner).get("/mijn-leren").text)
    assert "Nieuw voor jou" in news
    assert "Je trainer vraagt je “Module 1” (Welzijn 2.0) aan te passen." in news
    assert f'href="/mijn-leren/{course.slug}/module-1/opdracht#feedback"' in news


def test_an_approval_stands_in_nieuw_voor_jou_and_an_old_one_does_not(world, trainer, login_as, learner):
    course, _cohort, enrolment, module = world
    submission = make_submission(enrolment, module)
    decide(submission, trainer, "approved", scores_for(module), "Mooi werk.", submission.lock_version)
    client = login_as(learner)
    assert "Je opdracht bij “Module 1” (Welzijn 2.0) is goedgekeurd." in _news(client.get("/mijn-leren").text)
    db.session.execute(sa.update(Submission).values(decided_at=utcnow() - timedelta(days=20)))
    db.session.commit()
    assert "goedgekeurd" not in _news(client.get("/mijn-leren").text)


def test_a_resubmitted_revision_is_no_longer_news(world, trainer, login_as, learner):
    _course, _cohort, enrolment, module = world
    submission = make_submission(enrolment, module)
    _ask_revision(submission, trainer)
    resubmit(submission, {"doelgroep": "Mantelzorgers van 50+.", "boodschap": "Wij staan naast je."})
    assert _news(login_as(learner).get("/mijn-leren").text) == ""


def test_a_badge_earned_lately_stands_in_nieuw_voor_jou_a_revoked_one_not(world, login_as, learner):
    _course, _cohort, enrolment, module = world
    factories_badges.complete_module(enrolment, module)
    assertion = factories_badges.award_module_badge(enrolment, module)
    client = login_as(learner)
    news = _news(client.get("/mijn-leren").text)
    assert "Je hebt de badge “" in news and f'href="/mijn-badges#badge-{assertion.public_id}"' in news
    db.session.execute(sa.update(BadgeAssertion).values(revoked_at=utcnow()))
    db.session.commit()
    assert "badge" not in _news(client.get("/mijn-leren").text)


def test_a_live_session_soon_stands_in_nieuw_voor_jou(world, login_as, learner):
    course, cohort, _enrolment, _module = world
    session = factories_sessions.make_live_session(course, cohort=cohort, starts_in=timedelta(days=5),
                                                   title="Terugkomdag sociale media")
    live.sign_up(learner, session)
    news = _news(login_as(learner).get("/mijn-leren").text)
    assert "“Terugkomdag sociale media” begint op" in news
    assert f'href="/sessies/{session.public_id}"' in news


def test_a_reply_in_a_followed_thread_is_news_until_it_is_read(app, login_as):
    w = factories_discussion.make_world()
    thread = factories_discussion.start(w.space, w.anna, title="Hoe bereik ik jongeren?")
    discussion.reply(thread, w.bram, "Via het jongerenwerk.")
    anna = login_as(w.anna)
    news = _news(anna.get("/mijn-leren").text)
    assert "Nieuwe reactie in “Hoe bereik ik jongeren?”." in news
    assert f'href="/discussie/draad/{thread.public_id}"' in news
    anna.get(f"/discussie/draad/{thread.public_id}")  # reading it
    assert "Nieuwe reactie" not in _news(anna.get("/mijn-leren").text)
    # Olga, in another organisation's group, follows nothing there and sees nothing
    assert _news(login_as(w.outsider).get("/mijn-leren").text) == ""


def test_without_news_there_is_no_panel(world, login_as, learner):
    page = login_as(learner).get("/mijn-leren").text
    assert "Nieuw voor jou" not in page and "Welzijn 2.0" in page


def test_the_review_mail_links_straight_to_the_feedback(world, trainer, outbox):
    course, _cohort, enrolment, module = world
    _ask_revision(make_submission(enrolment, module), trainer)
    mail = [m for m in outbox() if m.kind == "review_decided"][-1]
    assert f"/mijn-leren/{course.slug}/module-1/opdracht#feedback" in mail.body_text


# ---- 2. feedback first on the assignment page ---------------------------------------


def _rubric_on_fields(module):
    """Let the first rubric criterion concern the field "doelgroep" (same id)."""
    assignment = dict(module.assignment)
    rubric = [dict(c) for c in assignment["rubric"]]
    rubric[0]["id"], rubric[0]["title"] = "doelgroep", "Doelgroep helder"
    module.assignment = {**assignment, "rubric": rubric}
    db.session.commit()


def _revise_with_comments(enrolment, module, trainer):
    submission = make_submission(enrolment, module)
    scores = {c["id"]: {"level": "onvoldoende", "comment": f"Opmerking bij {c['title']}."}
              for c in module.assignment["rubric"]}
    decide(submission, trainer, "revision_requested", scores, "Goed begin, **maak het concreter**.",
           submission.lock_version)
    return submission


def test_after_a_revision_request_the_decision_and_feedback_come_before_the_brief(world, trainer, login_as, learner):
    course, _cohort, enrolment, module = world
    _revise_with_comments(enrolment, module, trainer)
    page = login_as(learner).get(f"/mijn-leren/{course.slug}/module-1/opdracht").text
    feedback_at = page.index('<section class="feedback feedback--first" id="feedback"')
    assert feedback_at < page.index('class="assignment-brief"') < page.index('id="assignment-form"')
    assert page.index("<strong>maak het concreter</strong>") < page.index('class="assignment-brief"')
    assert '<details class="assignment-brief">' in page            # the brief is folded away
    assert "Je trainer vraagt je om aanpassingen." in page[feedback_at:page.index('class="assignment-brief"')]
    # without a matching field every rubric comment stands under the decision
    top = page[feedback_at:page.index('class="assignment-brief"')]
    assert all(f"Opmerking bij {t}." in top for t in ("Helderheid", "Haalbaarheid", "Samenhang"))


def test_a_rubric_comment_on_a_field_stands_beside_that_field(world, trainer, login_as, learner):
    course, _cohort, enrolment, module = world
    _rubric_on_fields(module)
    _revise_with_comments(enrolment, module, trainer)
    page = login_as(learner).get(f"/mijn-leren/{course.slug}/module-1/opdracht").text
    top = page[page.index('id="feedback"'):page.index('class="assignment-brief"')]
    assert "Opmerking bij Doelgroep helder." not in top and "Opmerking bij Haalbaarheid." in top
    assert "staan hieronder bij dat deel" in top
    field_at = page.index('<textarea', page.index('for="field-doelgroep"'))
    comment_at = page.index("Opmerking bij Doelgroep helder.")
    assert page.index('for="field-doelgroep"') < comment_at < field_at
    assert 'aria-label="Je trainer over “Doelgroep”"' in page


def test_before_any_feedback_the_brief_is_folded_above_the_form_and_there_is_no_feedback_block(
        world, login_as, learner):
    """Folded so the first answer field is in view on arrival (tests/browser/test_screens2.py measures it)."""
    course, _cohort, _enrolment, _module = world
    page = login_as(learner).get(f"/mijn-leren/{course.slug}/module-1/opdracht").text
    assert '<details class="assignment-brief">' in page and 'id="feedback"' not in page
    assert page.index('class="assignment-brief"') < page.index("<summary>Wat ga je doen?</summary>") \
        < page.index('id="assignment-form"')


def test_earlier_decisions_are_folded_under_the_latest(world, trainer, login_as, learner):
    course, _cohort, enrolment, module = world
    submission = _revise_with_comments(enrolment, module, trainer)
    resubmit(submission, {"doelgroep": "Mantelzorgers van 50+.", "boodschap": "Wij staan naast je."})
    decide(submission, trainer, "approved", scores_for(module), "Nu is het sterk.", submission.lock_version)
    page = login_as(learner).get(f"/mijn-leren/{course.slug}/module-1/opdracht").text
    latest_at, earlier_at = page.index("Nu is het sterk."), page.index('<details class="feedback__earlier">')
    assert latest_at < earlier_at < page.index("<strong>maak het concreter</strong>")
    assert "Eerdere feedback (1 besluit)" in page


# ---- 3. a visible progress model ----------------------------------------------------------


def test_submitting_shows_its_own_waiting_segment_on_the_bar(world, login_as, learner):
    course, _cohort, enrolment, module = world
    factories_badges.complete_module(enrolment, course.modules[1], with_submission=False)  # 3 of 6 parts
    make_submission(enrolment, module)                                                      # module 1: waiting
    for url in ("/mijn-leren", f"/mijn-leren/{course.slug}"):
        page = login_as(learner).get(url).text
        assert "50% afgerond" in page and "17% ingediend, wacht op feedback" in page, url
        assert '<rect class="progress__waiting" x="50" width="17" height="4"/>' in page


def test_without_waiting_work_the_bar_has_no_waiting_segment(world, login_as, learner):
    page = login_as(learner).get("/mijn-leren").text
    assert "0% afgerond" in page and "wacht op feedback" not in page and "progress__waiting" not in page


def test_each_module_card_shows_its_three_steps_with_marks_and_words(world, login_as, learner):
    course, _cohort, enrolment, module = world
    client = login_as(learner)
    client.post(f"/mijn-leren/{course.slug}/module-1/gelezen")
    make_submission(enrolment, module)
    page = client.get(f"/mijn-leren/{course.slug}").text
    first = page[page.index('aria-label="Stappen van deze module"'):]
    first = first[:first.index("</ol>")]
    marks = re.findall(r'step-mark--(\w+)">\s*<span class="step-mark__icon" aria-hidden="true">(.)</span>\s*'
                       r'<span class="step-mark__name">(\w+)</span>', first)
    assert marks == [("done", "✓", "Lezen"), ("todo", "○", "Quiz"), ("waiting", "◷", "Opdracht")]
    assert "Gelezen" in first and "Quiz nog niet gehaald" in first and "wacht op feedback" in first


def test_a_new_learner_is_welcomed_and_begins_rather_than_continues(world, login_as, learner, trainer):
    course, _cohort, _enrolment, _module = world
    client = login_as(learner)
    overview = client.get(f"/mijn-leren/{course.slug}").text
    assert "Begin met de cursus" in overview and "Ga verder waar je was" not in overview
    welcome = overview[overview.index('<section class="card welcome"'):]
    welcome = welcome[:welcome.index("</section>")]
    assert "Welkom bij “Welzijn 2.0”" in welcome
    assert "Elke module heeft drie stappen" in welcome
    assert f"{trainer.name} geeft feedback op je opdrachten." in welcome
    assert "Ongeveer 4 uur in totaal" in welcome and "werkboek" in welcome
    assert "Begin met de cursus" in client.get("/mijn-leren").text
    client.post(f"/mijn-leren/{course.slug}/module-1/gelezen")             # the first step done
    overview = client.get(f"/mijn-leren/{course.slug}").text
    assert "Welkom bij" not in overview and "Begin met de cursus" not in overview
    assert "Ga verder waar je was" in overview


def test_without_an_appointed_trainer_the_welcome_names_the_leerlijn_team(app, login_as, learner):
    course = factories.make_course(title="Open cursus")
    factories.make_enrolment(learner, course)
    page = login_as(learner).get(f"/mijn-leren/{course.slug}").text
    assert "Het team van Leerlijn geeft feedback op je opdrachten." in page


# ---- 4. reward moments ----------------------------------------------------------------


def test_passing_a_quiz_is_celebrated_and_names_the_module(world, login_as, learner):
    from tests.factories_learn import correct_answers, wrong_answers

    course, _cohort, _enrolment, module = world
    client = login_as(learner)
    url = f"/mijn-leren/{course.slug}/module-1/quiz"
    failed = client.post(url, data={"attempt": "1", **wrong_answers(module)}, follow_redirects=True).text
    assert "celebration" not in failed and "Quiz gehaald" not in failed
    passed = client.post(url, data={"attempt": "2", **correct_answers(module)}, follow_redirects=True).text
    section = passed[passed.index('<section class="celebration celebration--quiz"'):]
    assert '<h2 class="celebration__title" id="celebration-quiz">Quiz gehaald</h2>' in section
    assert "De quiz van “Module 1” is klaar: weer een stap verder." in section
    assert passed.count("Door naar de opdracht") == 1                       # the next step, once


def test_an_approval_is_celebrated_on_the_assignment_page(world, trainer, login_as, learner):
    course, _cohort, enrolment, module = world
    submission = make_submission(enrolment, module)
    decide(submission, trainer, "approved", scores_for(module), "Sterk plan.", submission.lock_version)
    page = login_as(learner).get(f"/mijn-leren/{course.slug}/module-1/opdracht").text
    assert '<section class="celebration celebration--approved"' in page
    assert "Je trainer heeft je opdracht bij “Module 1” goedgekeurd." in page
    assert page.index("celebration--approved") < page.index('id="feedback"')


def test_a_badge_is_celebrated_once_with_its_name(world, login_as, learner):
    _course, _cohort, enrolment, module = world
    factories_badges.complete_module(enrolment, module)
    factories_badges.award_module_badge(enrolment, module)
    client = login_as(learner)
    first = client.get("/mijn-leren").text
    assert '<p class="alert alert--celebration">Gefeliciteerd' in first and "badge" in first
    assert "alert--celebration" not in client.get("/mijn-leren").text


def test_finishing_the_course_leads_to_the_certificate_workbook_and_linkedin(app, login_as, learner):
    enrolment = factories_badges.completed_enrolment(learner, factories.make_course(title="Welzijn 2.0"))
    course = enrolment.course
    client = login_as(learner)
    overview = client.get(f"/mijn-leren/{course.slug}").text
    assert "celebration--course" in overview and f'href="/mijn-leren/{course.slug}/afgerond"' in overview
    mine = client.get("/mijn-leren").text
    assert "Je hebt “Welzijn 2.0” afgerond." in _news(mine)
    assert f'href="/mijn-leren/{course.slug}/afgerond"' in mine
    page = client.get(f"/mijn-leren/{course.slug}/afgerond")
    assert page.status_code == 200
    html = page.text
    certificate = enrolment_certificate(enrolment)
    assert "<h1 class=\"celebration__title\" id=\"celebration-course\">Je hebt “Welzijn 2.0” afgerond</h1>" in html
    assert "Bewijs van deelname" in html and learner.name in html
    assert f'href="/certificaat/{certificate.public_id}/bewijs-van-deelname.pdf"' in html
    assert 'href="https://www.linkedin.com/' in html
    assert f'href="/mijn-werkboek/{course.slug}"' in html
    assert client.get(f"/certificaat/{certificate.public_id}/bewijs-van-deelname.pdf").status_code == 200


def test_the_finished_page_of_an_unfinished_course_sends_back_to_the_overview(world, login_as, learner):
    course, _cohort, _enrolment, _module = world
    response = login_as(learner).get(f"/mijn-leren/{course.slug}/afgerond", follow_redirects=True)
    assert response.status_code == 200 and response.request.path == f"/mijn-leren/{course.slug}"
    assert "Je hebt deze cursus nog niet afgerond." in response.text


def test_a_revoked_certificate_is_not_offered_on_the_finished_page(app, login_as, learner):
    enrolment = factories_badges.completed_enrolment(learner)
    certificate = enrolment_certificate(enrolment)
    certificate.revoked_at = utcnow()
    db.session.commit()
    html = login_as(learner).get(f"/mijn-leren/{enrolment.course.slug}/afgerond").text
    assert "Je certificaat is niet beschikbaar." in html and "bewijs-van-deelname.pdf" not in html


def enrolment_certificate(enrolment):
    from course.models import Certificate

    return db.session.scalar(sa.select(Certificate).where(Certificate.enrolment_id == enrolment.id))


# ---- 5. writing comfort -------------------------------------------------------------------


def _assignment_url(course):
    return f"/mijn-leren/{course.slug}/module-1/opdracht"


def test_a_hint_says_which_formatting_works(world, login_as, learner):
    course, *_ = world
    page = login_as(learner).get(_assignment_url(course)).text
    hint = page[page.index('<p class="format-hint" id="format-hint">'):]
    hint = hint[:hint.index("</p>")]
    assert "Deze opmaak werkt in je antwoord:" in hint
    assert "<code>**vet**</code>" in hint and "<code>*cursief*</code>" in hint
    assert "begin elke regel met <code>- </code>" in hint and "een lege regel tussen alinea's." in hint
    assert "Markdown" not in page[page.index('id="assignment-form"'):]   # no jargon by the fields


def test_the_preview_is_only_for_fields_that_have_text(world, login_as, learner):
    course, *_ = world
    page = login_as(learner).post(_assignment_url(course), data={
        "action": "preview", "field-doelgroep": "Mantelzorgers **in de wijk**", "field-boodschap": "  "}).text
    assert '<div class="preview" id="field-doelgroep-preview"' in page
    assert "<strong>in de wijk</strong>" in page
    assert '<div class="preview preview--empty" id="field-boodschap-preview"' in page
    empty = page[page.index('id="field-boodschap-preview"'):]
    assert "Voorbeeld" not in empty[:empty.index("</div>")]


def test_an_error_names_the_field_once(world, login_as, learner):
    course, *_ = world
    page = login_as(learner).post(_assignment_url(course), data={
        "action": "submit", "field-doelgroep": "Mantelzorgers", "field-boodschap": ""}).text
    summary = page[page.index('id="form-errors"'):]
    summary = summary[:summary.index("</div>")]
    assert '<a href="#field-boodschap">Kernboodschap is nog leeg.</a>' in summary
    assert "Kernboodschap: Kernboodschap" not in page
    assert page.count("Kernboodschap is nog leeg.") == 2   # the summary and the field


def test_after_submitting_the_message_stands_at_the_top_of_the_assignment_page(world, login_as, learner):
    course, _cohort, _enrolment, module = world
    from tests.factories_learn import field_form

    client = login_as(learner)
    response = client.post(_assignment_url(course), data={"action": "submit", **field_form(module, "Klaar")})
    assert response.status_code == 302 and response.headers["Location"] == _assignment_url(course)  # no anchor
    page = client.get(response.headers["Location"]).text
    assert page.index("Je opdracht is ingediend") < page.index("<h1>")
    assert "wacht op feedback" in page and "Je ingediende tekst" in page


def test_mijn_badges_is_a_trophy_shelf_with_earned_and_open_places(world, login_as, learner):
    course, _cohort, enrolment, module = world
    factories_badges.complete_module(enrolment, module)
    assertion = factories_badges.award_module_badge(enrolment, module)
    page = login_as(learner).get("/mijn-badges").text
    shelf = page[page.index('<section class="trophy-shelf"'):]
    shelf = shelf[:shelf.index("</section>")]
    assert "Je prijzenkast" in shelf and "1 van 3 badges" in shelf     # two modules and the course badge
    places = re.findall(r'trophy-shelf__slot--(\w+)">.*?trophy-shelf__name">([^<]+)</span>\s*'
                        r'<span class="trophy-shelf__state">([^<]+)</span>', shelf, re.S)
    assert [(state, name) for state, name, _when in places] == [
        ("earned", "Module 1"), ("open", "Module 2"), ("open", "Cursusbadge")]
    assert places[0][2].startswith("Verdiend op") and places[1][2] == "Nog te verdienen"
    assert f'href="#badge-{assertion.public_id}"' in shelf and 'alt="Badge: ' in shelf
    db.session.execute(sa.update(BadgeAssertion).values(revoked_at=utcnow()))
    db.session.commit()
    assert "0 van 3 badges" in login_as(learner).get("/mijn-badges").text


def test_mijn_leren_still_names_who_reviews_waiting_work_within_its_budget(app, login_as, learner, trainer,
                                                                           organisation):
    """The reviewers come with the news query on Mijn leren: 6 queries even when work waits
    and a course requires live attendance (both conditional queries would otherwise run)."""
    from course.models import ModuleProgress
    from tests.querycount import count_queries

    course = factories.make_course(modules=1, title="Welzijn 2.0", attendance_sessions=1)
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    enrolment = factories.make_enrolment(learner, course, cohort=cohort, started_at=utcnow())
    module = course.modules[0]
    db.session.add(ModuleProgress(enrolment_id=enrolment.id, module_id=module.id, read_at=utcnow(),
                                  quiz_passed_at=utcnow()))
    make_submission(enrolment, module)
    client = login_as(learner)
    client.get("/mijn-leren")
    with count_queries() as counted:
        page = client.get("/mijn-leren").text
    assert f"{trainer.name} beoordeelt je werk." in page and "De beheerder" not in page
    assert counted.count <= 6, counted.statements


def test_a_criterion_names_the_field_it_concerns_and_its_comment_stands_beside_that_field(
        world, trainer, login_as, learner):
    """`field:` in the rubric (modules/README.md): the id need not be the field's."""
    course, _cohort, enrolment, module = world
    assignment = dict(module.assignment)
    rubric = [dict(c) for c in assignment["rubric"]]
    rubric[1]["field"] = "boodschap"
    module.assignment = {**assignment, "rubric": rubric}
    db.session.commit()
    _revise_with_comments(enrolment, module, trainer)
    page = login_as(learner).get(f"/mijn-leren/{course.slug}/module-1/opdracht").text
    title = rubric[1]["title"]
    top = page[page.index('id="feedback"'):page.index('class="assignment-brief"')]
    assert f"Opmerking bij {title}." not in top
    label_at = page.index('for="field-boodschap"')
    assert label_at < page.index(f"Opmerking bij {title}.") < page.index("<textarea", label_at)

