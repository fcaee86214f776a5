"""Catalogue, course pages, home page, "Mijn leren", module page, locking, progress."""
import sqlalchemy as sa

from course.extensions import db
from course.models import Enrolment, EventKind, ProgressEvent
from tests import factories
from tests.factories_learn import load_default_course
from tests.querycount import count_queries


def test_anonymous_catalogue_presents_the_course_like_the_workshop(client, app):
    course = load_default_course()
    page = client.get("/cursussen")
    assert page.status_code == 200
    text = page.text
    assert course.title in text
    assert "Je weet al lang dat je" in text                      # who it is for
    for module in course.active_modules:                          # the steps
        assert module.title in text
    assert "8 uur" in text                                        # the study load
    assert "Je eigen werkboek" in text                            # what you take home
    assert "/cursussen/welzijn-2-0" in text                       # how to start


def test_public_course_page_offers_registration_and_the_organisation_route(client, app):
    load_default_course()
    page = client.get("/cursussen/welzijn-2-0")
    assert page.status_code == 200
    assert "/registreren" in page.text and "/inloggen" in page.text
    assert "/cursussen/welzijn-2-0/in-company" in page.text
    assert "Welzijn 2.0: van magie naar strategie" in page.text


def test_unknown_or_retired_course_is_404(client, app):
    course = factories.make_course(slug="weg")
    course.is_active = False
    db.session.commit()
    assert client.get("/cursussen/weg").status_code == 404
    assert client.get("/cursussen/bestaat-niet").status_code == 404


def test_home_page_shows_courses_to_visitors_and_own_work_to_learners(client, app, login_as, learner):
    course = factories.make_course(title="Testcursus Thuis")
    anonymous = client.get("/")
    assert "Testcursus Thuis" in anonymous.text and "/cursussen" in anonymous.text
    factories.make_enrolment(learner, course)
    home = login_as(learner).get("/")
    assert f"/mijn-leren/{course.slug}/module-1" in home.text      # continue where you left off
    assert "Testcursus Thuis" in home.text


def test_learner_enrols_in_an_open_course_once(app, login_as, learner):
    course = factories.make_course(open_enrolment=True)
    client = login_as(learner)
    first = client.post(f"/cursussen/{course.slug}/inschrijven")
    second = client.post(f"/cursussen/{course.slug}/inschrijven")
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"].endswith(f"/mijn-leren/{course.slug}")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 1
    assert db.session.scalar(sa.select(ProgressEvent.kind)) == EventKind.ENROLLED


def test_a_closed_course_cannot_be_self_enrolled(app, login_as, learner):
    course = factories.make_course(open_enrolment=False)
    response = login_as(learner).post(f"/cursussen/{course.slug}/inschrijven")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 0


def test_my_learning_lists_courses_with_progress_and_next_step(app, login_as, learner):
    course = factories.make_course(title="Mijn cursus")
    factories.make_enrolment(learner, course)
    page = login_as(learner).get("/mijn-leren")
    assert "Mijn cursus" in page.text
    assert '<span class="progress__text">0%</span>' in page.text and "0% afgerond" in page.text
    assert "Begin met de cursus" in page.text and "Ga verder waar je was" not in page.text   # nothing done yet
    assert f'href="/mijn-leren/{course.slug}/module-1"' in page.text


def test_course_overview_marks_each_module_for_reading_quiz_and_assignment(app, login_as, learner):
    course = factories.make_course(modules=2)
    factories.make_enrolment(learner, course)
    page = login_as(learner).get(f"/mijn-leren/{course.slug}")
    assert page.text.count("Nog niet gelezen") == 2
    assert page.text.count("Quiz nog niet gehaald") == 2
    assert page.text.count("Opdracht nog niet begonnen") == 2


def test_a_locked_module_says_why_and_what_to_do_first(app, login_as, learner):
    course = factories.make_course(modules=2, sequential=True)
    factories.make_enrolment(learner, course)
    client = login_as(learner)
    page = client.get(f"/mijn-leren/{course.slug}/module-2")
    assert page.status_code == 200
    assert "nog op slot" in page.text
    assert "Module 1" in page.text and f"/mijn-leren/{course.slug}/module-1" in page.text
    assert "Lezen 2" not in page.text                             # the content stays hidden
    assert client.get(f"/mijn-leren/{course.slug}/module-2/quiz").status_code == 302
    assert client.post(f"/mijn-leren/{course.slug}/module-2/gelezen").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgressEvent)) == 0


def test_a_non_sequential_course_has_no_locks(app, login_as, learner):
    course = factories.make_course(modules=2, sequential=False)
    factories.make_enrolment(learner, course)
    page = login_as(learner).get(f"/mijn-leren/{course.slug}/module-2")
    assert "Lezen 2" in page.text


def test_marking_as_read_records_an_event_once(app, login_as, learner):
    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    client = login_as(learner)
    client.post(f"/mijn-leren/{course.slug}/module-1/gelezen")
    client.post(f"/mijn-leren/{course.slug}/module-1/gelezen")
    kinds = db.session.scalars(sa.select(ProgressEvent.kind)).all()
    assert kinds == [EventKind.READING_DONE]
    db.session.refresh(enrolment)
    assert enrolment.started_at is not None
    assert "Je hebt dit gelezen" in client.get(f"/mijn-leren/{course.slug}/module-1").text


def test_module_page_shows_the_reading_with_images_through_the_media_route(app, login_as, learner):
    from course.content.loader import load_content
    from tests.factories_learn import SECOND_COURSE

    load_content(SECOND_COURSE)
    from course.models import Course

    course = db.session.scalar(sa.select(Course).where(Course.slug == "feedback-geven"))
    factories.make_enrolment(learner, course)
    client = login_as(learner)
    page = client.get("/mijn-leren/feedback-geven/goed-luisteren")
    assert 'src="/cursussen/feedback-geven/media/goed-luisteren/luisteren.svg"' in page.text
    image = client.get("/cursussen/feedback-geven/media/goed-luisteren/luisteren.svg")
    assert image.status_code == 200 and image.mimetype == "image/svg+xml"
    image.close()
    for bad in ("reading.md", "..%2Fcourse.yml", "bestaat-niet.svg"):
        response = client.get(f"/cursussen/feedback-geven/media/goed-luisteren/{bad}")
        response.close()
        assert response.status_code == 404, bad


def test_another_learners_course_and_modules_are_404(app, login_as, learner):
    course = factories.make_course()
    other = factories.make_user()
    factories.make_enrolment(other, course)
    client = login_as(learner)
    for url in (f"/mijn-leren/{course.slug}", f"/mijn-leren/{course.slug}/module-1",
                f"/mijn-leren/{course.slug}/module-1/quiz", f"/mijn-leren/{course.slug}/module-1/opdracht"):
        assert client.get(url).status_code == 404, url


def test_a_retired_module_is_404_and_does_not_count_for_progress(app, login_as, learner):
    from course.learn.queries.progress import course_state

    course = factories.make_course(modules=2, sequential=False)
    enrolment = factories.make_enrolment(learner, course)
    course.modules[1].is_active = False
    db.session.commit()
    client = login_as(learner)
    assert client.get(f"/mijn-leren/{course.slug}/module-2").status_code == 404
    client.post(f"/mijn-leren/{course.slug}/module-1/gelezen")
    state = course_state(db.session.get(Enrolment, enrolment.id))
    assert [s.module.slug for s in state.modules] == ["module-1"]
    assert state.percent == 33                                   # 1 of 3 parts of the one module


def _enrol_in_courses(learner, n, modules=3):
    for _ in range(n):
        factories.make_enrolment(learner, factories.make_course(modules=modules))


def test_my_learning_uses_the_same_number_of_queries_for_1_or_5_courses(app, login_as, learner):
    client = login_as(learner)
    _enrol_in_courses(learner, 1)
    with count_queries() as one:
        client.get("/mijn-leren")
    _enrol_in_courses(learner, 4)
    with count_queries() as five:
        page = client.get("/mijn-leren")
    assert page.text.count('<div class="progress progress--course"') == 5
    assert 0 < one.count == five.count <= 8, (one.count, five.count)


def test_course_overview_uses_the_same_number_of_queries_for_1_or_8_modules(app, login_as, learner):
    small = factories.make_course(modules=1)
    large = factories.make_course(modules=8)
    factories.make_enrolment(learner, small)
    factories.make_enrolment(learner, large)
    client = login_as(learner)
    with count_queries() as one:
        client.get(f"/mijn-leren/{small.slug}")
    with count_queries() as eight:
        client.get(f"/mijn-leren/{large.slug}")
    assert 0 < one.count == eight.count <= 10, (one.count, eight.count)


def test_catalogue_and_home_use_a_fixed_number_of_queries(app, client):
    factories.make_course(modules=2)
    with count_queries() as one:
        client.get("/cursussen")
    for _ in range(4):
        factories.make_course(modules=5)
    with count_queries() as five:
        client.get("/cursussen")
    assert 0 < one.count == five.count <= 4, (one.count, five.count)


def test_after_marking_the_introduction_read_the_quiz_anchor_leads_to_the_quiz_section(app, login_as, learner):
    """The introduction's reading has a heading "Quiz"; the redirect to #quiz must land on
    the quiz part of the page, which is the only element with that id."""
    import re

    course = load_default_course()
    factories.make_enrolment(learner, course)
    client = login_as(learner)
    response = client.post(f"/mijn-leren/{course.slug}/introductie/gelezen")
    assert response.headers["Location"].endswith("/introductie#quiz")
    page = client.get(f"/mijn-leren/{course.slug}/introductie").text
    assert re.findall(r'id="quiz"', page) == ['id="quiz"']
    assert '<section id="quiz" class="module-part"' in page
    assert '<a href="#quiz-1">Quiz</a>' in page                   # the reading's own heading, in its contents


def test_the_media_route_does_not_follow_a_link_out_of_the_module_folder(app, client, tmp_path):
    import shutil

    from course.content.loader import load_content
    from tests.factories_learn import SECOND_COURSE

    course_folder = tmp_path / "feedback-geven"
    shutil.copytree(SECOND_COURSE, course_folder)
    load_content(course_folder)
    secret = tmp_path / "geheim.svg"
    secret.write_text("<svg>geheim</svg>")
    (course_folder / "goed-luisteren" / "link.svg").symlink_to(secret)
    ok = client.get("/cursussen/feedback-geven/media/goed-luisteren/luisteren.svg")
    ok.close()
    assert ok.status_code == 200
    response = client.get("/cursussen/feedback-geven/media/goed-luisteren/link.svg")
    response.close()
    assert response.status_code == 404


def test_the_catalogue_promises_quizzes_and_assignments_only_where_the_course_has_them(client, app):
    from course.content.loader import load_content
    from tests.factories_learn import SECOND_COURSE

    load_default_course()
    load_content(SECOND_COURSE)                 # its second module has no assignment
    default = client.get("/cursussen/welzijn-2-0").text
    second = client.get("/cursussen/feedback-geven").text
    promise = "Elke stap heeft een leestekst, een korte quiz en een opdracht"
    assert promise in default
    assert promise not in second
    assert "Je leest, test jezelf met korte quizzen en schrijft opdrachten" in second
    catalogue = client.get("/cursussen").text
    assert catalogue.count("Voor wie is het?") == 2
    assert 'aria-labelledby="audience-' not in catalogue   # two regions with one name would be ambiguous


def test_course_text_is_marked_with_the_course_language_on_english_pages(app, login_as, learner):
    course = load_default_course()
    factories.make_enrolment(learner, course)
    learner.locale = "en"
    db.session.commit()
    client = login_as(learner)
    page = client.get(f"/mijn-leren/{course.slug}/introductie").text
    assert "I have read this" in page
    assert '<div class="prose reading" lang="nl">' in page
