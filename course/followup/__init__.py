"""Follow-up after the course (issue 14): check-in mails 30 and 90 days after
completion, the learner's answers as the workbook's "Na de cursus" chapter, the
trainer's overview and the organisation's counts."""
from flask import Blueprint

bp = Blueprint("followup", __name__)

from . import routes  # noqa: E402,F401


@bp.app_template_global("followup_opted_out")
def _followup_opted_out(user) -> bool:
    """`followup_opted_out(current_user)`: for the account page's follow-up section."""
    from .queries import opted_out

    return opted_out(user)


@bp.app_template_global("followup_answers")
def _followup_answers(checkin) -> list:
    """`followup_answers(checkin)`: [(question, answer)] for the workbook chapter."""
    from .documents import answers

    return answers(checkin)
