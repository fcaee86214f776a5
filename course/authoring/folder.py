"""A course as files, without the database: safe paths, the files the editor writes
(course.yml, reading.md, quiz.yml, assignment.md), checking a set of files with the
same checker as `flask content check`, ZIP in and out, and a readable diff.

A course's files are a mapping `{path: bytes}`; a path is relative to the course
folder ("course.yml", "introductie/reading.md") in the documented folder format.
"""
from __future__ import annotations

import contextlib
import difflib
import io
import re
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask_babel import lazy_gettext as _l

from course.content.messages import Msg
from course.content.model import CourseSpec
from course.content.spec import (
    ASSIGNMENT_FILE,
    COURSE_FILE,
    IMAGE_TYPES,
    QUIZ_FILE,
    READING_FILE,
    SLUG,
    read_content,
)
from course.content.yamlnodes import Map, Seq, parse_yaml, split_front_matter
from course.states import LabelledEnum

FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
TEXT_TYPES = {".yml", ".yaml", ".md", ".txt"}
MAX_TEXT_BYTES = 1_000_000          # one Markdown or YAML file
MAX_IMAGE_BYTES = 2_000_000         # one image
MAX_ZIP_BYTES = 4_000_000           # the uploaded ZIP itself (the site refuses larger requests)
MAX_ZIP_TOTAL = 50_000_000          # everything in it, unpacked
MAX_ZIP_FILES = 500


class FolderError(ValueError):
    """A file or ZIP that cannot become part of a course (the message says why)."""


# ---- paths ------------------------------------------------------------------


def safe_path(path: str) -> str | None:
    """`path` if it may be a file of a course folder, else None: at most one folder
    deep, the folder a module id, the name plain (no "..", no hidden files, no "/")."""
    if not isinstance(path, str) or "\\" in path or len(path) > 200:
        return None
    parts = path.split("/")
    if len(parts) > 2 or not FILE_NAME.match(parts[-1]):
        return None
    if len(parts) == 2 and (not SLUG.match(parts[0]) or len(parts[0]) > 80):
        return None
    suffix = Path(parts[-1]).suffix.lower()
    if suffix not in TEXT_TYPES | IMAGE_TYPES:
        return None
    return path


def is_image(path: str) -> bool:
    return Path(path).suffix.lower() in IMAGE_TYPES


def module_files(files: dict[str, bytes], module: str) -> dict[str, bytes]:
    return {p: d for p, d in files.items() if p.startswith(module + "/")}


# ---- YAML the editor writes ---------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_yaml(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                     width=100_000)


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader without references: `*name` is refused, as the checker refuses it
    ("yaml.alias"), so nested references cannot unfold into billions of values
    when the editor turns them into text."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "references are not supported", event.start_mark)
        return super().compose_node(parent, index)


def load_yaml(text: str):
    """Plain data from YAML text, or None when it cannot be read (the checker says why)."""
    try:
        return yaml.load(text, Loader=_PlainLoader)  # noqa: S506  (a SafeLoader)
    except yaml.YAMLError:
        return None
    except RecursionError:
        return None


def front_matter_file(front: dict, body: str) -> str:
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    return "---\n" + dump_yaml(front) + "---\n" + body.rstrip("\n") + "\n"


def read_front_matter(text: str) -> tuple[dict | None, str]:
    """(front matter as plain data or None when unreadable, body)."""
    front, _offset, body, _line = split_front_matter(text)
    if front is None:
        return None, text
    data = load_yaml(front) if front.strip() else {}
    return (data if isinstance(data, dict) else None), body


def course_yml(files: dict[str, bytes]) -> dict | None:
    data = load_yaml(text_of(files, COURSE_FILE))
    return data if isinstance(data, dict) else None


def text_of(files: dict[str, bytes], path: str) -> str:
    return files.get(path, b"").decode("utf-8", errors="replace")


def module_list(data: dict) -> list[str]:
    items = data.get("modules") or []
    return [str(item) for item in items if isinstance(item, str)] if isinstance(items, list) else []


def retired_list(data: dict) -> list[str]:
    items = data.get("retired") or []
    return [str(item) for item in items if isinstance(item, str)] if isinstance(items, list) else []


def number_or_text(value: str):
    """A whole number as a number; anything else stays text, for the checker to explain."""
    value = (value or "").strip()
    if re.fullmatch(r"-?\d{1,9}", value):
        return int(value)
    return value


def lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


# ---- checking -----------------------------------------------------------------


@dataclass
class FileProblem:
    path: str         # relative to the course folder
    line: int
    message: Msg | str
    key: str = ""     # the field it concerns, as a key path ("quiz.pass_mark", "fields.0.label", "body")


@dataclass
class Check:
    problems: list[FileProblem] = field(default_factory=list)
    warnings: list[FileProblem] = field(default_factory=list)
    course: CourseSpec | None = None  # the checker's reading of the course (when it could read it)
    content_hash: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def for_file(self, path: str) -> list[FileProblem]:
        return [p for p in self.problems if p.path == path]


def write_folder(files: dict[str, bytes], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for path, data in files.items():
        if safe_path(path) is None:  # never written outside the folder, whatever is stored
            continue
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def check_files(slug: str, files: dict[str, bytes]) -> Check:
    """Check a course's files with `read_content`, exactly as `flask content check` would."""
    with tempfile.TemporaryDirectory(prefix="leerlijn-draft-") as tmp:
        folder = Path(tmp) / slug
        write_folder(files, folder)
        report = read_content(folder)
        base = folder.resolve()
        course = report.courses[0] if report.courses else None
        check = Check(course=course, content_hash=course.content_version if course else "")
        for source, target in ((report.problems, check.problems), (report.warnings, check.warnings)):
            for problem in source:
                path = problem.path.resolve()
                with contextlib.suppress(ValueError):
                    path = path.relative_to(base)
                relative = path.as_posix() if not path.is_absolute() else COURSE_FILE
                if relative == ".":
                    relative = COURSE_FILE
                target.append(FileProblem(relative, problem.line, problem.message))
    for problem in check.problems:
        problem.key = problem_key(problem, files)
    return check


def _key_lines(node, prefix: str, out: list[tuple[int, str]]) -> None:
    if isinstance(node, Map):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            out.append((node.line_of(key), path))
            _key_lines(value, path, out)
    elif isinstance(node, Seq):
        for index, value in enumerate(node):
            path = f"{prefix}.{index}"
            out.append((node.line_of(index), path))
            _key_lines(value, path, out)


def problem_key(problem: FileProblem, files: dict[str, bytes]) -> str:
    """The field a problem concerns: the deepest key on its line (or the key the message
    names), "body" for the Markdown after the front matter, "" when unknown."""
    text = text_of(files, problem.path)
    if problem.path.endswith(".md"):
        front, offset, _body, body_line = split_front_matter(text)
        if front is None or problem.line >= body_line:
            return "body"
        node, _problems = parse_yaml(front, offset)
    elif problem.path.endswith((".yml", ".yaml")):
        node, _problems = parse_yaml(text, 0)
    else:
        return ""
    entries: list[tuple[int, str]] = []
    _key_lines(node, "", entries)
    named = getattr(problem.message, "params", {}).get("key")
    on_line = [path for line, path in entries if line == problem.line]
    if named:
        for path in sorted(on_line, key=len):
            if path == named or path.endswith("." + named):
                return path
        # "missing field 'x' in …": reported on the line of the mapping that lacks it
        for path in sorted(on_line, key=len):
            parent = path.rsplit(".", 1)[0] if "." in path else ""
            return f"{parent}.{named}" if parent else named
        return named
    if on_line:
        return max(on_line, key=len)
    before = [(line, path) for line, path in entries if line < problem.line]
    return max(before)[1] if before else ""


# ---- ZIP ------------------------------------------------------------------------


def to_zip(slug: str, files: dict[str, bytes]) -> bytes:
    """The course folder as a ZIP (`<slug>/course.yml`, …), the same bytes every time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(f"{slug}/{path}", date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[path])
    return buffer.getvalue()


def _skipped(name: str) -> bool:
    parts = name.split("/")
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


def from_zip(data: bytes) -> tuple[dict[str, bytes], str | None]:
    """({path: bytes}, folder name in the ZIP or None) of an uploaded course ZIP.
    Refuses (FolderError) anything that is not plainly a course folder: paths outside
    it, links, too many or too large files (read with a limit: a ZIP's own size
    claims are not trusted), and compressed data that unpacks to much more."""
    if len(data) > MAX_ZIP_BYTES:
        raise FolderError("zip_too_large")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise FolderError("zip_unreadable") from None
    for info in infos:
        if info.filename.startswith("/") or "\\" in info.filename or ".." in info.filename.split("/") \
                or re.match(r"^[A-Za-z]:", info.filename):
            raise FolderError("zip_bad_path")
    entries = [info for info in infos if not info.is_dir() and not _skipped(info.filename)]
    if len(entries) > MAX_ZIP_FILES:
        raise FolderError("zip_too_many")
    names = [info.filename for info in entries]
    for info in entries:
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode) or info.flag_bits & 0x1:  # a link, or an encrypted entry
            raise FolderError("zip_bad_entry")
    top = None
    firsts = {name.split("/", 1)[0] for name in names}
    if len(firsts) == 1 and all("/" in name for name in names):
        top = firsts.pop()
        names = [name.split("/", 1)[1] for name in names]
    if COURSE_FILE not in names:
        raise FolderError("zip_no_course")
    files: dict[str, bytes] = {}
    total = 0
    for info, name in zip(entries, names, strict=True):
        if safe_path(name) is None:
            raise FolderError("zip_bad_path")
        limit = MAX_IMAGE_BYTES if is_image(name) else MAX_TEXT_BYTES
        try:
            with archive.open(info) as stream:
                content = stream.read(limit + 1)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError):
            raise FolderError("zip_unreadable") from None
        if len(content) > limit:
            raise FolderError("zip_file_too_large")
        total += len(content)
        if total > MAX_ZIP_TOTAL:
            raise FolderError("zip_too_large")
        files[name] = content
    return files, top


# ---- images ---------------------------------------------------------------------

_SIGNATURES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
}
_SVG_FORBIDDEN = re.compile(
    rb"<\s*(script|foreignobject|iframe|object|embed|handler|listener)\b|\bon[a-z]+\s*=|javascript:|"
    rb"<!doctype|<!entity|xlink:href\s*=\s*[\"'](?!#)|\bhref\s*=\s*[\"'](?!#)|@import|url\(\s*[\"']?(?!#)",
    re.IGNORECASE)


def image_problem(filename: str, data: bytes) -> str | None:
    """Why an uploaded image is refused (a message id), or None when it is fine: the
    bytes must be the type the name says; an SVG may hold no script, event handler,
    entity or outside reference."""
    suffix = Path(filename).suffix.lower()
    if suffix not in IMAGE_TYPES:
        return "image_type"
    if not data:
        return "image_empty"
    if len(data) > MAX_IMAGE_BYTES:
        return "image_too_large"
    if suffix == ".webp":
        return None if data[:4] == b"RIFF" and data[8:12] == b"WEBP" else "image_not_that_type"
    if suffix == ".svg":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return "image_not_that_type"
        if "<svg" not in text[:2000].lower():
            return "image_not_that_type"
        return "svg_unsafe" if _SVG_FORBIDDEN.search(data) else None
    return None if data.startswith(_SIGNATURES[suffix]) else "image_not_that_type"


def clean_filename(filename: str) -> str:
    """An uploaded file's name as a plain file name for the module folder."""
    name = Path((filename or "").replace("\\", "/")).name.lower()
    stem, suffix = Path(name).stem, Path(name).suffix
    stem = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:60] or "afbeelding"
    return f"{stem}{suffix}"


# ---- diff -----------------------------------------------------------------------


class FileChange(LabelledEnum):
    """What a diff did to one file."""

    ADDED = "added", _l("added"), "done"
    REMOVED = "removed", _l("removed"), "problem"
    CHANGED = "changed", _l("changed"), "todo"


@dataclass
class FileDiff:
    path: str
    status: FileChange
    lines: list[tuple[str, str]] = field(default_factory=list)  # (kind: "+", "-", " ", "@", text)
    binary: bool = False
    sizes: tuple[int, int] = (0, 0)


def diff(old: dict[str, bytes], new: dict[str, bytes], context: int = 2) -> list[FileDiff]:
    result = []
    for path in sorted(set(old) | set(new)):
        a, b = old.get(path), new.get(path)
        if a == b:
            continue
        status = FileChange.ADDED if a is None else FileChange.REMOVED if b is None else FileChange.CHANGED
        entry = FileDiff(path, status, sizes=(len(a or b""), len(b or b"")))
        if is_image(path):
            entry.binary = True
        else:
            a_lines = (a or b"").decode("utf-8", errors="replace").splitlines()
            b_lines = (b or b"").decode("utf-8", errors="replace").splitlines()
            for line in list(difflib.unified_diff(a_lines, b_lines, lineterm="", n=context))[2:]:
                entry.lines.append((line[:1], line[1:]))
        result.append(entry)
    return result


def slug_from_title(title: str) -> str:
    table = str.maketrans("àáâäãèéêëìíîïòóôöõùúûüçñ", "aaaaaeeeeiiiiooooouuuucn")
    slug = re.sub(r"[^a-z0-9]+", "-", (title or "").lower().translate(table)).strip("-")
    return slug[:60].strip("-")


__all__ = [
    "ASSIGNMENT_FILE", "COURSE_FILE", "QUIZ_FILE", "READING_FILE", "Check", "FileProblem", "FolderError",
]
