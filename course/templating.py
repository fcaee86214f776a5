"""What every template can use: the policy (`can`), navigation, formatting."""
from flask import Flask, current_app, request
from flask_babel import get_locale
from flask_login import current_user

from . import permissions, request_cache
from .formatting import display_date, display_datetime
from .models import RequestStatus, ReviewDecision, SubmissionStatus
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
    app.jinja_env.filters["date"] = display_date
    app.jinja_env.filters["datetime"] = display_datetime
    app.jinja_env.globals["request_path"] = lambda: request.path
    app.jinja_env.globals["field_attrs"] = field_attrs
    # States are compared as members in templates too, never as quoted strings.
    app.jinja_env.globals.update(SubmissionStatus=SubmissionStatus, ReviewDecision=ReviewDecision,
                                 RequestStatus=RequestStatus)


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
