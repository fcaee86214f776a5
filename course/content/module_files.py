"""Read one module's folder (reading.md, quiz.yml, assignment.md) into the typed
content model, reporting every problem with file and line; the Markdown checks
(links, images, anchors) the reading and the assignment share. spec.py reads the
course around it."""
import re
from pathlib import Path

from course.text import render_trusted

from . import files as canonical
from .checker import Checker, Problem
from .files import ASSIGNMENT_FILE, IMAGE_TYPES, QUIZ_FILE, READING_FILE
from .messages import Msg
from .model import DEFAULT_MAX_LENGTH, Assignment, Criterion, Field, Level, ModuleSpec, Quiz, Reading
from .questions import QUESTION_TYPES, Question
from .yamlnodes import Map, Seq, parse_yaml, split_front_matter

MEDIA_PREFIX = "leerlijn-media:"  # replaced by the media URL when a page is shown
MAX_MAX_LENGTH = 100_000

READING_KEYS = {"title", "minutes", "remember"}
QUIZ_KEYS = {"pass_mark", "questions"}
ASSIGNMENT_KEYS = {"title", "fields", "rubric"}
FIELD_KEYS = {"id", "label", "help", "max_length"}
CRITERION_KEYS = {"id", "title", "description", "field", "levels"}
LEVEL_KEYS = {"id", "title", "points", "description"}

_IMAGE_MD = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_LINK_MD = re.compile(r"(?<!!)\[[^\]]+\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_IMG_HTML = re.compile(r"<img\b[^>]*\bsrc=\"([^\"]+)\"", re.IGNORECASE)
_SRC_ATTR = re.compile(r"(<img\b[^>]*?\bsrc=\")([^\"]+)(\")", re.IGNORECASE)
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
# Ids the module page itself uses (templates/learn/module.html, base.html). A heading
# "Quiz" in a reading would otherwise get id="quiz", and the page's own "#quiz" links
# (and the redirect after "I have read this") would land in the middle of the text.
PAGE_IDS = frozenset({
    "main", "form-errors", "reading", "reading-title", "quiz", "quiz-title", "assignment",
    "assignment-title", "remember-title", "feedback-title", "submitted-title",
})
_HEADING_ID = re.compile(r'(<h[1-6]\b[^>]*\bid=")([^"]+)(")')
_HASH_HREF = re.compile(r'(<a\b[^>]*\bhref="#)([^"]+)(")')


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
    checker = Checker(path, problems)
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
        elif not EXTERNAL.match(target):
            problems.append(Problem(path, line, Msg("broken_link", target=target)))


def _check_image(path: Path, line: int, target: str, folder: Path, problems: list[Problem]) -> None:
    if EXTERNAL.match(target):
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
        if EXTERNAL.match(src) or src.startswith(("/", "#")):
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
    rubric = _read_rubric(check, check.seq(front, "rubric", front_matter), front, {f.id for f in fields})
    return Assignment(title, body, _media_html(html), fields, rubric)


def _read_fields(check: Checker, items: Seq, front: Map) -> list[Field]:
    if "fields" in front and isinstance(front["fields"], Seq) and not items:
        check.add(front.line_of("fields"), Msg("no_fields"))
    fields = []
    for f, where, field_id in check.rows(items, FIELD_KEYS, "where.field"):
        fields.append(Field(
            id=field_id,
            label=check.text(f, "label", where),
            help=check.text(f, "help", where, required=False),
            max_length=check.integer(f, "max_length", where, DEFAULT_MAX_LENGTH, 1, MAX_MAX_LENGTH),
        ))
    return fields


def _read_rubric(check: Checker, items: Seq, front: Map, field_ids: set[str]) -> list[Criterion]:
    if "rubric" in front and isinstance(front["rubric"], Seq) and not 3 <= len(items) <= 5:
        check.add(front.line_of("rubric"), Msg("rubric_size", count=len(items)))
    rubric = []
    for c, where, criterion_id in check.rows(items, CRITERION_KEYS, "where.criterion"):
        criterion = Criterion(
            id=criterion_id,
            title=check.text(c, "title", where),
            description=check.text(c, "description", where, required=False),
            field=check.text(c, "field", where, required=False),
        )
        if criterion.field and criterion.field not in field_ids:
            check.add(c.line_of("field"), Msg("criterion_field_unknown", value=criterion.field, where=where))
        levels = check.seq(c, "levels", where)
        if "levels" in c and isinstance(c["levels"], Seq) and not levels:
            check.add(c.line_of("levels"), Msg("no_levels", where=where))
        for lv, l_where, level_id in check.rows(levels, LEVEL_KEYS, "where.level", where=where):
            criterion.levels.append(Level(
                id=level_id,
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
