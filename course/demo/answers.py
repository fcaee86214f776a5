"""The demo's texts, from course/demo/answers.yml (its header explains the layout).

No fallback: a text the seed needs but the file lacks raises KeyError, and
tests/test_demo_answers.py checks the file covers everything the seed fills.
"""
from functools import cache
from pathlib import Path

import yaml

PATH = Path(__file__).with_name("answers.yml")


@cache
def load() -> dict:
    with PATH.open(encoding="utf-8") as file:
        return yaml.safe_load(file)


def _texts(email: str, slug: str, part: str) -> dict[str, str]:
    try:
        texts = load()["learners"][email][slug][part]
    except KeyError:
        raise KeyError(f"{PATH.name} has no '{part}' for {email} in module '{slug}'") from None
    return {key: text.strip() for key, text in texts.items()}


def fields(email: str, slug: str) -> dict[str, str]:
    """The submitted assignment (version 1): field id -> text."""
    return _texts(email, slug, "fields")


def draft(email: str, slug: str) -> dict[str, str]:
    """A saved, unsubmitted draft: field id -> text (only the fields written so far)."""
    return _texts(email, slug, "draft")


def revision(email: str, slug: str) -> dict[str, str]:
    """The fields changed in the resubmission: field id -> text."""
    return _texts(email, slug, "revision")


def rubric_comments(email: str, slug: str) -> dict[str, str]:
    """The trainer's comment per rubric criterion: criterion id -> text."""
    return _texts(email, slug, "rubric")


def feedback(email: str, slug: str) -> str:
    """The trainer's overall feedback (Markdown)."""
    try:
        return load()["learners"][email][slug]["feedback"].strip()
    except KeyError:
        raise KeyError(f"{PATH.name} has no 'feedback' for {email} in module '{slug}'") from None


def snippets() -> list[tuple[str, str]]:
    """The trainer's feedback snippets: (title, body)."""
    return [(item["title"].strip(), item["body"].strip()) for item in load()["snippets"]]
