"""Write validated course content to the database: all or nothing.

Rows are matched by stable slugs (course folder name, module folder name), so
editing text updates them in place and never touches anyone's progress. A module
with learner data that disappears from the files stops the load, unless course.yml
lists it under `retired:` (it then stays in the database, inactive).
"""
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from course.extensions import db
from course.models import (
    Course,
    CourseModule,
    ModuleProgress,
    ProgressEvent,
    QuizAttempt,
    Submission,
    utcnow,
)

from .messages import Msg
from .model import CourseSpec, ModuleSpec
from .spec import COURSE_FILE, ContentReport, Problem, read_content

# the course columns that `spec._course_fields` reads from course.yml
COURSE_COLUMNS = (
    "title", "tagline", "description_html", "audience_html", "takeaways", "language", "study_hours",
    "accreditation_points", "accreditation_id", "accreditation_body", "sequential", "open_enrolment",
    "pass_mark", "quiz_max_attempts", "quiz_cooldown_minutes", "feedback_days", "issuer",
    "colour_primary", "colour_accent", "workbook_title", "workbook_subtitle",
    "attendance_sessions", "attendance_hours", "cover", "cover_alt",
)


class ContentInvalid(Exception):
    """The content has problems; nothing was loaded."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the content")
        self.problems = problems


@dataclass
class LoadResult:
    courses: list[str] = field(default_factory=list)
    created_modules: int = 0
    updated_modules: int = 0
    retired_modules: list[str] = field(default_factory=list)
    retired_courses: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def load_content(root: Path | str) -> LoadResult:
    """Validate and load every course under `root`. Commits once; on any problem
    raises ContentInvalid and leaves the database exactly as it was."""
    root = Path(root)
    report: ContentReport = read_content(root)
    if not report.ok:
        raise ContentInvalid(report.problems)
    result = LoadResult(warnings=report.warnings)
    problems: list[Problem] = []
    try:
        for spec in report.courses:
            _load_course(spec, result, problems)
        if not (root / COURSE_FILE).is_file():
            _retire_missing_courses(root, {spec.slug for spec in report.courses}, result)
        if problems:
            raise ContentInvalid(problems)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return result


def _store_module(module: CourseModule, spec: ModuleSpec) -> None:
    module.position = spec.position
    module.title = spec.reading.title
    module.minutes = spec.reading.minutes
    module.remember = list(spec.reading.remember)
    module.reading_md = spec.reading.body
    module.reading_html = spec.reading.html
    module.reading_toc = spec.reading.toc
    module.quiz = spec.quiz.to_json() if spec.quiz is not None else None
    module.assignment = spec.assignment.to_json() if spec.assignment is not None else None
    module.media = list(spec.media)
    module.content_version = spec.content_version


def _load_course(spec: CourseSpec, result: LoadResult, problems: list[Problem]) -> None:
    course = db.session.scalar(sa.select(Course).where(Course.slug == spec.slug))
    if course is None:
        course = Course(slug=spec.slug)
        db.session.add(course)
    for column in COURSE_COLUMNS:
        setattr(course, column, spec.settings[column])
    course.content_version, course.source_path, course.course_file = (
        spec.content_version, spec.source_path, spec.file)
    if spec.settings.get("course_trainers_see_cohorts") is not None:  # else the staff page's setting stays
        course.course_trainers_see_cohorts = spec.settings["course_trainers_see_cohorts"]
    course.is_active = True
    course.loaded_at = utcnow()
    db.session.flush()

    existing = {m.slug: m for m in db.session.scalars(
        sa.select(CourseModule).where(CourseModule.course_id == course.id))}
    for module_spec in spec.modules:
        module = existing.pop(module_spec.slug, None)
        if module is None:
            module = CourseModule(course_id=course.id, slug=module_spec.slug)
            db.session.add(module)
            result.created_modules += 1
        else:
            result.updated_modules += 1
        _store_module(module, module_spec)
        module.is_active = True
    position = len(spec.modules)
    for slug, module in sorted(existing.items(), key=lambda item: item[1].position):
        position += 1
        module.position = position
        if module.is_active and slug not in spec.retired and _has_learner_data(module):
            problems.append(Problem(
                Path(spec.source_path) / COURSE_FILE, spec.modules_line,
                Msg("unlisted_with_data", slug=slug),
            ))
        if module.is_active:
            result.retired_modules.append(f"{spec.slug}/{slug}")
        module.is_active = False
    result.courses.append(spec.slug)


def _has_learner_data(module: CourseModule) -> bool:
    checks = [
        sa.exists().where(ModuleProgress.module_id == module.id),
        sa.exists().where(QuizAttempt.module_id == module.id),
        sa.exists().where(Submission.module_id == module.id),
        sa.exists().where(ProgressEvent.module_id == module.id),
    ]
    return bool(db.session.scalar(sa.select(sa.or_(*checks))))


def _retire_missing_courses(root: Path, present: set[str], result: LoadResult) -> None:
    """Courses loaded earlier from this folder whose folder is gone: hidden, never deleted."""
    base = str(root.resolve())
    for course in db.session.scalars(sa.select(Course).where(Course.is_active.is_(True))):
        if course.slug not in present and course.source_path and Path(course.source_path).parent == Path(base):
            course.is_active = False
            result.retired_courses.append(course.slug)
