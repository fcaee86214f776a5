"""Privacy hints on the assignment (course/privacy_hints): the check before submitting.

The text is checked in memory and answered to its author; it is neither stored nor
logged here (drafts are saved by the autosave route, not by this one)."""
from flask import jsonify, render_template
from flask_babel import gettext as _
from flask_login import login_required

from course.privacy_hints.hints import hints_for, suggestions
from course.security import accepts_json

from . import bp, services
from .routes import _json_object, _module_or_404

SEND_ANYWAY = "submit-anyway"  # the "Send anyway" button's action: submit without the check


def assignment_hints(module, fields: dict[str, str]) -> list:
    """Hints for the assignment's own fields. Text past a field's limit is not checked:
    it cannot be submitted anyway, and this keeps the check quick."""
    specs = services.assignment_fields(module)
    labels = {spec.id: spec.label for spec in specs}
    return hints_for({spec.id: (fields.get(spec.id) or "")[:spec.max_length] for spec in specs}, labels)


def warning_html(hints) -> str:
    return render_template("privacy_hints/_warning.html", hints=hints, suggestions=suggestions(hints))


def posted_fields() -> dict[str, str] | None:
    """The {field id: text} that static/js/privacy-hints.js posts, or None when the body
    is not that (or too long to check)."""
    fields = _json_object().get("fields")
    if (not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values())
            or sum(map(len, fields.values())) > 200_000):
        return None
    return fields


def unreadable():
    return jsonify(error=_("The text could not be read.")), 400


def hints_response(hints):
    """The findings and the warning as HTML (the same template as without JS), not cached."""
    response = jsonify(
        findings=[{"field": h.field_id, "label": h.field_label, "kind": h.kind, "kind_label": h.kind_label,
                   "excerpt": h.excerpt, "start": h.start, "end": h.end} for h in hints],
        html=warning_html(hints) if hints else "")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/mijn-leren/<course_slug>/<module_slug>/opdracht/privacy")
@accepts_json
@login_required
def privacy_check(course_slug, module_slug):
    """JSON {fields: {id: text}} from static/js/privacy-hints.js (CSRF in X-CSRFToken).
    Answers the findings and the warning as HTML (the same template as without JS)."""
    _enrolment, module = _module_or_404(course_slug, module_slug)
    fields = posted_fields()
    if not module.has_assignment or fields is None:
        return unreadable()
    return hints_response(assignment_hints(module, fields))
