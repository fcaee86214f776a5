"""Small URL helpers."""
from urllib.parse import urlsplit

from flask import current_app, request


def safe_next(default: str) -> str:
    """The `next` parameter when it is a local path, else the default."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc and not parts.scheme \
            and "\\" not in target:
        return target
    return default


def external_url(endpoint: str, **values) -> str:
    """A stable absolute URL built from BASE_URL (never from the request's host), for
    mail, badges and PDFs. Works outside requests too (CLI commands, worker jobs)."""
    base = urlsplit(current_app.config["BASE_URL"].rstrip("/"))
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
