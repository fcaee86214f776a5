"""`matching`: match each item to what belongs with it.

quiz.yml lists pairs (`text` and its `match`). The quiz shows each text with a select
box of all matches, shuffled, so it works without JavaScript and by keyboard. The
answer is stored as "<pair id>=<chosen pair id>" per pair. One point per right match;
partly correct when some, but not all, are right.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..checker import Checker, inline_html
from ..messages import Msg
from ..yamlnodes import Map
from . import register
from .base import (
    ANSWER_PREFIX,
    QUESTION_FIELDS,
    AnswerIncomplete,
    EditorField,
    EditorRows,
    EditorSchema,
    Grade,
    Question,
    QuizFormTampered,
    check_row_count,
    explanation_field,
    grade_parts,
    part_line,
    read_explanation,
    read_rows,
)

PAIR_KEYS = {"id", "text", "match"}
MIN_PAIRS, MAX_PAIRS = 2, 10
MESSAGES = {   # this type's checker messages (English, Dutch), added to messages.CATALOGUE
    "where.pair": ("pair {number} of {where}", "paar {number} van {where}"),
    "pair_count": ("{where} needs {low} to {high} pairs; it has {count}",
                   "{where} heeft {low} tot {high} paren nodig; er zijn er {count}"),
    "duplicate_match": ("the match '{value}' is used twice (also on line {line}): every match must be different",
                        "de bijpassende tekst '{value}' komt twee keer voor (ook op regel {line}): elke moet "
                        "anders zijn"),
}


@dataclass
class Pair:
    id: str
    text: str
    text_html: str
    match: str
    match_html: str


@register
@dataclass
class Matching(Question):
    MESSAGES: ClassVar[dict] = MESSAGES
    TYPE: ClassVar[str] = "matching"
    LABEL: ClassVar[str] = _l("Match")
    KEYS: ClassVar[frozenset[str]] = frozenset({"id", "type", "text", "pairs", "feedback"})
    EDITOR: ClassVar[EditorSchema] = EditorSchema(
        (*QUESTION_FIELDS, explanation_field(_l("Why these belong together."))),
        EditorRows("pairs", _l("Pairs"), (
            EditorField("id", _l("Pair id"), "id"),
            EditorField("text", _l("Item"), "text"),
            EditorField("match", _l("Belongs with"), "text"),
        ), min_rows=MIN_PAIRS),
    )

    pairs: list[Pair] = field(default_factory=list)
    feedback: str = ""
    feedback_html: str = ""

    # -- schema and checks
    @classmethod
    def read_parts(cls, check: Checker, q: Map, where: str, base: dict) -> Matching:
        matches: dict[str, int] = {}
        pairs = []
        for pair, p_where, pair_id in read_rows(check, q, "pairs", where, "where.pair", PAIR_KEYS):
            text = check.text(pair, "text", p_where)
            match = check.text(pair, "match", p_where)
            if match and match.casefold() in matches:
                check.add(pair.line_of("match"), Msg("duplicate_match", value=match, line=matches[match.casefold()]))
            elif match:
                matches[match.casefold()] = pair.line_of("match")
            pairs.append(Pair(pair_id, text, inline_html(text), match, inline_html(match)))
        check_row_count(check, q, "pairs", where, len(pairs), MIN_PAIRS, MAX_PAIRS, "pair_count")
        return cls(**base, pairs=pairs, **read_explanation(check, q, where))

    def parts_to_file(self) -> dict:
        return {"pairs": [{"id": p.id, "text": p.text, "match": p.match} for p in self.pairs],
                "feedback": self.feedback}

    def parts_to_json(self) -> dict:
        return {"pairs": [{"id": p.id, "text": p.text, "text_html": p.text_html, "match": p.match,
                           "match_html": p.match_html} for p in self.pairs],
                "feedback": self.feedback, "feedback_html": self.feedback_html}

    @classmethod
    def from_json(cls, data: dict) -> Matching:
        return cls(data["id"], data.get("text", ""), data.get("text_html", ""),
                   [Pair(p["id"], p.get("text", ""), p.get("text_html", ""), p.get("match", ""),
                         p.get("match_html", "")) for p in data.get("pairs") or []],
                   data.get("feedback", ""), data.get("feedback_html", ""))

    # -- the learner's side
    def field_name(self, pair_id: str) -> str:
        return f"{ANSWER_PREFIX}{self.id}-{pair_id}"

    @property
    def max_points(self) -> int:
        return max(1, len(self.pairs))

    def display(self, rng: random.Random) -> dict:
        choices = [{"id": p.id, "text_html": p.match_html} for p in self.pairs]
        rng.shuffle(choices)
        return {"id": self.id, "type": self.TYPE, "template": self.template, "text_html": self.text_html,
                "pairs": [{"id": p.id, "text_html": p.text_html, "field": self.field_name(p.id)} for p in self.pairs],
                "choices": choices}

    def form_keys(self) -> set[str]:
        return {self.field_name(p.id) for p in self.pairs}

    def read_answer(self, form) -> list[str]:
        known = {p.id for p in self.pairs}
        answer = []
        for pair in self.pairs:
            value = form.get(self.field_name(pair.id), "")
            if value == "":
                raise AnswerIncomplete(_("Choose a match for every item."))
            if value not in known:
                raise QuizFormTampered(f"unknown match '{value[:20]}' for question '{self.id}'")
            answer.append(f"{pair.id}={value}")
        return answer

    @staticmethod
    def _chosen(answer: list[str]) -> dict[str, str]:
        return dict(part.split("=", 1) for part in answer if "=" in part)

    def grade(self, answer: list[str]) -> Grade:
        chosen = self._chosen(answer)
        matches = {p.id: p.match_html for p in self.pairs}
        lines = []
        for pair in self.pairs:
            given = chosen.get(pair.id)
            right = given == pair.id
            detail = "" if right else _("belongs with: %(match)s", match=pair.match_html)
            lines.append(part_line(f"{pair.text_html} → {matches.get(given, '–')}", right, detail))
        return grade_parts(lines, self.max_points, len(self.pairs), self.feedback_html)

    def example_form(self, right: bool) -> dict[str, list[str]]:
        ids = [p.id for p in self.pairs]
        given = ids if right else ids[1:] + ids[:1]
        return {self.field_name(pair_id): [choice] for pair_id, choice in zip(ids, given, strict=True)}

    def answer_lines(self, answer: list[str]) -> list[str]:
        texts = {p.id: p.text_html for p in self.pairs}
        matches = {p.id: p.match_html for p in self.pairs}
        lines = []
        for part in answer:
            pair_id, _sep, given = part.partition("=")
            lines.append(f"{texts[pair_id]} → {matches.get(given, '–')}" if pair_id in texts else "")
        return lines

    # -- item analysis: each wrong match counts, as "item → chosen match"
    def wrong_parts(self, answer: list[str]) -> list[str]:
        chosen = self._chosen(answer)
        matches = {p.id: p.match_html for p in self.pairs}
        return [f"{p.text_html} → {matches.get(chosen[p.id], '–')}" for p in self.pairs
                if p.id in chosen and chosen[p.id] != p.id]
