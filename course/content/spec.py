"""Read course folders into the typed content model, and report every problem with file and line.

Nothing here touches the database: `read_content(path)` returns the courses it
could read (`CourseSpec`, see model.py) plus the full list of problems. Content with
any problem is never loaded. The format is documented in modules/README.md; question
types are read by their own classes (`course/content/questions/`).
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
from .model import DEFAULT_MAX_LENGTH, Assignment, CourseSpec, Criterion, Field, Level, ModuleSpec, Quiz, Reading
from .questions import QUESTION_TYPES, Question
from .yamlnodes import Map, Seq, parse_yaml, split_front_matter

_Checker = Checker  # the course-level readers below take it under its old name
__all__ = ["ASSIGNMENT_FILE", "COURSE_FILE", "DEFAULT_MAX_LENGTH", "IMAGE_TYPES", "MEDIA_PREFIX", "QUIZ_FILE",
           "READING_FILE", "SLUG", "ContentReport", "Problem", "inline_html", "read_content"]
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MEDIA_PREFIX = "leerlijn-media:"  # replaced by the media URL when a page is shown
MAX_MAX_LENGTH = 100_000

COURSE_KEYS = {
    "format", "title", "tagline", "description", "audience", "takeaways", "language", "study_hours",
    "accreditation", "sequential", "open_enrolment", "quiz", "feedback_days", "issuer", "colours",
    "modules", "retired", "course_trainers_see_cohorts", "workbook",
    "attendance", "cover", "cover_alt",
}
READING_KEYS = {"title", "minutes", "remember"}
QUIZ_KEYS = {"pass_mark", "questions"}
ASSIGNMENT_KEYS = {"title", "fields", "rubric"}
FIELD_KEYS = {"id", "label", "help", "max_length"}
CRITERION_KEYS = {"id", "title", "description", "levels"}
LEVEL_KEYS = {"id", "title", "points", "description"}

_IMAGE_MD = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_LINK_MD = re.compile(r"(?<!!)\[[^\]]+\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_IMG_HTML = re.compile(r"<img\b[^>]*\bsrc=\"([^\"]+)\"", re.IGNORECASE)
_SRC_ATTR = re.compile(r"(<img\b[^>]*?\bsrc=\")([^\"]+)(\")", re.IGNORECASE)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
# Ids the module page itself uses (templates/learn/module.html, base.html). A heading
# "Quiz" in a reading would otherwise get id="quiz", and the page's own "#quiz" links
# (and the redirect after "I have read this") would land in the middle of the text.
PAGE_IDS = frozenset({
    "main", "form-errors", "reading", "reading-title", "quiz", "quiz-title", "assignment",
    "assignment-title", "remember-title", "feedback-title", "submitted-title",
})
_HEADING_ID = re.compile(r'(<h[1-6]\b[^>]*\bid=")([^"]+)(")')
_HASH_HREF = re.compile(r'(<a\b[^>]*\bhref="#)([^"]+)(")')


@dataclass
class ContentReport:
    courses: list[CourseSpec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    try:
        # like read_text: universal newlines; a byte order mark at the start is allowed
        text = path.read_bytes().decode("utf-8-sig")
        return text.replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as error:
        line = error.object.count(b"\n", 0, error.start) + 1
        problems.append(Problem(path, line, Msg("not_utf8")))
    except OSError as error:
        problems.append(Problem(path, 1, Msg("unreadable", reason=error.strerror)))
    return None


def _load_yaml(path: Path, text: str, offset: int, problems: list[Problem]):
    data, yaml_problems = parse_yaml(text, offset)
    problems.extend(Problem(path, p.line, p.message) for p in yaml_problems)
    return data, not yaml_problems


def _front_matter(path: Path, problems: list[Problem]) -> tuple[Map | None, str, int]:
    """(front matter, Markdown body, first line of the body)."""
    text = _read_text(path, problems)
    if text is None:
        return None, "", 1
    front, offset, body, body_line = split_front_matter(text)
    if front is None:
        if text.lstrip().startswith("---"):
            problems.append(Problem(path, 1, Msg("front_not_closed")))
        else:
            problems.append(Problem(path, 1, Msg("no_front_matter")))
        return None, body, body_line
    data, ok = _load_yaml(path, front, offset, problems)
    if not ok:
        return None, body, body_line
    checker = _Checker(path, problems)
    return checker.mapping(data if data is not None else Map(), 1, Msg("where.front_matter")), body, body_line


def _line_at(body: str, index: int, first_line: int) -> int:
    return first_line + body.count("\n", 0, index)


def _check_links(path: Path, body: str, first_line: int, folder: Path, anchors: set[str],
                 problems: list[Problem]) -> None:
    """Images must exist in the module folder and have alt text; local links must resolve."""
    for match in _IMAGE_MD.finditer(body):
        alt, target = match.group(1).strip(), match.group(2)
        line = _line_at(body, match.start(), first_line)
        if not alt:
            problems.append(Problem(path, line, Msg("image_no_alt", target=target)))
        _check_image(path, line, target, folder, problems)
    for match in _IMG_HTML.finditer(body):
        _check_image(path, _line_at(body, match.start(), first_line), match.group(1), folder, problems)
    for match in _LINK_MD.finditer(body):
        target = match.group(1)
        line = _line_at(body, match.start(), first_line)
        if target.startswith("#"):
            if target[1:] not in anchors:
                problems.append(Problem(path, line, Msg("broken_anchor", target=target)))
        elif not _EXTERNAL.match(target):
            problems.append(Problem(path, line, Msg("broken_link", target=target)))


def _check_image(path: Path, line: int, target: str, folder: Path, problems: list[Problem]) -> None:
    if _EXTERNAL.match(target):
        problems.append(Problem(path, line, Msg("image_external", target=target)))
        return
    candidate = (folder / target).resolve()
    if candidate.parent != folder.resolve():
        problems.append(Problem(path, line, Msg("image_outside", target=target)))
    elif not candidate.is_file():
        problems.append(Problem(path, line, Msg("image_missing", target=target)))
    elif candidate.suffix.lower() not in IMAGE_TYPES:
        problems.append(Problem(path, line, Msg("image_type", target=target)))


def _avoid_page_ids(html: str, toc: list[dict]) -> tuple[str, list[dict]]:
    """Rename heading anchors that the module page uses itself (see PAGE_IDS), in the
    headings, the links to them and the table of contents alike."""
    taken = {entry["id"] for entry in toc} | PAGE_IDS
    renamed: dict[str, str] = {}
    for entry in toc:
        if entry["id"] in PAGE_IDS and entry["id"] not in renamed:
            number = 1
            while f"{entry['id']}-{number}" in taken:
                number += 1
            renamed[entry["id"]] = f"{entry['id']}-{number}"
            taken.add(renamed[entry["id"]])
    if not renamed:
        return html, toc

    def rename(match):
        return f"{match.group(1)}{renamed.get(match.group(2), match.group(2))}{match.group(3)}"

    html = _HASH_HREF.sub(rename, _HEADING_ID.sub(rename, html))
    return html, [{**entry, "id": renamed.get(entry["id"], entry["id"])} for entry in toc]


def _media_html(html: str) -> str:
    """Point relative image sources at the media route (resolved when shown)."""
    def replace(match):
        src = match.group(2)
        if _EXTERNAL.match(src) or src.startswith(("/", "#")):
            return match.group(0)
        return f"{match.group(1)}{MEDIA_PREFIX}{src}{match.group(3)}"

    return _SRC_ATTR.sub(replace, html)


# ---- the files of one module ---------------------------------------------


def read_reading(folder: Path, problems: list[Problem]) -> Reading | None:
    path = folder / READING_FILE
    front, body, body_line = _front_matter(path, problems)
    if front is None:
        return None
    check = Checker(path, problems)
    check.unknown_keys(front, READING_KEYS, "the front matter")
    title = check.text(front, "title", "the front matter")
    minutes = check.integer(front, "minutes", "the front matter", 0, 0, 600)
    remember = check.text_list(front, "remember", "the front matter")
    if not body.strip():
        check.add(body_line, Msg("reading_empty"))
    html, toc = render_trusted(body)
    anchors = {entry["id"] for entry in toc}
    _check_links(path, body, body_line, folder, anchors, problems)
    html, toc = _avoid_page_ids(html, toc)
    return Reading(title, minutes, remember, body, _media_html(html), toc)


def _read_yaml_mapping(path: Path, problems: list[Problem], what: str):
    """(mapping, checker) for a YAML file whose top level must be a mapping, or None
    when the file is missing, unreadable or not a mapping (the problem is recorded)."""
    text = _read_text(path, problems)
    if text is None:
        return None
    data, ok = _load_yaml(path, text, 0, problems)
    if not ok:
        return None
    check = Checker(path, problems)
    data = check.mapping(data if data is not None else Map(), 1, what)
    if data is None:
        return None
    return data, check


def read_quiz(folder: Path, problems: list[Problem]) -> Quiz | None:
    path = folder / QUIZ_FILE
    loaded = _read_yaml_mapping(path, problems, Msg("where.quiz_file"))
    if loaded is None:
        return None
    data, check = loaded
    quiz = Msg("where.quiz")
    check.unknown_keys(data, QUIZ_KEYS, quiz)
    pass_mark = check.integer(data, "pass_mark", quiz, None, 0, 100)
    questions_data = check.seq(data, "questions", quiz)
    if "questions" in data and isinstance(data["questions"], Seq) and not questions_data:
        check.add(data.line_of("questions"), Msg("quiz_no_questions"))
    seen: dict[str, int] = {}
    questions = []
    for index, raw in enumerate(questions_data):
        question = read_question(check, raw, questions_data.line_of(index), index + 1, seen)
        if question:
            questions.append(question)
    return Quiz(pass_mark, questions)


def read_question(check: Checker, raw, line: int, number: int, seen: dict) -> Question | None:
    """One question: the common keys here, the rest by its type's class (the registry)."""
    where = Msg("where.question", number=number)
    q = check.mapping(raw, line, where)
    if q is None:
        return None
    kind = check.text(q, "type", where)
    cls = QUESTION_TYPES.get(kind)
    check.unknown_keys(q, cls.KEYS if cls else {"id", "type", "text", *_all_keys()}, where)
    qid = check.slug(q, "id", where, seen)
    if kind and cls is None:
        names = list(QUESTION_TYPES)
        check.add(q.line_of("type"), Msg("unknown_question_type", kind=kind, types=", ".join(names[:-1]),
                                         last=names[-1]))
    text = check.text(q, "text", where)
    base = {"id": qid, "text": text, "text_html": render_trusted(text)[0]}
    if cls is None:
        if "options" in q:  # still check the options, so one run reports every problem
            QUESTION_TYPES["multiple"].read_parts(check, q, where, base)
        return None
    return cls.read_parts(check, q, where, base)


def _all_keys() -> set[str]:
    return {key for cls in QUESTION_TYPES.values() for key in cls.KEYS}


def read_assignment(folder: Path, problems: list[Problem]) -> Assignment | None:
    path = folder / ASSIGNMENT_FILE
    front, body, body_line = _front_matter(path, problems)
    if front is None:
        return None
    check = Checker(path, problems)
    front_matter = Msg("where.front_matter")
    check.unknown_keys(front, ASSIGNMENT_KEYS, front_matter)
    title = check.text(front, "title", front_matter)
    if not body.strip():
        check.add(body_line, Msg("assignment_empty"))
    html, toc = render_trusted(body)
    _check_links(path, body, body_line, folder, {entry["id"] for entry in toc}, problems)
    fields = _read_fields(check, check.seq(front, "fields", front_matter), front)
    rubric = _read_rubric(check, check.seq(front, "rubric", front_matter), front)
    return Assignment(title, body, _media_html(html), fields, rubric)


def _read_fields(check: Checker, items: Seq, front: Map) -> list[Field]:
    if "fields" in front and isinstance(front["fields"], Seq) and not items:
        check.add(front.line_of("fields"), Msg("no_fields"))
    seen: dict[str, int] = {}
    fields = []
    for index, raw in enumerate(items):
        where = Msg("where.field", number=index + 1)
        f = check.mapping(raw, items.line_of(index), where)
        if f is None:
            continue
        check.unknown_keys(f, FIELD_KEYS, where)
        fields.append(Field(
            id=check.slug(f, "id", where, seen),
            label=check.text(f, "label", where),
            help=check.text(f, "help", where, required=False),
            max_length=check.integer(f, "max_length", where, DEFAULT_MAX_LENGTH, 1, MAX_MAX_LENGTH),
        ))
    return fields


def _read_rubric(check: Checker, items: Seq, front: Map) -> list[Criterion]:
    if "rubric" in front and isinstance(front["rubric"], Seq) and not 3 <= len(items) <= 5:
        check.add(front.line_of("rubric"), Msg("rubric_size", count=len(items)))
    seen: dict[str, int] = {}
    rubric = []
    for index, raw in enumerate(items):
        where = Msg("where.criterion", number=index + 1)
        c = check.mapping(raw, items.line_of(index), where)
        if c is None:
            continue
        check.unknown_keys(c, CRITERION_KEYS, where)
        criterion = Criterion(
            id=check.slug(c, "id", where, seen),
            title=check.text(c, "title", where),
            description=check.text(c, "description", where, required=False),
        )
        levels = check.seq(c, "levels", where)
        if "levels" in c and isinstance(c["levels"], Seq) and not levels:
            check.add(c.line_of("levels"), Msg("no_levels", where=where))
        level_seen: dict[str, int] = {}
        for l_index, l_raw in enumerate(levels):
            l_where = Msg("where.level", number=l_index + 1, where=where)
            lv = check.mapping(l_raw, levels.line_of(l_index), l_where)
            if lv is None:
                continue
            check.unknown_keys(lv, LEVEL_KEYS, l_where)
            criterion.levels.append(Level(
                id=check.slug(lv, "id", l_where, level_seen),
                title=check.text(lv, "title", l_where),
                points=check.integer(lv, "points", l_where, 0, 0, 1000, required=True),
                description=check.text(lv, "description", l_where, required=False),
            ))
        rubric.append(criterion)
    return rubric


def read_module(folder: Path, position: int, problems: list[Problem],
                listed_at: tuple[Path, int]) -> ModuleSpec | None:
    if not (folder / READING_FILE).is_file():
        problems.append(Problem(*listed_at, Msg("no_reading", slug=folder.name)))
        return None
    reading = read_reading(folder, problems)
    quiz = read_quiz(folder, problems) if (folder / QUIZ_FILE).is_file() else None
    assignment = read_assignment(folder, problems) if (folder / ASSIGNMENT_FILE).is_file() else None
    if reading is None:
        return None
    module = ModuleSpec(folder.name, position, reading, quiz, assignment, canonical.media_names(folder))
    module.content_version = canonical.content_hash(canonical.module_files(module, folder))
    return module


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
    if "/" in cover or "\\" in cover or cover.startswith(".") or _EXTERNAL.match(cover):
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
