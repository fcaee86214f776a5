"""The learner's data download ("Mijn gegevens downloaden")."""
from flask import Blueprint, abort
from flask_login import current_user, login_required

from course import permissions
from course.audit.services import record_export
from course.downloads import attachment

from . import export

bp = Blueprint("privacy", __name__)


@bp.get("/mijn-account/mijn-gegevens.zip")
@login_required
def download_my_data():
    if not permissions.can_export_own_data(current_user):
        abort(403)
    user = current_user._get_current_object()
    body = export.build_zip(user)
    record_export(user, "learner_data", subject=user)
    return attachment(body, "application/zip", f"{export.file_stem(user)}.zip")
