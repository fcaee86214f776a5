"""Two organisations with a team each, and tokens: the world the API tests read."""
from types import SimpleNamespace

from course.api import services
from course.extensions import db
from course.models import QuizAttempt
from tests import factories
from tests.factories_badges import completed_enrolment
from tests.factories_org import make_licence, make_submission

SECRET_TEXT = "Geheime tekst van de leerling over haar plan"
ALL_SCOPES = list(services.SCOPES)


def make_token(organisation, admin, scopes=None, name="HR-systeem"):
    """(token row, bearer value)."""
    new = services.create_token(organisation, name, scopes or ALL_SCOPES, admin)
    return new.token, new.secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def team_world() -> SimpleNamespace:
    """Org A: a learner who completed the course (badges, certificate), one part-way with
    a submitted text and a quiz attempt, one not started. Org B: its own team."""
    w = SimpleNamespace()
    w.org = factories.make_organisation(name="Stichting A")
    w.other_org = factories.make_organisation(name="Stichting B")
    w.admin = factories.make_user(org=w.org, org_role="admin", email="admin-a@example.org")
    w.other_admin = factories.make_user(org=w.other_org, org_role="admin", email="admin-b@example.org")
    w.course = factories.make_course(open_enrolment=False, modules=2)
    make_licence(w.org, w.course, seats=20)
    make_licence(w.other_org, w.course, seats=20)
    w.cohort = factories.make_cohort(w.org, w.course, name="Team Noord")
    w.other_cohort = factories.make_cohort(w.other_org, w.course, name="Team Zuid")
    w.done = factories.make_user(org=w.org, name="Anna Afgerond", email="anna@example.org")
    w.busy = factories.make_user(org=w.org, name="Bram Bezig", email="bram@example.org")
    w.idle = factories.make_user(org=w.org, name="Cor Nognietbegonnen", email="cor@example.org")
    w.outsider = factories.make_user(org=w.other_org, name="Dirk Anders", email="dirk@example.org")
    w.done_enrolment = completed_enrolment(w.done, w.course, cohort=w.cohort)
    w.busy_enrolment = factories.make_enrolment(w.busy, w.course, cohort=w.cohort)
    make_submission(w.busy_enrolment, w.course.modules[0], fields={"doelgroep": SECRET_TEXT})
    db.session.add(QuizAttempt(enrolment_id=w.busy_enrolment.id, module_id=w.course.modules[0].id, number=1,
                               content_version="v1", answers={"m1q1": ["geheim-antwoord"]}, results={},
                               score=1, max_score=3, passed=False))
    db.session.commit()
    w.idle_enrolment = factories.make_enrolment(w.idle, w.course, cohort=w.cohort)
    w.other_enrolment = completed_enrolment(w.outsider, w.course, cohort=w.other_cohort)
    w.token, w.secret = make_token(w.org, w.admin)
    w.other_token, w.other_secret = make_token(w.other_org, w.other_admin)
    return w
