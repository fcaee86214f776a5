"""The team's plan (issue 14): an in-company group's social-media protocol, composed by
its trainer from colleagues' approved work, shared because the authors agreed."""
from flask import Blueprint

bp = Blueprint("teamplan", __name__)

from . import routes  # noqa: E402,F401


@bp.app_template_global("team_plan_consent")
def _team_plan_consent(enrolment):
    """`team_plan_consent(enrolment)`: the learner's sharing consent, or None (workbook page)."""
    from .queries import consent_of

    return consent_of(enrolment)
