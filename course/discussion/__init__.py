"""Cohort discussion (issue 14): per module and group, threads and replies, reports to
the trainer, moderation, unread markers, following and mail notifications."""
from flask import Blueprint

bp = Blueprint("discussion", __name__)


@bp.app_template_global("discussion_link")
def discussion_link(enrolment, module):
    """For the module page: the url of the learner's own discussion of this module. No
    query (the group comes with the enrolment); the unread markers are on the
    discussion's own page, so the module page stays within its query budget."""
    from flask import url_for

    from .queries import SELF_ENROLLED

    group = enrolment.cohort.public_id if enrolment.cohort_id else SELF_ENROLLED
    return url_for("discussion.thread_list", course_slug=module.course.slug, module_slug=module.slug, group=group)


from . import routes  # noqa: E402,F401
