"""Peer feedback (issue 14). The reviewer's own task: only that learner (anyone else 404,
also a learner of another cohort of the same organisation). The trainer's pages: the
cohort's trainers and platform admins; other trainers 404; learners and organisation
admins 403 (an organisation admin never sees peer feedback)."""
from course.extensions import db
from course.models import PeerConsent, PeerReview, PeerReviewStatus, PeerSetting, utcnow
from course.models.peer import pool_key
from tests import factories
from tests.factories_review import make_submission

from . import Row, only

TRAINERS = ("trainer", "other_trainer", "admin")


def _pool(cohort, module):
    setting = PeerSetting(pool_key=pool_key(cohort.course_id, cohort.id), course_id=cohort.course_id,
                          cohort_id=cohort.id, enabled=True, module_ids=[module.id])
    db.session.add(setting)
    db.session.commit()
    return setting


def _task(setting, reviewer, author_submission, slot=1, given=False):
    review = PeerReview(setting_id=setting.id, module_id=author_submission.module_id,
                        reviewer_enrolment_id=reviewer.id, author_enrolment_id=author_submission.enrolment_id,
                        submission_id=author_submission.id, version_id=author_submission.versions[-1].id, slot=slot)
    if given:
        review.status, review.given_at = PeerReviewStatus.GIVEN, utcnow()
        review.strengths, review.improvements = "Heldere doelgroep.", "Maak de boodschap korter."
    db.session.add(review)
    db.session.commit()
    return review


def prepare(w):
    # The second module: the review area's rows use a submission of the first.
    w.peer_module = module = w.course.modules[1]
    setting = _pool(w.cohort, module)
    colleague = factories.make_user(org=w.org, name="Collega Matrix")
    w.peer_colleague = factories.make_enrolment(colleague, w.course, cohort=w.cohort)
    mine = make_submission(w.enrolment, module)
    theirs = make_submission(w.peer_colleague, module)
    db.session.add_all([PeerConsent(submission_id=mine.id, consented=True),
                        PeerConsent(submission_id=theirs.id, consented=True)])
    db.session.commit()
    w.peer_task = _task(setting, w.enrolment, theirs)
    w.peer_given = _task(setting, w.peer_colleague, mine, given=True)
    # Another cohort of the same organisation, with its own peer feedback.
    side = factories.make_cohort(w.org, w.course, name="Groep ernaast")
    side_setting = _pool(side, module)
    a = factories.make_enrolment(factories.make_user(org=w.org), w.course, cohort=side)
    b = factories.make_enrolment(factories.make_user(org=w.org), w.course, cohort=side)
    side_work = make_submission(b, module)
    make_submission(a, module)
    w.peer_side_task = _task(side_setting, a, side_work)


def reviewer_only(ok=200, **overrides):
    return only("learner", ok=ok, denied=404, **overrides)


def pool_managers(ok=200, **overrides):
    return only("trainer", "admin", ok=ok, other_trainer=404, **overrides)


def _give(w, suffix=""):
    return f"/collega-feedback/{w.peer_task.public_id}{suffix}"


ROWS = [
    Row("peer.give", lambda w: _give(w), reviewer_only()),
    Row("peer.give", lambda w: f"/collega-feedback/{w.peer_side_task.public_id}", reviewer_only(404),
        id="GET peer.give (another cohort)", note="a learner of another cohort's task: 404 for everyone else"),
    Row("peer.give", lambda w: "/collega-feedback/bestaat-niet", reviewer_only(404), id="GET peer.give (unknown)"),
    Row("peer.give", lambda w: _give(w), reviewer_only(302), method="POST",
        data=lambda w: {"field-strengths": "Duidelijk.", "field-improvements": "Korter.", "action": "submit"}),
    Row("peer.privacy_check", lambda w: _give(w, "/privacy"), reviewer_only(400), method="POST",
        data=lambda w: {"field-strengths": "x"}, note="JSON only; a form-encoded body is refused"),
    Row("peer.allocate", lambda w: f"/mijn-leren/{w.course.slug}/{w.peer_module.slug}/collega-feedback/volgende",
        only("learner", "other_learner", ok=302, denied=404), method="POST",
        note="each learner in their own pool; the other organisation's cohort has no peer feedback (a message)"),
    Row("peer.workbook_choice", lambda w: f"/mijn-leren/{w.course.slug}/collega-feedback/werkboek",
        only("learner", "other_learner", ok=302, denied=404), method="POST", data=lambda w: {"show": "y"},
        note="each learner's own choice"),
    Row("peer.consent", lambda w: f"/mijn-leren/{w.course.slug}/{w.peer_module.slug}/collega-feedback/toestemming",
        only("learner", "other_learner", ok=302, denied=404), method="POST", data=lambda w: {"share": "n"},
        note="the author's own submitted work (audit14); others 404, another learner a message"),
    Row("peer.pool_page", lambda w: f"/voortgang/groep/{w.cohort.public_id}/collega-feedback", pool_managers()),
    Row("peer.pool_page", lambda w: f"/voortgang/groep/{w.cohort.public_id}/collega-feedback", pool_managers(302),
        method="POST", data=lambda w: {"enabled": "y", "modules": str(w.peer_module.id), "per_learner": "2"}),
    Row("peer.pool_page", lambda w: f"/voortgang/cursus/{w.course.slug}/collega-feedback",
        only("admin", other_trainer=404, trainer=404), id="GET peer.pool_page (course)",
        note="self-enrolled learners: course trainers and platform admins only"),
    Row("peer.pool_page", lambda w: "/voortgang/iets/anders/collega-feedback", only(*TRAINERS, ok=404),
        id="GET peer.pool_page (unknown)"),
    Row("peer.hide", lambda w: f"/collega-feedback/{w.peer_given.public_id}/verbergen", pool_managers(302),
        method="POST", data=lambda w: {"action": "hide"}),
]
