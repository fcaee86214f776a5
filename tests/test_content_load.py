"""`flask content load`: all or nothing, keyed by slugs, never losing learner data."""
import shutil

import pytest
import sqlalchemy as sa

from course.content.loader import ContentInvalid, load_content
from course.extensions import db
from course.models import Course, CourseModule, ModuleProgress, utcnow
from tests import factories
from tests.factories_learn import DEFAULT_CONTENT, FIXTURES, SECOND_COURSE


@pytest.fixture
def content(tmp_path):
    """A writable copy of the second course, in its own content folder."""
    root = tmp_path / "modules"
    shutil.copytree(SECOND_COURSE, root / "feedback-geven")
    return root


def _course(slug="feedback-geven"):
    return db.session.scalar(sa.select(Course).where(Course.slug == slug))


def _module(course, slug):
    return db.session.scalar(sa.select(CourseModule).where(CourseModule.course_id == course.id,
                                                           CourseModule.slug == slug))


def _start(course, module_slug="goed-luisteren"):
    learner = factories.make_user()
    enrolment = factories.make_enrolment(learner, course)
    module = _module(course, module_slug)
    db.session.add(ModuleProgress(enrolment_id=enrolment.id, module_id=module.id, read_at=utcnow()))
    db.session.commit()
    return enrolment, module


def test_loading_creates_the_course_and_its_modules_in_order(app, content):
    result = load_content(content)
    course = _course()
    assert result.courses == ["feedback-geven"]
    assert course.title == "Feedback geven in het sociaal werk"
    assert [m.slug for m in course.modules] == ["goed-luisteren", "feedback-in-de-praktijk"]
    assert course.quiz_max_attempts == 2 and course.feedback_days == 3 and course.pass_mark == 50
    assert len(course.content_version) == 64
    assert course.modules[1].assignment is None and course.modules[1].quiz["pass_mark"] == 100


def test_loading_twice_changes_nothing(app, content):
    load_content(content)
    first = _course().content_version
    result = load_content(content)
    assert result.created_modules == 0 and result.updated_modules == 2
    assert _course().content_version == first
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CourseModule)) == 2


def test_editing_text_updates_the_content_and_keeps_everyones_progress(app, content):
    load_content(content)
    enrolment, module = _start(_course())
    old_version = module.content_version
    reading = content / "feedback-geven" / "goed-luisteren" / "reading.md"
    reading.write_text(reading.read_text().replace("betere feedback", "veel betere feedback"))
    load_content(content)
    db.session.expire_all()
    module = _module(_course(), "goed-luisteren")
    assert "veel betere feedback" in module.reading_html
    assert module.content_version != old_version
    progress = db.session.scalar(sa.select(ModuleProgress).where(ModuleProgress.enrolment_id == enrolment.id))
    assert progress.read_at is not None and progress.module_id == module.id


def test_reordering_modules_keeps_progress_on_the_same_module(app, content):
    load_content(content)
    _enrolment, module = _start(_course())
    manifest = content / "feedback-geven" / "course.yml"
    manifest.write_text(manifest.read_text().replace(
        "  - goed-luisteren\n  - feedback-in-de-praktijk\n", "  - feedback-in-de-praktijk\n  - goed-luisteren\n"))
    load_content(content)
    db.session.expire_all()
    assert [m.slug for m in _course().modules] == ["feedback-in-de-praktijk", "goed-luisteren"]
    assert db.session.scalar(sa.select(ModuleProgress.module_id)) == module.id


def test_removing_a_module_with_learner_data_is_refused_with_a_clear_message(app, content):
    load_content(content)
    _start(_course())
    manifest = content / "feedback-geven" / "course.yml"
    manifest.write_text(manifest.read_text().replace("  - goed-luisteren\n", ""))
    with pytest.raises(ContentInvalid) as error:
        load_content(content)
    assert [p.message for p in error.value.problems] == [
        "module 'goed-luisteren' has learner data but is no longer listed under 'modules'; "
        "put it back, or list it under 'retired:' to keep its data and hide it"]
    db.session.expire_all()
    assert _module(_course(), "goed-luisteren").is_active


def test_a_retired_module_is_kept_but_hidden(app, content):
    load_content(content)
    enrolment, module = _start(_course())
    manifest = content / "feedback-geven" / "course.yml"
    manifest.write_text(manifest.read_text().replace("  - goed-luisteren\n", "") + "retired:\n  - goed-luisteren\n")
    shutil.rmtree(content / "feedback-geven" / "goed-luisteren")
    result = load_content(content)
    db.session.expire_all()
    assert result.retired_modules == ["feedback-geven/goed-luisteren"]
    assert not _module(_course(), "goed-luisteren").is_active
    assert [m.slug for m in _course().active_modules] == ["feedback-in-de-praktijk"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ModuleProgress)) == 1


def test_a_module_without_learner_data_may_simply_be_removed(app, content):
    load_content(content)
    manifest = content / "feedback-geven" / "course.yml"
    manifest.write_text(manifest.read_text().replace("  - feedback-in-de-praktijk\n", ""))
    load_content(content)
    db.session.expire_all()
    assert [m.slug for m in _course().active_modules] == ["goed-luisteren"]


def test_a_failed_load_changes_nothing_and_the_site_keeps_the_last_good_content(app, content, client):
    load_content(content)
    manifest = content / "feedback-geven" / "course.yml"
    manifest.write_text(manifest.read_text().replace('title: "Feedback geven in het sociaal werk"',
                                                     'title: "Nieuwe titel"') + "  - bestaat-niet\n")
    with pytest.raises(ContentInvalid):
        load_content(content)
    db.session.expire_all()
    assert _course().title == "Feedback geven in het sociaal werk"
    page = client.get("/cursussen/feedback-geven")
    assert page.status_code == 200 and "Feedback geven in het sociaal werk" in page.text


def test_one_broken_course_stops_the_whole_load(app, content):
    shutil.copytree(FIXTURES / "broken" / "no-correct-answer" / "kapot", content / "kapot")
    with pytest.raises(ContentInvalid):
        load_content(content)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Course)) == 0


def test_the_default_course_and_the_second_course_load_side_by_side(app):
    load_content(DEFAULT_CONTENT)
    load_content(SECOND_COURSE)
    courses = db.session.scalars(sa.select(Course).where(Course.is_active.is_(True)).order_by(Course.slug)).all()
    assert [c.slug for c in courses] == ["feedback-geven", "welzijn-2-0"]
    assert len(courses[1].modules) == 5


def test_a_removed_course_folder_retires_the_course_without_deleting_it(app, content):
    shutil.copytree(FIXTURES / "valid" / "feedback-geven", content / "tweede-kopie")
    load_content(content)
    shutil.rmtree(content / "tweede-kopie")
    result = load_content(content)
    assert result.retired_courses == ["tweede-kopie"]
    assert _course("tweede-kopie").is_active is False


def test_load_command_reports_problems_and_exits_non_zero(app):
    result = app.test_cli_runner().invoke(args=["content", "load", str(FIXTURES / "broken" / "duplicate-slug")])
    assert result.exit_code != 0
    assert "duplicate id 'vraag-1' (also on line 2)" in result.output
    assert "nothing was loaded" in result.output


def test_load_command_loads_the_default_content(app):
    result = app.test_cli_runner().invoke(args=["content", "load"])
    assert result.exit_code == 0, result.output
    assert "Loaded 1 course(s): welzijn-2-0 (5 new module(s), 0 updated)." in result.output
