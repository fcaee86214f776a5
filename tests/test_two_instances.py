"""Two app instances behind nginx (issue 16), sharing the database (PostgreSQL in the
PostgreSQL lane), Redis, the SECRET_KEY and the instance folder, with a worker on
each "machine". A learner's and a trainer's whole path go alternately through both
instances, and these hold: sessions and CSRF tokens (a form rendered by one instance
is accepted by the other), the login rate limit, seats and badges under concurrent
requests spread over both, and every mail sent once although two workers run.
Skipped only when nginx is absent and cannot be installed."""
import re
import secrets
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
import redis
import sqlalchemy as sa

from course.extensions import db
from course.models import (
    BadgeAssertion,
    BadgeClass,
    Enrolment,
    MailStatus,
    ModuleProgress,
    OutboxMail,
    QuizAttempt,
    Review,
    SeatLicence,
    Submission,
    SubmissionStatus,
    utcnow,
)
from course.org.tokens import invite_link_token
from tests import factories, factories_org, factories_review
from tests.factories_learn import correct_answers, field_form
from tests.multi_instance import CONCURRENT_SCENARIOS, Cluster, find_nginx
from tests.test_mail import smtp_server  # noqa: F401  (the SMTP server fixture)
from tests.worker_process import wait_for

REDIS_URL = "redis://127.0.0.1:6379/12"  # this file's own Redis database, flushed before and after
pytestmark = pytest.mark.two_instances


@pytest.fixture
def nginx():
    found = find_nginx()
    if found is None:
        pytest.skip("nginx is not installed and could not be installed (apt-get install nginx-light)")
    return found


@pytest.fixture
def shared_redis():
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield REDIS_URL
    client.flushdb()
    client.close()


def build_world() -> SimpleNamespace:
    organisation = factories.make_organisation(name="Stichting Twee Servers")
    trainer = factories.make_user(role="trainer", email="trainer@twee.test", name="Tom Trainer")
    course, licence, cohort = factories_org.make_team(organisation, seats=10, trainers=[trainer], modules=1)
    module = course.modules[0]
    learner = factories.make_user(email="lotte@twee.test", name="Lotte Leerling", org=organisation)
    factories_org.enrol_with_seat(learner, cohort, licence)
    # A second learner whose work waits for the trainer, read and quiz passed: approving it
    # completes the module and the course (the badges race below).
    racer = factories.make_user(email="rita@twee.test", name="Rita Race", org=organisation)
    racer_enrolment = factories_org.enrol_with_seat(racer, cohort, licence, started_at=utcnow())
    db.session.add(ModuleProgress(enrolment_id=racer_enrolment.id, module_id=module.id, read_at=utcnow(),
                                  quiz_passed_at=utcnow()))
    db.session.commit()
    waiting = factories_review.make_submission(racer_enrolment, module,
                                               fields={f["id"]: "Ons plan." for f in module.assignment["fields"]})
    # A small licence for the seats race: 3 seats, a link for 10, 6 people at once.
    small_course, small_licence, small_cohort = factories_org.make_team(organisation, seats=3, modules=1)
    link = factories_org.make_link(small_cohort, seat_cap=10)
    joiners = [factories.make_user(email=f"joiner{n}@twee.test", org=organisation) for n in range(6)]
    return SimpleNamespace(organisation=organisation, trainer=trainer, course=course, module=module, cohort=cohort,
                           learner=learner, racer=racer, racer_enrolment=racer_enrolment, waiting=waiting,
                           small_licence=small_licence, small_cohort=small_cohort, link_token=invite_link_token(link),
                           joiners=joiners)


def _env(app, database_url, tmp_path, shared_redis, smtp) -> dict:
    import os

    env = {k: v for k, v in os.environ.items() if k not in {"RATELIMIT_SINGLE_PROCESS", "MAIL_SERVER"}}
    env.update({
        "LEERLIJN_ENV": "production", "SECRET_KEY": app.config["SECRET_KEY"], "DATABASE_URL": database_url,
        "REDIS_URL": shared_redis, "LEERLIJN_INSTANCE": str(tmp_path / "shared-instance"),
        "MAIL_DIR": str(tmp_path / "shared-instance" / "mail"), "PROXY_FIX": "1",
        "BASE_URL": "http://leerlijn.test", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port),
        "WORKER_QUEUE_NAME": f"leerlijn-two-{secrets.token_hex(4)}", "WORKER_TICK_SECONDS": "2",
        "MAIL_POLL_SECONDS": "0.2", "DIGEST_TIME": "00:00",
        "LOGIN_LIMIT_PER_ACCOUNT_AND_IP": "5 per minute", "LOGIN_LIMIT_PER_ACCOUNT": "50 per minute",
        "LOGIN_LIMIT_PER_IP": "1000 per minute",
    })
    return env


def learner_and_trainer_paths(cluster, w) -> tuple:
    """The two whole paths, one request of each in turn (nginx alternates the instances)."""
    course, module = w.course.slug, w.module.slug
    base = f"/mijn-leren/{course}/{module}"
    lotte, tom = cluster.browser(), cluster.browser()
    lotte.login(w.learner.email, factories.PASSWORD)
    tom.login(w.trainer.email, factories.PASSWORD)
    assert w.course.title in lotte.get("/mijn-leren")
    tom.get("/beoordelen")
    lotte.get(base)
    lotte.post(f"{base}/gelezen", {})
    tom.get("/voortgang")
    quiz = lotte.get(f"{base}/quiz")
    attempt = re.search(r'name="attempt"[^>]*value="(\d+)"', quiz).group(1)
    lotte.post(f"{base}/quiz", {"attempt": attempt, **correct_answers(w.module)})
    tom.get(f"/voortgang/groep/{w.cohort.public_id}")
    lotte.get(f"{base}/opdracht")
    lotte.post(f"{base}/opdracht", {"action": "submit", **field_form(w.module, "Ons wijkplan.")})
    submission = db.session.scalar(sa.select(Submission).join(Enrolment).where(Enrolment.user_id == w.learner.id))
    db.session.rollback()
    assert "Lotte Leerling" in tom.get("/beoordelen")
    review_page = tom.get(f"/beoordelen/{submission.public_id}")
    lock = re.search(r'name="lock_version"[^>]*value="(\d+)"', review_page).group(1)
    tom.post(f"/beoordelen/{submission.public_id}",
             factories_review.form_data(submission, "approved", lock_version=lock))
    badges = lotte.get("/mijn-badges")
    lotte.get(f"/mijn-leren/{course}")
    return lotte, tom, badges


def test_two_instances_behind_nginx(app, database_url, tmp_path, nginx, shared_redis, smtp_server):  # noqa: F811
    controller, handler = smtp_server
    w = build_world()
    db.session.rollback()
    with Cluster(tmp_path, nginx, _env(app, database_url, tmp_path, shared_redis, controller)) as cluster:
        # Sessions and CSRF: each person's path is served by both instances, and forms
        # rendered by one are accepted by the other.
        lotte, tom, badges_page = learner_and_trainer_paths(cluster, w)
        for person in (lotte, tom):
            assert len(person.upstreams()) == 2, person.served
            assert person.crossed >= 1, person.served
        forged = cluster.browser()
        forged.get("/inloggen")
        forged.token = "not-a-token"
        status, _headers, _text = forged.request("POST", "/inloggen", {"email": w.learner.email,
                                                                       "password": factories.PASSWORD,
                                                                       "csrf_token": "not-a-token"})
        assert status == 400  # CSRF refused on whichever instance

        # The login limit is shared through Redis: 5 failed logins in all, not 5 per instance.
        stranger = cluster.browser()
        codes = []
        for _ in range(12):
            stranger.get("/inloggen")
            codes.append(stranger.request("POST", "/inloggen", {"email": "doelwit@twee.test", "password": "fout",
                                                                "csrf_token": stranger.token})[0])
        assert codes == [200] * 5 + [429] * 7, codes
        assert len(stranger.upstreams()) == 2

        # Seats: six people take the link at once, spread over both instances; 3 seats.
        joiners = [cluster.browser() for _ in w.joiners]
        for browser, user in zip(joiners, w.joiners, strict=True):
            browser.login(user.email, factories.PASSWORD)
            browser.get(f"/uitnodiging/link/{w.link_token}")

        def join(browser):
            return browser.request("POST", f"/uitnodiging/link/{w.link_token}", {"csrf_token": browser.token})[0]

        with ThreadPoolExecutor(max_workers=6) as pool:
            join_codes = list(pool.map(join, joiners))
        assert all(code < 500 for code in join_codes), join_codes

        # Badges: the trainer approves the same work in two tabs at once, one per instance.
        tabs = [cluster.browser() for _ in range(2)]
        for tab in tabs:
            tab.cookies = dict(tom.cookies)
            tab.get(f"/beoordelen/{w.waiting.public_id}")
        data = factories_review.form_data(w.waiting, "approved")

        def approve(tab):
            return tab.request("POST", f"/beoordelen/{w.waiting.public_id}", {**data, "csrf_token": tab.token})[0]

        with ThreadPoolExecutor(max_workers=2) as pool:
            approve_codes = sorted(pool.map(approve, tabs))
        assert approve_codes == [302, 409], approve_codes

        for scenario in CONCURRENT_SCENARIOS:  # other areas' checks (e.g. live-session capacity)
            scenario(cluster, w)

        # Every mail once, although a worker runs beside each instance.
        def all_sent():
            db.session.expire_all()
            statuses = db.session.scalars(sa.select(OutboxMail.status)).all()
            db.session.rollback()
            return statuses and all(s == MailStatus.SENT for s in statuses)

        sent = wait_for(all_sent, timeout=60)
        wait_for(lambda: False, timeout=4)  # more ticks: more chances to send twice
        logs = cluster.logs()
    assert sent, logs

    db.session.expire_all()
    # The learner's path left exactly what it should.
    enrolment = db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == w.learner.id))
    assert db.session.scalar(sa.select(sa.func.count(QuizAttempt.id)).where(
        QuizAttempt.enrolment_id == enrolment.id, QuizAttempt.passed.is_(True))) == 1
    submission = db.session.scalar(sa.select(Submission).where(Submission.enrolment_id == enrolment.id))
    assert submission.status == SubmissionStatus.APPROVED and len(submission.versions) == 1
    assert enrolment.completed_at is not None
    # Seats: exactly the 3 free ones were taken, and counted.
    taken = db.session.scalar(sa.select(sa.func.count(Enrolment.id)).where(Enrolment.cohort_id == w.small_cohort.id))
    assert taken == 3, join_codes
    assert db.session.get(SeatLicence, w.small_licence.id).seats_used == 3
    # Badges: one decision, and the racer holds the same badges as Lotte, each once.
    assert db.session.scalar(sa.select(sa.func.count(Review.id)).join(Review.version).where(
        Review.version.has(submission_id=w.waiting.id))) == 1
    def badge_classes(user):
        return Counter(db.session.scalars(sa.select(BadgeAssertion.badge_class_id)
                                          .where(BadgeAssertion.user_id == user.id)))
    assert badge_classes(w.learner), "the course awards badges"
    names = db.session.scalars(sa.select(BadgeClass.name).join(BadgeAssertion)
                               .where(BadgeAssertion.user_id == w.learner.id)).all()
    assert all(name in badges_page for name in names), "the learner sees her badges (served by either instance)"
    assert badge_classes(w.racer) == badge_classes(w.learner)
    assert set(badge_classes(w.racer).values()) == {1}

    # Mail: each queued mail delivered once.
    mails = db.session.scalars(sa.select(OutboxMail)).all()
    received = Counter(rcpt for envelope in handler.messages for rcpt in envelope.rcpt_tos)
    assert sum(received.values()) == len(mails), logs
    assert received == Counter(mail.to_address for mail in mails), logs


def live_session_capacity(cluster, w) -> None:
    """Issue 13 through both instances: six people sign up at once for a session with
    two places. Exactly two get a place, the other four wait in the order they came."""
    from concurrent.futures import ThreadPoolExecutor

    from course.models import RegistrationStatus, SessionRegistration
    from tests.factories_sessions import make_live_session

    session = make_live_session(w.course, capacity=2, title="Workshop op twee servers")
    browsers = [cluster.browser() for _ in w.joiners]
    for browser, user in zip(browsers, w.joiners, strict=True):
        browser.login(user.email, factories.PASSWORD)
        browser.get(f"/sessies/{session.public_id}/aanmelden")

    def sign_up(browser):
        return browser.request("POST", f"/sessies/{session.public_id}/aanmelden", {"csrf_token": browser.token})[0]

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(sign_up, browsers))
    assert all(code == 302 for code in codes), codes
    assert len({upstream for b in browsers for *_r, upstream in b.served if upstream}) == 2
    db.session.expire_all()
    rows = db.session.scalars(sa.select(SessionRegistration).where(SessionRegistration.session_id == session.id)
                              .order_by(SessionRegistration.id)).all()
    statuses = [r.status for r in rows]
    assert statuses.count(RegistrationStatus.REGISTERED) == 2 and statuses.count(RegistrationStatus.WAITING) == 4
    waiting = sorted((r for r in rows if r.status == RegistrationStatus.WAITING), key=lambda r: r.queued_at)
    assert [r.id for r in waiting] == sorted(r.id for r in waiting), "the waiting list keeps the order they came"
    db.session.rollback()


CONCURRENT_SCENARIOS.append(live_session_capacity)
