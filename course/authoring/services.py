"""State changes of the course editor: drafts, saves with an optimistic version check,
ZIP upload. Publishing, rolling back and the versions `flask content load` records are
in publishing.py. One commit per unit of work.
"""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _

from course.audit.services import record_event
from course.content.spec import COURSE_FILE
from course.errors import ConflictError, DomainError
from course.extensions import db
from course.models import (
    AuditAction,
    Course,
    CourseDraft,
    CourseVersion,
    DraftFile,
    User,
    utcnow,
)

from . import folder
from .folder import Check, FolderError
from .queries import course_by_slug, latest_version, version_files


class DraftInvalid(DomainError):
    """The draft has problems; nothing was published."""

    def __init__(self, check: Check):
        super().__init__(_("The draft has problems. Nothing was published; fix them first."))
        self.check = check


class EditConflict(ConflictError):
    """Another author saved the same item first. `paths` are the items concerned."""

    def __init__(self, paths: list[str]):
        super().__init__(_("Someone else saved this part of the course while you were editing it. Your text is "
                           "still in the form below; compare it with the current version and save again."))
        self.paths = paths


# ---- where a draft starts ----------------------------------------------------------


def files_from_disk(course: Course) -> dict[str, bytes] | None:
    """The course's folder on this server, if it was loaded from one that still exists."""
    if not course.source_path:
        return None
    root = Path(course.source_path)
    if not (root / COURSE_FILE).is_file():
        return None
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            relative = path.relative_to(root).as_posix()
            if folder.safe_path(relative) is not None:
                files[relative] = path.read_bytes()
    return files


def files_from_rows(course: Course) -> dict[str, bytes]:
    """A course without a published version: `flask content export`'s canonical files
    when it can give them, else (rows stored before their sources were kept, or made
    directly as rows) the content written out from the rows; their HTML is valid Markdown."""
    from course.content.export import ExportError
    from course.content.export import course_files as exported

    try:
        return exported(course)
    except (ExportError, OSError, TypeError, ValueError):
        return _files_from_old_rows(course)


def _files_from_old_rows(course: Course) -> dict[str, bytes]:
    def plain(html: str) -> str:
        return (html or "").replace(folder_media_prefix(), "").strip()

    data: dict = {"format": 1, "title": course.title}
    if course.tagline:
        data["tagline"] = course.tagline
    data["description"] = plain(course.description_html) or course.title
    if course.audience_html:
        data["audience"] = plain(course.audience_html)
    if course.takeaways:
        data["takeaways"] = list(course.takeaways)
    data.update(language=course.language, study_hours=course.study_hours)
    accreditation = {k: v for k, v in (("points", course.accreditation_points), ("id", course.accreditation_id),
                                       ("body", course.accreditation_body)) if v not in (None, "")}
    if accreditation:
        data["accreditation"] = accreditation
    data.update(sequential=course.sequential, open_enrolment=course.open_enrolment,
                quiz={"pass_mark": course.pass_mark, "max_attempts": course.quiz_max_attempts,
                      "cooldown_minutes": course.quiz_cooldown_minutes},
                feedback_days=course.feedback_days)
    if course.issuer:
        data["issuer"] = course.issuer
    if course.workbook_title or course.workbook_subtitle:
        data["workbook"] = {k: v for k, v in (("title", course.workbook_title),
                                              ("subtitle", course.workbook_subtitle)) if v}
    data["colours"] = {"primary": course.colour_primary, "accent": course.colour_accent}
    modules = sorted(course.modules, key=lambda m: m.position)
    data["modules"] = [m.slug for m in modules if m.is_active]
    retired = [m.slug for m in modules if not m.is_active]
    if retired:
        data["retired"] = retired
    files = {folder.COURSE_FILE: folder.dump_yaml(data).encode()}
    for module in modules:
        front = {"title": module.title}
        if module.minutes:
            front["minutes"] = module.minutes
        if module.remember:
            front["remember"] = list(module.remember)
        files[f"{module.slug}/{folder.READING_FILE}"] = folder.front_matter_file(
            front, (module.reading_md or "").strip() or plain(module.reading_html) or module.title).encode()
        if module.quiz and module.quiz.get("questions"):
            quiz: dict = {}
            if module.quiz.get("pass_mark") is not None:
                quiz["pass_mark"] = module.quiz["pass_mark"]
            quiz["questions"] = [{
                "id": q["id"], "type": q["type"], "text": q.get("text") or plain(q.get("text_html", "")),
                "options": [{"id": o["id"], "text": o.get("text") or plain(o.get("text_html", "")),
                             "correct": bool(o.get("correct")),
                             "feedback": o.get("feedback") or plain(o.get("feedback_html", "")) or "-"}
                            for o in q.get("options") or []],
            } for q in module.quiz["questions"]]
            files[f"{module.slug}/{folder.QUIZ_FILE}"] = folder.dump_yaml(quiz).encode()
        if module.assignment and module.assignment.get("fields"):
            assignment = module.assignment
            front = {"title": assignment.get("title") or module.title, "fields": [
                {k: f[k] for k in ("id", "label", "help", "max_length") if f.get(k) not in (None, "")}
                for f in assignment["fields"]], "rubric": [
                {"id": c["id"], "title": c["title"], **({"description": c["description"]} if c.get("description")
                                                        else {}),
                 "levels": [{k: lv[k] for k in ("id", "title", "points", "description") if lv.get(k) not in (None, "")}
                            for lv in c.get("levels", [])]} for c in assignment.get("rubric", [])]}
            files[f"{module.slug}/{folder.ASSIGNMENT_FILE}"] = folder.front_matter_file(
                front, assignment.get("prompt") or plain(assignment.get("prompt_html", "")) or "-").encode()
    return files


def folder_media_prefix() -> str:
    from course.content.spec import MEDIA_PREFIX

    return MEDIA_PREFIX


def starting_files(slug: str, course: Course | None) -> tuple[dict[str, bytes], CourseVersion | None]:
    version = latest_version(slug)
    if version is not None:
        return version_files(version), version
    if course is None:
        return {}, None
    return files_from_disk(course) or files_from_rows(course), None


def new_course_files(title: str) -> dict[str, bytes]:
    data = {"format": 1, "title": title.strip(), "description": "", "language": "nl", "study_hours": 0,
            "sequential": False, "open_enrolment": False, "quiz": {"pass_mark": 70, "max_attempts": 0,
                                                                  "cooldown_minutes": 0},
            "feedback_days": 5, "modules": []}
    return {folder.COURSE_FILE: folder.dump_yaml(data).encode()}


def ensure_draft(slug: str, course: Course | None, actor: User | None) -> CourseDraft:
    """The course's draft, started from its latest published version when there is none."""
    draft = db.session.scalar(sa.select(CourseDraft).where(CourseDraft.course_slug == slug))
    if draft is not None:
        return draft
    files, version = starting_files(slug, course)
    draft = CourseDraft(course_slug=slug, base_version=version, updated_by=actor)
    db.session.add(draft)
    for path, data in files.items():
        db.session.add(DraftFile(draft=draft, path=path, data=data, updated_by=actor))
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # another request started it at the same moment
        db.session.rollback()
        draft = db.session.scalar(sa.select(CourseDraft).where(CourseDraft.course_slug == slug))
    return draft


def start_new_course(slug: str, title: str, actor: User) -> CourseDraft:
    slug = (slug or "").strip()
    if not folder.SLUG.match(slug) or len(slug) > 80:
        raise DomainError(_("Use lowercase letters, digits and dashes for the course id, e.g. "
                            "mijn-nieuwe-cursus."))
    if not (title or "").strip() or len(title) > 200:
        raise DomainError(_("Give the course a title (at most 200 characters)."))
    exists = course_by_slug(slug) is not None or db.session.scalar(
        sa.select(sa.exists().where(CourseDraft.course_slug == slug))) or latest_version(slug) is not None
    if exists:
        raise DomainError(_("A course with this id already exists. Choose another id."))
    draft = CourseDraft(course_slug=slug, updated_by=actor)
    db.session.add(draft)
    for path, data in new_course_files(title).items():
        db.session.add(DraftFile(draft=draft, path=path, data=data, updated_by=actor))
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise DomainError(_("A course with this id already exists. Choose another id.")) from None
    return draft


# ---- saving ---------------------------------------------------------------------


def save_files(draft: CourseDraft, changes: list[tuple[str, bytes | None, int]], actor: User | None) -> None:
    """Write files of the draft in one step: (path, bytes or None to delete, the
    lock version the author's form was based on; 0 for a file the form creates).
    Any file changed by someone else since is a conflict: nothing is written."""
    if not changes:
        return
    now = utcnow()
    conflicts = []
    for path, data, expected in changes:
        if folder.safe_path(path) is None:
            raise DomainError(_("This file name cannot be part of a course."))
        existing = db.session.scalar(sa.select(DraftFile).where(DraftFile.draft_id == draft.id,
                                                               DraftFile.path == path))
        if existing is None:
            if expected:
                conflicts.append(path)
            elif data is not None:
                db.session.add(DraftFile(draft_id=draft.id, path=path, data=data, updated_by=actor,
                                         updated_at=now))
            continue
        if data is None:
            done = db.session.execute(sa.delete(DraftFile).where(
                DraftFile.id == existing.id, DraftFile.lock_version == expected)).rowcount
        else:
            done = db.session.execute(sa.update(DraftFile).where(
                DraftFile.id == existing.id, DraftFile.lock_version == expected).values(
                data=data, lock_version=DraftFile.lock_version + 1, updated_by_id=actor.id if actor else None,
                updated_at=now)).rowcount
        if not done:
            conflicts.append(path)
    if conflicts:
        db.session.rollback()
        raise EditConflict(conflicts)
    draft.updated_at, draft.updated_by = now, actor
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # someone created the same new file at the same moment
        db.session.rollback()
        raise EditConflict([path for path, _data, _expected in changes]) from None
    db.session.expire_all()


def replace_all_files(draft: CourseDraft, files: dict[str, bytes], actor: User | None) -> None:
    """The draft becomes exactly `files` (an upload, discarding the draft). Every
    item's lock version moves on, so forms opened before are refused."""
    now = utcnow()
    current = {f.path: f for f in db.session.scalars(sa.select(DraftFile).where(DraftFile.draft_id == draft.id))}
    for path, row in current.items():
        if path not in files:
            db.session.delete(row)
    for path, data in files.items():
        row = current.get(path)
        if row is None:
            db.session.add(DraftFile(draft_id=draft.id, path=path, data=data, updated_by=actor, updated_at=now))
        elif row.data != data:
            row.data, row.lock_version, row.updated_by, row.updated_at = data, row.lock_version + 1, actor, now
    draft.updated_at, draft.updated_by = now, actor


def discard_draft(draft: CourseDraft, actor: User | None) -> None:
    """Back to the latest published version (or, for a course never published, as it began)."""
    version = latest_version(draft.course_slug)
    if version is None:
        course = course_by_slug(draft.course_slug)
        if course is None:
            raise DomainError(_("This course has never been published: there is no version to go back to."))
        files = files_from_disk(course) or files_from_rows(course)
    else:
        files = version_files(version)
    replace_all_files(draft, files, actor)
    draft.base_version = version
    db.session.commit()


def upload_zip(draft: CourseDraft, data: bytes, actor: User) -> tuple[Check, str | None]:
    """An uploaded ZIP becomes the draft (never published directly); the checker's
    findings are returned for the author to see."""
    files, top = folder.from_zip(data)
    for path, content in files.items():
        if folder.is_image(path):
            problem = folder.image_problem(path, content)
            if problem is not None:
                raise FolderError(problem)
    check = folder.check_files(draft.course_slug, files)
    replace_all_files(draft, files, actor)
    course = course_by_slug(draft.course_slug)
    record_event(AuditAction.COURSE_UPLOADED, actor=actor, course=course,
                 details={"course": draft.course_slug, "files": len(files), "problems": len(check.problems)})
    db.session.commit()
    return check, top


# ---- modules and images ------------------------------------------------------------


def folder_message(code: str) -> str:
    """The author's message for a refused ZIP or image (see folder.FolderError)."""
    size = folder.MAX_ZIP_BYTES // 1_000_000
    return {
        "zip_too_large": _("The ZIP is too large (at most %(size)d MB, and at most 50 MB unpacked).", size=size),
        "zip_unreadable": _("This file cannot be read as a ZIP."),
        "zip_too_many": _("The ZIP holds too many files (at most %(num)d).", num=folder.MAX_ZIP_FILES),
        "zip_bad_entry": _("The ZIP holds a link or an encrypted file; those are not accepted."),
        "zip_bad_path": _("The ZIP holds a file outside a course folder or with a name that cannot be part of a "
                          "course (only course.yml, module folders with .md and .yml files and images)."),
        "zip_no_course": _("The ZIP has no course.yml at the top of the course folder."),
        "zip_file_too_large": _("A file in the ZIP is too large (text at most 1 MB, an image at most 2 MB)."),
        "image_type": _("The image must be a .png, .jpg, .gif, .webp or .svg file."),
        "image_empty": _("The file is empty."),
        "image_too_large": _("The image is too large (at most 2 MB)."),
        "image_not_that_type": _("The file is not the kind of image its name says."),
        "svg_unsafe": _("This SVG holds a script, an event handler or a reference to outside the image; those are "
                        "not accepted."),
    }.get(code, _("This file cannot be used."))
