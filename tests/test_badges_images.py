"""Badge images: generated per badge, baked with the assertion URL, any script."""
import io

import pytest
from defusedxml import ElementTree as ET
from PIL import Image

from course.badges import images, services
from course.extensions import db
from course.pdf import fonts
from tests import factories
from tests.factories_badges import award_module_badge

OB_NS = "https://openbadgespec.org"
NAMES = ["Şükrü Yılmaz", "Łucja Wąsowska-Brzęczyszczykiewicz", "Nguyễn Thị Minh Khai", "محمد بن عبد الله العربي"]


@pytest.fixture
def assertion(app, learner):
    course = factories.make_course(colour_primary="#5b2a86", colour_accent="#ffd166")
    return award_module_badge(factories.make_enrolment(learner, course))


def test_the_baked_png_carries_the_assertion_url_in_an_openbadges_itxt_chunk(client, assertion):
    response = client.get(f"/badges/{assertion.public_id}/badge.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))
    image.load()
    assert image.format == "PNG" and image.size == (600, 600)
    url = f"http://leerlijn.test/ob/assertions/{assertion.public_id}.json"
    assert image.text["openbadges"] == url
    assert b"iTXt" in response.data and b"openbadges\x00\x00\x00" in response.data  # keyword, uncompressed


def test_the_baked_svg_carries_the_assertion_element(client, assertion):
    response = client.get(f"/badges/{assertion.public_id}/badge.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.data)
    element = root.find(f"{{{OB_NS}}}assertion")
    url = f"http://leerlijn.test/ob/assertions/{assertion.public_id}.json"
    assert element is not None and element.get("verify") == url
    assert url in element.text  # the assertion JSON in CDATA
    assert b'xmlns:openbadges="https://openbadgespec.org"' in response.data


def test_badge_class_images_use_the_course_colours_and_title(client, assertion):
    badge = assertion.badge_class
    svg = client.get(f"/ob/badges/{badge.public_id}/image.svg")
    assert svg.status_code == 200
    assert b"#5b2a86" in svg.data and b"#ffd166" in svg.data and b"Module 1" in svg.data
    png = Image.open(io.BytesIO(client.get(f"/ob/badges/{badge.public_id}/image.png").data)).convert("RGB")
    assert png.getpixel((300, 20)) == (0xff, 0xd1, 0x66)  # the accent ring
    assert png.getpixel((300, 200)) in ((0x5b, 0x2a, 0x86), (255, 255, 255))  # the primary disc (or text)


def test_a_revoked_badge_has_no_downloadable_image(client, assertion, platform_admin):
    services.revoke(assertion, "Ingetrokken", actor=platform_admin)
    assert client.get(f"/badges/{assertion.public_id}/badge.png").status_code == 404
    assert client.get(f"/badges/{assertion.public_id}/badge.svg").status_code == 404


@pytest.mark.parametrize("title", NAMES + [("Een heel lange moduletitel " * 12)[:200], "X" * 200])
def test_any_title_renders_without_a_crash_or_tofu(app, title):
    course = factories.make_course()
    module = course.modules[0]
    module.title = title
    db.session.commit()
    badge = services.get_or_create_badge_class(course, module)
    db.session.commit()
    png = Image.open(io.BytesIO(images.render_png(badge)))
    png.load()
    assert png.size == (600, 600)
    drawn_title = fonts.visual_text(title)
    assert fonts.missing_glyphs(drawn_title, bold=True) == set()
    svg = images.render_svg(badge)
    ET.fromstring(svg.encode())  # well-formed XML whatever the title


def test_arabic_is_shaped_into_joined_forms_in_visual_order():
    shaped = fonts.visual_text("محمد")
    # Presentation forms (U+FE70–U+FEFF) mean the letters are joined, drawn right to left.
    assert all(0xFE70 <= ord(ch) <= 0xFEFF for ch in shaped)
    assert shaped[-1] == "\ufee3"  # the initial meem is stored last: drawn rightmost
    assert fonts.visual_text("Şükrü") == "Şükrü"


def test_long_titles_are_shortened_to_fit(app):
    font, lines = images.fit_text("woord " * 200, images.TITLE_BOX)
    assert len(lines) <= images.MAX_LINES
    assert lines[-1].endswith("…")
    assert all(font.getlength(line) <= images.TITLE_BOX for line in lines)


@pytest.mark.parametrize("background", ["#0b5d6b", "#ffd166", "#000000", "#ffffff"])
def test_badge_text_contrasts_with_its_background(background):
    text = images.text_colour_on(background)

    def ratio(a, b):
        la, lb = images._luminance(a), images._luminance(b)
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)

    assert ratio(text, background) >= 4.5
