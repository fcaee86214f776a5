"""The team plan as Markdown and as PDF, laid out like the personal workbook
(course/workbook/documents.py) with the shared PDF base (course/pdf/)."""
from __future__ import annotations

import logging

from flask_babel import format_date
from flask_babel import gettext as _

from course.text import markdown_as_text

from .queries import TeamWorkbook

log = logging.getLogger(__name__)


def plan_title(book: TeamWorkbook) -> str:
    title = (book.plan.title if book.plan else "").strip()
    return title or _("Social-media protocol of %(organisation)s", organisation=book.cohort.organisation.name)


def filename(book: TeamWorkbook, extension: str) -> str:
    return f"teamplan-{book.cohort.course.slug}.{extension}"


def _updated(book: TeamWorkbook) -> str:
    return format_date(book.updated_at, "long") if book.updated_at else _("not saved yet")


def to_markdown(book: TeamWorkbook) -> str:
    out = [
        f"# {plan_title(book)}",
        "",
        f"**{_('Organisation')}:** {book.cohort.organisation.name}  ",
        f"**{_('Group')}:** {book.cohort.name} · {book.cohort.course.title}  ",
        f"**{_('Last updated')}:** {_updated(book)}",
        "",
    ]
    if book.intro_md:
        out += [markdown_as_text(book.intro_md), ""]
    for chapter in book.chapters:
        out += [f"## {chapter.number}. {chapter.title}", ""]
        for section in chapter.sections:
            out += [f"### {section.label}", ""]
            if section.chosen:
                out += [markdown_as_text(section.chosen.text), "",
                        f"*{_('Contributed by %(name)s', name=section.chosen.author)}*", ""]
            else:
                out += [f"*{_('No contribution chosen yet.')}*", ""]
    if book.contributors:
        out += [f"## {_('With contributions from')}", ""] + [f"- {name}" for name in book.contributors] + [""]
    return "\n".join(out).rstrip() + "\n"


def to_pdf(book: TeamWorkbook) -> bytes:
    from course.pdf.booklet import with_plain_fallback

    return with_plain_fallback(lambda rich: _render_pdf(book, rich), log, "Team plan")


def _render_pdf(book: TeamWorkbook, rich: bool) -> bytes:
    from course.pdf.booklet import Booklet
    from course.pdf.document import MUTED

    title = plan_title(book)
    organisation = book.cohort.organisation.name
    booklet = Booklet(title=title, author=organisation, footer=f"{title} · {organisation}",
                      colour_hex=book.cohort.course.colour_primary, rich=rich)
    pdf, colour, text, markdown = booklet.pdf, booklet.colour, booklet.text, booklet.markdown
    booklet.title_block(organisation, title)
    text(11, f"{_('Group')}: {book.cohort.name} · {book.cohort.course.title}")
    text(10, f"{_('Last updated')}: {_updated(book)}", rgb=MUTED, after=2)
    if book.intro_md:
        markdown(book.intro_md)
        pdf.ln(3)
    booklet.contents(f"{chapter.number}.  {chapter.title}" for chapter in book.chapters)
    for chapter in book.chapters:
        booklet.chapter(chapter.number, chapter.title)
        for section in chapter.sections:
            text(12, section.label, "B", height=6, after=0.5)
            if section.chosen:
                markdown(section.chosen.text)
                text(9.5, _("Contributed by %(name)s", name=section.chosen.author), "I", rgb=MUTED)
            else:
                text(10.5, _("No contribution chosen yet."), rgb=MUTED)
            pdf.ln(3)
    if book.contributors:
        pdf.ln(2)
        text(13, _("With contributions from"), "B", rgb=colour, after=1)
        for name in book.contributors:
            text(10.5, f"• {name}", height=5.4, indent=2)
    return booklet.output()
