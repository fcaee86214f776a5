"""The editor's services: drafts, saves with an optimistic version check, publishing
through the rules of `flask content load`, roll back, and the versions a load records."""
import shutil

import pytest
import sqlalchemy as sa

from course.authoring import folder, publishing, queries, services
from course.content.loader import load_content
from course.content.spec import read_content
from course.extensions import db
from course.models import AuditEvent, Course, CourseModule, CourseVersion, ModuleProgress, QuizAttempt, utcnow
from tests import factories
from tests.factories_learn import SECOND_COURSE

SLUG = "feedback-geven"


@pytest.fixture
def loaded(app, tmp_path):
    """The second fixture course, loaded from a folder as `flask content load` does."""
    root = tmp_path / "modules"
    shutil.copytree(SECOND_COURSE, root / SLUG)
    load_content(root)
    publishing.record_loaded_versions(root)
    return root / SLUG


@pytest.fixture
def author(app):
    return factories.make_user(role="admin", name="Auteur Admin")


def _course():
    return db.session.scalar(sa.select(Course).where(Course.slug == SLUG))


def _reading(draft, module="goed-luisteren"):
    return queries.draft_file(draft, f"{module}/reading.md")


def test_a_load_records_version_one_with_the_hash_of_the_files(loaded):
    version = queries.latest_version(SLUG)
    assert version.number == 1 and version.source == "load"
    assert version.content_hash == read_content(loaded).courses[0].content_version == _course().content_version
    assert publishing.record_loaded_versions(loaded.parent) == []  # same files: no new version


def test_the_draft_starts_as_the_published_files_and_checks_clean(loaded, author):
    draft = services.ensure_draft(SLUG, _course(), author)
    files = queries.draft_files(draft)
    assert files == queries.version_files(queries.latest_version(SLUG))
    assert folder.check_files(SLUG, files).ok


def test_publishing_an_edit_keeps_slugs_progress_and_old_attempt_hashes(loaded, author):
    course = _course()
    module = db.session.scalar(sa.select(CourseModule).where(CourseModule.course_id == course.id,
                                                             CourseModule.slug == "goed-luisteren"))
    enrolment = factories.make_enrolment(factories.make_user(), course)
    db.session.add(ModuleProgress(enrolment_id=enrolment.id, module_id=module.id, read_at=utcnow()))
    db.session.add(QuizAttempt(enrolment_id=enrolment.id, module_id=module.id, number=1, score=1, max_score=2,
                               passed=False, answers={}, results={}, content_version=module.content_version))
    db.session.commit()
    old_hash = module.content_version
    draft = services.ensure_draft(SLUG, course, author)
    reading = _reading(draft)
    text = reading.text.replace("---\n", "---\n", 1) + "\nEen nieuwe alinea van de auteur.\n"
    services.save_files(draft, [(reading.path, text.encode(), reading.lock_version)], author)

    version = publishing.publish(draft, author, note="Alinea erbij")
    assert version.number == 2 and version.published_by_id == author.id
    module = db.session.get(CourseModule, module.id)
    assert "Een nieuwe alinea van de auteur." in module.reading_html
    assert module.content_version != old_hash and _course().content_version == version.content_hash
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ModuleProgress)) == 1
    assert db.session.scalar(sa.select(QuizAttempt.content_version)) == old_hash
    assert _course().source_path == ""  # served from the database, not a temporary folder
    assert db.session.scalar(sa.select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "course.published"


def test_a_second_save_on_an_old_version_is_refused_and_nothing_changes(loaded, author):
    other = factories.make_user(role="admin")
    draft = services.ensure_draft(SLUG, _course(), author)
    reading = _reading(draft)
    lock, text = reading.lock_version, reading.text
    services.save_files(draft, [(reading.path, (text + "\nEerste.\n").encode(), lock)], author)
    with pytest.raises(services.EditConflict) as refused:
        services.save_files(draft, [(reading.path, (text + "\nTweede.\n").encode(), lock)], other)
    assert refused.value.paths == [reading.path]
    assert "Eerste." in _reading(draft).text and "Tweede." not in _reading(draft).text


def test_an_invalid_draft_is_not_published_and_the_site_keeps_its_content(loaded, author):
    draft = services.ensure_draft(SLUG, _course(), author)
    reading = _reading(draft)
    services.save_files(draft, [(reading.path, b"geen front matter", reading.lock_version)], author)
    before = _course().content_version
    with pytest.raises(services.DraftInvalid) as refused:
        publishing.publish(draft, author)
    assert [p.path for p in refused.value.check.problems] == ["goed-luisteren/reading.md"]
    assert _course().content_version == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CourseVersion)) == 1


def test_roll_back_publishes_the_earlier_files_again_as_a_new_version(loaded, author):
    draft = services.ensure_draft(SLUG, _course(), author)
    reading = _reading(draft)
    services.save_files(draft, [(reading.path, reading.text.replace("title:", "title: Nieuw", 1).encode(),
                                 reading.lock_version)], author)
    publishing.publish(draft, author)
    first = queries.version_by_number(SLUG, 1)
    version = publishing.roll_back(SLUG, 1, author)
    assert version.number == 3 and version.restored_number == 1 and version.source == "rollback"
    assert version.content_hash == first.content_hash == _course().content_version
    assert queries.draft_files(queries.draft_of(SLUG)) == queries.version_files(first)


def test_a_module_with_learner_data_cannot_be_dropped_by_publishing(loaded, author):
    course = _course()
    module = db.session.scalar(sa.select(CourseModule).where(CourseModule.course_id == course.id,
                                                             CourseModule.slug == "feedback-in-de-praktijk"))
    enrolment = factories.make_enrolment(factories.make_user(), course)
    db.session.add(ModuleProgress(enrolment_id=enrolment.id, module_id=module.id, read_at=utcnow()))
    db.session.commit()
    draft = services.ensure_draft(SLUG, course, author)
    course_file = queries.draft_file(draft, "course.yml")
    data = folder.course_yml({"course.yml": course_file.data})
    data["modules"] = [m for m in data["modules"] if m != "feedback-in-de-praktijk"]
    services.save_files(draft, [("course.yml", folder.dump_yaml(data).encode(), course_file.lock_version)], author)
    with pytest.raises(services.DraftInvalid) as refused:
        publishing.publish(draft, author)
    assert "feedback-in-de-praktijk" in refused.value.check.problems[0].message
    assert db.session.get(CourseModule, module.id).is_active


def test_flask_content_load_records_a_version_once(app, tmp_path):
    root = tmp_path / "modules"
    shutil.copytree(SECOND_COURSE, root / SLUG)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["content", "load", str(root)])
    assert result.exit_code == 0, result.output
    assert f"Recorded published version 1 of {SLUG}." in result.output
    again = runner.invoke(args=["content", "load", str(root)])
    assert "Recorded published version" not in again.output
    assert [v.number for v in queries.history(SLUG)] == [1]


def test_upload_and_roll_back_are_in_the_audit_log(loaded, author):
    draft = services.ensure_draft(SLUG, _course(), author)
    services.upload_zip(draft, folder.to_zip(SLUG, queries.draft_files(draft)), author)
    publishing.roll_back(SLUG, 1, author)
    actions = list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["course.uploaded", "course.rolled_back"]


def _publish_an_edit(author) -> None:
    draft = services.ensure_draft(SLUG, _course(), author)
    reading = _reading(draft)
    services.save_files(draft, [(reading.path, reading.text.encode() + b"\nDoor de auteur geschreven.\n",
                                 reading.lock_version)], author)
    publishing.publish(draft, author)


def _reading_html() -> str:
    return db.session.scalar(sa.select(CourseModule.reading_html).join(Course)
                             .where(Course.slug == SLUG, CourseModule.slug == "goed-luisteren"))


def test_make_run_reloading_the_seed_keeps_what_the_author_published(app, tmp_path, author):
    root = tmp_path / "modules"
    shutil.copytree(SECOND_COURSE, root / SLUG)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["content", "load", "--keep-editor-changes", str(root)]).exit_code == 0
    _publish_an_edit(author)

    kept = runner.invoke(args=["content", "load", "--keep-editor-changes", str(root)])
    assert kept.exit_code == 0, kept.output
    assert f"Kept {SLUG} as published in the editor" in kept.output
    assert "Door de auteur geschreven." in _reading_html()

    # Files that changed win, as a new version; the author's version stays in history.
    reading = root / SLUG / "goed-luisteren" / "reading.md"
    reading.write_text(reading.read_text() + "\nNieuw in de bestanden.\n")
    changed = runner.invoke(args=["content", "load", "--keep-editor-changes", str(root)])
    assert changed.exit_code == 0 and "Kept" not in changed.output
    db.session.expire_all()
    assert "Nieuw in de bestanden." in _reading_html() and "Door de auteur geschreven." not in _reading_html()
    assert [v.source for v in queries.history(SLUG)] == ["load", "editor", "load"]  # newest first


def test_a_plain_load_still_loads_the_files(app, tmp_path, author):
    root = tmp_path / "modules"
    shutil.copytree(SECOND_COURSE, root / SLUG)
    runner = app.test_cli_runner()
    runner.invoke(args=["content", "load", str(root)])
    _publish_an_edit(author)
    assert runner.invoke(args=["content", "load", str(root)]).exit_code == 0
    db.session.expire_all()
    assert "Door de auteur geschreven." not in _reading_html()
