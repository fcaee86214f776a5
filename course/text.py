"""Markdown has two doors: course content (written by appointed authors, also in the
browser editor) and what learners and trainers type. Both are sanitised; course
content keeps tables, images, headings with anchors and `{: .class}` attributes."""
import hashlib
import re
import threading
from collections import OrderedDict

import markdown
import nh3
from markupsafe import Markup, escape

TRUSTED_EXTENSIONS = ["tables", "toc", "sane_lists", "attr_list", "fenced_code"]
USER_EXTENSIONS = ["sane_lists", "nl2br"]

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "a", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
COURSE_TAGS = ALLOWED_TAGS | {
    "h1", "h2", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "div", "span", "img", "figure",
    "figcaption", "dl", "dt", "dd", "sup", "sub", "abbr", "details", "summary", "del", "ins", "mark", "kbd", "s",
}
COURSE_ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan", "scope"}, "td": {"align", "colspan", "rowspan"}, "abbr": {"title"},
    "*": {"id", "class", "lang"},
}
LINK_REL = "noopener noreferrer nofollow"
# nh3 keeps <a> but drops an href with another scheme (tel:, ftp:, data:, javascript:):
# such a link is shown as its plain text.
_LINK_WITHOUT_HREF = re.compile(rf'<a rel="{LINK_REL}">(.*?)</a>', re.S)
_LINK = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.S)
_ABSOLUTE = re.compile(r"^(https?://|mailto:)", re.I)


_converters = threading.local()


def _course_markdown() -> markdown.Markdown:
    """One converter per thread, reset before each text: building one costs more than
    converting a short text, and a course has thousands (every option and feedback)."""
    md = getattr(_converters, "course", None)
    if md is None:
        md = _converters.course = markdown.Markdown(extensions=TRUSTED_EXTENSIONS,
                                                    extension_configs={"toc": {"permalink": False}})
    md.reset()
    return md


# A one-line text of words and plain punctuation has no Markdown in it, and Markdown would
# only wrap it in <p>: most quiz options and feedback are such texts (checked against
# the full path in tests/test_course_markdown.py).
_PLAIN_TEXT = re.compile(r"[^\W\d_](?:[^\W_]|[ .,;:?!'()%€/=…’‘–—-])*")


def render_trusted(text: str) -> tuple[str, list[dict]]:
    """Course content: tables, headings with anchors, sanitised. Returns (html, table of contents)."""
    if text and _PLAIN_TEXT.fullmatch(text):
        return f"<p>{text}</p>", []
    md = _course_markdown()
    try:
        converted = md.convert(text or "")
    except RecursionError:  # nested deeper than Markdown can follow: shown as plain text
        _drop_converter("course")
        converted, md = _plain_paragraphs(text), None
    # No scripts, event handlers, forms or frames, even from an author: relative links
    # (the module's images, anchors) and http(s)/mailto stay.
    html = nh3.clean(converted, tags=COURSE_TAGS, attributes=COURSE_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel=None)
    # A wide table scrolls inside its own box instead of widening a phone's page.
    html = html.replace("<table>", '<div class="table-wrap"><table>').replace("</table>", "</table></div>")
    return html, _flatten_toc(getattr(md, "toc_tokens", []) if md else [])


def prepare_converters() -> None:
    """Build this thread's converters now (course/warmup.py): Python-Markdown imports its
    extensions on the first one, which cost a worker's first page with a text 12 ms."""
    _course_markdown()
    _user_markdown()


def _drop_converter(name: str) -> None:
    """A conversion that failed half-way leaves the converter's state behind (the next
    text of this thread came out as raw Markdown): the thread builds a new one."""
    setattr(_converters, name, None)


def _plain_paragraphs(text: str) -> str:
    return "<p>" + str(escape(text)).replace("\n", "<br>\n") + "</p>"


def _flatten_toc(tokens: list[dict]) -> list[dict]:
    flat = []
    for token in tokens:
        flat.append({"id": token["id"], "name": token["name"], "level": token["level"]})
        flat.extend(_flatten_toc(token.get("children", [])))
    return flat


def _user_markdown() -> markdown.Markdown:
    """Markdown without raw HTML: a typed <style> or <script> is text like any other,
    not a tag the sanitiser would remove together with everything after it. One
    converter per thread, reset before each text (a page shows many answers)."""
    md = getattr(_converters, "user", None)
    if md is None:
        md = _converters.user = markdown.Markdown(extensions=USER_EXTENSIONS)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
    md.reset()
    return md


# Brackets of one kind in a text before they are defused (see _defuse_brackets): an
# ordinary text, links and all, goes to Markdown as typed.
BRACKETS_AS_TYPED = 50
_DEFUSE_DEPTH = 2
_PARTNER = {"]": "[", ")": "("}
# A defused bracket travels through Markdown as a private-use character (text to it,
# also in code) and is put back afterwards: the reader sees exactly what was typed.
_STAND_IN = {"[": "\ue05b", "]": "\ue05d", "(": "\ue028", ")": "\ue029"}
_BACK = str.maketrans({stand_in: char for char, stand_in in _STAND_IN.items()})
_NO_STAND_INS = str.maketrans(dict.fromkeys(_STAND_IN.values()))


def _defuse_brackets(text: str) -> str:
    """Python-Markdown looks for the partner of every "[" (and of every "(" after "]")
    afresh, to the end of the text: 10,000 "[" took more than ten seconds to render, on
    every page that shows the text. In a text with many brackets, a bracket that never
    closes, or a pair nested deeper than two others (never part of a link anyone
    writes), becomes a stand-in that Markdown does not search for. Two linear passes."""
    if text.count("[") <= BRACKETS_AS_TYPED and text.count("(") <= BRACKETS_AS_TYPED:
        return text
    text = text.translate(_NO_STAND_INS)
    partner: dict[int, int] = {}  # opening index -> closing index, of the pairs that close
    stacks: dict[str, list[int]] = {"[": [], "(": []}
    escaped = False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True  # "\[" is text already
        elif char in stacks:
            stacks[char].append(index)
        elif char in _PARTNER and stacks[_PARTNER[char]]:
            partner[stacks[_PARTNER[char]].pop()] = index
    defused = {index for stack in stacks.values() for index in stack}  # never closed
    depth = {"[": 0, "(": 0}
    closing: dict[int, str] = {}
    for index, char in enumerate(text):
        if index in closing:
            depth[closing.pop(index)] -= 1
        elif index in partner:
            if depth[char] >= _DEFUSE_DEPTH:
                defused.update((index, partner[index]))
            else:
                depth[char] += 1
                closing[partner[index]] = char
    if not defused:
        return text
    return "".join(_STAND_IN[char] if index in defused else char for index, char in enumerate(text))


class TextCache:
    """A small per-process LRU for pure functions of texts (issue 16): the key is a
    digest of the texts, so a kept entry costs its result, not the texts again. Safe
    with several processes: the result depends on nothing but the texts."""

    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self.entries: OrderedDict[bytes, object] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, texts: tuple[str, ...], compute):
        hasher = hashlib.blake2b(digest_size=16)
        for text in texts:  # each text with its length, so ("ab", "") and ("a", "b") differ
            data = text.encode("utf-8", "surrogatepass")
            hasher.update(len(data).to_bytes(8, "big"))
            hasher.update(data)
        digest = hasher.digest()
        with self.lock:
            if digest in self.entries:
                self.entries.move_to_end(digest)
                return self.entries[digest]
        value = compute()
        with self.lock:
            self.entries[digest] = value
            if len(self.entries) > self.maxsize:
                self.entries.popitem(last=False)
        return value


# Rendering is a pure function of the text, so a process keeps recent results: a page
# shows the same answers and feedback on every visit (the review page renders each
# field twice, for the page and for the diff). An edited answer is a new entry; long
# texts are rendered every time, so the cache stays under about 2 MB.
CACHED_TEXT_LENGTH = 4000
_rendered_user = TextCache(256)


def render_user(text: str) -> Markup:
    """What a learner or trainer typed: Markdown (HTML in it shown as text), then an
    allow-list sanitiser."""
    text = text or ""
    if isinstance(text, str) and len(text) <= CACHED_TEXT_LENGTH:
        text = str(text)
        return _rendered_user.get((text,), lambda: _render_user(text))
    return _render_user(text)


def _render_user(text: str) -> Markup:
    try:
        html = _user_markdown().convert(_defuse_brackets(text)).translate(_BACK)
    except RecursionError:  # nested deeper than Markdown can follow ("1. 1. 1. …"): plain text
        _drop_converter("user")
        html = _plain_paragraphs(text)
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                      link_rel=LINK_REL)
    return Markup(_LINK_WITHOUT_HREF.sub(r"\1", clean))  # noqa: S704  (sanitised by nh3 just above)


def pdf_html(html: str) -> str:
    """Sanitised HTML for fpdf2's write_html: only absolute http(s) and mailto links stay
    links; an in-page (#…), relative or empty link becomes its text (fpdf2 cannot resolve it)."""
    html = _LINK_WITHOUT_HREF.sub(r"\1", html)
    return _LINK.sub(lambda m: m.group(0) if _ABSOLUTE.match(m.group(1)) else m.group(2), html)


_TAG_START = re.compile(r"<(?=[A-Za-z/!?])(?![A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*>)(?![^\s<>@]+@[^\s<>]+>)")


def markdown_as_text(text: str) -> str:
    """Learner text for a Markdown file: an HTML tag they typed is escaped (\\<style>) so a
    Markdown viewer shows it instead of running or hiding it. Autolinks (<https://…>) stay."""
    return _TAG_START.sub(r"\\<", text or "")
