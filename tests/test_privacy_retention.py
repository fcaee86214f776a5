"""Retention terms with a fixed clock: each term keeps data until it ends and deletes
it after; inactive accounts are warned once, then erased after the grace period;
running the purge twice changes nothing more."""
from datetime import datetime, timedelta

import sqlalchemy as sa

from course.extensions import db
from course.models import FormStash, MailStatus, OutboxMail, UploadBatch, User
from course.privacy.retention import PurgeReport, months_before, purge
from tests import factories

T = datetime(2026, 3, 10, 12, 0)


def _mail(status=MailStatus.SENT, created=T, sent=T, to="a@example.org") -> OutboxMail:
    mail = OutboxMail(to_address=to, subject="s", body_text="b", kind="t", status=status,
                      created_at=created, sent_at=sent if status == MailStatus.SENT else None)
    db.session.add(mail)
    db.session.commit()
    return mail


def _ids(model) -> list[int]:
    return sorted(db.session.scalars(sa.select(model.id)))


def _nothing() -> PurgeReport:
    return PurgeReport()


def test_sent_mail_is_deleted_after_30_days_queued_mail_never(app):
    sent = _mail()
    failed = _mail(MailStatus.FAILED)
    queued = _mail(MailStatus.QUEUED)
    assert purge(T + timedelta(days=29)).mails == 0
    assert _ids(OutboxMail) == sorted([sent.id, failed.id, queued.id])
    assert purge(T + timedelta(days=30, minutes=1)).mails == 2
    assert _ids(OutboxMail) == [queued.id]


def test_upload_batches_go_30_days_after_confirming(app, organisation, org_admin):
    course = factories.make_course()
    cohort = factories.make_cohort(organisation, course)
    confirmed = UploadBatch(cohort_id=cohort.id, created_by_id=org_admin.id, rows=[{"name": "A"}],
                            created_at=T - timedelta(days=20), confirmed_at=T)
    open_one = UploadBatch(cohort_id=cohort.id, created_by_id=org_admin.id, rows=[{"name": "B"}], created_at=T)
    db.session.add_all([confirmed, open_one])
    db.session.commit()
    assert purge(T + timedelta(days=29)).upload_batches == 0
    assert len(_ids(UploadBatch)) == 2, "confirmed 29 days ago: kept, although uploaded 49 days ago"
    assert purge(T + timedelta(days=31)).upload_batches == 2, "never confirmed: 30 days after uploading"
    assert _ids(UploadBatch) == []


def test_kept_forms_go_after_one_day(app):
    db.session.add(FormStash(path="/x", data={"a": ["tekst"]}, created_at=T))
    db.session.commit()
    assert purge(T + timedelta(hours=23)).kept_forms == 0
    assert purge(T + timedelta(hours=24, minutes=1)).kept_forms == 1
    assert _ids(FormStash) == []


def test_terms_are_configurable_and_zero_keeps(app):
    _mail()
    app.config["RETENTION_SENT_MAIL_DAYS"] = 0
    assert purge(T + timedelta(days=400)).mails == 0
    app.config["RETENTION_SENT_MAIL_DAYS"] = 7
    assert purge(T + timedelta(days=8)).mails == 1


def _inactive_learner(**fields) -> User:
    user = factories.make_user(created_at=T - timedelta(days=400), last_login_at=T, **fields)
    return user


def _warnings() -> list[OutboxMail]:
    return list(db.session.scalars(sa.select(OutboxMail).where(OutboxMail.kind == "inactivity_warning")))


def test_an_inactive_account_is_warned_once_then_erased_after_the_grace_period(app):
    user = _inactive_learner(email="slapend@example.org")
    active = factories.make_user(created_at=T - timedelta(days=900), last_login_at=T + timedelta(days=700))
    warn_at = datetime(2028, 3, 10, 12, 1)  # 24 months after the last login

    assert purge(datetime(2028, 3, 9)).warned == 0, "23 months and some days: not yet"
    report = purge(warn_at)
    assert (report.warned, report.erased) == (1, 0)
    [warning] = _warnings()
    assert warning.to_address == "slapend@example.org" and warning.recipient_id == user.id
    assert "09-04-2028" in warning.body_text and "24" in warning.body_text

    assert purge(warn_at) == _nothing(), "idempotent: no second warning"
    assert purge(warn_at + timedelta(days=29)) == _nothing()
    assert db.session.get(User, user.id).erased_at is None

    report = purge(warn_at + timedelta(days=30))
    assert report.erased == 1
    erased = db.session.get(User, user.id)
    assert erased.erased_at is not None and "slapend" not in erased.email
    assert _warnings() == [], "the warning went with the rest of their mail"
    assert purge(warn_at + timedelta(days=30)) == _nothing()
    assert purge(warn_at + timedelta(days=400)).erased == 0
    assert db.session.get(User, active.id).erased_at is None


def test_an_account_used_again_after_the_warning_is_kept(app):
    user = _inactive_learner()
    warn_at = datetime(2028, 3, 11)
    assert purge(warn_at).warned == 1
    user.last_login_at = warn_at + timedelta(days=3)
    db.session.commit()
    report = purge(warn_at + timedelta(days=31))
    assert (report.erased, report.came_back, report.warned) == (0, 1, 0)
    kept = db.session.get(User, user.id)
    assert kept.erased_at is None and kept.inactivity_warned_at is None
    assert purge(warn_at + timedelta(days=31)) == _nothing()
    assert purge(datetime(2030, 3, 15)).warned == 1, "a new silence of 24 months: a new warning"


def test_learning_counts_as_activity(app):
    user = _inactive_learner()
    course = factories.make_course()
    factories.make_enrolment(user, course, last_activity_at=datetime(2027, 12, 1))
    assert purge(datetime(2028, 3, 11)).warned == 0
    assert purge(datetime(2029, 12, 2)).warned == 1


def test_platform_admins_are_never_erased_automatically(app):
    factories.make_user(role="admin", created_at=T - timedelta(days=400), last_login_at=T)
    assert purge(datetime(2030, 1, 1)) == _nothing()


def test_months_before_clamps_to_the_end_of_the_month():
    assert months_before(datetime(2028, 3, 31, 8), 1) == datetime(2028, 2, 29, 8)
    assert months_before(datetime(2028, 1, 15), 24) == datetime(2026, 1, 15)


def test_the_purge_command(app):
    _mail(sent=T - timedelta(days=400), created=T - timedelta(days=400))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["privacy", "purge"])
    assert first.exit_code == 0 and "Deleted 1 sent mails" in first.output
    second = runner.invoke(args=["privacy", "purge"])
    assert second.exit_code == 0 and "Deleted 0 sent mails" in second.output


def test_a_second_purge_at_the_same_moment_changes_nothing(app, organisation, org_admin):
    _mail()
    cohort = factories.make_cohort(organisation, factories.make_course())
    db.session.add(UploadBatch(cohort_id=cohort.id, created_by_id=org_admin.id, rows=[], created_at=T,
                               confirmed_at=T))
    db.session.add(FormStash(path="/x", data={"a": ["tekst"]}, created_at=T))
    db.session.commit()
    _inactive_learner()
    now = datetime(2028, 6, 1)
    first = purge(now)
    assert (first.mails, first.upload_batches, first.kept_forms, first.warned) == (1, 1, 1, 1)
    rows = {model.__name__: _ids(model) for model in (OutboxMail, UploadBatch, FormStash, User)}
    assert purge(now) == _nothing()
    assert {model.__name__: _ids(model) for model in (OutboxMail, UploadBatch, FormStash, User)} == rows
    assert len(_warnings()) == 1
