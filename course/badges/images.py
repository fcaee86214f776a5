"""Badge images, generated per badge class from its title and the course's colours.

Nothing is hand-drawn: a new course gets its badges for free. The SVG is text
(the browser shapes and lays out the title); the PNG is drawn with Pillow and the
shipped font. Baking puts the assertion URL into the image, as Open Badges 2.0
asks: an iTXt chunk `openbadges` in a PNG, an `openbadges:assertion` element in an SVG.
Pillow is imported by the first PNG a process draws, not when the app loads (issue 16).
"""
from __future__ import annotations

import io
import json
import re
from functools import lru_cache
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from course.models import BadgeClass
from course.pdf import fonts

if TYPE_CHECKING:
    from PIL import ImageFont

SIZE = 600
TITLE_BOX = 380  # the width the title may use, in pixels of the PNG
MAX_LINES = 4
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
OB_NAMESPACE = "https://openbadgespec.org"


# ---- colours -------------------------------------------------------------


def _colour(value: str | None, default: str) -> str:
    return value if value and HEX.match(value) else default


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_colour_on(background: str) -> str:
    """White or near-black, whichever contrasts more with the background."""
    light = 1.05 / (_luminance(background) + 0.05)
    dark = (_luminance(background) + 0.05) / (_luminance("#1d2428") + 0.05)
    return "#ffffff" if light >= dark else "#1d2428"


def palette(badge: BadgeClass) -> dict[str, str]:
    primary = _colour(badge.course.colour_primary, "#0b5d6b")
    accent = _colour(badge.course.colour_accent, "#f2a900")
    return {"primary": primary, "accent": accent, "text": text_colour_on(primary),
            "ribbon_text": text_colour_on(accent)}


def _labels(badge: BadgeClass) -> tuple[str, str, str]:
    """(title, small line above, small line below)."""
    course = badge.course
    if badge.module_id is None:
        return badge.name, "Leerlijn", "★"
    position = badge.module.position if badge.module else ""
    return badge.name, course.title, f"{position}"


# ---- text fitting (PNG) --------------------------------------------------


@lru_cache(maxsize=32)
def _font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    path = fonts.BOLD if bold else fonts.REGULAR
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def _width(text: str, font: ImageFont.FreeTypeFont) -> float:
    return font.getlength(text)


def _break_word(word: str, font, width: int) -> list[str]:
    pieces, current = [], ""
    for ch in word:
        if current and _width(current + ch, font) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    return pieces + ([current] if current else [])


def wrap(text: str, font, width: int) -> list[str]:
    """Greedy word wrap; words longer than a line are broken."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        for piece in ([word] if _width(word, font) <= width else _break_word(word, font, width)):
            candidate = f"{current} {piece}".strip()
            if current and _width(candidate, font) > width:
                lines.append(current)
                current = piece
            else:
                current = candidate
    if current:
        lines.append(current)
    return lines or [""]


def fit_text(text: str, width: int, max_lines: int = MAX_LINES, sizes=(46, 40, 34, 30, 26, 22, 19)):
    """(font, lines): the largest size at which the text fits; shortened with … at the smallest."""
    for size in sizes:
        font = _font(size)
        lines = wrap(text, font, width)
        if len(lines) <= max_lines:
            return font, lines
    font = _font(sizes[-1])
    lines = wrap(text, font, width)[:max_lines]
    last = lines[-1]
    while last and _width(last + "…", font) > width:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return font, lines


def _shorten(text: str, font, width: int) -> str:
    if _width(text, font) <= width:
        return text
    while text and _width(text + "…", font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


# ---- PNG -----------------------------------------------------------------


def render_png(badge: BadgeClass) -> bytes:
    """The badge class's PNG (cached: drawing takes ~90 ms, and the inputs rarely change)."""
    return _draw_png(tuple(sorted(palette(badge).items())), _labels(badge))


@lru_cache(maxsize=256)
def _draw_png(colour_items: tuple, labels: tuple[str, str, str]) -> bytes:
    from PIL import Image, ImageDraw

    colours = dict(colour_items)
    title, above, below = (fonts.visual_text(t) for t in labels)
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = SIZE // 2
    draw.ellipse((10, 10, SIZE - 10, SIZE - 10), fill=colours["accent"])
    draw.ellipse((34, 34, SIZE - 34, SIZE - 34), fill=colours["primary"])
    draw.ellipse((52, 52, SIZE - 52, SIZE - 52), outline=colours["text"], width=3)

    small = _font(24, bold=False)
    draw.text((centre, 138), _shorten(above, small, 300), font=small, fill=colours["text"], anchor="mm")

    font, lines = fit_text(title, TITLE_BOX)
    line_height = int(font.size * 1.2)
    top = centre - (line_height * len(lines)) // 2 + line_height // 2 - 10
    for number, line in enumerate(lines):
        draw.text((centre, top + number * line_height), line, font=font, fill=colours["text"], anchor="mm")

    # The ribbon: the accent band with the module number (or a star for the course).
    draw.rounded_rectangle((centre - 110, 440, centre + 110, 500), radius=14, fill=colours["accent"])
    ribbon = _font(30)
    draw.text((centre, 470), _shorten(below, ribbon, 200), font=ribbon, fill=colours["ribbon_text"], anchor="mm")

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def bake_png(png: bytes, assertion_url: str) -> bytes:
    """The PNG with an uncompressed iTXt chunk `openbadges` holding the assertion URL."""
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    image = Image.open(io.BytesIO(png))
    info = PngInfo()
    info.add_itxt("openbadges", assertion_url, lang="", tkey="", zip=False)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


# ---- SVG -----------------------------------------------------------------


def render_svg(badge: BadgeClass, baked: str = "") -> str:
    colours = palette(badge)
    title, above, below = (fonts.clean(t) for t in _labels(badge))
    # Wrapped by the PNG's metrics so both images break the title alike; the browser draws the glyphs.
    font, lines = fit_text(title, TITLE_BOX)
    size = font.size
    line_height = int(size * 1.2)
    top = SIZE // 2 - (line_height * len(lines)) // 2 + line_height // 2 - 10
    tspans = "".join(
        f'<tspan x="300" y="{top + n * line_height}">{escape(line)}</tspan>' for n, line in enumerate(lines)
    )
    above = above if len(above) <= 40 else above[:39].rstrip() + "…"
    label = escape(f"{badge.name} · {badge.course.title}")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="{OB_NAMESPACE}" '
        f'width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}" role="img" aria-labelledby="badge-title">'
        f"{baked}"
        f'<title id="badge-title">{label}</title>'
        f'<circle cx="300" cy="300" r="290" fill="{colours["accent"]}"/>'
        f'<circle cx="300" cy="300" r="266" fill="{colours["primary"]}"/>'
        f'<circle cx="300" cy="300" r="248" fill="none" stroke="{colours["text"]}" stroke-width="3"/>'
        f'<g font-family="DejaVu Sans, Verdana, sans-serif" fill="{colours["text"]}" text-anchor="middle" '
        f'dominant-baseline="middle">'
        f'<text x="300" y="138" font-size="24">{escape(above)}</text>'
        f'<text font-size="{size}" font-weight="bold">{tspans}</text>'
        f"</g>"
        f'<rect x="190" y="440" width="220" height="60" rx="14" fill="{colours["accent"]}"/>'
        f'<text x="300" y="470" font-family="DejaVu Sans, Verdana, sans-serif" font-size="30" font-weight="bold" '
        f'fill="{colours["ribbon_text"]}" text-anchor="middle" dominant-baseline="middle">{escape(below)}</text>'
        "</svg>\n"
    )


def bake_svg(badge: BadgeClass, assertion_url: str, assertion_json: dict) -> str:
    """The SVG with `<openbadges:assertion verify="…">` holding the assertion."""
    payload = json.dumps(assertion_json, ensure_ascii=False).replace("]]>", "]]]]><![CDATA[>")
    element = f"<openbadges:assertion verify={quoteattr(assertion_url)}><![CDATA[{payload}]]></openbadges:assertion>"
    return render_svg(badge, baked=element)
