"""From a file to form values and back: course.yml, reading.md, quiz.yml (its
settings) and assignment.md. Pure functions, no database.

Form values are keyed by the key path in the file ("quiz.pass_mark", "fields.0.label",
"body"), the key paths the checker's messages are mapped to (folder.problem_key).
What the author typed is written as typed (a number only when it is one), so a
wrong value reaches the checker and its message, never a crash or a lost text.
Keys the editor does not show are kept as they were.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .folder import dump_yaml, front_matter_file, lines, load_yaml, number_or_text, read_front_matter


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    kind: str = "text"       # text | markdown | lines | number | bool | choice (yes/no/unset) | language | colour
    hint: str = ""
    required: bool = False


SETTINGS_GROUPS = [
    (_l("About the course"), [
        Setting("title", _l("Title"), required=True),
        Setting("tagline", _l("Tagline"), hint=_l("One sentence for the catalogue.")),
        Setting("cover", _l("Cover image"), hint=_l("The file name of an image next to course.yml, e.g. omslag.jpg. "
                                                    "Shown on the catalogue and the course page.")),
        Setting("cover_alt", _l("Description of the cover image"),
                hint=_l("Required with a cover: what the image shows, for people who cannot see it.")),
        Setting("description", _l("Description"), "markdown", _l("What the course is about. Markdown."), True),
        Setting("audience", _l("Who it is for"), "markdown", _l("Markdown.")),
        Setting("takeaways", _l("What you take home"), "lines", _l("One per line.")),
        Setting("language", _l("Language of the course"), "language"),
        Setting("study_hours", _l("Study load in hours"), "number"),
    ]),
    (_l("Accreditation"), [
        Setting("accreditation.points", _l("Accreditation points"), "number"),
        Setting("accreditation.id", _l("Accreditation id"), hint=_l("Printed on the certificate.")),
        Setting("accreditation.body", _l("Accredited by")),
    ]),
    (_l("Enrolment and order"), [
        Setting("sequential", _l("Modules open one after another"), "bool",
                _l("A module opens once the one before it is done.")),
        Setting("open_enrolment", _l("Anyone with an account may enrol"), "bool"),
    ]),
    (_l("Quizzes and feedback"), [
        Setting("quiz.pass_mark", _l("Pass mark (percent)"), "number", _l("Default for every quiz; 70 when empty.")),
        Setting("quiz.max_attempts", _l("Attempts per quiz"), "number", _l("0 or empty: unlimited.")),
        Setting("quiz.cooldown_minutes", _l("Cooling-off after a failed attempt (minutes)"), "number",
                _l("0 or empty: none.")),
        Setting("feedback_days", _l("Working days for the trainer's feedback"), "number"),
        Setting("course_trainers_see_cohorts", _l("Course trainers also review in-company groups"), "choice",
                _l("Unset: as chosen on the staff page (Beheer → Cursussen en hun staf).")),
    ]),
    (_l("Certificate, badges and workbook"), [
        Setting("issuer", _l("Issuer of badges and certificate"), hint=_l("Empty: the platform's name.")),
        Setting("workbook.title", _l("Name of the workbook"), hint=_l("Empty: \"Mijn werkboek\".")),
        Setting("workbook.subtitle", _l("Subtitle of the workbook")),
        Setting("colours.primary", _l("Main colour"), "colour", _l("As #rrggbb, e.g. #0b5d6b.")),
        Setting("colours.accent", _l("Accent colour"), "colour", _l("As #rrggbb, e.g. #f2a900.")),
    ]),
    (_l("Live sessions (blended course)"), [
        Setting("attendance.sessions", _l("Live sessions to attend"), "number",
                _l("The course is complete only after this many sessions attended. Empty: none needed.")),
        Setting("attendance.hours", _l("Contact hours to attend"), "number",
                _l("Whole hours of attended live sessions, as Registerplein counts them. Empty: none needed.")),
    ]),
]
SETTINGS = [setting for _title, group in SETTINGS_GROUPS for setting in group]
COURSE_KEY_ORDER = ("format", "title", "cover", "cover_alt", "tagline", "description", "audience", "takeaways",
                    "language", "study_hours",
                    "accreditation", "sequential", "open_enrolment", "quiz", "feedback_days",
                    "course_trainers_see_cohorts", "issuer", "workbook", "attendance", "colours", "modules",
                    "retired")


def _get(data: dict, key: str):
    for part in key.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _set(data: dict, key: str, value) -> None:
    """Set a (dotted) key; an empty value removes it, and an emptied group with it."""
    parts = key.split(".")
    node = data
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    if value in ("", None, []):
        node.pop(parts[-1], None)
    else:
        node[parts[-1]] = value
    if len(parts) == 2 and not data[parts[0]]:
        data.pop(parts[0])


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "\n".join(str(item) for item in value if item is not None)
    return str(value)


# ---- course.yml -------------------------------------------------------------------


def settings_values(data: dict) -> dict[str, str]:
    values = {}
    for setting in SETTINGS:
        value = _get(data, setting.key)
        if setting.kind == "bool":
            values[setting.key] = "y" if value is True else ""
        elif setting.kind == "choice":
            values[setting.key] = as_text(value) if isinstance(value, bool) else ""
        elif setting.kind == "language":
            values[setting.key] = as_text(value) or "nl"
        else:
            values[setting.key] = as_text(value)
    return values


def settings_from_form(form) -> dict[str, str]:
    return {s.key: ("y" if form.get(s.key) else "") if s.kind == "bool" else (form.get(s.key) or "")
            for s in SETTINGS}


def ordered_course(data: dict) -> dict:
    ordered = {key: data[key] for key in COURSE_KEY_ORDER if key in data}
    ordered.update({key: value for key, value in data.items() if key not in ordered})
    return ordered


def course_file(existing: dict, values: dict[str, str]) -> bytes:
    data = dict(existing)
    data.setdefault("format", 1)
    for setting in SETTINGS:
        raw = values.get(setting.key, "")
        if setting.kind == "bool":
            value = bool(raw)
        elif setting.kind == "choice":
            value = {"true": True, "false": False}.get(raw, "")  # unset: the key leaves the file
        elif setting.kind == "number":
            value = number_or_text(raw)
        elif setting.kind == "lines":
            value = lines(raw)
        elif setting.kind in ("markdown",):
            # as typed (a block keeps its final line end, so an unchanged text is the same file)
            value = raw.replace("\r\n", "\n") if raw.strip() else ""
        else:
            value = raw.strip()
        if setting.required and value == "":
            data[setting.key] = ""  # the checker says it is empty
        else:
            _set(data, setting.key, value)
    return dump_yaml(ordered_course(data)).encode()


def with_modules(existing: dict, modules: list[str], retired: list[str]) -> bytes:
    data = dict(existing)
    data["modules"] = modules
    if retired:
        data["retired"] = retired
    else:
        data.pop("retired", None)
    return dump_yaml(ordered_course(data)).encode()


# ---- reading.md -------------------------------------------------------------------


def reading_values(text: str) -> dict[str, str] | None:
    front, body = read_front_matter(text)
    if front is None:
        return None
    return {"title": as_text(front.get("title")), "minutes": as_text(front.get("minutes")),
            "remember": as_text(front.get("remember")), "body": body.lstrip("\n")}


def reading_from_form(form) -> dict[str, str]:
    return {key: form.get(key) or "" for key in ("title", "minutes", "remember", "body")}


def reading_file(text: str, values: dict[str, str]) -> bytes:
    front, _body = read_front_matter(text)
    front = dict(front or {})
    front["title"] = values.get("title", "").strip()
    _set(front, "minutes", number_or_text(values.get("minutes", "")))
    _set(front, "remember", lines(values.get("remember", "")))
    ordered = {k: front[k] for k in ("title", "minutes", "remember") if k in front}
    ordered.update({k: v for k, v in front.items() if k not in ordered})
    return front_matter_file(ordered, values.get("body", "")).encode()


def reading_title(text: str, fallback: str) -> str:
    front, _body = read_front_matter(text)
    title = (front or {}).get("title")
    return str(title) if title else fallback


def new_reading(title: str) -> bytes:
    return front_matter_file({"title": title}, str(_l("Write the reading here.")) + "\n").encode()


def with_remember(text: str, remember: str) -> bytes:
    front, body = read_front_matter(text)
    front = dict(front or {})
    _set(front, "remember", lines(remember))
    return front_matter_file(front, body).encode()


# ---- quiz.yml (settings; the questions have their own editor) ---------------------


def quiz_data(text: str) -> dict | None:
    data = load_yaml(text)
    return data if isinstance(data, dict) else None


def quiz_file(data: dict, pass_mark: str) -> bytes:
    data = dict(data)
    _set(data, "pass_mark", number_or_text(pass_mark))
    ordered = {k: data[k] for k in ("pass_mark", "questions") if k in data}
    ordered.update({k: v for k, v in data.items() if k not in ordered})
    return dump_yaml(ordered).encode()


def new_quiz() -> bytes:
    return dump_yaml({"questions": [{
        "id": "vraag-1", "type": "single", "text": str(_l("Write the question here.")),
        "options": [
            {"id": "a", "text": str(_l("The right answer")), "correct": True, "feedback": str(_l("Right."))},
            {"id": "b", "text": str(_l("A wrong answer")), "correct": False, "feedback": str(_l("Not quite."))},
        ]}]}).encode()


# ---- assignment.md ----------------------------------------------------------------

FIELD_KEYS = ("id", "label", "help", "max_length")
CRITERION_KEYS = ("id", "title", "description", "field")
LEVEL_KEYS = ("id", "title", "points", "description")


def assignment_values(text: str) -> dict | None:
    """{"title", "body", "fields": [{...}], "rubric": [{..., "levels": [{...}]}]} as text."""
    front, body = read_front_matter(text)
    if front is None:
        return None
    fields = front.get("fields") if isinstance(front.get("fields"), list) else []
    rubric = front.get("rubric") if isinstance(front.get("rubric"), list) else []
    return {
        "title": as_text(front.get("title")), "body": body.lstrip("\n"),
        "fields": [{k: as_text(f.get(k)) for k in FIELD_KEYS} for f in fields if isinstance(f, dict)],
        "rubric": [{**{k: as_text(c.get(k)) for k in CRITERION_KEYS},
                    "levels": [{k: as_text(lv.get(k)) for k in LEVEL_KEYS}
                               for lv in (c.get("levels") if isinstance(c.get("levels"), list) else [])
                               if isinstance(lv, dict)]}
                   for c in rubric if isinstance(c, dict)],
    }


_INDEX = re.compile(r"^(fields|rubric)\.(\d{1,3})\.(?:levels\.(\d{1,3})\.)?([a-z_]+)$")


def assignment_from_form(form) -> dict:
    """The rows the author filled in, in order; a row marked "remove" or left empty is dropped."""
    fields: dict[int, dict] = {}
    criteria: dict[int, dict] = {}
    for name in form:
        match = _INDEX.match(name)
        if not match:
            continue
        group, index, level, key = match.group(1), int(match.group(2)), match.group(3), match.group(4)
        value = form.get(name) or ""
        if group == "fields":
            fields.setdefault(index, {})[key] = value
        elif level is None:
            criteria.setdefault(index, {"levels": {}})[key] = value
        else:
            criteria.setdefault(index, {"levels": {}})["levels"].setdefault(int(level), {})[key] = value

    def kept(row: dict, keys) -> bool:
        return not row.get("remove") and any((row.get(k) or "").strip() for k in keys)

    rubric = []
    for _index, criterion in sorted(criteria.items()):
        levels = [{k: lv.get(k, "") for k in LEVEL_KEYS} for _i, lv in sorted(criterion["levels"].items())
                  if kept(lv, LEVEL_KEYS)]
        if kept(criterion, CRITERION_KEYS) or levels and not criterion.get("remove"):
            rubric.append({**{k: criterion.get(k, "") for k in CRITERION_KEYS}, "levels": levels})
    return {
        "title": form.get("title") or "", "body": form.get("body") or "",
        "fields": [{k: row.get(k, "") for k in FIELD_KEYS} for _i, row in sorted(fields.items())
                   if kept(row, FIELD_KEYS)],
        "rubric": rubric,
    }


def _clean(row: dict, keys, numbers=()) -> dict:
    result = {}
    for key in keys:
        value = (row.get(key) or "").strip()
        if value:
            result[key] = number_or_text(value) if key in numbers else value
    return result


def assignment_file(text: str, values: dict) -> bytes:
    front, _body = read_front_matter(text)
    front = dict(front or {})
    front["title"] = values["title"].strip()
    front["fields"] = [_clean(f, FIELD_KEYS, ("max_length",)) for f in values["fields"]]
    rubric = []
    for criterion in values["rubric"]:
        entry = _clean(criterion, CRITERION_KEYS)
        entry["levels"] = [_clean(lv, LEVEL_KEYS, ("points",)) for lv in criterion["levels"]]
        rubric.append(entry)
    front["rubric"] = rubric
    ordered = {k: front[k] for k in ("title", "fields", "rubric") if k in front}
    ordered.update({k: v for k, v in front.items() if k not in ordered})
    return front_matter_file(ordered, values["body"]).encode()


def new_assignment(title: str) -> bytes:
    levels = [{"id": "onvoldoende", "title": str(_l("Not yet")), "points": 0},
              {"id": "goed", "title": str(_l("Good")), "points": 2}]
    front = {
        "title": title,
        "fields": [{"id": "antwoord", "label": str(_l("Your answer"))}],
        "rubric": [{"id": f"criterium-{n}", "title": str(_l("Criterion %(number)d", number=n)),
                    "levels": [dict(level) for level in levels]} for n in (1, 2, 3)],
    }
    return front_matter_file(front, str(_l("Describe the assignment here.")) + "\n").encode()


# ---- one quiz question, through the question-type registry's editor hooks ---------

_ROW = re.compile(r"^(?P<rows>[a-z]+)-(?P<index>\d{1,3})-(?P<field>[a-z_]+)$")


def question_values(cls, data: dict) -> dict[str, str]:
    """Form values of a quiz.yml question mapping, named as the type's EDITOR says."""
    def value(v) -> str:
        if isinstance(v, bool):
            return "y" if v else ""
        return "" if v is None else str(v)

    values = {f.name: value(data.get(f.name)) for f in cls.EDITOR.fields}
    rows = cls.EDITOR.rows
    if rows is not None:
        items = data.get(rows.name) if isinstance(data.get(rows.name), list) else []
        for index, row in enumerate(items):
            row = row if isinstance(row, dict) else {}
            for f in rows.fields:
                values[f"{rows.name}-{index}-{f.name}"] = value(row.get(f.name))
    return values


def row_count(cls, values: dict[str, str]) -> int:
    rows = cls.EDITOR.rows
    if rows is None:
        return 0
    indices = [int(m.group("index")) for key in values if (m := _ROW.match(key)) and m.group("rows") == rows.name]
    return max(indices, default=-1) + 1


def question_from_form(cls, form) -> dict:
    """The quiz.yml mapping of a posted question: rows marked "remove" are left out (the
    rest renumbered), then the type's own `from_form` builds it."""
    rows = cls.EDITOR.rows
    data = {f.name: form.get(f.name, "") for f in cls.EDITOR.fields}
    if rows is not None:
        kept = 0
        for index in range(row_count(cls, {k: "" for k in form})):
            if form.get(f"{rows.name}-{index}-remove"):
                continue
            for f in rows.fields:
                data[f"{rows.name}-{kept}-{f.name}"] = form.get(f"{rows.name}-{index}-{f.name}", "")
            kept += 1
    return cls.from_form(data)


def question_messages(messages: dict[str, list[str]], index: int) -> dict[str, list[str]]:
    """The checker's messages on quiz.yml for question `index`, keyed by the form's names
    ("options.2.text" → "options-2-text")."""
    prefix = f"questions.{index}"
    result: dict[str, list[str]] = {}
    for key, items in messages.items():
        if key != prefix and not key.startswith(prefix + "."):
            continue
        rest = key[len(prefix) + 1:]
        parts = rest.split(".")
        name = f"{parts[0]}-{parts[1]}-{parts[2]}" if len(parts) >= 3 else parts[0] if rest else ""
        result.setdefault(name, []).extend(items)
    return result


def quiz_with_question(data: dict, index: int | None, question: dict) -> bytes:
    """quiz.yml with question `index` replaced (None: added at the end)."""
    data = dict(data)
    questions = list(data.get("questions") or []) if isinstance(data.get("questions"), list) else []
    if index is None:
        questions.append(question)
    else:
        questions[index] = question
    data["questions"] = questions
    return quiz_file(data, as_text(data.get("pass_mark")))


def free_question_id(data: dict) -> str:
    taken = {str(q.get("id")) for q in data.get("questions") or [] if isinstance(q, dict)}
    number = len(taken) + 1
    while f"vraag-{number}" in taken:
        number += 1
    return f"vraag-{number}"
