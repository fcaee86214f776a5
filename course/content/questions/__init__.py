"""The question-type registry. Each type lives in one module of this package with its
template in `templates/learn/questions/<type>.html`; see `base.py` for what a type
declares. Adding a type: write the module (every module here is imported) with its
class under `@register`, and its template. Nothing else changes."""
from __future__ import annotations

import importlib
import pkgutil

from ..messages import CATALOGUE
from .base import (  # noqa: F401  (the registry's public names)
    ANSWER_PREFIX,
    AnswerIncomplete,
    EditorField,
    EditorRows,
    EditorSchema,
    Grade,
    GradeLine,
    Mark,
    Question,
    QuizFormTampered,
    Unanswered,
    Verdict,
)

QUESTION_TYPES: dict[str, type[Question]] = {}


def register(cls: type[Question]) -> type[Question]:
    QUESTION_TYPES[cls.TYPE] = cls
    CATALOGUE.update(cls.MESSAGES)
    return cls


def question_type(name: str) -> type[Question] | None:
    return QUESTION_TYPES.get(name)


def type_names() -> list[str]:
    return list(QUESTION_TYPES)


def question_from_json(data: dict) -> Question | None:
    """A stored question; None for a type this code does not know (never stored by it)."""
    cls = QUESTION_TYPES.get(data.get("type", ""))
    return cls.from_json(data) if cls is not None else None


for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _module != "base" and not _module.startswith("_"):
        importlib.import_module(f"{__name__}.{_module}")  # the types register themselves
