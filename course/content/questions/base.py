"""What every question type declares, in one class per type.

A type is a dataclass subclass of `Question`, registered with `@register`. It declares:

- **schema and checks**: `KEYS` (the keys it allows in quiz.yml) and `read_parts()`,
  which reads its own keys with the checker and reports `file:line: message` problems
  (its own messages in `MESSAGES`, English and Dutch);
  `to_file()` writes them back (the folder format) and `to_json()`/`from_json()` store them;
- **rendering**: `TEMPLATE`, `templates/learn/questions/<type>.html`, with the macros
  `ask(q, values, error, lang)` (the question on the quiz page, from `display()`) and
  `result(q, grade, lang)` (the question on the result page);
- **grading and feedback**: `read_answer(form)` (the learner's answer as a list of
  strings, as stored in `QuizAttempt.answers`) and `grade(answer)` (a `Grade`);
- **item analysis**: `wrong_parts(answer)` (what was wrong in one answer; the trainer's
  analysis shows the part that was wrong most often);
- **the editor**: `EDITOR` (the form fields it needs) with `to_form()` / `from_form()`,
  which turn a question into form values and form data back into the quiz.yml mapping.
"""
from __future__ import annotations

import enum
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from flask_babel import lazy_gettext as _l

from ..checker import Checker, inline_html
from ..messages import Msg
from ..yamlnodes import Map, Seq

ANSWER_PREFIX = "q-"


class QuizFormTampered(Exception):
    """The form does not match the quiz: an unknown option or field, or several
    answers to a one-answer question. Answered with 400."""


@dataclass
class Unanswered(Exception):
    """The learner left questions open or incomplete (their ids, in quiz order), with
    what to do per question (`reasons`, shown beside the question)."""

    question_ids: list[str]
    reasons: dict[str, str] = field(default_factory=dict)


class AnswerIncomplete(Exception):
    """One question is not (fully) answered; the message says what is missing."""

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message


class Verdict(enum.Enum):
    """How one answer is judged; carries its label and its CSS class."""

    CORRECT = "correct"
    PARTIAL = "partial"
    WRONG = "wrong"

    @property
    def label(self) -> str:
        return str({Verdict.CORRECT: _l("Correct"), Verdict.PARTIAL: _l("Partly correct"),
                    Verdict.WRONG: _l("Not correct")}[self])

    @property
    def css(self) -> str:
        return {Verdict.CORRECT: "status--done", Verdict.PARTIAL: "status--waiting",
                Verdict.WRONG: "status--problem"}[self]


class Mark(enum.Enum):
    """One part of an answer on the result page."""

    RIGHT = "right"      # chosen and right, or in the right place
    WRONG = "wrong"      # chosen but wrong, or in the wrong place
    MISSED = "missed"    # a right option the learner did not choose

    @property
    def label(self) -> str:
        return str({Mark.RIGHT: _l("right"), Mark.WRONG: _l("wrong"), Mark.MISSED: _l("missed")}[self])


@dataclass
class GradeLine:
    """One line of feedback: a part of the answer, how it was judged, and its feedback."""

    label_html: str
    mark: Mark
    feedback_html: str = ""
    detail_html: str = ""        # e.g. "you put it in place 3; it belongs in place 1"


@dataclass
class Grade:
    points: int
    max_points: int
    verdict: Verdict
    lines: list[GradeLine] = field(default_factory=list)
    feedback_html: str = ""      # the question's own explanation (ordering, matching)

    @property
    def correct(self) -> bool:
        return self.verdict is Verdict.CORRECT


def verdict_for(points: int, max_points: int, some_right: bool | None = None) -> Verdict:
    """All points: correct. Some right (by default: some points): partly correct."""
    if max_points and points >= max_points:
        return Verdict.CORRECT
    if some_right if some_right is not None else points > 0:
        return Verdict.PARTIAL
    return Verdict.WRONG


def part_line(label_html: str, right: bool, detail_html: str = "") -> GradeLine:
    """One part of an answer (a match, an item's place): right or wrong, with a detail."""
    return GradeLine(label_html, Mark.RIGHT if right else Mark.WRONG, detail_html=detail_html)


def grade_parts(lines: list[GradeLine], max_points: int, out_of: int, feedback_html: str = "") -> Grade:
    """One point per right part; the verdict from the right parts out of `out_of`."""
    points = sum(1 for line in lines if line.mark is Mark.RIGHT)
    return Grade(points, max_points, verdict_for(points, out_of), lines, feedback_html)


# ---- reading a type's rows from quiz.yml ---------------------------------------------


def read_rows(check: Checker, q: Map, key: str, where, where_key: str, keys: set[str]):
    """The rows of a question's list (options, pairs, items), as `Checker.rows`: for each
    row that is a mapping, (row, where the row is, its id)."""
    return check.rows(check.seq(q, key, where), keys, where_key, where=where)


def check_row_count(check: Checker, q: Map, key: str, where, count: int, low: int, high: int,
                    message: str) -> None:
    """`message` (with where, low, high, count) when the list has too few or too many rows."""
    if key in q and isinstance(q[key], Seq) and not low <= count <= high:
        check.add(q.line_of(key), Msg(message, where=where, low=low, high=high, count=count))


# ---- the editor's description of a type ------------------------------------------------


@dataclass(frozen=True)
class EditorField:
    """One input. kind: "id" (a slug), "text" (one line), "markdown" (a text area),
    "boolean" (a check box)."""

    name: str
    label: str
    kind: str = "text"
    required: bool = True
    help: str = ""


@dataclass(frozen=True)
class EditorRows:
    """A repeated group of inputs (options, items, pairs): row i's field f is named
    `<prefix><name>-<i>-<f>`. Rows whose inputs are all empty are left out, so the editor
    may offer empty rows for adding."""

    name: str
    label: str
    fields: tuple[EditorField, ...]
    min_rows: int = 2


@dataclass(frozen=True)
class EditorSchema:
    fields: tuple[EditorField, ...]
    rows: EditorRows | None = None


QUESTION_FIELDS = (
    EditorField("id", _l("Question id"), "id", help=_l("Lowercase letters, digits and dashes. Do not change it "
                                                       "once learners have answered.")),
    EditorField("text", _l("Question"), "markdown"),
)


def explanation_field(help_text) -> EditorField:
    """The editor's field for the explanation shown after submitting (`feedback` in
    quiz.yml), for a type whose parts have no feedback of their own."""
    return EditorField("feedback", _l("Explanation after submitting"), "markdown", help=help_text)


def read_explanation(check: Checker, q: Map, where) -> dict[str, str]:
    """The question's explanation after submitting, as the `feedback` and `feedback_html` arguments."""
    feedback = check.text(q, "feedback", where)
    return {"feedback": feedback, "feedback_html": inline_html(feedback)}


# ---- the base class -------------------------------------------------------------------


@dataclass
class Question:
    TYPE: ClassVar[str] = ""
    KEYS: ClassVar[frozenset[str]] = frozenset({"id", "type", "text"})
    LABEL: ClassVar[str] = ""
    EDITOR: ClassVar[EditorSchema] = EditorSchema(QUESTION_FIELDS)
    MESSAGES: ClassVar[dict] = {}   # the type's own checker messages: {id: (English, Dutch)}

    id: str
    text: str            # Markdown source, as written in quiz.yml
    text_html: str

    # -- identity
    @property
    def type(self) -> str:
        return self.TYPE

    @property
    def template(self) -> str:
        return f"learn/questions/{self.TYPE}.html"

    # -- schema and checks
    @classmethod
    def read_parts(cls, check: Checker, q: Map, where: str, base: dict) -> Question | None:
        """Read the type's own keys of mapping `q` (id, type and text are in `base`),
        reporting problems through `check`. Returns the question (also when it has
        problems: the report decides; nothing with problems is loaded)."""
        raise NotImplementedError

    def to_file(self) -> dict:
        """The quiz.yml mapping of this question (`read_parts` reads it back unchanged)."""
        return {"id": self.id, "type": self.TYPE, "text": self.text, **self.parts_to_file()}

    def parts_to_file(self) -> dict:
        raise NotImplementedError

    def to_json(self) -> dict:
        return {"id": self.id, "type": self.TYPE, "text": self.text, "text_html": self.text_html,
                **self.parts_to_json()}

    def parts_to_json(self) -> dict:
        raise NotImplementedError

    @classmethod
    def from_json(cls, data: dict) -> Question:
        raise NotImplementedError

    # -- the learner's side
    def display(self, rng: random.Random) -> dict:
        """What the quiz page shows: never the answer or the feedback."""
        raise NotImplementedError

    def form_keys(self) -> set[str]:
        """The form fields this question may send."""
        return {ANSWER_PREFIX + self.id}

    def read_answer(self, form) -> list[str]:
        """The answer from a MultiDict-like form, as stored in QuizAttempt.answers.
        Raises QuizFormTampered (could not come from our form) or AnswerIncomplete."""
        raise NotImplementedError

    def grade(self, answer: list[str]) -> Grade:
        raise NotImplementedError

    @property
    def max_points(self) -> int:
        return 1

    def example_form(self, right: bool) -> dict[str, list[str]]:
        """Form data answering this question right (or wrong): for demo data and tests."""
        raise NotImplementedError

    def answer_lines(self, answer: list[str]) -> list[str]:
        """One readable line (HTML from the course files) per part of a stored answer, in
        the answer's order; "" for a part the quiz no longer has."""
        raise NotImplementedError

    def answer_html(self, answer: list[str]) -> list[str]:
        """The answer as readable lines, for trainer views."""
        return [line for line in self.answer_lines(answer) if line]

    # -- item analysis
    def wrong_parts(self, answer: list[str]) -> list[str]:
        """The parts of one answer that were wrong, as HTML labels; the analysis counts them."""
        raise NotImplementedError

    # -- the editor
    def to_form(self, prefix: str = "") -> dict[str, str]:
        """Form values for the editor, named as in EDITOR (booleans "y" or "")."""
        values = {prefix + f.name: _form_value(self.to_file().get(f.name, "")) for f in self.EDITOR.fields}
        rows = self.EDITOR.rows
        if rows is not None:
            for index, row in enumerate(self.to_file().get(rows.name, [])):
                for f in rows.fields:
                    values[f"{prefix}{rows.name}-{index}-{f.name}"] = _form_value(row.get(f.name, ""))
        return values

    @classmethod
    def from_form(cls, form, prefix: str = "") -> dict:
        """The quiz.yml mapping for form data (a MultiDict or dict) named as in EDITOR.
        Check the result with the content checker; nothing is validated here."""
        def get(name: str) -> str:
            value = form.get(name)
            return (value or "").strip() if isinstance(value, str) else ""

        data: dict = {}
        for f in cls.EDITOR.fields:
            data[f.name] = _from_form_value(f, get(prefix + f.name))
        data = {"id": data.pop("id", ""), "type": cls.TYPE, **data}
        rows = cls.EDITOR.rows
        if rows is not None:
            items = []
            index = 0
            while any(f"{prefix}{rows.name}-{index}-{f.name}" in form for f in rows.fields):
                row = {f.name: _from_form_value(f, get(f"{prefix}{rows.name}-{index}-{f.name}")) for f in rows.fields}
                if any(v not in ("", False) for v in row.values()):
                    items.append(row)
                index += 1
            data[rows.name] = items
        return {key: value for key, value in data.items() if value != "" or key in ("id", "text")}


def _form_value(value) -> str:
    if isinstance(value, bool):
        return "y" if value else ""
    return "" if value is None else str(value)


def _from_form_value(spec: EditorField, value: str):
    if spec.kind == "boolean":
        return value.lower() in ("y", "on", "true", "1", "yes")
    return value


def shuffled(items: Iterable, rng: random.Random) -> list:
    items = list(items)
    rng.shuffle(items)
    return items
