"""The platform admin's dashboard: figures at a glance, in a fixed number of queries,
and the open requests counted in the navigation (issue 12)."""
import re
from datetime import timedelta

from course.extensions import db
from course.models import InCompanyRequest, MailStatus, OutboxMail, utcnow
from tests import factories
from tests.factories_org import make_licence
from tests.factories_review import make_submission
from tests.querycount import count_queries


def _figure(html: str, label: str) -> str:
    found = re.search(rf"<dt>{re.escape(label)}</dt>\s*<dd>(?:<a [^>]*>)?(\d+)", html)
    assert found, f"no figure {label!r} on the dashboard"
    return found.group(1)


def _platform(learners: int):
    course = factories.make_course()
    organisation = factories.make_organisation(name=f"Stichting {learners}")
    make_licence(organisation, course, seats=learners + 5, seats_used=learners)
    for n in range(learners):
        learner = factories.make_user(org=organisation)
        enrolment = factories.make_enrolment(learner, course, last_activity_at=utcnow() - timedelta(days=n % 10))
        make_submission(enrolment, course.modules[0], feedback_due_on=(utcnow() - timedelta(days=1)).date()
                        if n % 2 else None)
    db.session.add(InCompanyRequest(organisation_name="Buurtwerk Noord", contact_name="Ilse", email="ilse@noord.test",
                                    course_id=course.id, team_size=12))
    db.session.add(OutboxMail(to_address="x@y.test", subject="s", body_text="b", kind="test", status=MailStatus.FAILED))
    db.session.commit()
    return organisation


def test_the_dashboard_shows_the_figures_and_the_seats(admin_client):
    organisation = _platform(learners=4)
    html = admin_client.get("/beheer").get_data(as_text=True)
    assert _figure(html, "Deelnemers actief deze week") == "4"
    assert _figure(html, "Werk dat op een trainer wacht") == "4" and "2 over de termijn" in html
    assert _figure(html, "Openstaande in-company-aanvragen") == "1"
    assert _figure(html, "Mail die niet verstuurd kon worden") == "1"
    assert organisation.name in html and "4 van 9 gebruikt" in html and '<progress max="9" value="4"' in html
    assert re.search(r"Beheer <span class=\"badge-count\">1 aanvraag</span>", html), "the count in the navigation"


def test_the_dashboard_uses_a_fixed_number_of_queries(admin_client):
    _platform(learners=2)

    def queries() -> int:
        with count_queries() as counter:
            assert admin_client.get("/beheer").status_code == 200
        return counter.count

    small = queries()
    _platform(learners=12)
    assert queries() == small
