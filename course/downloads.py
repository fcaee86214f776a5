"""A file to download: the one response every area sends for a PDF, a Markdown file,
a ZIP or a calendar file (CSV has its own streaming response in csvutil.py)."""
from flask import Response

PRIVATE = "private, no-store"


def attachment(body: bytes, mimetype: str, filename: str, cache: str | None = PRIVATE) -> Response:
    """`body` as an attachment named `filename`; personal documents are not cached
    (`cache=None`: no Cache-Control header)."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if cache:
        response.headers["Cache-Control"] = cache
    return response


def document(book, fmt: str, to_pdf, to_markdown, filename) -> Response:
    """A document a learner or a team keeps (the workbook, the team plan) as PDF
    (`fmt` "pdf") or Markdown ("md"); `filename(book, fmt)` names it."""
    if fmt == "pdf":
        return attachment(to_pdf(book), "application/pdf", filename(book, fmt))
    # the mimetype without charset: Flask adds "; charset=utf-8" to text/* itself
    return attachment(to_markdown(book).encode("utf-8"), "text/markdown", filename(book, fmt))
