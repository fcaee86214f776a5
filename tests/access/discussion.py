"""Cohort discussion (issue 14). The discussion of `world.cohort` is read by its
learner and its trainer (and platform admins); the other cohort's learner and trainer,
both organisation admins and the other organisation answer 404, visitors go to the
login page. Reading but not allowed (a trainer editing a learner's post, a learner
hiding one) is 403. The self-enrolled discussion of an open course is read by the
learner who enrolled in it herself (`other_learner` here) and nobody of the cohort.
"""
from course.discussion import services
from course.discussion.queries import SELF_ENROLLED, Space
from course.extensions import db
from tests import factories

from . import Row, logged_in, only

READERS = ("learner", "trainer", "admin")


def prepare(w):
    w.colleague = factories.make_user(org=w.org, name="Collega Matrix")
    factories.make_enrolment(w.colleague, w.course, cohort=w.cohort)
    space = Space(w.course, w.module, w.cohort)
    w.thread = services.start_thread(space, w.learner, "Hoe begin ik?", "Eerste bericht van de leerling.")
    w.own_post = db.session.scalars(db.select(services.DiscussionPost)
                                    .where(services.DiscussionPost.thread_id == w.thread.id)).one()
    w.colleague_post = services.reply(w.thread, w.colleague, "Een reactie van een collega.")
    w.report = services.report_post(w.colleague_post, w.learner, "Dit hoort hier niet.")
    # The self-enrolled discussion of an open course: other_learner enrolled herself.
    w.open_course = factories.make_course(modules=1, open_enrolment=True)
    factories.make_enrolment(w.other_learner, w.open_course)
    w.self_thread = services.start_thread(Space(w.open_course, w.open_course.modules[0], None), w.other_learner,
                                          "Zelfstandig", "Alleen voor zelfstandige deelnemers.")


def readers(ok=200, **overrides):
    """The cohort's learner, its trainer and platform admins; everyone else 404."""
    return only(*READERS, ok=ok, denied=404, **overrides)


def space_url(w, suffix=""):
    return f"/discussie/cursus/{w.course.slug}/{w.module.slug}/{w.cohort.public_id}{suffix}"


def self_url(w, suffix=""):
    return f"/discussie/cursus/{w.open_course.slug}/{w.open_course.modules[0].slug}/{SELF_ENROLLED}{suffix}"


def thread_url(w, suffix=""):
    return f"/discussie/draad/{w.thread.public_id}{suffix}"


def post_url(post_attr, suffix=""):
    return lambda w: f"/discussie/bericht/{getattr(w, post_attr).public_id}{suffix}"


SELF_READERS = only("other_learner", "admin", denied=404)

ROWS = [
    Row("discussion.index", lambda w: "/discussie", logged_in(),
        note="everyone's own overview; it lists only the discussions they read"),
    Row("discussion.thread_list", space_url, readers()),
    Row("discussion.thread_list", lambda w: space_url(w).replace(w.cohort.public_id, w.other_cohort.public_id),
        only("other_learner", "other_trainer", "admin", denied=404), id="GET discussion.thread_list (other cohort)"),
    Row("discussion.thread_list", self_url, SELF_READERS, id="GET discussion.thread_list (self-enrolled)",
        note="the cohort's learner and trainer do not read the self-enrolled learners' discussion"),
    Row("discussion.thread_list", lambda w: space_url(w).replace(w.cohort.public_id, SELF_ENROLLED),
        only("admin", denied=404), id="GET discussion.thread_list (course without self-enrolled)",
        note="nobody enrolled in this closed course by themselves; only platform admins read it"),
    Row("discussion.thread_list", lambda w: space_url(w).replace(w.cohort.public_id, "bestaat-niet"),
        only(ok=404, denied=404), id="GET discussion.thread_list (unknown group)"),
    Row("discussion.new_thread", lambda w: space_url(w, "/nieuw"), readers()),
    Row("discussion.new_thread", lambda w: space_url(w, "/nieuw"), readers(302), method="POST",
        data=lambda w: {"title": "Vraag", "body": "Wie heeft een tip?", "action": "submit"}),
    Row("discussion.new_thread", lambda w: self_url(w, "/nieuw"), only("other_learner", "admin", ok=302, denied=404),
        method="POST", data=lambda w: {"title": "Vraag", "body": "Wie heeft een tip?"},
        id="POST discussion.new_thread (self-enrolled)"),
    Row("discussion.thread", thread_url, readers()),
    Row("discussion.thread", lambda w: f"/discussie/draad/{w.self_thread.public_id}", SELF_READERS,
        id="GET discussion.thread (self-enrolled)"),
    Row("discussion.thread", lambda w: "/discussie/draad/bestaat-niet", only(ok=404, denied=404),
        id="GET discussion.thread (unknown)"),
    Row("discussion.reply", lambda w: thread_url(w, "/reageren"), readers(302), method="POST",
        data=lambda w: {"body": "Goed idee!", "action": "submit"}),
    Row("discussion.go_to_post", post_url("colleague_post"), readers(302)),
    Row("discussion.follow", lambda w: thread_url(w, "/volgen"), readers(302), method="POST",
        data=lambda w: {"action": "follow"}),
    Row("discussion.moderate_thread", lambda w: thread_url(w, "/beheer"), readers(302, learner=403),
        method="POST", data=lambda w: {"action": "lock"}),
    Row("discussion.edit_post", post_url("own_post", "/bewerken"), readers(trainer=403, admin=403)),
    Row("discussion.edit_post", post_url("own_post", "/bewerken"), readers(302, trainer=403, admin=403),
        method="POST", data=lambda w: {"title": "Hoe begin ik nu?", "body": "Aangepast.", "action": "submit"}),
    Row("discussion.delete_post", post_url("own_post", "/verwijderen"), readers(302, trainer=403, admin=403),
        method="POST"),
    Row("discussion.report_post", post_url("colleague_post", "/melden"), readers(trainer=403, admin=403),
        note="learners report a colleague's post; trainers moderate it themselves"),
    Row("discussion.report_post", post_url("colleague_post", "/melden"), readers(302, trainer=403, admin=403),
        method="POST", data=lambda w: {"reason": "Er staat een naam van een cliënt in."}),
    Row("discussion.post_visibility", post_url("colleague_post", "/zichtbaarheid"), readers(302, learner=403),
        method="POST", data=lambda w: {"action": "hide"}),
    Row("discussion.reports", lambda w: "/discussie/gemelde-berichten",
        only("trainer", "other_trainer", "admin"), note="each trainer sees the reports of their own groups"),
    Row("discussion.resolve_report", lambda w: f"/discussie/gemelde-berichten/{w.report.public_id}/afhandelen",
        readers(302, learner=403), method="POST"),
    Row("discussion.settings", lambda w: "/discussie/e-mail", logged_in()),
    Row("discussion.settings", lambda w: "/discussie/e-mail", logged_in(302), method="POST",
        data=lambda w: {"mail_mode": "immediate"}),
    Row("discussion.privacy_check", lambda w: "/discussie/privacy", logged_in(400), method="POST",
        data=lambda w: {"body": "06-12345678"}, note="JSON only; a form-encoded body is refused"),
]
