"""A file to download: the one response every area sends for a PDF, a Markdown file,
a ZIP or a calendar file (CSV has its own streaming response in csvutil.py), and the
one response for an image from course content."""
from flask import Response

PRIVATE = "private, no-store"
IMAGE_MIMETYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
                   ".webp": "image/webp", ".svg": "image/svg+xml"}


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


def image_response(data: bytes, filename: str, max_age: int = 3600) -> Response:
    """An image with its type; an SVG may not run anything even when opened on its own."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower()
    response = Response(data, mimetype=IMAGE_MIMETYPES.get(suffix, "application/octet-stream"))
    response.headers["Cache-Control"] = f"private, max-age={max_age}" if max_age else "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    if suffix == ".svg":
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response
