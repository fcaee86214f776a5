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
