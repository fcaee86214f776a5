"""xAPI against a real LRS on loopback (ralph-malph, tests/lrs.py): statements go through
the real relay, are read back with GET /xAPI/statements, survive an outage and are
stored exactly once."""
import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import XapiStatement, XapiStatus, utcnow
from course.xapi import relay
from tests import factories, lrs
from tests.test_xapi import do_module


@pytest.fixture(scope="session")
def lrs_python():
    return lrs.ensure_venv()


@pytest.fixture
def store(lrs_python, tmp_path):
    server = lrs.Lrs(tmp_path, lrs_python)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def lrs_app(app, store):
    app.config.update(XAPI_ENDPOINT=store.endpoint, XAPI_USERNAME=lrs.USERNAME, XAPI_PASSWORD=lrs.PASSWORD)
    return app


def queued_ids() -> list[str]:
    return list(db.session.scalars(sa.select(XapiStatement.statement_id).order_by(XapiStatement.id)))


def test_the_relay_delivers_every_statement_and_the_lrs_holds_them(lrs_app, store, learner, trainer):
    course = factories.make_course(slug="de-meldcode", modules=1)
    enrolment = factories.make_enrolment(learner, course)
    do_module(enrolment, course.modules[0], learner, trainer, fail_first=True)
    assert relay.send_statements() == (6, 0)
    stored = {s["id"]: s for s in store.statements()}
    assert set(stored) == set(queued_ids())
    course_id = "http://leerlijn.test/xapi/activities/course/de-meldcode"
    completed = [s for s in stored.values() if s["object"]["id"] == course_id]
    assert [s["verb"]["id"] for s in completed] == ["http://adlnet.gov/expapi/verbs/completed"]
    assert completed[0]["actor"]["account"] == {"homePage": "http://leerlijn.test", "name": learner.public_id}
    verbs = sorted(s["verb"]["display"]["en-US"] for s in stored.values())
    assert verbs == ["approved", "completed", "completed", "failed", "passed", "submitted"]
    assert all(row.status == XapiStatus.SENT for row in db.session.scalars(sa.select(XapiStatement)))


def test_an_outage_loses_nothing_and_stores_nothing_twice(lrs_app, store, learner, trainer):
    store.stop()
    course = factories.make_course(modules=2)
    enrolment = factories.make_enrolment(learner, course)
    do_module(enrolment, course.modules[0], learner, trainer)
    assert relay.send_statements() == (0, 1)  # down: one try, the rest wait
    store.start()
    do_module(enrolment, course.modules[1], learner, trainer)
    # The back-off has not passed yet for the first row; the next run after it has:
    db.session.execute(sa.update(XapiStatement).values(next_attempt_at=utcnow()))
    db.session.commit()
    sent, failed = relay.send_statements()
    assert (sent, failed) == (len(queued_ids()), 0) and sent == 9
    ids = [s["id"] for s in store.statements()]
    assert sorted(ids) == sorted(queued_ids())  # every statement, each exactly once


def test_a_redelivery_after_a_lost_answer_is_stored_once(lrs_app, store, learner, trainer):
    """The worker died after the LRS stored a statement but before marking it sent: the
    next run PUTs the same statement id again, and the LRS still holds it once."""
    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    do_module(enrolment, course.modules[0], learner, trainer)
    assert relay.send_statements() == (5, 0)
    db.session.execute(sa.update(XapiStatement).values(status=XapiStatus.QUEUED, next_attempt_at=utcnow()))
    db.session.commit()
    assert relay.send_statements() == (5, 0)
    ids = [s["id"] for s in store.statements()]
    assert len(ids) == 5 and sorted(ids) == sorted(queued_ids())


def test_wrong_credentials_are_retried_later_not_lost(lrs_app, store, learner, trainer):
    lrs_app.config["XAPI_PASSWORD"] = "wrong"
    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    do_module(enrolment, course.modules[0], learner, trainer)
    sent, failed = relay.send_statements()
    assert (sent, failed) == (0, 5)
    row = db.session.scalars(sa.select(XapiStatement)).first()
    assert row.status == XapiStatus.QUEUED and "401" in row.last_error
    lrs_app.config["XAPI_PASSWORD"] = lrs.PASSWORD
    db.session.execute(sa.update(XapiStatement).values(next_attempt_at=utcnow()))
    db.session.commit()
    assert relay.send_statements() == (5, 0)
    assert len(store.statements()) == 5
