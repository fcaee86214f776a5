"""The two doors for Markdown: trusted course files, sanitised user input."""
import pytest

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


@pytest.mark.parametrize("text", ["[" * 10_000, "[`" * 5_000, "*[" * 5_000, "[" * 5_000 + "]" * 5_000,
                                  "[a](" * 2_500, "[a](" + "(" * 9_990])
def test_a_text_full_of_brackets_renders_quickly(text):
    """Python-Markdown looks for the partner of every "[" afresh: 10,000 of them (a
    discussion post's limit) took more than ten seconds, on every view of the thread.
    An alarm stops the old behaviour after 5 seconds instead of letting it run."""
    import signal
    import time

    def too_slow(*_args):
        raise AssertionError("rendering took more than 5 seconds")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(5)
    try:
        started = time.perf_counter()
        html = str(render_user(text))
        assert time.perf_counter() - started < 2
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert html.count("[") == text.count("["), "every bracket is shown as typed"
    assert "\\" not in html and "\ue05b" not in html


def test_links_in_a_text_with_many_brackets_still_work():
    from course.text import _defuse_brackets

    html = str(render_user("[" * 60 + " zie [de site](https://example.org) en (" * 3 + "[[[diep]]]"))
    assert html.count('<a href="https://example.org"') == 3
    assert "[[[diep]]]" in html and "\\" not in html
    ordinary = "gewoon [een link](https://example.org) (met haakjes) en [[dubbel]] `a[0]`"
    assert _defuse_brackets(ordinary) == ordinary, "an ordinary text goes to Markdown as typed"


def test_a_text_nested_deeper_than_markdown_follows_is_shown_as_plain_text():
    """600 list markers in a row ("1. 1. 1. …") made Markdown recurse too deep: a
    RecursionError on every page that showed the post (a 500 for the whole thread)."""
    text = "1. " * 3_000 + "<b>einde</b>"
    html = str(render_user(text))
    assert html.startswith("<p>1. 1. ") and "&lt;b&gt;einde&lt;/b&gt;" in html
    assert str(render_user("1. een\n2. twee")).startswith("<ol>"), "an ordinary list is still a list"
    assert str(render_user("**vet**")) == "<p><strong>vet</strong></p>", "the thread's next text is Markdown again"


def test_course_content_nested_too_deep_is_plain_text_and_the_next_text_is_markdown_again():
    html, toc = render_trusted("1. " * 3_000 + "diep")
    assert html.startswith("<p>1. 1. ") and toc == []
    assert render_trusted("## Kop\n\n**vet**")[0].endswith("<p><strong>vet</strong></p>")
