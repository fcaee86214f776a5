"""Cohort discussion (issue 14): per module and group, threads and replies, reports to
the trainer, moderation, unread markers, following and mail notifications."""
from flask import Blueprint

bp = Blueprint("discussion", __name__)


@bp.app_template_global("discussion_link")
def discussion_link(enrolment, module):
    """For the module page: (url, unread threads) of the learner's own discussion of
    this module. Two small queries at most."""
    from flask import url_for

    from .queries import SELF_ENROLLED, unread_threads

    group = enrolment.cohort.public_id if enrolment.cohort_id else SELF_ENROLLED
    url = url_for("discussion.thread_list", course_slug=module.course.slug, module_slug=module.slug, group=group)
    return url, unread_threads(enrolment.user, module.id, enrolment.cohort_id)


from . import routes  # noqa: E402,F401
