"""A reminder is done to the learner, not by them: after `flask reminders send` the
stuck learner is still stuck for the trainer ("Vastgelopen") and still inactive for
the organisation admin. Only the learner's own actions are activity."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import EventKind, ProgressEvent, utcnow
from tests import factories
from tests.factories_org import enrol_with_seat, make_team

LONG_AGO = timedelta(days=30)


@pytest.fixture
def stuck(app, organisation, trainer):
    """A learner who started a month ago and has done nothing since: (cohort, enrolment)."""
    _course, licence, cohort = make_team(organisation, seats=5, trainers=[trainer])
    user = factories.make_user(name="Sofie Stilstaand")
    then = utcnow() - LONG_AGO
    enrolment = enrol_with_seat(user, cohort, licence, enrolled_at=then, started_at=then, last_activity_at=then)
    db.session.add(ProgressEvent(enrolment_id=enrolment.id, kind=EventKind.ENROLLED, actor_id=user.id,
                                 created_at=then))
    db.session.commit()
    return cohort, enrolment


def stuck_names(client, cohort) -> list[str]:
    html = client.get(f"/voortgang/groep/{cohort.public_id}", query_string={"show": "stuck", "days": 14})
    row_name = r'<th scope="row"[^>]*><a href="/voortgang/deelnemer/[^"]+">([^<]+)</a>'
    return re.findall(row_name, html.get_data(as_text=True))


def inactive_names(client, cohort) -> list[str]:
    html = client.get(f"/organisatie/groepen/{cohort.public_id}", query_string={"status": "inactive", "days": 14})
    return re.findall(r"Sofie Stilstaand", html.get_data(as_text=True))[:1]


def send_reminders(app):
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 0 and "Reminders queued: 1." in result.output


def test_after_reminders_the_stuck_learner_is_still_stuck_for_the_trainer(app, stuck, login_as, trainer):
    cohort, enrolment = stuck
    client = login_as(trainer)
    assert stuck_names(client, cohort) == ["Sofie Stilstaand"]
    send_reminders(app)
    assert db.session.scalar(sa.select(sa.func.count(ProgressEvent.id))
                             .where(ProgressEvent.kind == EventKind.REMINDER_SENT)) == 1
    assert stuck_names(client, cohort) == ["Sofie Stilstaand"]


def test_after_reminders_the_stuck_learner_is_still_inactive_for_the_organisation(
        app, stuck, org_admin_client):
    cohort, _enrolment = stuck
    assert inactive_names(org_admin_client, cohort) == ["Sofie Stilstaand"]
    send_reminders(app)
    assert inactive_names(org_admin_client, cohort) == ["Sofie Stilstaand"]


def test_what_others_do_to_the_learner_is_no_activity(app, stuck, login_as, trainer):
    """A trainer's review and a platform's badge are recent events, not the learner's."""
    cohort, enrolment = stuck
    for kind in (EventKind.REVISION_REQUESTED, EventKind.BADGE_ISSUED, EventKind.REMINDER_SENT):
        db.session.add(ProgressEvent(enrolment_id=enrolment.id, kind=kind, actor_id=trainer.id))
    db.session.commit()
    assert stuck_names(login_as(trainer), cohort) == ["Sofie Stilstaand"]


def test_the_learners_own_action_ends_being_stuck(app, stuck, login_as, trainer):
    cohort, enrolment = stuck
    db.session.add(ProgressEvent(enrolment_id=enrolment.id, kind=EventKind.QUIZ_ATTEMPTED,
                                 actor_id=enrolment.user_id))
    db.session.commit()
    assert stuck_names(login_as(trainer), cohort) == []
