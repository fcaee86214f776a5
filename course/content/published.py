"""The published version a course shows now, read from the database: the newest stored
version whose content hash the course has (every app server has its files, also for a
course built in the browser editor, which has no folder on disk)."""
import sqlalchemy as sa

from course.extensions import db
from course.models import Course, CourseVersion, VersionFile


def live_version(course: Course) -> sa.Select:
    """The id of the live version, as a query to run or to nest."""
    return (sa.select(CourseVersion.id)
            .where(CourseVersion.course_slug == course.slug, CourseVersion.content_hash == course.content_version)
            .order_by(CourseVersion.number.desc()).limit(1))


def live_version_id(course: Course) -> int | None:
    return db.session.scalar(live_version(course))


def published_file(course: Course, path: str) -> bytes | None:
    """One file of the live version (`module/picture.png`, `cover.jpg`), or None. One query."""
    return db.session.scalar(sa.select(VersionFile.data).where(
        VersionFile.version_id == live_version(course).scalar_subquery(), VersionFile.path == path))
