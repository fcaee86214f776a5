"""Small URL helpers."""
from urllib.parse import urlsplit

from flask import request


def safe_next(default: str) -> str:
    """The `next` parameter when it is a local path, else the default."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc and not parts.scheme \
            and "\\" not in target:
        return target
    return default
