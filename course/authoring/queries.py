"""The editor's read side: drafts, versions and their files, the courses a user authors,
images of the published content (served from the database on every app server), a
reading's preview and which modules learners have worked on."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from course import permissions
from course.content.published import published_file
from course.content.spec import IMAGE_TYPES, SLUG
from course.extensions import db
from course.models import (
    Course,
    CourseDraft,
    CourseModule,
    CourseVersion,
    DraftFile,
    ModuleProgress,
    ProgressEvent,
    QuizAttempt,
    Submission,
    User,
    VersionFile,
    VersionSource,
)

from .folder import write_folder


def course_by_slug(slug: str) -> Course | None:
    return db.session.scalar(sa.select(Course).where(Course.slug == slug))


def draft_of(slug: str) -> CourseDraft | None:
    return db.session.scalar(sa.select(CourseDraft).where(CourseDraft.course_slug == slug))


def draft_files(draft: CourseDraft) -> dict[str, bytes]:
    rows = db.session.execute(sa.select(DraftFile.path, DraftFile.data).where(DraftFile.draft_id == draft.id))
    return {path: data for path, data in rows}


def draft_locks(draft: CourseDraft) -> dict[str, int]:
    rows = db.session.execute(sa.select(DraftFile.path, DraftFile.lock_version)
                              .where(DraftFile.draft_id == draft.id))
    return {path: lock for path, lock in rows}


def draft_file(draft: CourseDraft, path: str) -> DraftFile | None:
    return db.session.scalar(sa.select(DraftFile).where(DraftFile.draft_id == draft.id, DraftFile.path == path))


def latest_version(slug: str) -> CourseVersion | None:
    return db.session.scalar(sa.select(CourseVersion).where(CourseVersion.course_slug == slug)
                             .order_by(CourseVersion.number.desc()).limit(1))


def version_by_number(slug: str, number: int) -> CourseVersion | None:
    if not 0 < number < 2**31:
        return None
    return db.session.scalar(sa.select(CourseVersion).where(CourseVersion.course_slug == slug,
                                                            CourseVersion.number == number))


def version_files(version: CourseVersion) -> dict[str, bytes]:
    rows = db.session.execute(sa.select(VersionFile.path, VersionFile.data)
                              .where(VersionFile.version_id == version.id))
    return {path: data for path, data in rows}


def history(slug: str) -> list[CourseVersion]:
    """Every published version, newest first, with who published it (one query each)."""
    return list(db.session.scalars(
        sa.select(CourseVersion).where(CourseVersion.course_slug == slug)
        .options(selectinload(CourseVersion.published_by)).order_by(CourseVersion.number.desc())))


@dataclass
class AuthoredCourse:
    slug: str
    title: str
    course: Course | None
    draft: CourseDraft | None
    published: CourseVersion | None


def authored_courses(user: User) -> list[AuthoredCourse]:
    """The courses the user may edit, plus (for those who may start courses) drafts of
    new courses not published yet. A fixed number of queries."""
    courses = list(db.session.scalars(sa.select(Course).where(permissions.courses_authored_by(user))
                                      .order_by(Course.title)))
    slugs = [c.slug for c in courses]
    which = sa.true() if permissions.can_create_course(user) else CourseDraft.course_slug.in_(slugs)
    drafts = {d.course_slug: d for d in db.session.scalars(sa.select(CourseDraft).where(which))}
    latest = sa.select(CourseVersion.course_slug, sa.func.max(CourseVersion.number).label("number")) \
        .group_by(CourseVersion.course_slug).subquery()
    versions = {v.course_slug: v for v in db.session.scalars(
        sa.select(CourseVersion).join(latest, sa.and_(CourseVersion.course_slug == latest.c.course_slug,
                                                      CourseVersion.number == latest.c.number)))}
    rows = [AuthoredCourse(c.slug, c.title, c, drafts.get(c.slug), versions.get(c.slug)) for c in courses]
    known = set(slugs)
    for slug, draft in sorted(drafts.items()):
        if slug not in known:
            rows.append(AuthoredCourse(slug, slug, None, draft, versions.get(slug)))
    return rows


def published_image(course: Course, module_slug: str, filename: str) -> bytes | None:
    """An image of the course's current content from the database (the published
    version whose hash the course has now), or None."""
    if not SLUG.match(module_slug) or "/" in filename or "\\" in filename or filename.startswith("."):
        return None
    if "." + filename.rsplit(".", 1)[-1].lower() not in IMAGE_TYPES or not course.content_version:
        return None
    return published_file(course, f"{module_slug}/{filename}")


def kept_from_the_editor(root) -> set[str]:
    """Slugs of the courses under `root` whose files have not changed since they were
    last loaded, while the course has been published from the editor since: loading
    the seed files again (`make run` on every start) must not undo the author's work.
    Files that did change are loaded as usual; the editor's versions stay in history."""
    from pathlib import Path

    from course.content.spec import COURSE_FILE, course_folders, read_content

    kept = set()
    for course_folder in course_folders(Path(root)):
        if not (course_folder / COURSE_FILE).is_file():
            continue
        latest = latest_version(course_folder.name)
        if latest is None or latest.source == VersionSource.LOAD:
            continue
        last_load = db.session.scalar(
            sa.select(CourseVersion).where(CourseVersion.course_slug == course_folder.name,
                                           CourseVersion.source == VersionSource.LOAD)
            .order_by(CourseVersion.number.desc()).limit(1))
        report = read_content(course_folder)
        if last_load is not None and report.courses and report.courses[0].content_version == last_load.content_hash:
            kept.add(course_folder.name)
    return kept


# ---- the editor's previews and checks -----------------------------------------------


def render_reading(module: str, files: dict[str, bytes]) -> tuple[dict | None, list[tuple[int, str]]]:
    """A module's reading through the loader's own reader: (its HTML and table of
    contents, [(line, message in the user's language)])."""
    from course.content.messages import in_language, web_language
    from course.content.module_files import read_reading

    problems = []
    with tempfile.TemporaryDirectory(prefix="leerlijn-preview-") as tmp:
        root = Path(tmp) / "course"
        write_folder(files, root)
        reading = read_reading(root / module, problems)
    language = web_language()
    return reading, [(p.line, in_language(p.message, language)) for p in problems]


def modules_with_learner_data(course: Course | None) -> set[str]:
    """The slugs of the course's modules that learners have worked on (one query)."""
    if course is None:
        return set()
    used = sa.union(*(sa.select(table.module_id) for table in (ModuleProgress, QuizAttempt, Submission,
                                                                ProgressEvent))).subquery()
    return set(db.session.scalars(sa.select(CourseModule.slug).where(
        CourseModule.course_id == course.id, CourseModule.id.in_(sa.select(used.c[0])))))


def module_has_learner_data(course: Course | None, slug: str) -> bool:
    if course is None:
        return False
    module_id = db.session.scalar(sa.select(CourseModule.id).where(CourseModule.course_id == course.id,
                                                                  CourseModule.slug == slug))
    if module_id is None:
        return False
    checks = [sa.exists().where(table.module_id == module_id)
              for table in (ModuleProgress, QuizAttempt, Submission, ProgressEvent)]
    return bool(db.session.scalar(sa.select(sa.or_(*checks))))
