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
    try:
        return _render_pdf(book, rich=True)
    except Exception:  # noqa: BLE001  the team must always get its plan
        log.exception("Team plan PDF: Markdown could not be laid out, written as plain text")
        return _render_pdf(book, rich=False)


def _render_pdf(book: TeamWorkbook, rich: bool) -> bytes:
    from course.pdf.document import MUTED, hex_rgb, new_pdf
    from course.pdf.fonts import FAMILY, clean
    from course.text import pdf_html, render_user
    from course.workbook.documents import INK, _html_styles, _pdf_class

    pdf = new_pdf("P", cls=_pdf_class())
    title = plan_title(book)
    pdf.footer_text = clean(f"{title} · {book.cohort.organisation.name}")[:120]
    pdf.set_title(title)
    pdf.set_author(clean(book.cohort.organisation.name))
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_margins(20, 18, 20)
    colour = hex_rgb(book.cohort.course.colour_primary, (11, 93, 107))
    styles = _html_styles(colour)
    pdf.add_page()
    width = pdf.w - 40

    def text(size, value, style="", height=None, rgb=INK, indent=0, after=0.0):
        pdf.set_font(FAMILY, style, size)
        pdf.set_text_color(*rgb)
        pdf.set_x(20 + indent)
        pdf.multi_cell(width - indent, height or size * 0.5, clean(value), align="L", new_x="LMARGIN", new_y="NEXT")
        if after:
            pdf.ln(after)

    def markdown(value, size=10.5):
        pdf.set_font(FAMILY, "", size)
        pdf.set_text_color(*INK)
        pdf.set_x(20)
        if rich:
            pdf.write_html(pdf_html(str(render_user(clean(value)))), font_family=FAMILY, tag_styles=styles,
                           li_prefix_color=colour, ul_bullet_char="•")
        else:
            pdf.multi_cell(width, size * 0.5, clean(value), align="L", new_x="LMARGIN", new_y="NEXT")

    pdf.set_fill_color(*colour)
    pdf.rect(20, 18, width, 2.5, style="F")
    pdf.ln(8)
    text(11, book.cohort.organisation.name.upper(), "B", rgb=MUTED, after=1)
    text(24, title, "B", height=11, rgb=colour, after=3)
    text(11, f"{_('Group')}: {book.cohort.name} · {book.cohort.course.title}")
    text(10, f"{_('Last updated')}: {_updated(book)}", rgb=MUTED, after=2)
    if book.intro_md:
        markdown(book.intro_md)
        pdf.ln(3)
    text(13, _("Contents"), "B", rgb=colour, after=1)
    for chapter in book.chapters:
        text(11, f"{chapter.number}.  {chapter.title}", height=6.5, indent=2)
    for chapter in book.chapters:
        pdf.add_page()
        text(10, _("Chapter %(number)s", number=chapter.number).upper(), "B", rgb=MUTED, after=1)
        text(18, chapter.title, "B", height=8.5, rgb=colour, after=1)
        pdf.set_draw_color(*colour)
        pdf.set_line_width(0.6)
        pdf.line(20, pdf.get_y(), pdf.w - 20, pdf.get_y())
        pdf.ln(3)
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
    return bytes(pdf.output())
