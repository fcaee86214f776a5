"""Per-field differences between two versions of a submission, word by word.

Pure functions: they return segments that the template renders as <ins>/<del>
with text labels, so the change is clear without colour.
"""
import difflib
import re
from dataclasses import dataclass

from course.content.model import Field

TOKEN = re.compile(r"\s+|[^\s]+")
# An unchanged run this short between two changes ("de", "het en") is shown as
# part of the change: otherwise a rewritten sentence reads as confetti.
MIN_KEPT_WORDS = 3


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert" or "delete"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    field_id: str
    label: str
    changed: bool
    segments: list[Segment]


def diff_text(old: str, new: str) -> list[Segment]:
    """Word-level diff of two texts; whitespace is kept so the text reads naturally."""
    old_tokens, new_tokens = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("equal", "".join(old_tokens[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment("delete", "".join(old_tokens[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(Segment("insert", "".join(new_tokens[j1:j2])))
    return _coalesce(_absorb_short_equals(segments))


def _word_count(text: str) -> int:
    return len(text.split())


def _absorb_short_equals(segments: list[Segment]) -> list[Segment]:
    """Turn a short unchanged run between two changes into a delete plus an insert."""
    result: list[Segment] = []
    for index, segment in enumerate(segments):
        between_changes = 0 < index < len(segments) - 1
        if segment.op == "equal" and between_changes and _word_count(segment.text) < MIN_KEPT_WORDS:
            result += [Segment("delete", segment.text), Segment("insert", segment.text)]
        else:
            result.append(segment)
    return result


def _coalesce(segments: list[Segment]) -> list[Segment]:
    """Within each stretch of changes: all deleted text first, then all inserted text."""
    result: list[Segment] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush():
        if deleted:
            result.append(Segment("delete", "".join(deleted)))
        if inserted:
            result.append(Segment("insert", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for segment in segments:
        if segment.op == "equal":
            flush()
            result.append(segment)
        else:
            (deleted if segment.op == "delete" else inserted).append(segment.text)
    flush()
    return result


def diff_fields(fields: list[Field], old: dict, new: dict) -> list[FieldDiff]:
    """One FieldDiff per assignment field, in the assignment's order."""
    result = []
    for field in fields:
        before, after = (old or {}).get(field.id, ""), (new or {}).get(field.id, "")
        result.append(FieldDiff(field.id, field.label or field.id, before != after, diff_text(before, after)))
    return result
