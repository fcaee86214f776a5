"""The platform admin's audit log page. Load → check → service → render."""
from flask import abort, make_response, render_template, request
from flask_login import current_user, login_required

from course import permissions
from course.pagination import requested_page

from . import bp, display, services
from .forms import AuditFilterForm


@bp.get("/beheer/logboek")
@login_required
def audit_log():
    if not permissions.can_view_audit_log(current_user):
        abort(403)
    form = AuditFilterForm(formdata=request.args)
    form.fill_choices(services.organisations())
    page = services.search(form.filters(), page=requested_page(request.args))
    response = make_response(render_template("audit/audit_log.html", form=form, page=page,
                                             args=form.query_args(), **display.HELPERS))
    response.headers["Cache-Control"] = "private, no-store"  # who did what to whom: never in a cache
    return response
