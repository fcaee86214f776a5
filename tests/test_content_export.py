"""`flask content export`: the course from the database, in the folder format; loading
the export gives the same content version (a round trip changes nothing)."""
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from course.content import files as canonical
from course.content.export import ExportError, export_course
from course.content.loader import load_content
from course.content.spec import read_content
from course.extensions import db
from course.models import Course, CourseModule
from tests.factories_learn import DEFAULT_CONTENT, FIXTURES

VALID = sorted(p for p in (FIXTURES / "valid").iterdir() if p.is_dir())
COURSES = [DEFAULT_CONTENT / "welzijn-2-0", *VALID]


def _course(slug):
    return db.session.scalar(sa.select(Course).where(Course.slug == slug))


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _snapshot(course: Course) -> dict:
    """Everything a learner or trainer sees of the course, as stored."""
    modules = db.session.scalars(sa.select(CourseModule).where(CourseModule.course_id == course.id)
                                 .order_by(CourseModule.position)).all()
    columns = [c.key for c in Course.__table__.columns if c.key not in ("id", "source_path", "loaded_at",
                                                                        "created_at")]
    module_columns = [c.key for c in CourseModule.__table__.columns if c.key not in ("id", "course_id")]
    return {"course": {c: getattr(course, c) for c in columns},
            "modules": [{c: getattr(m, c) for c in module_columns} for m in modules]}


@pytest.mark.parametrize("source", COURSES, ids=lambda p: p.name)
def test_export_then_load_gives_the_same_content_version_and_the_same_content(app, tmp_path, source):
    load_content(source)
    course = _course(source.name)
    version, before = course.content_version, _snapshot(course)
    folder = export_course(source.name, tmp_path / "export")
    assert folder == tmp_path / "export" / source.name
    assert canonical.content_hash(_tree(folder)) == version     # the version is the hash of these very files

    result = load_content(folder)
    assert result.courses == [source.name] and result.created_modules == 0
    db.session.expire_all()
    course = _course(source.name)
    assert course.content_version == version
    assert course.source_path == str(folder.resolve())
    assert _snapshot(course) == before


@pytest.mark.parametrize("source", COURSES, ids=lambda p: p.name)
def test_exporting_an_export_writes_the_same_bytes(app, tmp_path, source):
    load_content(source)
    first = export_course(source.name, tmp_path / "one")
    load_content(first)
    second = export_course(source.name, tmp_path / "two")
    assert _tree(first) == _tree(second)
    assert set(_tree(first)) >= {"course.yml", *(f"{m.slug}/reading.md" for m in
                                                 read_content(source).courses[0].modules)}


def test_the_export_keeps_the_images_and_every_course_yml_key(app, tmp_path):
    source = FIXTURES / "valid" / "feedback-geven"
    load_content(source)
    folder = export_course("feedback-geven", tmp_path)
    images = sorted(p.relative_to(source).as_posix() for p in source.rglob("*.svg"))
    assert images and all((folder / name).read_bytes() == (source / name).read_bytes() for name in images)
    exported = read_content(folder).courses[0]
    assert exported.file == read_content(source).courses[0].file


def test_the_version_ignores_comments_but_not_texts(tmp_path):
    course = tmp_path / "feedback-geven"
    shutil.copytree(FIXTURES / "valid" / "feedback-geven", course)
    version = read_content(course).courses[0].content_version
    quiz = next(course.rglob("quiz.yml"))
    quiz.write_text("# een opmerking voor de auteur\n" + quiz.read_text())
    assert read_content(course).courses[0].content_version == version
    quiz.write_text(quiz.read_text().replace("text:", "text: Nieuw:", 1))
    assert read_content(course).courses[0].content_version != version


def test_the_export_command_writes_the_folder_and_refuses_to_overwrite(app, tmp_path):
    load_content(DEFAULT_CONTENT)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["content", "export", "welzijn-2-0", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"Exported welzijn-2-0 to {tmp_path / 'welzijn-2-0'}" in result.output
    again = runner.invoke(args=["content", "export", "welzijn-2-0", str(tmp_path)])
    assert again.exit_code == 1 and "already exists and is not empty" in again.output
    unknown = runner.invoke(args=["content", "export", "bestaat-niet", str(tmp_path / "x")])
    assert unknown.exit_code == 1 and "no course 'bestaat-niet'" in unknown.output
    check = runner.invoke(args=["content", "check", str(tmp_path)])
    assert check.exit_code == 0 and "Content OK: 1 course(s), 5 module(s)." in check.output


def test_a_course_loaded_before_the_sources_were_kept_is_not_exported_half(app, tmp_path):
    load_content(DEFAULT_CONTENT)
    _course("welzijn-2-0").course_file = None
    db.session.commit()
    with pytest.raises(ExportError, match="run `flask content load` once"):
        export_course("welzijn-2-0", tmp_path)
    assert not (tmp_path / "welzijn-2-0").exists()


def test_a_course_whose_folder_is_gone_exports_its_images_from_the_database(app, tmp_path):
    """Another app server, or a course built in the browser editor: no folder on this disk."""
    from course.authoring.publishing import record_loaded_versions

    source = tmp_path / "modules" / "feedback-geven"
    shutil.copytree(FIXTURES / "valid" / "feedback-geven", source)
    load_content(source.parent)
    record_loaded_versions(source.parent)
    image = source / "goed-luisteren" / "luisteren.svg"
    expected = image.read_bytes()
    shutil.rmtree(source)
    folder = export_course("feedback-geven", tmp_path / "export")
    assert (folder / "goed-luisteren" / "luisteren.svg").read_bytes() == expected
    assert canonical.content_hash(_tree(folder)) == _course("feedback-geven").content_version
