"""An A4 booklet: the layout the workbook and the team plan share. A running footer
(the document, its owner, the page number), a title band, chapter headings, plain
text and learner Markdown laid out with fpdf2's HTML, and the fallback both rely on:
should fpdf2 fail on some Markdown, `with_plain_fallback` writes the texts as typed.

Import it inside the function that builds a PDF (fpdf2 is slow to import)."""
import logging
from collections.abc import Callable

from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace, TextStyle

from course.text import pdf_html, render_user

from .document import BRAND, INK, MUTED, hex_rgb, new_pdf
from .fonts import FAMILY, clean

MARGIN = 20


class BookletPDF(FPDF):
    """A4 with a running footer: the document, its owner and the page number."""

    footer_text = ""

    def footer(self):
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(110, 117, 122)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, _("Page %(page)s of %(pages)s", page=self.page_no(), pages="{nb}"), align="R")


def html_styles(colour) -> dict:
    """fpdf2 tag styles for learner Markdown: the shipped font, links in the course colour."""
    heading = {f"h{n}": TextStyle(font_family=FAMILY, font_style="B", font_size_pt=size, color=INK,
                                  t_margin=2, b_margin=1)
               for n, size in ((3, 11), (4, 10.5), (5, 10.5), (6, 10.5))}
    return {
        **heading,
        "blockquote": TextStyle(font_family=FAMILY, color=(74, 85, 92), l_margin=6, t_margin=1, b_margin=1),
        "code": FontFace(family=FAMILY, color=INK),
        "pre": TextStyle(font_family=FAMILY, color=INK, t_margin=1, b_margin=1),
        "a": FontFace(color=colour, emphasis="UNDERLINE"),
    }


def with_plain_fallback(render: Callable[[bool], bytes], log: logging.Logger, what: str) -> bytes:
    """`render(rich=True)`; should fpdf2 fail to lay out some Markdown, `render(rich=False)`:
    the reader always gets the document, with the texts as typed."""
    try:
        return render(True)
    except Exception:  # noqa: BLE001  the reader must always get their document
        log.exception("%s PDF: Markdown could not be laid out, written as plain text", what)
        return render(False)


class Booklet:
    """One booklet being written: `rich` lays Markdown out, else writes it as typed."""

    def __init__(self, title: str, author: str, footer: str, colour_hex: str | None, rich: bool):
        self.pdf = new_pdf("P", cls=BookletPDF)
        self.pdf.footer_text = clean(footer)[:120]
        self.pdf.set_title(title)
        self.pdf.set_author(clean(author))
        self.pdf.set_auto_page_break(True, margin=20)
        self.pdf.set_margins(MARGIN, 18, MARGIN)
        self.colour = hex_rgb(colour_hex, BRAND)
        self.styles = html_styles(self.colour)
        self.rich = rich
        self.pdf.add_page()
        self.width = self.pdf.w - 2 * MARGIN

    def text(self, size, value, style="", height=None, rgb=INK, indent=0, after=0.0):
        pdf = self.pdf
        pdf.set_font(FAMILY, style, size)
        pdf.set_text_color(*rgb)
        pdf.set_x(MARGIN + indent)
        pdf.multi_cell(self.width - indent, height or size * 0.5, clean(value), align="L",
                       new_x="LMARGIN", new_y="NEXT")
        if after:
            pdf.ln(after)

    def markdown(self, value, size=10.5, indent=0):
        pdf = self.pdf
        pdf.set_font(FAMILY, "", size)
        pdf.set_text_color(*INK)
        pdf.set_x(MARGIN)
        pdf.set_left_margin(MARGIN + indent)
        if self.rich:
            pdf.write_html(pdf_html(str(render_user(clean(value)))), font_family=FAMILY, tag_styles=self.styles,
                           li_prefix_color=self.colour, ul_bullet_char="•")
        else:
            pdf.multi_cell(self.width - indent, size * 0.5, clean(value), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_left_margin(MARGIN)

    def title_block(self, kicker: str, title: str):
        """The coloured band, the kicker (course or organisation) and the document's title."""
        self.pdf.set_fill_color(*self.colour)
        self.pdf.rect(MARGIN, 18, self.width, 2.5, style="F")
        self.pdf.ln(8)
        self.text(11, kicker.upper(), "B", rgb=MUTED, after=1)
        self.text(24, title, "B", height=11, rgb=self.colour, after=3)

    def contents(self, entries):
        self.text(13, _("Contents"), "B", rgb=self.colour, after=1)
        for entry in entries:
            self.text(11, entry, height=6.5, indent=2)

    def chapter(self, number: int, title: str):
        """A new page: "CHAPTER n", the title and a rule in the course colour."""
        pdf = self.pdf
        pdf.add_page()
        self.text(10, _("Chapter %(number)s", number=number).upper(), "B", rgb=MUTED, after=1)
        self.text(18, title, "B", height=8.5, rgb=self.colour, after=1)
        pdf.set_draw_color(*self.colour)
        pdf.set_line_width(0.6)
        pdf.line(MARGIN, pdf.get_y(), pdf.w - MARGIN, pdf.get_y())
        pdf.ln(3)

    def output(self) -> bytes:
        return bytes(self.pdf.output())
