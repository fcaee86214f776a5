"""One look everywhere (issue 12): a friendlier typeface served from here (no CDN), with
its licence beside it, swapped in so text shows at once, the regular weight preloaded."""
import re
from pathlib import Path

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
