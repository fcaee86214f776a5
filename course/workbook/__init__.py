from flask import Blueprint

bp = Blueprint("workbook", __name__)

from . import routes  # noqa: E402,F401


@bp.app_template_filter("workbook_title")
def _workbook_title_filter(course) -> str:
    """`course|workbook_title`: the course's own workbook name (see queries.workbook_title)."""
    from .queries import workbook_title

    return workbook_title(course)
