"""States that carry their own words and look, like Indico's AbstractState.

A member is declared as `NAME = "value", _l("Label"), "css"`, optionally with the
words another audience reads (`{"learner": _l(...), "org": _l(...)}`). Code compares members, never quoted strings, and
templates render any state with one macro, `status_pill` in templates/_status.html.
The label is a lazy string: it is translated when shown, in the reader's language.
"""
import enum


class LabelledEnum(enum.StrEnum):
    """A string enum whose members know their label and their status-pill class."""

    def __new__(cls, value: str, label, css: str = "todo", audiences: dict | None = None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.css = css
        member._audiences = audiences or {}
        return member

    def label_for(self, audience: str = "") -> object:
        """The words for "learner" or "org" where they differ from the default label."""
        return self._audiences.get(audience, self.label)

    @classmethod
    def choices(cls, *members) -> list[tuple[str, object]]:
        """(value, label) pairs for a select field, in declaration order or as given."""
        return [(m.value, m.label) for m in (members or cls)]
