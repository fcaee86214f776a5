"""Finding and rendering a statement: the installation's own file wins over the default."""
from dataclasses import dataclass
from pathlib import Path

import markdown
import nh3
from flask import current_app
from markupsafe import Markup

from course.text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

SHIPPED_DIR = Path(__file__).resolve().parent.parent.parent / "pages"
STATEMENTS = ("privacy", "accessibility")
# A statement is a document: it needs section headings and may hold a table.
STATEMENT_TAGS = ALLOWED_TAGS | {"h2", "table", "thead", "tbody", "tr", "th", "td"}
PLACEHOLDERS = ("SUPPORT_EMAIL", "BASE_URL")


@dataclass(frozen=True)
class Statement:
    title: str
    html: Markup
    source: Path


def _candidates(name: str, locale: str) -> list[Path]:
    folders = [Path(current_app.config["PAGES_DIR"]), SHIPPED_DIR]
    locales = [locale, "nl"] if locale != "nl" else ["nl"]
    # Per folder first: an installation that only wrote a Dutch text shows it in English too,
    # rather than the shipped English default that says something else.
    return [folder / f"{name}.{lang}.md" for folder in folders for lang in locales]


def source_for(name: str, locale: str) -> Path:
    for path in _candidates(name, locale):
        if path.is_file():
            return path
    raise FileNotFoundError(f"no statement {name!r}")


def _fill_in(text: str) -> str:
    for key in PLACEHOLDERS:
        text = text.replace("{" + key + "}", str(current_app.config.get(key, "")))
    return text


def render(text: str) -> tuple[str, Markup]:
    """(title, html): the first `# heading` is the title; the rest is sanitised Markdown."""
    lines = _fill_in(text).splitlines()
    title = ""
    if lines and lines[0].startswith("# "):
        title, lines = lines[0][2:].strip(), lines[1:]
    html = markdown.markdown("\n".join(lines), extensions=["sane_lists", "tables"])
    clean = nh3.clean(html, tags=STATEMENT_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
    clean = clean.replace("<table>", '<div class="table-wrap"><table>').replace("</table>", "</table></div>")
    return title, Markup(clean)  # noqa: S704  (sanitised by nh3 just above)


def load(name: str, locale: str) -> Statement:
    path = source_for(name, locale)
    title, html = render(path.read_text(encoding="utf-8"))
    return Statement(title=title, html=html, source=path)
