from flask import abort, render_template
from flask_login import current_user, login_required

from course import permissions

from . import bp


@bp.get("/organisatie")
@login_required
def overview():
    if not permissions.is_org_admin(current_user):
        abort(403)
    return render_template("org/overview.html")
