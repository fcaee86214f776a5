"""What every template can use: the policy (`can`), navigation, formatting."""
from collections.abc import Callable

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale, gettext
from flask_login import current_user
from markupsafe import Markup, escape

from . import permissions, request_cache
from .formatting import display_date, display_datetime, request_locale
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

    app.jinja_env.globals["url_for"] = _template_url_for(app)
    app.jinja_env.filters["user_markdown"] = render_user
    app.jinja_env.filters["date"] = display_date
    app.jinja_env.filters["datetime"] = display_datetime
    app.jinja_env.globals["request_path"] = lambda: request.path
    app.jinja_env.globals["field_attrs"] = field_attrs
    app.jinja_env.globals["status_pill_html"] = status_pill
    app.jinja_env.globals["mini_bar_html"] = mini_bar
    # States are compared as members in templates too, never as quoted strings.
    app.jinja_env.globals.update(SubmissionStatus=SubmissionStatus, ReviewDecision=ReviewDecision,
                                 RequestStatus=RequestStatus)


def _template_url_for(app: Flask):
    """Templates' `url_for`: a link without values (`url_for('learn.catalogue')`) or to a
    static file is the same on every request with the same script root, so it is built
    once per process; the layout alone has a dozen on every page (issue 16). Anything
    else (values, an anchor, `_external`, a blueprint-relative name) is Flask's url_for."""
    fixed: dict[tuple, str] = {}

    def url_for(endpoint: str, **values) -> str:
        if not has_request_context() or endpoint.startswith(".") \
                or (values and (endpoint != "static" or values.keys() != {"filename"})):
            return app.url_for(endpoint, **values)
        key = (endpoint, values.get("filename"), request.script_root)
        url = fixed.get(key)
        if url is None:
            if len(fixed) > 1000:  # never grows without bound (script roots, file names)
                fixed.clear()
            url = fixed[key] = app.url_for(endpoint, **values)
        return url

    return url_for


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


_PILL = Markup('<span class="status status--{} status--icon">{}</span>')


def status_pill(state, audience: str = "") -> Markup:
    """Any state (course/states.py) as its pill: the `status_pill` of templates/_status.html.
    A Python function, not a macro, and each state's pill is made once per process and
    language: a list of 500 learners showed the same few pills 500 times, and every page
    the same few again (issue 16). The words are the catalogue's, which a process never
    changes; the key holds the language (a state, an audience and a locale: a few dozen)."""
    return status_pills(audience)(state)


def status_pills(audience: str = "") -> Callable[[object], Markup]:
    """`status_pill` with this request's language looked up once, for a loop over many rows."""
    locale = str(request_locale()) if has_request_context() else None

    def pill(state) -> Markup:
        key = (type(state), state, audience, locale)
        made = _PILLS.get(key) if locale is not None else None
        if made is None:
            made = _PILL.format(state.css, state.label_for(audience))
            if locale is not None:
                _PILLS[key] = made
        return made

    return pill


_PILLS: dict[tuple, Markup] = {}


def mini_bar(done, total, name) -> Markup:
    """A learner's modules completed, as a small bar with the words beside it (the
    `mini_bar` of templates/org/_team.html), with the two labels translated once per request."""
    return mini_bars()(done, total, name)


def mini_bars() -> Callable[[int, int, str], Markup]:
    """`mini_bar` bound to this request's two labels, for a loop over many rows."""
    memo = g.setdefault("_mini_bar_labels", {}) if has_request_context() else {}
    locale = request_locale()
    labels = memo.get(locale)
    if labels is None:
        # the raw translations, formatted like Jinja's newstyle gettext: Markup(text) % values
        labels = memo[locale] = (Markup(gettext("Modules completed by %(name)s")),  # noqa: S704
                                 Markup(gettext("%(done)d of %(total)d")))  # noqa: S704
    # Plain-string formatting with the name escaped first: what Markup's % does, cheaper.
    by_name, done_of_total = (str(label) for label in labels)

    def bar(done, total, name) -> Markup:
        done_text, total_text = escape(done), escape(total)
        return Markup(f'<span class="mini-progress">\n  <progress max="{escape(total or 1)}" value="{done_text}" '  # noqa: S704
                      f'aria-label="{by_name % {"name": escape(name)}}">{done_text}/{total_text}</progress>\n'
                      f'  <span class="mini-progress__text">{done_of_total % {"done": done, "total": total}}</span>\n'
                      '</span>')

    return bar


def _nav_counter(name: str) -> int:
    counter = NAV_COUNTERS.get(name)
    if counter is None or not current_user.is_authenticated:
        return 0
    # once per request, however often the layout asks (header and mobile menu)
    return request_cache.cached(("nav_counter", name, current_user.id), lambda: counter(current_user))
