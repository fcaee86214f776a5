"""Course Markdown comes from appointed authors, now also through the browser editor:
it keeps its tables, images and anchors, and loses anything that runs or submits."""
from course.text import render_trusted


def test_course_markdown_keeps_its_structure():
    html, toc = render_trusted("## Waarom\n\nZie [hier](#waarom).\n\n![Schema](schema.svg)\n\n"
                               "| a | b |\n|---|---|\n| 1 | 2 |\n\nMeer op [de site](https://example.org).")
    assert '<h2 id="waarom">Waarom</h2>' in html and toc == [{"id": "waarom", "name": "Waarom", "level": 2}]
    assert '<img alt="Schema" src="schema.svg">' in html or '<img src="schema.svg" alt="Schema">' in html
    assert '<div class="table-wrap"><table>' in html and "<td>2</td>" in html
    assert '<a href="https://example.org">de site</a>' in html


def test_course_markdown_loses_scripts_handlers_forms_and_javascript_links():
    html, _toc = render_trusted('<script>alert(1)</script>\n\n<p onclick="steal()">Tekst</p>\n\n'
                                '<form action="https://kwaad.example"><input name="wachtwoord"></form>\n\n'
                                '[klik](javascript:alert(2)) <img src="x.png" alt="x" onerror="alert(3)">\n\n'
                                '<iframe src="https://kwaad.example"></iframe>')
    for bad in ("<script", "onclick", "<form", "<input", "javascript:", "onerror", "<iframe"):
        assert bad not in html, bad
    assert "Tekst" in html and "klik" in html


def test_plain_one_line_texts_take_the_short_way_with_the_same_result_as_markdown():
    """render_trusted skips Markdown for a line of words and plain punctuation; for every
    text of the default course and the fixtures that does, Markdown gives the same."""
    from pathlib import Path

    import yaml

    from course import text as course_text

    texts: list[str] = []

    def walk(value):
        if isinstance(value, str):
            texts.append(value.strip())
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    root = Path(__file__).resolve().parent.parent
    for path in [*root.glob("modules/**/*.yml"), *root.glob("tests/fixtures/**/*.yml")]:
        try:
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue  # the fixtures hold broken files on purpose
    texts += ["Ja, dat klopt.", "Wat is 50% van 10?", "Zo… ja – of — nee", "It’s ‘fine’ (ok) / e-mail"]
    plain = [t for t in texts if course_text._PLAIN_TEXT.fullmatch(t)]
    assert len(plain) > 500, "the default course's options and feedback are mostly plain"
    for text in plain:
        markdown_html = course_text._course_markdown().convert(text)
        assert render_trusted(text) == (markdown_html, []), text
    for text in ("*nadruk*", "_nadruk_", "1. een lijst", "- een lijst", "# Kop", "a & b", "<b>x</b>", "[a](b)"):
        assert not course_text._PLAIN_TEXT.fullmatch(text), text
