from flask import abort, render_template
from flask_login import current_user, login_required

from course import permissions

from . import bp


@bp.get("/beheer")
@login_required
def dashboard():
    if not permissions.can_administer_platform(current_user):
        abort(403)
    return render_template("admin/dashboard.html")
