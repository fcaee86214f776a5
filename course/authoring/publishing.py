"""Publishing a draft, rolling back to an earlier version, and the versions `flask
content load` records. One commit per unit of work.

Publishing goes through `load_content` of the draft's folder, so it obeys exactly the
rules of `flask content load` (stable slugs, learner data untouched, modules with
learner data only retired) in one transaction together with the new CourseVersion row.
"""
from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _

from course.audit.services import record_event
from course.content.loader import ContentInvalid, load_content
from course.content.spec import COURSE_FILE, course_folders, read_content
from course.errors import ConflictError, DomainError
from course.extensions import db
from course.models import (
    AuditAction,
    Course,
    CourseDraft,
    CourseVersion,
    User,
    VersionFile,
    VersionSource,
)

from . import folder
from .folder import Check, FileProblem
from .queries import course_by_slug, draft_files, latest_version, version_files
from .services import DraftInvalid, replace_all_files


class PublishConflict(ConflictError):
    """Someone else published this course at the same moment; nothing was published."""

    def __init__(self):
        super().__init__(_("Someone else published this course at the same moment. Nothing was published by you; "
                           "your draft is kept. Look at the history, then publish again if needed."))


def _next_number(slug: str) -> int:
    return (db.session.scalar(sa.select(sa.func.max(CourseVersion.number))
                              .where(CourseVersion.course_slug == slug)) or 0) + 1


def _publish_files(slug: str, files: dict[str, bytes], actor: User | None, source: VersionSource,
                   note: str = "", restored: int | None = None) -> CourseVersion:
    """Load `files` as course `slug` and record the version, in one transaction."""
    check = folder.check_files(slug, files)
    if not check.ok:
        raise DraftInvalid(check)
    version = CourseVersion(course_slug=slug, number=_next_number(slug), content_hash=check.content_hash,
                            source=source, restored_number=restored, note=(note or "").strip()[:300],
                            published_by=actor)
    version.files = [VersionFile(path=path, data=data) for path, data in sorted(files.items())]
    db.session.add(version)

    def served_from_database(session):
        # The folder below is temporary: images are served from this version's rows.
        for obj in list(session.new) + list(session.identity_map.values()):
            if isinstance(obj, Course) and obj.slug == slug:
                obj.source_path = ""

    session = db.session()
    sa.event.listen(session, "before_commit", served_from_database)
    try:
        with tempfile.TemporaryDirectory(prefix="leerlijn-publish-") as tmp:
            root = Path(tmp) / slug
            folder.write_folder(files, root)
            try:
                load_content(root)
            except ContentInvalid as error:
                problems = [FileProblem(_relative(p.path, root), p.line, p.message) for p in error.problems]
                raise DraftInvalid(Check(problems=problems)) from None
            except sa.exc.IntegrityError:  # the same version number (or new course) at the same moment
                db.session.rollback()
                raise PublishConflict() from None
    finally:
        with contextlib.suppress(sa.exc.InvalidRequestError):
            sa.event.remove(session, "before_commit", served_from_database)
    return version


def _relative(path: Path, root: Path) -> str:
    with contextlib.suppress(ValueError):
        return path.resolve().relative_to(root.resolve()).as_posix()
    return COURSE_FILE


def _record_audit(action: AuditAction, version: CourseVersion, actor: User | None) -> None:
    course = course_by_slug(version.course_slug)
    details = {"course": version.course_slug, "version": version.number, "hash": version.content_hash[:12]}
    if version.restored_number:
        details["restored"] = version.restored_number
    record_event(action, actor=actor, course=course, obj=version, details=details)
    db.session.commit()


def publish(draft: CourseDraft, actor: User | None, note: str = "") -> CourseVersion:
    """The draft becomes the course's content: one new version, learners' data untouched."""
    files = draft_files(draft)
    version = _publish_files(draft.course_slug, files, actor, VersionSource.EDITOR, note)
    draft = db.session.get(CourseDraft, draft.id)
    draft.base_version = version
    _record_audit(AuditAction.COURSE_PUBLISHED, version, actor)
    return version


def roll_back(slug: str, number: int, actor: User | None, note: str = "") -> CourseVersion:
    """Publish version `number` again, as a new version. The draft follows when it had
    no unpublished changes of its own; otherwise it is kept as it is."""
    old = db.session.scalar(sa.select(CourseVersion).where(CourseVersion.course_slug == slug,
                                                           CourseVersion.number == number))
    if old is None:
        raise DomainError(_("This version does not exist."))
    files = version_files(old)
    draft = db.session.scalar(sa.select(CourseDraft).where(CourseDraft.course_slug == slug))
    draft_id = draft.id if draft is not None else None
    follows = draft is not None and draft.base_version is not None and \
        draft_files(draft) == version_files(draft.base_version)
    version = _publish_files(slug, files, actor, VersionSource.ROLLBACK, note, restored=number)
    if draft_id is not None:
        draft = db.session.get(CourseDraft, draft_id)
        if follows:
            replace_all_files(draft, files, actor)
            draft.base_version = version
    _record_audit(AuditAction.COURSE_ROLLED_BACK, version, actor)
    return version


def record_loaded_versions(root: Path | str) -> list[CourseVersion]:
    """After `flask content load`: each course whose files differ from its latest
    published version gets a version "loaded from the files", so history starts there
    and every app server can serve its images from the database."""
    recorded = []
    for course_folder in course_folders(Path(root)):
        slug = course_folder.name
        course = course_by_slug(slug)
        if course is None or not (course_folder / COURSE_FILE).is_file():
            continue
        files = {}
        for path in sorted(course_folder.rglob("*")):
            relative = path.relative_to(course_folder).as_posix()
            if path.is_file() and folder.safe_path(relative) is not None:
                files[relative] = path.read_bytes()
        latest = latest_version(slug)
        digest = course.content_version  # what the load just stored: the hash of the canonical files
        report = read_content(course_folder)
        if not report.courses or report.courses[0].content_version != digest:
            continue  # the folder is not what was loaded (it changed, or did not load)
        if latest is not None and latest.content_hash == digest:
            continue
        version = CourseVersion(course_slug=slug, number=_next_number(slug), content_hash=digest,
                                source=VersionSource.LOAD, note="flask content load")
        version.files = [VersionFile(path=path, data=data) for path, data in files.items()]
        db.session.add(version)
        db.session.flush()
        recorded.append(version)
    db.session.commit()
    return recorded
