"""The typed content model: what a course folder holds, parsed once.

`spec.py` reads the files into these objects (collecting every problem with file and
line); `loader.py` stores them; the rest of the site reads them back through
`CourseModule.quiz_spec` / `CourseModule.assignment_spec`, never through string keys.

Storage: a quiz and an assignment are kept in the JSON columns of `CourseModule`
(`to_json` / `from_json`). Every text keeps both its Markdown source (for the editor
and `flask content export`) and its HTML (rendered once, at load). Rows stored before
the sources were kept read back with empty sources.

Questions are typed per kind: see `course/content/questions/` (the registry).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .questions.base import Question

DEFAULT_MAX_LENGTH = 20_000


# ---- reading -----------------------------------------------------------------


@dataclass
class Reading:
    title: str
    minutes: int
    remember: list[str]
    body: str              # the Markdown after the front matter, exactly as written
    html: str = ""         # rendered, anchors made unique, images pointed at the media route
    toc: list[dict] = field(default_factory=list)


# ---- quiz --------------------------------------------------------------------


@dataclass
class Quiz:
    pass_mark: int | None
    questions: list[Question]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def to_json(self) -> dict:
        return {"pass_mark": self.pass_mark, "questions": [q.to_json() for q in self.questions]}

    @classmethod
    def from_json(cls, data: dict | None) -> Quiz | None:
        if not data:
            return None
        from .questions import question_from_json

        questions = [question_from_json(q) for q in data.get("questions") or []]
        return cls(data.get("pass_mark"), [q for q in questions if q is not None])

    def to_file(self) -> dict:
        result: dict = {}
        if self.pass_mark is not None:
            result["pass_mark"] = self.pass_mark
        result["questions"] = [q.to_file() for q in self.questions]
        return result


# ---- assignment ----------------------------------------------------------------


@dataclass
class Field:
    id: str
    label: str
    help: str = ""
    max_length: int = DEFAULT_MAX_LENGTH

    def to_file(self) -> dict:
        result = {"id": self.id, "label": self.label}
        if self.help:
            result["help"] = self.help
        if self.max_length != DEFAULT_MAX_LENGTH:
            result["max_length"] = self.max_length
        return result


@dataclass
class Level:
    id: str
    title: str
    points: int
    description: str = ""

    def to_file(self) -> dict:
        result = {"id": self.id, "title": self.title, "points": self.points}
        if self.description:
            result["description"] = self.description
        return result


@dataclass
class Criterion:
    id: str
    title: str
    description: str = ""
    levels: list[Level] = field(default_factory=list)
    field: str = ""  # the id of the answer field it concerns; "" = the whole assignment

    @property
    def max_points(self) -> int:
        return max((level.points for level in self.levels), default=0)

    def level(self, level_id: str) -> Level | None:
        return next((lv for lv in self.levels if lv.id == level_id), None)

    def to_file(self) -> dict:
        result = {"id": self.id, "title": self.title}
        if self.description:
            result["description"] = self.description
        if self.field:
            result["field"] = self.field
        result["levels"] = [level.to_file() for level in self.levels]
        return result


@dataclass
class Assignment:
    title: str
    prompt: str            # the Markdown after the front matter, exactly as written
    prompt_html: str
    fields: list[Field]
    rubric: list[Criterion]

    @property
    def max_points(self) -> int:
        return sum(c.max_points for c in self.rubric)

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.rubric if c.id == criterion_id), None)

    def field_labels(self) -> dict[str, str]:
        return {f.id: f.label for f in self.fields}

    def level_titles(self) -> dict[tuple[str, str], str]:
        return {(c.id, lv.id): lv.title for c in self.rubric for lv in c.levels}

    def to_json(self) -> dict:
        return {
            "title": self.title, "prompt": self.prompt, "prompt_html": self.prompt_html,
            "fields": [{"id": f.id, "label": f.label, "help": f.help, "max_length": f.max_length}
                       for f in self.fields],
            "rubric": [{"id": c.id, "title": c.title, "description": c.description, "field": c.field,
                        "levels": [{"id": lv.id, "title": lv.title, "points": lv.points,
                                    "description": lv.description} for lv in c.levels]}
                       for c in self.rubric],
        }

    @classmethod
    def from_json(cls, data: dict | None) -> Assignment | None:
        if not data:
            return None
        return cls(
            title=data.get("title", ""), prompt=data.get("prompt", ""), prompt_html=data.get("prompt_html", ""),
            fields=[Field(f["id"], f.get("label", ""), f.get("help") or "", f.get("max_length") or DEFAULT_MAX_LENGTH)
                    for f in data.get("fields") or []],
            rubric=[Criterion(c["id"], c.get("title", ""), c.get("description") or "",
                              [Level(lv["id"], lv.get("title", ""), lv.get("points", 0), lv.get("description") or "")
                               for lv in c.get("levels") or []], c.get("field") or "")
                    for c in data.get("rubric") or []],
        )

    def front_matter(self) -> dict:
        return {"title": self.title, "fields": [f.to_file() for f in self.fields],
                "rubric": [c.to_file() for c in self.rubric]}


# ---- module and course -----------------------------------------------------------


@dataclass
class ModuleSpec:
    slug: str
    position: int
    reading: Reading
    quiz: Quiz | None = None
    assignment: Assignment | None = None
    media: list[str] = field(default_factory=list)   # image file names in the module folder
    content_version: str = ""


@dataclass
class CourseSpec:
    """One course folder. `settings` are the course columns read from course.yml
    (see `spec._course_fields`); `file` is course.yml itself as plain data, kept so
    that `flask content export` writes back every key, including ones added later."""

    slug: str
    source_path: str
    settings: dict
    file: dict
    modules: list[ModuleSpec] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    modules_line: int = 1
    content_version: str = ""

    @property
    def title(self) -> str:
        return self.settings.get("title", "")

    def module(self, slug: str) -> ModuleSpec | None:
        return next((m for m in self.modules if m.slug == slug), None)
