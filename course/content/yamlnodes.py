"""YAML with line numbers: every mapping and list remembers where its parts are,
so a problem can be reported as `file:line: message`."""
from dataclasses import dataclass

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from .messages import Msg


class Map(dict):
    """A YAML mapping that knows the line of itself and of each key."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.line: int = 1
        self.key_lines: dict = {}

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class Seq(list):
    """A YAML list that knows the line of itself and of each item."""

    def __init__(self, *args):
        super().__init__(*args)
        self.line: int = 1
        self.item_lines: list = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


@dataclass
class YamlProblem(Exception):
    line: int
    message: str


class _Scalars(SafeConstructor):
    pass


# libyaml's parser where PyYAML has it: the same nodes with the same line marks, several
# times faster than the Python parser on a course of a hundred modules.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


ALIAS_MESSAGE = Msg("yaml.alias")


def _convert(node, offset: int, problems: list[YamlProblem], scalars: _Scalars, seen: set[int] | None = None,
             used_at: int | None = None):
    line = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.CollectionNode):
        # A node met twice is an alias (`*name`): refused, so a reference to itself or a
        # "billion laughs" file cannot hang or crash the check.
        seen = set() if seen is None else seen
        if id(node) in seen:
            problems.append(YamlProblem(used_at or line, ALIAS_MESSAGE))
            return None
        seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        result = Map()
        result.line, result.key_lines = line, {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1 + offset
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(YamlProblem(key_line, Msg("yaml.plain_key")))
                continue
            key = str(scalars.construct_object(key_node))
            if key in result:
                problems.append(YamlProblem(key_line, Msg("yaml.duplicate_key", key=key)))
                continue
            result[key] = _convert(value_node, offset, problems, scalars, seen, key_line)
            result.key_lines[key] = key_line
        return result
    if isinstance(node, yaml.SequenceNode):
        result = Seq()
        result.line, result.item_lines = line, []
        for item in node.value:
            result.append(_convert(item, offset, problems, scalars, seen, line))
            result.item_lines.append(item.start_mark.line + 1 + offset)
        return result
    try:
        return scalars.construct_object(node)
    except ConstructorError as error:
        problems.append(YamlProblem(line, Msg("yaml.unreadable_value", detail=error.problem)))
        return None


def parse_yaml(text: str, offset: int = 0) -> tuple[object, list[YamlProblem]]:
    """(data, problems). `offset` is added to line numbers (for front matter).
    A syntax error yields (None, [problem at its line])."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        node = None  # a broken file: the Python parser below words the problem as documented
    else:
        return _converted(node, offset)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1 if mark else 1) + offset
        if "'\\t'" in str(error.problem):
            return None, [YamlProblem(line, Msg("yaml.tab"))]
        return None, [YamlProblem(line, Msg("yaml.syntax_here", detail=error.problem or error.context))]
    except yaml.YAMLError as error:
        return None, [YamlProblem(1 + offset, Msg("yaml.syntax", detail=str(error)))]
    except RecursionError:
        return None, [YamlProblem(1 + offset, Msg("yaml.too_deep"))]
    return _converted(node, offset)


def _converted(node, offset: int) -> tuple[object, list[YamlProblem]]:
    if node is None:
        return None, []
    problems: list[YamlProblem] = []
    try:
        data = _convert(node, offset, problems, _Scalars())
    except RecursionError:
        return None, [YamlProblem(1 + offset, Msg("yaml.too_deep"))]
    return data, problems


def split_front_matter(text: str) -> tuple[str | None, int, str, int]:
    """Split `---\\n<yaml>\\n---\\n<markdown>`.
    Returns (yaml text or None, its line offset, body, body's first line number)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, 0, text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "".join(lines[1:index]), 1, "".join(lines[index + 1:]), index + 2
    return None, 0, text, 1
