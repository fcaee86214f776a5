"""Markdown has two doors: trusted course files, and sanitised user input."""
import markdown
import nh3
from markupsafe import Markup

TRUSTED_EXTENSIONS = ["tables", "toc", "sane_lists", "attr_list", "fenced_code"]
USER_EXTENSIONS = ["sane_lists", "nl2br"]

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "a", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_trusted(text: str) -> tuple[str, list[dict]]:
    """Course content: tables, headings with anchors. Returns (html, table of contents)."""
    md = markdown.Markdown(extensions=TRUSTED_EXTENSIONS, extension_configs={"toc": {"permalink": False}})
    html = md.convert(text or "")
    # A wide table scrolls inside its own box instead of widening a phone's page.
    html = html.replace("<table>", '<div class="table-wrap"><table>').replace("</table>", "</table></div>")
    return html, _flatten_toc(getattr(md, "toc_tokens", []))


def _flatten_toc(tokens: list[dict]) -> list[dict]:
    flat = []
    for token in tokens:
        flat.append({"id": token["id"], "name": token["name"], "level": token["level"]})
        flat.extend(_flatten_toc(token.get("children", [])))
    return flat


def render_user(text: str) -> Markup:
    """What a learner or trainer typed: Markdown, then an allow-list sanitiser."""
    html = markdown.markdown(text or "", extensions=USER_EXTENSIONS)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)  # noqa: S704  (sanitised by nh3 just above)
