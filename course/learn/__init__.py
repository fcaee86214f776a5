from flask import Blueprint

bp = Blueprint("learn", __name__)


@bp.app_template_global("learner_course_states")
def learner_course_states(user):
    """For the home page: the user's courses with progress and next step (four queries)."""
    from .queries.progress import learner_courses

    return learner_courses(user) if getattr(user, "is_authenticated", False) else []


from . import privacy, routes  # noqa: E402,F401
