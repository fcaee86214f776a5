"""The two doors for Markdown: trusted course files, sanitised user input."""
from course.text import render_trusted, render_user


def test_course_tables_scroll_in_their_own_box_and_headings_get_anchors():
    html, toc = render_trusted("## Platforms\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert '<div class="table-wrap"><table>' in html and "</table></div>" in html
    assert toc == [{"id": "platforms", "name": "Platforms", "level": 2}]


def test_user_markdown_is_sanitised():
    html = str(render_user('<script>alert(1)</script> [x](javascript:alert(1)) **vet** <img src=x onerror=alert(1)>'))
    assert "<script" not in html and 'href="javascript:' not in html and "<img" not in html
    # Typed HTML is shown as inert text, not dropped (issue 9: it swallowed the rest of the field).
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<strong>vet</strong>" in html
