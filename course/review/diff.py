"""Per-field differences between two versions of a submission, word by word.

Pure functions: they return segments that the template renders as <ins>/<del>
with text labels, so the change is clear without colour.
"""
import difflib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from course.content.model import Field
from course.text import CACHED_TEXT_LENGTH, TextCache, render_user

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


# Both are pure functions of their texts, so a process keeps recent results: the review
# page diffs the same two versions on every visit, and the word diff is its largest CPU
# cost (issue 16). Keyed by a digest of the texts; long texts are not kept.
CACHED_DIFF_LENGTH = 8000
_diffs = TextCache(128)
_plain_texts = TextCache(256)


def diff_text(old: str, new: str) -> list[Segment]:
    """Word-level diff of two texts; whitespace is kept so the text reads naturally."""
    old, new = old or "", new or ""
    if isinstance(old, str) and isinstance(new, str) and len(old) + len(new) <= CACHED_DIFF_LENGTH:
        return list(_diffs.get((old, new), lambda: tuple(_diff_text(old, new))))
    return _diff_text(old, new)


def _diff_text(old: str, new: str) -> list[Segment]:
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


BLOCKS = {"p", "li", "blockquote", "pre", "h3", "h4", "h5", "h6", "ul", "ol", "hr"}


class _TextOfHtml(HTMLParser):
    """The text a reader sees in sanitised user HTML: no Markdown marks, a blank line
    between paragraphs, one line per list item with a bullet or number before it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = ""
        self.lists: list[list] = []  # per open list: [tag, next number]
        self.in_pre = 0

    def _break(self, newlines: str) -> None:
        self.out = self.out.rstrip(" \t")
        if self.out:
            self.out = self.out.rstrip("\n") + max(newlines, self.out[len(self.out.rstrip("\n")):])

    def _block_break(self) -> None:
        self._break("\n" if self.lists else "\n\n")

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.out = self.out.rstrip(" ") + "\n"
        elif tag == "li":
            self._break("\n")
            current = self.lists[-1] if self.lists else ["ul", 1]
            marker = "• " if current[0] == "ul" else f"{current[1]}. "
            current[1] += 1
            self.out += "  " * max(len(self.lists) - 1, 0) + marker
        elif tag in BLOCKS:
            self._block_break()
        if tag in ("ul", "ol"):
            self.lists.append([tag, 1])
        if tag == "pre":
            self.in_pre += 1

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag == "pre" and self.in_pre:
            self.in_pre -= 1
        if tag in BLOCKS and tag != "li":
            self._block_break()

    def handle_data(self, data):
        if self.in_pre:
            self.out += data
            return
        text = re.sub(r"\s+", " ", data)
        if not self.out or self.out.endswith(("\n", " ")):
            text = text.lstrip(" ")
        self.out += text

    def text(self) -> str:
        return self.out.strip()


def rendered_text(markdown_text: str) -> str:
    """What the learner's Markdown looks like once rendered and sanitised, as plain text
    (the diff compares what people read, not the ** and # they typed)."""
    markdown_text = markdown_text or ""
    if isinstance(markdown_text, str) and len(markdown_text) <= CACHED_TEXT_LENGTH:
        return _plain_texts.get((markdown_text,), lambda: _rendered_text(markdown_text))
    return _rendered_text(markdown_text)


def _rendered_text(markdown_text: str) -> str:
    parser = _TextOfHtml()
    parser.feed(str(render_user(markdown_text or "")))
    parser.close()
    return re.sub(r"\n{3,}", "\n\n", parser.text())


def diff_fields(fields: list[Field], old: dict, new: dict) -> list[FieldDiff]:
    """One FieldDiff per assignment field, in the assignment's order, comparing the
    rendered text of both versions: a change of Markdown alone is no change."""
    result = []
    for field in fields:
        before = rendered_text((old or {}).get(field.id, ""))
        after = rendered_text((new or {}).get(field.id, ""))
        result.append(FieldDiff(field.id, field.label or field.id, before != after, diff_text(before, after)))
    return result
