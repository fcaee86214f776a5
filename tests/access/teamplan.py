"""The team plan (issue 14). A published plan: the group, its trainers, its organisation's
admins and platform admins; a draft: the trainers only. Composing: the group's trainers.
Another group or organisation: 404 (its existence does not leak)."""
from course.extensions import db
from course.models import TeamPlanConsent
from course.teamplan import services
from tests import factories
from tests.factories_teamplan import approved_work

from . import Row, logged_in, only


def prepare(w):
    # A colleague of "learner" in the same group shares approved work (other areas use learner's own).
    w.sharing = factories.make_enrolment(factories.make_user(org=w.org), w.course, cohort=w.cohort)
    approved_work(w.sharing, w.module, w.trainer, {"doelgroep": "Gedeeld.", "boodschap": "Ook gedeeld."})
    db.session.add(TeamPlanConsent(enrolment_id=w.sharing.id))
    db.session.commit()
    services.save_plan(w.cohort, w.trainer, "", "", {f"{w.module.id}:doelgroep": w.sharing.public_id})
    services.set_published(w.cohort, w.trainer, True)
    services.save_plan(w.other_cohort, w.other_trainer, "", "", {})
    services.set_published(w.other_cohort, w.other_trainer, True)
    # Another group of the same organisation, trained by the same trainer, plan still a draft.
    w.draft_cohort = factories.make_cohort(w.org, w.course, trainers=[w.trainer])
    services.save_plan(w.draft_cohort, w.trainer, "", "", {})


READERS = ("learner", "trainer", "org_admin", "admin")
OTHER_READERS = ("other_learner", "other_trainer", "other_org_admin", "admin")
COMPOSERS = ("trainer", "admin")


def plan(w, suffix=""):
    return f"/groepen/{w.cohort.public_id}/teamplan{suffix}"


ROWS = [
    Row("teamplan.index", lambda w: "/teamplannen", logged_in()),
    Row("teamplan.view", lambda w: plan(w), only(*READERS, denied=404)),
    Row("teamplan.view", lambda w: f"/groepen/{w.other_cohort.public_id}/teamplan", only(*OTHER_READERS, denied=404),
        id="GET teamplan.view (other organisation)"),
    Row("teamplan.view", lambda w: f"/groepen/{w.draft_cohort.public_id}/teamplan", only(*COMPOSERS, denied=404),
        id="GET teamplan.view (draft, another group)", note="the organisation admin reads published plans only"),
    Row("teamplan.view", lambda w: "/groepen/bestaat-niet/teamplan", only(denied=404),
        id="GET teamplan.view (unknown)"),
    Row("teamplan.download_pdf", lambda w: plan(w, ".pdf"), only(*READERS, denied=404)),
    Row("teamplan.download_markdown", lambda w: plan(w, ".md"), only(*READERS, denied=404)),
    Row("teamplan.download_markdown", lambda w: f"/groepen/{w.other_cohort.public_id}/teamplan.md",
        only(*OTHER_READERS, denied=404), id="GET teamplan.download_markdown (other organisation)"),
    Row("teamplan.compose", lambda w: plan(w, "/samenstellen"), only(*COMPOSERS, denied=404)),
    Row("teamplan.compose", lambda w: plan(w, "/samenstellen"), only(*COMPOSERS, ok=302, denied=404),
        method="POST", data=lambda w: {"title": "Ons protocol", "choice_0": w.sharing.public_id}),
    Row("teamplan.publish", lambda w: f"/groepen/{w.draft_cohort.public_id}/teamplan/publiceren",
        only(*COMPOSERS, ok=302, denied=404), method="POST"),
    Row("teamplan.withdraw", lambda w: plan(w, "/intrekken"), only(*COMPOSERS, ok=302, denied=404), method="POST"),
    Row("teamplan.consent", lambda w: f"/werkboek/{w.enrolment.public_id}/delen", only("learner", ok=302, denied=404),
        method="POST", data=lambda w: {"share": "0"}, note="only the learner, not their trainer or organisation"),
]
