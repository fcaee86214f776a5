"""`ordering`: put the items in the right order.

quiz.yml lists the items in the right order; the quiz shows them shuffled, each with a
select box of places (1, 2, 3, ...), so it works without JavaScript and by keyboard.
The answer is stored as the item ids in the learner's order. One point per item in its
right place; partly correct when some, but not all, are.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..checker import Checker, inline_html
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

ITEM_KEYS = {"id", "text"}
MIN_ITEMS, MAX_ITEMS = 2, 10
MESSAGES = {   # this type's checker messages (English, Dutch), added to messages.CATALOGUE
    "where.item": ("item {number} of {where}", "onderdeel {number} van {where}"),
    "item_count": ("{where} needs {low} to {high} items; it has {count}",
                   "{where} heeft {low} tot {high} onderdelen nodig; er zijn er {count}"),
}


@dataclass
class Item:
    id: str
    text: str
    text_html: str


@register
@dataclass
class Ordering(Question):
    MESSAGES: ClassVar[dict] = MESSAGES
    TYPE: ClassVar[str] = "ordering"
    LABEL: ClassVar[str] = _l("Put in order")
    KEYS: ClassVar[frozenset[str]] = frozenset({"id", "type", "text", "items", "feedback"})
    EDITOR: ClassVar[EditorSchema] = EditorSchema(
        (*QUESTION_FIELDS, explanation_field(_l("Why this is the right order."))),
        EditorRows("items", _l("Items, in the right order"), (
            EditorField("id", _l("Item id"), "id"),
            EditorField("text", _l("Item"), "text"),
        ), min_rows=MIN_ITEMS),
    )

    items: list[Item] = field(default_factory=list)     # in the right order
    feedback: str = ""
    feedback_html: str = ""

    # -- schema and checks
    @classmethod
    def read_parts(cls, check: Checker, q: Map, where: str, base: dict) -> Ordering:
        items = []
        for item, i_where, item_id in read_rows(check, q, "items", where, "where.item", ITEM_KEYS):
            text = check.text(item, "text", i_where)
            items.append(Item(item_id, text, inline_html(text)))
        check_row_count(check, q, "items", where, len(items), MIN_ITEMS, MAX_ITEMS, "item_count")
        return cls(**base, items=items, **read_explanation(check, q, where))

    def parts_to_file(self) -> dict:
        return {"items": [{"id": i.id, "text": i.text} for i in self.items], "feedback": self.feedback}

    def parts_to_json(self) -> dict:
        return {"items": [{"id": i.id, "text": i.text, "text_html": i.text_html} for i in self.items],
                "feedback": self.feedback, "feedback_html": self.feedback_html}

    @classmethod
    def from_json(cls, data: dict) -> Ordering:
        return cls(data["id"], data.get("text", ""), data.get("text_html", ""),
                   [Item(i["id"], i.get("text", ""), i.get("text_html", "")) for i in data.get("items") or []],
                   data.get("feedback", ""), data.get("feedback_html", ""))

    # -- the learner's side
    def field_name(self, item_id: str) -> str:
        return f"{ANSWER_PREFIX}{self.id}-{item_id}"

    @property
    def max_points(self) -> int:
        return max(1, len(self.items))

    def display(self, rng: random.Random) -> dict:
        items = [{"id": i.id, "text_html": i.text_html, "field": self.field_name(i.id)} for i in self.items]
        # never shown in the right order: that would give the answer away
        for _attempt in range(10):
            rng.shuffle(items)
            if len(items) < 2 or [i["id"] for i in items] != [i.id for i in self.items]:
                break
        return {"id": self.id, "type": self.TYPE, "template": self.template, "text_html": self.text_html,
                "items": items, "places": list(range(1, len(items) + 1))}

    def form_keys(self) -> set[str]:
        return {self.field_name(i.id) for i in self.items}

    def read_answer(self, form) -> list[str]:
        places: dict[str, int] = {}
        for item in self.items:
            value = form.get(self.field_name(item.id), "")
            if value == "":
                continue
            if not (value.isascii() and value.isdigit() and len(value) <= 3) or not 1 <= int(value) <= len(self.items):
                raise QuizFormTampered(f"place '{value[:20]}' for question '{self.id}'")
            places[item.id] = int(value)
        if len(places) < len(self.items):
            raise AnswerIncomplete(_("Give every item a place."))
        if len(set(places.values())) < len(places):
            raise AnswerIncomplete(_("Give every item a different place."))
        return sorted(places, key=places.__getitem__)

    def grade(self, answer: list[str]) -> Grade:
        right_order = [i.id for i in self.items]
        lines = []
        texts = {i.id: i.text_html for i in self.items}
        for place, item_id in enumerate(answer, start=1):
            if item_id not in texts:
                continue
            belongs = right_order.index(item_id) + 1
            detail = "" if belongs == place else _("belongs in place %(right)d", right=belongs)
            lines.append(part_line(texts[item_id], belongs == place, detail))
        return grade_parts(lines, self.max_points, len(right_order), self.feedback_html)

    def example_form(self, right: bool) -> dict[str, list[str]]:
        order = [i.id for i in self.items]
        if not right:
            order = order[1:] + order[:1]  # no item in its place
        return {self.field_name(item_id): [str(place)] for place, item_id in enumerate(order, start=1)}

    def answer_lines(self, answer: list[str]) -> list[str]:
        texts = {i.id: i.text_html for i in self.items}
        return [f"{place}. {texts[item_id]}" if item_id in texts else ""
                for place, item_id in enumerate(answer, start=1)]

    # -- item analysis: an item in the wrong place counts
    def wrong_parts(self, answer: list[str]) -> list[str]:
        right_order = [i.id for i in self.items]
        texts = {i.id: i.text_html for i in self.items}
        return [texts[item_id] for place, item_id in enumerate(answer)
                if item_id in texts and (place >= len(right_order) or right_order[place] != item_id)]
