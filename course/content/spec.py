"""Read course folders into the typed content model, and report every problem with file and line.

Nothing here touches the database: `read_content(path)` returns the courses it
could read (`CourseSpec`, see model.py) plus the full list of problems. Content with
any problem is never loaded. The format is documented in modules/README.md; each
module's folder is read by module_files.py, and question types by their own classes
(`course/content/questions/`).
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

from course.text import render_trusted

from . import FORMAT_VERSION
from . import files as canonical
from .checker import SLUG, Checker, Problem, inline_html
from .files import ASSIGNMENT_FILE, COURSE_FILE, IMAGE_TYPES, QUIZ_FILE, READING_FILE
from .messages import Msg
from .model import DEFAULT_MAX_LENGTH, CourseSpec
from .module_files import EXTERNAL, MEDIA_PREFIX, _read_yaml_mapping, read_module
from .yamlnodes import Map, Seq

_Checker = Checker  # the course-level readers below take it under its old name
__all__ = ["ASSIGNMENT_FILE", "COURSE_FILE", "DEFAULT_MAX_LENGTH", "IMAGE_TYPES", "MEDIA_PREFIX", "QUIZ_FILE",
           "READING_FILE", "SLUG", "ContentReport", "Problem", "inline_html", "read_content"]
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

COURSE_KEYS = {
    "format", "title", "tagline", "description", "audience", "takeaways", "language", "study_hours",
    "accreditation", "sequential", "open_enrolment", "quiz", "feedback_days", "issuer", "colours",
    "modules", "retired", "course_trainers_see_cohorts", "workbook",
    "attendance", "cover", "cover_alt",
}


@dataclass
class ContentReport:
    courses: list[CourseSpec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# ---- the course ----------------------------------------------------------


def read_course(folder: Path, problems: list[Problem], warnings: list[Problem]) -> CourseSpec | None:
    path = folder / COURSE_FILE
    if not SLUG.match(folder.name):
        problems.append(Problem(path, 1, Msg("bad_folder_name", name=folder.name)))
    loaded = _read_yaml_mapping(path, problems, "course.yml")
    if loaded is None:
        return None
    data, check = loaded
    check.unknown_keys(data, COURSE_KEYS, "course.yml")
    version = check.integer(data, "format", "course.yml", None, 1, required=True)
    if version is not None and version != FORMAT_VERSION:
        check.add(data.line_of("format"), Msg("bad_format", version=version, supported=FORMAT_VERSION))
    settings = _course_fields(check, data)
    settings.update(_cover_fields(check, data, folder))
    module_slugs, retired = _module_lists(check, data, folder)
    modules = []
    for position, (slug, line) in enumerate(module_slugs, start=1):
        module = read_module(folder / slug, position, problems, (path, line))
        if module is not None:
            modules.append(module)
    listed = {slug for slug, _line in module_slugs} | set(retired)
    for child in sorted(folder.iterdir()):
        if child.is_dir() and not child.name.startswith(".") and child.name not in listed:
            warnings.append(Problem(child, 1, Msg("unlisted_folder")))
    course = CourseSpec(slug=folder.name, source_path=str(folder.resolve()), settings=settings,
                        file=canonical.plain(data), modules=modules, retired=retired,
                        modules_line=data.line_of("modules"))
    if len(modules) == len(module_slugs):   # else there are problems and nothing is loaded
        course.content_version = canonical.content_hash(canonical.course_files(course, folder))
    return course


def _course_fields(check: _Checker, data: Map) -> dict:
    where = "course.yml"
    accreditation = check.mapping(data["accreditation"], data.line_of("accreditation"), "'accreditation'") \
        if data.get("accreditation") is not None else Map()
    quiz = check.mapping(data["quiz"], data.line_of("quiz"), "'quiz'") if data.get("quiz") is not None else Map()
    colours = check.mapping(data["colours"], data.line_of("colours"), "'colours'") \
        if data.get("colours") is not None else Map()
    accreditation, quiz, colours = accreditation or Map(), quiz or Map(), colours or Map()
    check.unknown_keys(accreditation, {"points", "id", "body"}, "'accreditation'")
    check.unknown_keys(quiz, {"pass_mark", "max_attempts", "cooldown_minutes"}, "'quiz'")
    check.unknown_keys(colours, {"primary", "accent"}, "'colours'")
    result = {
        "title": check.text(data, "title", where),
        "tagline": check.text(data, "tagline", where, required=False),
        "description_html": render_trusted(check.text(data, "description", where))[0],
        "audience_html": render_trusted(check.text(data, "audience", where, required=False))[0],
        "takeaways": check.text_list(data, "takeaways", where),
        "language": check.text(data, "language", where, required=False, default="nl"),
        "study_hours": check.integer(data, "study_hours", where, 0, 0, 1000),
        "accreditation_points": check.integer(accreditation, "points", "'accreditation'", None, 0, 1000),
        "accreditation_id": check.text(accreditation, "id", "'accreditation'", required=False) or None,
        "accreditation_body": check.text(accreditation, "body", "'accreditation'", required=False) or None,
        "sequential": check.boolean(data, "sequential", False),
        "open_enrolment": check.boolean(data, "open_enrolment", False),
        "pass_mark": check.integer(quiz, "pass_mark", "'quiz'", 70, 0, 100),
        "quiz_max_attempts": check.integer(quiz, "max_attempts", "'quiz'", 0, 0, 1000),
        "quiz_cooldown_minutes": check.integer(quiz, "cooldown_minutes", "'quiz'", 0, 0, 60 * 24 * 30),
        "feedback_days": check.integer(data, "feedback_days", where, 5, 0, 60),
        "issuer": check.text(data, "issuer", where, required=False),
        # None when absent: the setting on the course staff page then stays as it is.
        "course_trainers_see_cohorts": (check.boolean(data, "course_trainers_see_cohorts", False)
                                        if data.get("course_trainers_see_cohorts") is not None else None),
    }
    result.update(_workbook_fields(check, data))
    result.update(_attendance_fields(check, data))
    if result["language"] not in ("nl", "en"):
        check.add(data.line_of("language"), Msg("bad_language"))
    for key, default in (("primary", "#0b5d6b"), ("accent", "#f2a900")):
        value = check.text(colours, key, "'colours'", required=False, default=default)
        if not COLOUR.match(value):
            check.add(colours.line_of(key), Msg("bad_colour", value=value))
            value = default
        result[f"colour_{key}"] = value
    return result


WORKBOOK_LIMITS = {"title": 120, "subtitle": 200}


def _workbook_fields(check: _Checker, data: Map) -> dict:
    """`workbook: {title, subtitle}`: the workbook's own name; both optional (the site
    then says "Mijn werkboek")."""
    workbook = check.mapping(data["workbook"], data.line_of("workbook"), "'workbook'") \
        if data.get("workbook") is not None else Map()
    workbook = workbook or Map()
    check.unknown_keys(workbook, set(WORKBOOK_LIMITS), "'workbook'")
    result = {}
    for key, limit in WORKBOOK_LIMITS.items():
        value = check.text(workbook, key, "'workbook'", required=False)
        if len(value) > limit:
            check.add(workbook.line_of(key), Msg("too_long", key=key, length=len(value), limit=limit))
            value = value[:limit]
        result[f"workbook_{key}"] = value
    return result


COVER_ALT_LIMIT = 300


def _cover_fields(check: _Checker, data: Map, folder: Path) -> dict:
    """`cover:` an image file in the course folder, shown on the catalogue and the course
    page, with `cover_alt:` its description, required with a cover. Both optional."""
    cover = check.text(data, "cover", "course.yml", required=False)
    alt = check.text(data, "cover_alt", "course.yml", required=False)
    if not cover:
        if alt:
            check.add(data.line_of("cover_alt"), Msg("cover_alt_without_cover"))
        return {"cover": "", "cover_alt": ""}
    line = data.line_of("cover")
    candidate = folder / cover
    if "/" in cover or "\\" in cover or cover.startswith(".") or EXTERNAL.match(cover):
        check.add(line, Msg("cover_outside", target=cover))
    elif candidate.suffix.lower() not in IMAGE_TYPES:
        check.add(line, Msg("cover_type", target=cover))
    elif not candidate.is_file() or candidate.resolve().parent != folder.resolve():
        check.add(line, Msg("cover_missing", target=cover))
    if not alt:
        check.add(line, Msg("cover_no_alt", target=cover))
    elif len(alt) > COVER_ALT_LIMIT:
        check.add(data.line_of("cover_alt"), Msg("too_long", key="cover_alt", length=len(alt), limit=COVER_ALT_LIMIT))
    return {"cover": cover, "cover_alt": alt[:COVER_ALT_LIMIT]}


ATTENDANCE_LIMITS = {"sessions": 20, "hours": 200}


def _attendance_fields(check: _Checker, data: Map) -> dict:
    """`attendance: {sessions, hours}` (issue 13): the live attendance the course needs
    before it counts as completed: at least `sessions` sessions attended, at least
    `hours` contact hours. Both optional; absent means no requirement."""
    if data.get("attendance") is None:
        return {"attendance_sessions": 0, "attendance_hours": 0}
    before = len(check.problems)
    attendance = check.mapping(data["attendance"], data.line_of("attendance"), "'attendance'") or Map()
    check.unknown_keys(attendance, set(ATTENDANCE_LIMITS), "'attendance'")
    result = {f"attendance_{key}": check.integer(attendance, key, "'attendance'", 0, 0, limit)
              for key, limit in ATTENDANCE_LIMITS.items()}
    if len(check.problems) == before and not any(result.values()):
        check.add(data.line_of("attendance"), Msg("attendance_nothing"))
    return result


# Pages of a course whose address sits where a module's does (/mijn-leren/<course>/afgerond):
# a module with such an id could never be opened (tests/test_authoring_hostile.py checks the URL map).
RESERVED_MODULE_IDS = frozenset({"afgerond", "collega-feedback", "weggooien"})


def _module_lists(check: _Checker, data: Map, folder: Path) -> tuple[list[tuple[str, int]], list[str]]:
    """([(module id, line in course.yml)], [retired ids])."""
    items = check.seq(data, "modules", "course.yml")
    if "modules" in data and isinstance(data["modules"], Seq) and not items:
        check.add(data.line_of("modules"), Msg("no_modules"))
    slugs: list[tuple[str, int]] = []
    seen_missing: set[str] = set()
    for index, slug in enumerate(items):
        line = items.line_of(index)
        if slug is None:
            check.add(line, Msg("empty_module_item", number=index + 1))
        elif not isinstance(slug, str) or not SLUG.match(slug):
            check.add(line, Msg("bad_module_id", slug=slug))
        elif slug in RESERVED_MODULE_IDS:
            check.add(line, Msg("reserved_module_id", slug=slug, words=", ".join(sorted(RESERVED_MODULE_IDS))))
        elif slug in [s for s, _line in slugs] or slug in seen_missing:
            check.add(line, Msg("duplicate_module", slug=slug))
        elif not (folder / slug).is_dir():
            seen_missing.add(slug)
            check.add(line, Msg("unknown_module", slug=slug, folder=folder.name))
        else:
            slugs.append((slug, line))
    retired_items = check.seq(data, "retired", "course.yml", required=False)
    retired: list[str] = []
    for index, slug in enumerate(retired_items):
        line = retired_items.line_of(index)
        if not isinstance(slug, str) or not SLUG.match(slug):
            check.add(line, Msg("bad_retired_id", slug=slug))
        elif slug in items:
            check.add(line, Msg("listed_twice", slug=slug))
        else:
            retired.append(slug)
    return slugs, retired


def course_folders(root: Path) -> list[Path]:
    """A course folder itself, or every course folder inside a content folder."""
    if (root / COURSE_FILE).is_file():
        return [root]
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def read_content(root: Path | str) -> ContentReport:
    """Read and validate every course under `root` (or the one course at `root`)."""
    root = Path(root)
    report = ContentReport()
    if not root.is_dir():
        report.problems.append(Problem(root, 1, Msg("no_such_folder")))
        return report
    folders = course_folders(root)
    if not folders:
        report.problems.append(Problem(root, 1, Msg("no_courses")))
    for folder in folders:
        if not (folder / COURSE_FILE).is_file():
            report.problems.append(Problem(folder / COURSE_FILE, 1, Msg("no_course_file")))
            continue
        course = read_course(folder, report.problems, report.warnings)
        if course is not None:
            report.courses.append(course)
    return report
