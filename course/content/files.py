"""The typed content model written as the documented folder format (modules/README.md).

This is the canonical form of a course: `flask content export` writes exactly these
files, and the content version is the hash of exactly these files (`content_hash`).
Reading the files back gives the same objects, so the same hash: a round trip changes
nothing. Comments and the layout of the original YAML are not part of the canonical
form (a comment never reaches a learner); texts, ids, settings and images are.
course.yml is written back from the data it was read from (`CourseSpec.file`), so every
key survives, including keys a later version adds.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

import yaml

from .model import Assignment, CourseSpec, ModuleSpec, Quiz, Reading

COURSE_FILE = "course.yml"
READING_FILE = "reading.md"
QUIZ_FILE = "quiz.yml"
ASSIGNMENT_FILE = "assignment.md"
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}


# libyaml's emitter where PyYAML has it (the Python one is ten times slower on a large
# course); both write the same canonical text (tests/test_content_export.py).
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):
    """Block style, keys in the order given, multi-line texts as `|` blocks."""


def _str(dumper: yaml.SafeDumper, value: str):
    # a line "---" inside a block would end the front matter early: such a text stays quoted
    if "\n" in value and not any(line.strip() == "---" for line in value.splitlines()):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def dump_yaml(data) -> str:
    return yaml.dump(_plain(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100_000)


def _plain(value):
    """The YAML reader's Map/Seq (which remember lines) as plain dicts and lists."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def plain(value):
    return _plain(value)


def front_matter_file(front: dict, body: str) -> str:
    return f"---\n{dump_yaml(front)}---\n{body}"


def reading_file(reading: Reading) -> str:
    front: dict = {"title": reading.title}
    if reading.minutes:
        front["minutes"] = reading.minutes
    if reading.remember:
        front["remember"] = list(reading.remember)
    return front_matter_file(front, reading.body)


def quiz_file(quiz: Quiz) -> str:
    return dump_yaml(quiz.to_file())


def assignment_file(assignment: Assignment) -> str:
    return front_matter_file(assignment.front_matter(), assignment.prompt)


def media_names(folder: Path) -> list[str]:
    """The images in a module folder (the files the media route may serve)."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in IMAGE_TYPES)


def module_files(module: ModuleSpec, media_folder: Path) -> dict[str, bytes]:
    """{file name: bytes} of one module folder, images read from `media_folder`."""
    files = {READING_FILE: reading_file(module.reading).encode()}
    if module.quiz is not None:
        files[QUIZ_FILE] = quiz_file(module.quiz).encode()
    if module.assignment is not None:
        files[ASSIGNMENT_FILE] = assignment_file(module.assignment).encode()
    for name in module.media:
        files[name] = (media_folder / name).read_bytes()
    return files


def course_files(course: CourseSpec, media_root: Path) -> dict[str, bytes]:
    """{relative path: bytes} of a whole course folder."""
    files = {COURSE_FILE: dump_yaml(course.file).encode()}
    cover = (course.file or {}).get("cover")
    if isinstance(cover, str) and cover and "/" not in cover and (media_root / cover).is_file():
        files[cover] = (media_root / cover).read_bytes()  # the cover image, beside course.yml
    for module in course.modules:
        for name, data in module_files(module, media_root / module.slug).items():
            files[f"{module.slug}/{name}"] = data
    return files


def content_hash(files: dict[str, bytes]) -> str:
    """The content version: a hash of the canonical files (names and bytes)."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(files[name])
        digest.update(b"\0")
    return digest.hexdigest()


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
