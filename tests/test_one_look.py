"""One look everywhere (issue 12): a friendlier typeface served from here (no CDN), with
its licence beside it, swapped in so text shows at once, the regular weight preloaded."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "static" / "fonts"
FACES = ("atkinson-hyperlegible-next-latin-400-normal.woff2", "atkinson-hyperlegible-next-latin-700-normal.woff2",
         "atkinson-hyperlegible-next-latin-400-italic.woff2")


def test_every_page_preloads_the_regular_weight_from_this_site(client):
    html = client.get("/").get_data(as_text=True)
    assert ('<link rel="preload" href="/static/fonts/atkinson-hyperlegible-next-latin-400-normal.woff2" as="font" '
            'type="font/woff2" crossorigin>') in html
    assert not re.search(r"https?://[^\"']*(fonts|woff)", html)  # no font from elsewhere


def test_the_faces_swap_and_point_at_files_that_are_served_with_their_licence(client):
    css = (ROOT / "static" / "css" / "app.css").read_text()
    faces = re.findall(r"@font-face \{([^}]*)\}", css)
    assert len(faces) == len(FACES)
    for face in faces:
        assert "font-display: swap" in face
        assert re.search(r'url\("\.\./fonts/[\w-]+\.woff2"\)', face)
        assert "http" not in face
    assert re.search(r'body \{[^}]*font-family: "Atkinson Hyperlegible Next", system-ui', css, re.S)
    for name in FACES:
        response = client.get(f"/static/fonts/{name}")
        assert response.status_code == 200 and response.mimetype == "font/woff2"
        assert response.data[:4] == b"wOF2"
        assert len(response.data) < 20_000  # light: the Latin subset only
        response.close()
    licence = (FONTS / "LICENSE-AtkinsonHyperlegibleNext.txt").read_text()
    assert "SIL Open Font License, Version 1.1" in licence and "Atkinson Hyperlegible Next" in licence


# ---- a cover per course (course.yml `cover:` and `cover_alt:`) -------------------------

COVER_ALT = "Twee collega’s in gesprek aan een keukentafel."


@pytest.fixture
def covered_course(app, tmp_path):
    """The second test course, loaded from a copy whose course.yml names a cover."""
    import shutil

    from course.content.loader import load_content
    from tests.factories_learn import SECOND_COURSE

    folder = tmp_path / "content" / SECOND_COURSE.name
    shutil.copytree(SECOND_COURSE, folder)
    (folder / "omslag.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 9"/>')
    text = (folder / "course.yml").read_text()
    (folder / "course.yml").write_text(text.replace("tagline:", f'cover: omslag.svg\ncover_alt: "{COVER_ALT}"\n'
                                                                 "tagline:", 1))
    load_content(tmp_path / "content")
    return SECOND_COURSE.name


def test_the_catalogue_and_the_course_page_show_the_cover_with_its_description(client, covered_course):
    img = (f'<img class="course-cover course-cover--{{place}}" src="/cursussen/{covered_course}/omslag/omslag.svg" '
           f'alt="{COVER_ALT}" width="640" height="360"')
    assert img.format(place="catalogue") in client.get("/cursussen").get_data(as_text=True)
    assert img.format(place="page") in client.get(f"/cursussen/{covered_course}").get_data(as_text=True)
    response = client.get(f"/cursussen/{covered_course}/omslag/omslag.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    response.close()


@pytest.mark.parametrize("name", ["course.yml", "anders.svg", "..%2Fcourse.yml", ".omslag.svg", "x" * 300])
def test_only_the_named_cover_is_served(client, covered_course, name):
    assert client.get(f"/cursussen/{covered_course}/omslag/{name}").status_code == 404


def test_a_course_without_a_cover_shows_no_image(client, app):
    from tests import factories

    course = factories.make_course(title="Zonder omslag")
    assert "course-cover" not in client.get(f"/cursussen/{course.slug}").get_data(as_text=True)
    assert client.get(f"/cursussen/{course.slug}/omslag/omslag.svg").status_code == 404


def test_the_cover_is_part_of_the_content_version_and_the_export(app, covered_course, tmp_path):
    from course.content.export import export_course
    from course.content.spec import read_content

    exported = export_course(covered_course, tmp_path / "export")
    assert (exported / "omslag.svg").is_file()
    report = read_content(tmp_path / "export")
    assert not report.problems and report.courses[0].settings["cover_alt"] == COVER_ALT
    before = report.courses[0].content_version
    (exported / "omslag.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"/>')
    assert read_content(tmp_path / "export").courses[0].content_version != before


def test_the_check_speaks_dutch_about_a_cover():
    from course.content.messages import Msg

    assert Msg("cover_no_alt", target="omslag.png").in_language("nl") == (
        "omslag 'omslag.png' heeft 'cover_alt' nodig: een korte beschrijving van de afbeelding voor wie hem niet "
        "kan zien")


def test_a_cover_published_from_the_editor_is_served_from_its_version(client, app):
    from course.extensions import db
    from course.models import CourseVersion, VersionFile, VersionSource
    from tests import factories

    course = factories.make_course(title="Uit de editor", cover="omslag.svg", cover_alt=COVER_ALT)
    course.source_path, course.content_version = "", "abc123"
    image = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 9"/>'
    version = CourseVersion(course_slug=course.slug, number=1, content_hash="abc123", source=list(VersionSource)[0])
    version.files = [VersionFile(path="omslag.svg", data=image), VersionFile(path="course.yml", data=b"x")]
    db.session.add(version)
    db.session.commit()
    response = client.get(f"/cursussen/{course.slug}/omslag/omslag.svg")
    assert response.status_code == 200 and response.data == image
    assert client.get(f"/cursussen/{course.slug}/omslag/course.yml").status_code == 404


def test_the_editor_has_the_cover_fields_and_writes_them_after_the_title():
    from course.authoring.editors import course_file, settings_values

    values = settings_values({"title": "Cursus", "cover": "omslag.jpg", "cover_alt": COVER_ALT})
    assert values["cover"] == "omslag.jpg" and values["cover_alt"] == COVER_ALT
    written = course_file({"title": "Cursus", "description": "Over.", "modules": ["een"]},
                          {**values, "description": "Over."}).decode()
    assert written.index("title:") < written.index("cover: omslag.jpg") < written.index("cover_alt:")
