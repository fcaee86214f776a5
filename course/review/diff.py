"""Per-field differences between two versions of a submission, word by word.

Pure functions: they return segments that the template renders as <ins>/<del>
with text labels, so the change is clear without colour.
"""
import difflib
import re
from dataclasses import dataclass

TOKEN = re.compile(r"\s+|[^\s]+")


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
    return segments


def diff_fields(fields: list[dict], old: dict, new: dict) -> list[FieldDiff]:
    """One FieldDiff per assignment field, in the assignment's order."""
    result = []
    for field in fields:
        before, after = (old or {}).get(field["id"], ""), (new or {}).get(field["id"], "")
        result.append(FieldDiff(field["id"], field.get("label", field["id"]), before != after,
                                diff_text(before, after)))
    return result
