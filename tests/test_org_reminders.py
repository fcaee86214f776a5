"""Reminders to inactive learners: a button for the admin and `flask reminders send`.
At most one per learner per week; none once completed; none while waiting on the trainer."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import Enrolment, EventKind, ProgressEvent, SubmissionStatus, utcnow
from course.org.reminders import send_reminders
from tests import factories
from tests.factories_org import enrol_with_seat, make_submission, make_team

LONG_AGO = timedelta(days=30)


@pytest.fixture
def team(app, organisation):
    return make_team(organisation, seats=20)


def inactive(cohort, licence, name, **fields):
    fields.setdefault("enrolled_at", utcnow() - LONG_AGO)
    return enrol_with_seat(factories.make_user(name=name), cohort, licence, **fields)


def reminded(outbox):
    return sorted(m.to_address for m in outbox() if m.kind == "org_reminder")


def test_only_inactive_learners_who_can_act_get_a_reminder(app, team, outbox):
    course, licence, cohort = team
    stale = inactive(cohort, licence, "Stil", started_at=utcnow() - LONG_AGO, last_activity_at=utcnow() - LONG_AGO)
    inactive(cohort, licence, "Recent", last_activity_at=utcnow() - timedelta(days=2))
    inactive(cohort, licence, "Klaar", completed_at=utcnow() - LONG_AGO)
    waiting = inactive(cohort, licence, "Wacht")
    make_submission(waiting, course.modules[0], SubmissionStatus.SUBMITTED)
    revising = inactive(cohort, licence, "Aanpassen")
    make_submission(revising, course.modules[0], SubmissionStatus.REVISION_REQUESTED)
    assert send_reminders(inactive_days=14) == 2
    assert reminded(outbox) == sorted([stale.user.email, revising.user.email])
    mail = next(m for m in outbox() if m.to_address == stale.user.email)
    assert "Stichting Test" in mail.body_text and "/mijn-leren" in mail.body_text
    assert db.session.scalar(sa.select(sa.func.count(ProgressEvent.id))
                             .where(ProgressEvent.kind == EventKind.REMINDER_SENT)) == 2


def test_at_most_one_reminder_per_learner_per_week(app, team, outbox):
    _course, licence, cohort = team
    learner = inactive(cohort, licence, "Stil")
    assert send_reminders(inactive_days=14) == 1
    assert send_reminders(inactive_days=14) == 0
    assert send_reminders(inactive_days=14, now=utcnow() + timedelta(days=6)) == 0
    assert send_reminders(inactive_days=14, now=utcnow() + timedelta(days=7, minutes=1)) == 1
    assert reminded(outbox) == [learner.user.email] * 2


def test_the_admin_button_reminds_only_this_cohort(org_admin_client, organisation, team, outbox):
    course, licence, cohort = team
    mine = inactive(cohort, licence, "Mijn")
    other_cohort = factories.make_cohort(organisation, course)
    inactive(other_cohort, licence, "Ander")
    response = org_admin_client.post(f"/organisatie/groepen/{cohort.public_id}/herinneringen", follow_redirects=True)
    assert "Herinneringen verstuurd: 1." in response.get_data(as_text=True)
    assert reminded(outbox) == [mine.user.email]


def test_button_and_cron_together_still_send_one(org_admin_client, app, team, outbox):
    _course, licence, cohort = team
    inactive(cohort, licence, "Stil")
    org_admin_client.post(f"/organisatie/groepen/{cohort.public_id}/herinneringen")
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    assert "Reminders queued: 0." in result.output
    assert len(reminded(outbox)) == 1


def test_the_cli_command_sends_reminders(app, team, outbox):
    _course, licence, cohort = team
    inactive(cohort, licence, "Stil")
    result = app.test_cli_runner().invoke(args=["reminders", "send", "--days", "7"])
    assert result.exit_code == 0, result.output
    assert "Reminders queued: 1." in result.output
    assert db.session.scalar(sa.select(Enrolment.last_reminded_at)) is not None


def test_self_enrolled_learners_outside_a_cohort_are_not_reminded(app, team, outbox):
    course, _licence, _cohort = team
    factories.make_enrolment(factories.make_user(), course, enrolled_at=utcnow() - LONG_AGO)
    assert send_reminders(inactive_days=14) == 0


def test_erased_accounts_get_no_reminder(app, team, outbox):
    _course, licence, cohort = team
    gone = inactive(cohort, licence, "Weg")
    gone.user.erased_at = utcnow()
    db.session.commit()
    assert send_reminders(inactive_days=14) == 0
