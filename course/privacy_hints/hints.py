"""Findings turned into what the learner reads: which kind, in which field, a short
excerpt and a suggestion how to anonymise it."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .detector import KINDS, Finding, find_in_fields

KIND_LABELS = {
    "email": _l("an e-mail address"),
    "phone": _l("a phone number"),
    "bsn": _l("a citizen service number (BSN)"),
    "iban": _l("a bank account number (IBAN)"),
    "address": _l("an address"),
    "birthdate": _l("a date of birth"),
    "name": _l("a name"),
}
SUGGESTIONS = {
    "email": _l("Leave out e-mail addresses; write “by e-mail” if it matters."),
    "phone": _l("Leave out phone numbers; “we called her” says enough."),
    "bsn": _l("A citizen service number never belongs in your work: leave it out."),
    "iban": _l("Leave out bank account numbers."),
    "address": _l("Name the neighbourhood instead of the address: “a resident of the Oosterpark area”."),
    "birthdate": _l("Give an age group instead of the date of birth: “a woman in her sixties”."),
    "name": _l("Use an initial or a role instead of the name: “mevrouw J.” or “een bewoner”."),
}
assert set(KIND_LABELS) == set(SUGGESTIONS) == set(KINDS)


@dataclass(frozen=True)
class Hint:
    field_id: str
    field_label: str
    kind: str
    excerpt: str
    start: int          # positions as the browser counts them (UTF-16), to select the text
    end: int

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


def excerpt(text: str) -> str:
    """Enough to recognise it, not the whole thing: "06-…", "Jan…"."""
    return text if len(text) <= 4 else text[:3].rstrip() + "…"


def _utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def _hint(finding: Finding, fields: dict[str, str], labels: dict[str, str]) -> Hint:
    text = fields[finding.field]
    return Hint(finding.field, labels[finding.field], finding.kind, excerpt(finding.text),
                _utf16(text, finding.start), _utf16(text, finding.end))


def hints_for(fields: dict[str, str], labels: dict[str, str]) -> list[Hint]:
    """Hints for the labelled fields (in the order of `labels`); other keys are ignored."""
    known = {field_id: (fields.get(field_id) or "").replace("\r\n", "\n") for field_id in labels}
    return [_hint(finding, known, labels) for finding in find_in_fields(known)]


def suggestions(hints: list[Hint]) -> list[str]:
    """How to write about people without naming them (always, every finding is about
    someone), then one suggestion per other kind found, in the order of KINDS."""
    if not hints:
        return []
    kinds = {hint.kind for hint in hints}
    return [str(SUGGESTIONS["name"])] + [str(SUGGESTIONS[k]) for k in KINDS if k in kinds and k != "name"]
