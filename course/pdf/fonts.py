"""The shipped font (DejaVu Sans, static/fonts/) and text helpers shared by the
certificate and workbook PDFs and the badge images.

DejaVu Sans covers Latin with accents, Turkish, Polish, Vietnamese and Arabic.
PDFs shape text with HarfBuzz (fpdf2's text shaping, uharfbuzz). Badge PNGs are
drawn with Pillow's basic layout, so complex scripts are shaped here first:
HarfBuzz picks the contextual glyphs (Arabic joining forms) in visual order and
we map them back to their presentation-form code points.
"""
import unicodedata
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
FONT_DIR = ROOT / "static" / "fonts"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
ITALIC = FONT_DIR / "DejaVuSans-Oblique.ttf"
BOLD_ITALIC = FONT_DIR / "DejaVuSans-BoldOblique.ttf"
FAMILY = "DejaVu"


def clean(text: str | None) -> str:
    """NFC-normalised text without control characters (a PDF or image must never crash on input)."""
    text = unicodedata.normalize("NFC", text or "")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn"))


@lru_cache(maxsize=2)
def _font_tables(path: str) -> tuple[dict[int, str], list[str]]:
    """(cmap, glyph order) of a font file, read once."""
    from fontTools.ttLib import TTFont

    with TTFont(path) as font:
        return dict(font.getBestCmap()), list(font.getGlyphOrder())


def _cmap(path: str) -> dict[int, str]:
    return _font_tables(path)[0]


@lru_cache(maxsize=2)
def _reverse_cmap(path: str) -> dict[str, int]:
    reverse: dict[str, int] = {}
    for codepoint, glyph in sorted(_cmap(path).items(), reverse=True):
        reverse[glyph] = codepoint  # lowest code point wins: prefer base forms
    return reverse


def missing_glyphs(text: str, bold: bool = False) -> set[str]:
    """Characters the shipped font cannot draw (would show as tofu boxes)."""
    cmap = _cmap(str(BOLD if bold else REGULAR))
    return {ch for ch in clean(text) if not ch.isspace() and ord(ch) not in cmap}


@lru_cache(maxsize=4)
def _hb_font(path: str):
    import uharfbuzz as hb

    blob = hb.Blob.from_file_path(path)
    return hb.Font(hb.Face(blob)), _reverse_cmap(path), _glyph_names(path)


def _glyph_names(path: str) -> list[str]:
    return _font_tables(path)[1]


def _is_rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL", "AN")


def _runs(text: str) -> list[tuple[bool, str]]:
    """Split into right-to-left and other runs; neutral characters join the run they are in."""
    runs: list[tuple[bool, str]] = []
    for ch in text:
        rtl = _is_rtl(ch) if unicodedata.bidirectional(ch) not in ("WS", "ON", "CS", "NSM") else None
        if runs and (rtl is None or runs[-1][0] == rtl):
            runs[-1] = (runs[-1][0], runs[-1][1] + ch)
        else:
            runs.append((bool(rtl), ch))
    return runs


def _shape_rtl(run: str, bold: bool) -> str:
    import uharfbuzz as hb

    font, reverse, names = _hb_font(str(BOLD if bold else REGULAR))
    core = run.strip()
    buf = hb.Buffer()
    buf.add_str(core)
    buf.guess_segment_properties()
    hb.shape(font, buf, {})
    out = []
    for info in buf.glyph_infos:  # already in visual (left-to-right) order
        codepoint = reverse.get(names[info.codepoint]) if info.codepoint < len(names) else None
        out.append(chr(codepoint) if codepoint else core[min(info.cluster, len(core) - 1)])
    return "".join(out)


def visual_text(text: str, bold: bool = False) -> str:
    """Text in the order and forms to draw left to right without a layout engine.
    Latin text comes back unchanged; right-to-left runs are shaped by HarfBuzz."""
    text = clean(text)
    if not any(_is_rtl(ch) for ch in text):
        return text
    runs = _runs(text)
    parts = [(_shape_rtl(run, bold) if rtl else run.strip()) for rtl, run in runs]
    parts = [p for p in parts if p]
    first_strong_rtl = next((rtl for rtl, run in runs if run.strip()), False)
    if first_strong_rtl:
        parts.reverse()
    return " ".join(parts)
