"""Small typed getters over YAML read with line numbers: each problem becomes
`file:line: message` (a `Problem`). Used by spec.py and by every question type."""
import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

from course.text import render_trusted

from .messages import Msg, in_language
from .yamlnodes import Map, Seq

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def display(self, base: Path | None = None, language: str = "en") -> str:
        """`file:line: message`, the message in `language` (en or nl; see messages.py)."""
        path = self.path
        if base is not None:
            with contextlib.suppress(ValueError):
                path = self.path.relative_to(base)
        return f"{path}:{self.line}: {in_language(self.message, language)}"

    def __str__(self) -> str:
        return self.display()


class Checker:
    """Collects problems for one file, with small typed getters."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path = path
        self.problems = problems

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def mapping(self, data, line: int, what: str) -> Map | None:
        if isinstance(data, Map):
            return data
        self.add(getattr(data, "line", line), Msg("mapping", what=what))
        return None

    def unknown_keys(self, data: Map, allowed: set[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                self.add(data.line_of(key), Msg("unknown_field", key=key, where=where))

    def text(self, data: Map, key: str, where: str, required: bool = True, default: str = "") -> str:
        if key not in data or data[key] is None:
            if required:
                self.add(data.line, Msg("missing_field", key=key, where=where))
            return default
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.add(data.line_of(key), Msg("not_text", key=key))
            return default
        value = str(value).strip()
        if required and not value:
            self.add(data.line_of(key), Msg("empty", key=key))
        return value

    def integer(self, data: Map, key: str, where: str, default: int | None, low: int = 0,
                high: int | None = None, required: bool = False) -> int | None:
        if key not in data or data[key] is None:
            if required:
                self.add(data.line, Msg("missing_field", key=key, where=where))
            return default
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(data.line_of(key), Msg("not_whole_number", key=key))
            return default
        if value < low or (high is not None and value > high):
            self.add(data.line_of(key), Msg("between", key=key, low=low, high=high) if high is not None
                     else Msg("at_least", key=key, low=low))
            return default
        return value

    def boolean(self, data: Map, key: str, default: bool) -> bool:
        if key not in data or data[key] is None:
            return default
        if not isinstance(data[key], bool):
            self.add(data.line_of(key), Msg("not_boolean", key=key))
            return default
        return data[key]

    def seq(self, data: Map, key: str, where: str, required: bool = True) -> Seq:
        if key not in data or data[key] is None:
            if required:
                self.add(data.line, Msg("missing_field", key=key, where=where))
            return Seq()
        value = data[key]
        if not isinstance(value, Seq):
            self.add(data.line_of(key), Msg("not_list", key=key))
            return Seq()
        return value

    def text_list(self, data: Map, key: str, where: str) -> list[str]:
        items = self.seq(data, key, where, required=False)
        result = []
        for index, item in enumerate(items):
            if isinstance(item, bool) or not isinstance(item, str | int | float) or not str(item).strip():
                self.add(items.line_of(index), Msg("item_not_text", number=index + 1, key=key))
            else:
                result.append(str(item).strip())
        return result

    def slug(self, data: Map, key: str, where: str, seen: dict[str, int]) -> str:
        value = self.text(data, key, where)
        if not value:
            return ""
        if not SLUG.match(value) or len(value) > 80:
            self.add(data.line_of(key), Msg("bad_id", value=value))
            return value
        if value in seen:
            self.add(data.line_of(key), Msg("duplicate_id", value=value, line=seen[value]))
        else:
            seen[value] = data.line_of(key)
        return value

    def rows(self, items: Seq, keys: set[str], where_key: str, **where_args):
        """The rows of a list (fields, criteria, levels, options, pairs, items): for each
        row that is a mapping, yields (row, where the row is, its id), with unknown keys
        reported and the ids checked to be slugs, each once. `where_key` names a row in
        messages (with its number and `where_args`)."""
        seen: dict[str, int] = {}
        for index, raw in enumerate(items):
            row_where = Msg(where_key, number=index + 1, **where_args)
            row = self.mapping(raw, items.line_of(index), row_where)
            if row is None:
                continue
            self.unknown_keys(row, keys, row_where)
            yield row, row_where, self.slug(row, "id", row_where, seen)


def inline_html(text: str) -> str:
    html, _toc = render_trusted(text)
    html = html.strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html
