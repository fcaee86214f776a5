"""Choice questions: `single` (one right option), `multiple` (one or more, with partial
credit) and `truefalse` (two options, shown in their own order)."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import ClassVar

from flask_babel import lazy_gettext as _l

from ..checker import Checker, inline_html
from ..messages import Msg
from ..yamlnodes import Map, Seq
from . import register
from .base import (
    ANSWER_PREFIX,
    QUESTION_FIELDS,
    AnswerIncomplete,
    EditorField,
    EditorRows,
    EditorSchema,
    Grade,
    GradeLine,
    Mark,
    Question,
    QuizFormTampered,
    Verdict,
    read_rows,
    verdict_for,
)

OPTION_KEYS = {"id", "text", "correct", "feedback"}
OPTION_ROWS = EditorRows("options", _l("Options"), (
    EditorField("id", _l("Option id"), "id"),
    EditorField("text", _l("Option"), "text"),
    EditorField("correct", _l("This option is right"), "boolean", required=False),
    EditorField("feedback", _l("Feedback on this option"), "markdown",
                help=_l("Shown after submitting, when the learner chose this option.")),
))


@dataclass
class Option:
    id: str
    text: str
    text_html: str
    correct: bool
    feedback: str
    feedback_html: str

    def to_file(self) -> dict:
        return {"id": self.id, "text": self.text, "correct": self.correct, "feedback": self.feedback}

    def to_json(self) -> dict:
        return {"id": self.id, "text": self.text, "text_html": self.text_html, "correct": self.correct,
                "feedback": self.feedback, "feedback_html": self.feedback_html}

    @classmethod
    def from_json(cls, data: dict) -> Option:
        return cls(data["id"], data.get("text", ""), data.get("text_html", ""), bool(data.get("correct")),
                   data.get("feedback", ""), data.get("feedback_html", ""))


@dataclass
class ChoiceQuestion(Question):
    KEYS: ClassVar[frozenset[str]] = frozenset({"id", "type", "text", "options"})
    EDITOR: ClassVar[EditorSchema] = EditorSchema(QUESTION_FIELDS, OPTION_ROWS)
    SHUFFLE: ClassVar[bool] = True
    MANY: ClassVar[bool] = False        # may the learner choose several options?

    options: list[Option] = field(default_factory=list)

    # -- schema and checks
    @classmethod
    def read_parts(cls, check: Checker, q: Map, where: str, base: dict) -> ChoiceQuestion:
        options = []
        for o, o_where, oid in read_rows(check, q, "options", where, "where.option", OPTION_KEYS):
            text = check.text(o, "text", o_where)
            if "correct" not in o:
                check.add(o.line, Msg("missing_field", key="correct", where=o_where))
            correct = check.boolean(o, "correct", False)
            feedback = check.text(o, "feedback", o_where)
            options.append(Option(oid, text, inline_html(text), correct, feedback, inline_html(feedback)))
        question = cls(**base, options=options)
        if "options" in q and isinstance(q["options"], Seq):
            question.check_options(check, q.line_of("options"), where)
        return question

    def check_options(self, check: Checker, line: int, where: str) -> None:
        if len(self.options) < 2:
            check.add(line, Msg("too_few_options", where=where))
        self.check_count(check, line, where)
        correct = len(self.correct_ids)
        if not correct:
            check.add(line, Msg("no_correct_answer", where=where))
        elif not self.MANY and correct > 1:
            check.add(line, Msg("too_many_correct", where=where, kind=self.TYPE, correct=correct))

    def check_count(self, check: Checker, line: int, where: str) -> None:
        """A type that needs a fixed number of options says so here."""

    def parts_to_file(self) -> dict:
        return {"options": [o.to_file() for o in self.options]}

    def parts_to_json(self) -> dict:
        return {"options": [o.to_json() for o in self.options]}

    @classmethod
    def from_json(cls, data: dict) -> ChoiceQuestion:
        return cls(data["id"], data.get("text", ""), data.get("text_html", ""),
                   [Option.from_json(o) for o in data.get("options") or []])

    # -- the learner's side
    @property
    def correct_ids(self) -> set[str]:
        return {o.id for o in self.options if o.correct}

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def display(self, rng: random.Random) -> dict:
        options = [{"id": o.id, "text_html": o.text_html} for o in self.options]
        if self.SHUFFLE:
            rng.shuffle(options)
        return {"id": self.id, "type": self.TYPE, "template": self.template, "text_html": self.text_html,
                "options": options}

    def read_answer(self, form) -> list[str]:
        values = [v for v in form.getlist(ANSWER_PREFIX + self.id) if v != ""]
        known = {o.id for o in self.options}
        unknown = [v for v in values if v not in known]
        if unknown:
            raise QuizFormTampered(f"unknown option '{unknown[0]}' for question '{self.id}'")
        if len(set(values)) != len(values):
            raise QuizFormTampered(f"an option was sent twice for question '{self.id}'")
        if not self.MANY and len(values) > 1:
            raise QuizFormTampered(f"several answers for one-answer question '{self.id}'")
        if not values:
            raise AnswerIncomplete()
        return values

    def grade(self, answer: list[str]) -> Grade:
        chosen = set(answer)
        right = self.correct_ids
        points = 1 if chosen == right else 0
        return Grade(points, 1, Verdict.CORRECT if points else Verdict.WRONG, self._lines(answer))

    def _lines(self, answer: list[str]) -> list[GradeLine]:
        """Every chosen option with its feedback, in the quiz's order; then the right
        options that were not chosen (for multiple choice)."""
        chosen = set(answer)
        lines = [GradeLine(o.text_html, Mark.RIGHT if o.correct else Mark.WRONG, o.feedback_html)
                 for o in self.options if o.id in chosen]
        if self.MANY:
            lines += [GradeLine(o.text_html, Mark.MISSED, o.feedback_html)
                      for o in self.options if o.correct and o.id not in chosen]
        return lines

    def example_form(self, right: bool) -> dict[str, list[str]]:
        if right:
            return {ANSWER_PREFIX + self.id: [o.id for o in self.options if o.correct]}
        wrong = next((o.id for o in self.options if not o.correct), self.options[0].id)
        return {ANSWER_PREFIX + self.id: [wrong]}

    def answer_lines(self, answer: list[str]) -> list[str]:
        texts = {o.id: o.text_html for o in self.options}
        return [texts.get(part, "") for part in answer]

    def wrong_parts(self, answer: list[str]) -> list[str]:
        return [o.text_html for o in self.options if o.id in set(answer) and not o.correct]


@register
@dataclass
class SingleChoice(ChoiceQuestion):
    TYPE: ClassVar[str] = "single"
    LABEL: ClassVar[str] = _l("One right answer")


@register
@dataclass
class MultipleChoice(ChoiceQuestion):
    """Partial credit: one point per right option, less one per wrong option chosen
    (never below 0). Partly correct as soon as one right option was chosen."""

    TYPE: ClassVar[str] = "multiple"
    LABEL: ClassVar[str] = _l("One or more right answers")
    MANY: ClassVar[bool] = True

    @property
    def max_points(self) -> int:
        return max(1, len(self.correct_ids))

    def grade(self, answer: list[str]) -> Grade:
        chosen = set(answer)
        right = self.correct_ids
        hits, misses = len(chosen & right), len(chosen - right)
        points = len(right) if chosen == right else max(0, min(hits - misses, len(right) - 1))
        verdict = Verdict.CORRECT if chosen == right else verdict_for(0, len(right), some_right=hits > 0)
        return Grade(points, self.max_points, verdict, self._lines(answer))


@register
@dataclass
class TrueFalse(ChoiceQuestion):
    TYPE: ClassVar[str] = "truefalse"
    LABEL: ClassVar[str] = _l("True or false")
    SHUFFLE: ClassVar[bool] = False

    def check_count(self, check: Checker, line: int, where: str) -> None:
        if len(self.options) != 2:
            check.add(line, Msg("truefalse_two_options", where=where))
