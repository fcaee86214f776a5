"""`flask worker` as real processes: it writes queued mail to instance/mail/ on a fresh
install, and two workers sharing one database and one Redis deliver every mail once
and run every periodic job once per period."""
from collections import Counter
from email import message_from_bytes

import pytest
import redis
import sqlalchemy as sa

from course.extensions import db
from course.models import MailStatus, OutboxMail, ScheduledRun
from tests import factories
from tests.factories_review import make_submission
from tests.test_mail import _queue, smtp_server  # noqa: F401  (the SMTP server fixture)
from tests.worker_process import start_worker, stop_worker, wait_for, worker_env

REDIS_TEST_URL = "redis://127.0.0.1:6379/7"  # only this db is flushed


def _statuses() -> list[MailStatus]:
    db.session.expire_all()
    statuses = db.session.scalars(sa.select(OutboxMail.status)).all()
    db.session.rollback()  # end the read, so the workers' writes are not held up
    return statuses


def test_the_worker_writes_queued_mail_to_the_mail_folder(app, database_url, tmp_path):
    mail = _queue(to="nieuwkomer@example.org")
    mail_id = mail.id
    db.session.rollback()
    process = start_worker(worker_env(tmp_path, database_url, DIGEST_TIME="00:00"), tmp_path / "worker.log")
    try:
        written = wait_for(lambda: list((tmp_path / "mail").glob("*.eml")), timeout=30)
    finally:
        code = stop_worker(process)
    log = (tmp_path / "worker.log").read_text()
    assert written, log
    assert code == 0, log
    [path] = (tmp_path / "mail").glob("*.eml")
    assert message_from_bytes(path.read_bytes())["To"] == "nieuwkomer@example.org"
    assert db.session.get(OutboxMail, mail_id).status == MailStatus.SENT
    assert "review_digest" in set(db.session.scalars(sa.select(ScheduledRun.job)))


@pytest.fixture
def redis_db():
    client = redis.Redis.from_url(REDIS_TEST_URL)
    client.flushdb()
    yield REDIS_TEST_URL
    client.flushdb()
    client.close()


def test_two_workers_deliver_each_mail_once_and_run_each_job_once(app, database_url, tmp_path, redis_db,
                                                                  smtp_server, organisation):  # noqa: F811
    controller, handler = smtp_server
    trainer = factories.make_user(role="trainer", email="trainer@example.org")
    course = factories.make_course()
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    make_submission(factories.make_enrolment(factories.make_user(), course, cohort=cohort), course.modules[0])
    addresses = [f"deelnemer{n}@example.org" for n in range(40)]
    for address in addresses:
        _queue(to=address)
    db.session.rollback()
    settings = {"REDIS_URL": redis_db, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": controller.port,
                "DIGEST_TIME": "00:00", "REMINDER_WEEKDAY": "monday", "REMINDER_TIME": "00:00", "PURGE_TIME": "00:00",
                "FOLLOWUP_TIME": "00:00", "STATISTICS_TIME": "00:00", "WORKER_QUEUE_NAME": "leerlijn-test-cluster"}
    workers = [start_worker(worker_env(tmp_path / f"w{n}", database_url, **settings), tmp_path / f"w{n}.log")
               for n in range(2)]
    try:
        expected = len(addresses) + 1  # and the trainer's digest
        delivered = wait_for(lambda: len(_statuses()) == expected
                             and all(s == MailStatus.SENT for s in _statuses()), timeout=45)
        # Let both schedulers enqueue every job a few more times: each tick is another chance to run twice.
        wait_for(lambda: False, timeout=5)
    finally:
        codes = [stop_worker(worker) for worker in workers]
    logs = "\n".join((tmp_path / f"w{n}.log").read_text() for n in range(2))
    assert delivered, logs
    assert codes == [0, 0], logs
    received = Counter(rcpt for envelope in handler.messages for rcpt in envelope.rcpt_tos)
    assert received == Counter({**{address: 1 for address in addresses}, trainer.email: 1}), logs
    runs = Counter(db.session.scalars(sa.select(ScheduledRun.job)))
    hours = len(set(db.session.scalars(sa.select(ScheduledRun.period)
                                       .where(ScheduledRun.job == "live_session_reminders"))))
    assert 1 <= hours <= 2, "the hourly job is due in every minute of the hour"
    # A run that crosses the hour has two hourly periods, each run once.
    assert runs == Counter({"review_digest": 1, "org_reminders": 1, "privacy_purge": 1, "followup_checkins": 1,
                            "discussion_digest": 1, "planner_statistics": 1, "live_session_reminders": hours})
    digests = db.session.scalars(sa.select(OutboxMail).where(OutboxMail.kind == "review_digest")).all()
    assert [mail.to_address for mail in digests] == [trainer.email]
    assert logs.count("Job review_digest for") == 2, "started and finished once, on one of the workers"

