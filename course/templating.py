"""What every template can use: the policy (`can`), navigation, formatting."""
from datetime import UTC, datetime

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import format_date, format_datetime, get_locale, get_timezone
from flask_login import current_user

from . import permissions, request_cache
from .text import render_user

# Other areas add navigation counters here (e.g. the review queue's "7 te beoordelen").
NAV_COUNTERS: dict[str, callable] = {}


def init_app(app: Flask) -> None:
    @app.context_processor
    def inject_globals():
        return {
            "can": permissions.Can(current_user),
            "current_locale": str(get_locale() or "nl"),
            "languages": current_app.config["LANGUAGES"],
            "nav_counter": lambda name: _nav_counter(name),
        }

    app.jinja_env.filters["user_markdown"] = render_user
    app.jinja_env.filters["date"] = date_filter
    app.jinja_env.filters["datetime"] = lambda d, fmt="medium": format_datetime(d, fmt) if d else ""
    app.jinja_env.globals["request_path"] = lambda: request.path
    app.jinja_env.globals["field_attrs"] = field_attrs


def date_filter(value, fmt: str = "medium") -> str:
    """`{{ when|date }}`: a list of 500 learners has a few dozen distinct days, so each
    (day, format) is formatted once per request; a datetime is first moved to the
    user's time zone, as Flask-Babel's format_date does."""
    if not value:
        return ""
    if not has_request_context():
        return format_date(value, fmt)
    if isinstance(value, datetime):
        zone = g.get("_date_zone")
        if zone is None:
            zone = g._date_zone = get_timezone()
        # naive datetimes are UTC (models/base.py); as Flask-Babel's to_user_timezone
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone).date()
    labels = g.setdefault("_date_labels", {})
    key = (value, fmt, str(get_locale()))
    if key not in labels:
        labels[key] = format_date(value, fmt)
    return labels[key]


def field_attrs(field, has_hint: bool = False) -> dict:
    """ARIA attributes for a form field: hint and error ids, invalid state, required."""
    described = [f"{field.id}-hint"] if has_hint else []
    if field.errors:
        described.append(f"{field.id}-error")
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if field.flags.required:
        attrs["required"] = True
    return attrs


def _nav_counter(name: str) -> int:
    counter = NAV_COUNTERS.get(name)
    if counter is None or not current_user.is_authenticated:
        return 0
    # once per request, however often the layout asks (header and mobile menu)
    return request_cache.cached(("nav_counter", name, current_user.id), lambda: counter(current_user))
