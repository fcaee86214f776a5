"""PDF text in every style, including italic, renders every script the course promises."""
import io
import warnings

from pypdf import PdfReader

from course.pdf import fonts
from course.pdf.document import new_pdf

NAMES = "Şükrü Łucja Nguyễn محمد"


def test_italic_and_bold_italic_cover_accents_and_arabic():
    pdf = new_pdf()
    pdf.add_page()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # fpdf2 warns about glyphs a font lacks
        for style in ("", "B", "I", "BI"):
            pdf.set_font(fonts.FAMILY, style, 12)
            pdf.multi_cell(0, 8, f"{style or 'R'}: {NAMES}", new_x="LMARGIN", new_y="NEXT")
    text = PdfReader(io.BytesIO(bytes(pdf.output()))).pages[0].extract_text()
    for style in ("R", "B", "I", "BI"):
        line = next(line for line in text.splitlines() if line.startswith(f"{style}:"))
        for word in ("Şükrü", "Łucja", "Nguyễn", "محمد"):
            assert word in line, (style, line)
