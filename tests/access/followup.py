"""Follow-up after the course (issue 14). A check-in: its learner only. The opt-out link:
anyone holding it (the signature says whose). The overview: trainers (their own learners);
the counts: organisation admins, numbers only. Never the answers for an organisation admin."""
from course.followup.services import opt_out_token
from course.models import CheckinStage
from tests.factories_teamplan import make_checkin

from . import Row, everyone, logged_in, only


def prepare(w):
    w.checkin = make_checkin(w.enrolment, CheckinStage.DAY_30, answered=True)
    w.other_checkin = make_checkin(w.other_enrolment, CheckinStage.DAY_30)


ROWS = [
    Row("followup.answer", lambda w: f"/na-de-cursus/{w.checkin.public_id}", only("learner", denied=404)),
    Row("followup.answer", lambda w: f"/na-de-cursus/{w.other_checkin.public_id}", only("other_learner", denied=404),
        id="GET followup.answer (other organisation)"),
    Row("followup.answer", lambda w: f"/na-de-cursus/{w.checkin.public_id}", only("learner", ok=302, denied=404),
        method="POST", data=lambda w: {"plan_md": "Ik deed het."}),
    Row("followup.opt_out_link", lambda w: f"/na-de-cursus/afmelden/{opt_out_token(w.learner)}", everyone(200),
        note="the signed link works without logging in"),
    Row("followup.opt_out_link", lambda w: "/na-de-cursus/afmelden/vervalst", everyone(404),
        id="GET followup.opt_out_link (forged)"),
    Row("followup.opt_out_link", lambda w: f"/na-de-cursus/afmelden/{opt_out_token(w.learner)}", everyone(200),
        method="POST"),
    Row("followup.preference", lambda w: "/mijn-account/na-de-cursus", logged_in(302), method="POST",
        data=lambda w: {"wants": "0"}),
    Row("followup.overview", lambda w: "/na-de-cursus/overzicht", only("trainer", "other_trainer", "admin")),
    Row("followup.course_overview", lambda w: f"/na-de-cursus/overzicht/{w.course.slug}",
        only("trainer", "other_trainer", "admin", denied=404), note="each trainer sees their own learners only"),
    Row("followup.course_overview", lambda w: "/na-de-cursus/overzicht/bestaat-niet", only(denied=404),
        id="GET followup.course_overview (unknown)"),
    Row("followup.organisation_counts", lambda w: "/organisatie/na-de-cursus",
        only("org_admin", "other_org_admin", "admin")),
]
