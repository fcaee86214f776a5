"""`flask content export`: a course from the database, written in the folder format.

The files are the canonical form (files.py) of what was loaded, so loading the exported
folder gives the same content version as the folder it was loaded from.
"""
import tempfile
from pathlib import Path

import sqlalchemy as sa

from course.extensions import db
from course.models import Course, CourseModule, VersionFile

from . import files as canonical
from .model import CourseSpec, ModuleSpec, Reading
from .published import live_version_id


class ExportError(Exception):
    """The course cannot be exported (the message says why)."""


def module_spec(module: CourseModule) -> ModuleSpec:
    """A stored module as the typed model."""
    reading = Reading(module.title, module.minutes, list(module.remember or []), module.reading_md or "",
                      module.reading_html, list(module.reading_toc or []))
    return ModuleSpec(module.slug, module.position, reading, module.quiz_spec, module.assignment_spec,
                      list(module.media or []), module.content_version)


def course_spec(course: Course) -> CourseSpec:
    """A stored course as the typed model (its active modules, in order)."""
    modules = sorted((m for m in course.modules if m.is_active), key=lambda m: m.position)
    return CourseSpec(slug=course.slug, source_path=course.source_path, settings={}, file=course.course_file or {},
                      modules=[module_spec(m) for m in modules], retired=list((course.course_file or {})
                                                                              .get("retired") or []),
                      content_version=course.content_version)


def _published_files(course: Course) -> dict[str, bytes] | None:
    """The stored files of the published version that is live now (every app server
    has them, also for a course built in the browser editor, which has no folder)."""
    version_id = live_version_id(course)
    if version_id is None:
        return None
    return dict(db.session.execute(sa.select(VersionFile.path, VersionFile.data)
                                   .where(VersionFile.version_id == version_id)).all())


def course_files(course: Course) -> dict[str, bytes]:
    """{path inside the course folder: bytes}: the canonical text files, with the images
    of the published version stored in the database (every app server has them, also for
    a course built in the browser editor), else from the folder the course was loaded
    from. Raises ExportError when the files would not be the loaded version."""
    if not course.course_file:
        raise ExportError(f"course '{course.slug}' was loaded before its sources were kept: "
                          "run `flask content load` once, then export")
    stored = _published_files(course)
    with tempfile.TemporaryDirectory() as scratch:
        media_root = Path(course.source_path)
        if stored is not None:
            media_root = Path(scratch)
            canonical.write_files(media_root, stored)
        try:
            files = canonical.course_files(course_spec(course), media_root)
        except OSError as error:
            raise ExportError(f"an image of course '{course.slug}' cannot be read from {media_root}: "
                              f"{error.strerror}") from error
    if canonical.content_hash(files) != course.content_version:
        raise ExportError(f"course '{course.slug}' does not match its content version "
                          "(its images changed on disk, or it was loaded by an older version): "
                          "run `flask content load` once, then export")
    return files


def export_course(slug: str, target: Path) -> Path:
    """Write course `slug` to `target/<slug>/`, which must not exist or be empty.
    Returns the course folder."""
    course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    if course is None:
        raise ExportError(f"no course '{slug}'")
    files = course_files(course)
    folder = Path(target) / course.slug
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ExportError(f"{folder} already exists and is not empty: choose another folder")
    folder.mkdir(parents=True, exist_ok=True)
    canonical.write_files(folder, files)
    return folder
