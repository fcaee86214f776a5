"""An A4 PDF with the shipped font registered and text shaping on, Leerlijn's
colours, and the layout helpers the certificate and the workbook share.

fpdf2 (with fontTools and HarfBuzz: about 30 MB and a quarter second per process) is
imported by the first PDF a process makes, not when the app loads (issue 16)."""
from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING

from . import fonts

if TYPE_CHECKING:
    from fpdf import FPDF

# fontTools logs every font subset at INFO: keep the server log readable.
logging.getLogger("fontTools").setLevel(logging.WARNING)

BRAND = (11, 93, 107)
INK = (29, 36, 40)
MUTED = (74, 85, 92)


def new_pdf(orientation: str = "P", cls: type[FPDF] | None = None) -> FPDF:
    """An A4 FPDF with the shipped font registered and text shaping on. The oblique
    faces cover fewer scripts (no Arabic), so the upright face is the fallback."""
    if cls is None:
        from fpdf import FPDF as cls
    pdf = cls(orientation=orientation, unit="mm", format="A4")
    pdf.set_creator("Leerlijn")
    pdf.add_font(fonts.FAMILY, "", str(fonts.REGULAR))
    pdf.add_font(fonts.FAMILY, "B", str(fonts.BOLD))
    pdf.add_font(fonts.FAMILY, "I", str(fonts.ITALIC))
    pdf.add_font(fonts.FAMILY, "BI", str(fonts.BOLD_ITALIC))
    pdf.add_font(f"{fonts.FAMILY}Fallback", "", str(fonts.REGULAR))
    pdf.add_font(f"{fonts.FAMILY}Fallback", "B", str(fonts.BOLD))
    pdf.set_fallback_fonts([f"{fonts.FAMILY}Fallback"], exact_match=False)
    pdf.set_text_shaping(True)
    return pdf


def hex_rgb(value: str | None, default: tuple[int, int, int]) -> tuple[int, int, int]:
    try:
        return tuple(int(value[i:i + 2], 16) for i in (1, 3, 5)) if value and len(value) == 7 else default
    except ValueError:
        return default


def fitted_line(pdf: FPDF, text: str, width: float, size: float, minimum: float = 14, style: str = "B",
                height_factor: float = 0.5) -> None:
    """Centred text: shrink until it fits on one line, then wrap at the minimum size."""
    text = fonts.clean(text)
    while size > minimum:
        pdf.set_font(fonts.FAMILY, style, size)
        if pdf.get_string_width(text) <= width:
            break
        size -= 1
    pdf.set_font(fonts.FAMILY, style, size)
    pdf.multi_cell(width, size * height_factor, text, align="C", new_x="LMARGIN", new_y="NEXT")


def qr_png(url: str) -> io.BytesIO:
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=6, border=2)
    out.seek(0)
    return out
