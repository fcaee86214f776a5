from flask import abort, render_template
from flask_login import current_user, login_required

from course import permissions

from . import bp


@bp.get("/beoordelen")
@login_required
def queue():
    if not permissions.can_review(current_user):
        abort(403)
    return render_template("review/queue.html")
