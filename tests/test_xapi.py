"""Learning records (xAPI): what is queued, in which transaction, and how the relay
delivers it. Delivery to a real LRS is in tests/test_xapi_lrs.py."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from course.extensions import db
from course.learn import services
from course.models import XapiStatement, XapiStatus, utcnow
from course.privacy.erasure import erase_user
from course.review.services import decide
from course.xapi import relay
from tests import factories
from tests.factories_learn import correct_answers, filled_fields, wrong_answers
from tests.factories_review import scores_for

# Nothing listens on port 9 (discard) on loopback: an LRS that is down.
DOWN = "http://127.0.0.1:9/xAPI/"


@pytest.fixture
def xapi_app(app):
    """The test app with an installation LRS (make_app restores its config afterwards)."""
    app.config.update(XAPI_ENDPOINT=DOWN, XAPI_USERNAME="u", XAPI_PASSWORD="p")
    return app


def _answers(pairs: dict) -> MultiDict:
    return MultiDict([(k, v) for k, values in pairs.items() for v in values])


def do_module(enrolment, module, learner, trainer, *, fail_first=False):
    services.mark_read(enrolment, module, learner)
    if fail_first:
        services.submit_quiz(enrolment, module, 1, _answers(wrong_answers(module)), learner)
    number = len(services.attempts_of(enrolment, module)) + 1
    services.submit_quiz(enrolment, module, number, _answers(correct_answers(module)), learner)
    submission, _ = services.submit_assignment(enrolment, module, filled_fields(module), learner)
    decide(submission, trainer, "approved", scores_for(module), "", submission.lock_version)


def rows() -> list[XapiStatement]:
    return list(db.session.scalars(sa.select(XapiStatement).order_by(XapiStatement.id)))


def test_nothing_is_queued_without_an_lrs(app, learner, trainer):
    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    do_module(enrolment, course.modules[0], learner, trainer)
    assert rows() == []


def test_every_step_of_a_course_is_queued_with_the_standard_verbs(xapi_app, learner, trainer):
    course = factories.make_course(slug="omgaan-met-agressie", modules=1)
    enrolment = factories.make_enrolment(learner, course)
    module = course.modules[0]
    do_module(enrolment, module, learner, trainer, fail_first=True)
    queued = rows()
    base = "http://leerlijn.test/xapi/activities/course/omgaan-met-agressie"
    assert [(r.statement["verb"]["id"], r.statement["object"]["id"]) for r in queued] == [
        ("http://adlnet.gov/expapi/verbs/failed", f"{base}/module/module-1/quiz"),
        ("http://adlnet.gov/expapi/verbs/passed", f"{base}/module/module-1/quiz"),
        ("https://w3id.org/xapi/dod-isd/verbs/submitted", f"{base}/module/module-1/assignment"),
        ("https://w3id.org/xapi/dod-isd/verbs/approved", f"{base}/module/module-1/assignment"),
        ("http://adlnet.gov/expapi/verbs/completed", f"{base}/module/module-1"),
        ("http://adlnet.gov/expapi/verbs/completed", base),
    ]
    assert all(r.status == XapiStatus.QUEUED and r.target == "" and r.user_id == learner.id for r in queued)
    assert len({r.statement_id for r in queued}) == 6
    assert all(r.statement["id"] == r.statement_id for r in queued)
    failed, passed = queued[0].statement, queued[1].statement
    assert failed["result"]["success"] is False and passed["result"]["success"] is True
    assert passed["result"]["score"]["max"] == passed["result"]["score"]["raw"] > 0
    assert passed["context"]["contextActivities"]["parent"] == [{"objectType": "Activity", "id": base}]


def test_the_actor_is_the_public_id_never_the_address_or_name(xapi_app, learner, trainer):
    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    services.mark_read(enrolment, course.modules[0], learner)
    services.submit_quiz(enrolment, course.modules[0], 1, _answers(correct_answers(course.modules[0])), learner)
    statement = rows()[0].statement
    assert statement["actor"] == {"objectType": "Agent",
                                  "account": {"homePage": "http://leerlijn.test", "name": learner.public_id}}
    text = str(statement)
    assert learner.email not in text and learner.name not in text


def test_a_statement_exists_only_when_its_action_was_committed(xapi_app, learner):
    """The outbox row is part of the action's transaction: an action rolled back leaves none."""
    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    module = course.modules[0]
    services.mark_read(enrolment, module, learner)
    from course.learn import completion
    from course.models import EventKind

    completion.record_event(enrolment, EventKind.QUIZ_ATTEMPTED, module, learner, score=1, max_score=2,
                            passed=False)
    db.session.rollback()
    assert rows() == []


def test_an_organisation_with_its_own_lrs_gets_its_cohorts_records(app, learner, trainer):
    organisation = factories.make_organisation()
    other = factories.make_organisation()
    app.config["XAPI_ORGANISATIONS"] = {organisation.public_id: {"endpoint": DOWN}}
    course = factories.make_course(modules=1)
    cohort = factories.make_cohort(organisation, course)
    in_cohort = factories.make_enrolment(learner, course, cohort=cohort)
    outsider = factories.make_user(email="ander@example.org")
    elsewhere = factories.make_enrolment(outsider, course, cohort=factories.make_cohort(other, course))
    for enrolment, user in ((in_cohort, learner), (elsewhere, outsider)):
        services.mark_read(enrolment, course.modules[0], user)
        services.submit_quiz(enrolment, course.modules[0], 1, _answers(correct_answers(course.modules[0])),
                             user)
    assert [(r.target, r.user_id) for r in rows()] == [(organisation.public_id, learner.id)]


def test_an_lrs_that_is_down_keeps_the_statement_queued_with_back_off(xapi_app, learner):
    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    services.mark_read(enrolment, course.modules[0], learner)
    services.submit_quiz(enrolment, course.modules[0], 1, _answers(wrong_answers(course.modules[0])), learner)
    services.submit_quiz(enrolment, course.modules[0], 2, _answers(wrong_answers(course.modules[0])), learner)
    assert relay.send_statements() == (0, 1)  # the LRS is down: the second waits for the next run
    first, second = rows()
    assert first.status == XapiStatus.QUEUED and first.attempts == 1 and "Unreachable" in first.last_error
    assert first.next_attempt_at > utcnow() + timedelta(seconds=30)
    assert second.attempts == 0
    assert relay.send_statements() == (0, 1)  # not due yet: untouched
    assert first.attempts == 1


def test_after_the_last_attempt_a_statement_is_failed_and_can_be_retried(xapi_app, learner):
    xapi_app.config["XAPI_MAX_ATTEMPTS"] = 2
    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    services.mark_read(enrolment, course.modules[0], learner)
    services.submit_quiz(enrolment, course.modules[0], 1, _answers(wrong_answers(course.modules[0])), learner)
    row = rows()[0]
    for _ in range(2):
        row.next_attempt_at = utcnow()
        db.session.commit()
        relay.send_statements()
    assert row.status == XapiStatus.FAILED and row.attempts == 2
    assert relay.retry_failed() == 1
    assert row.status == XapiStatus.QUEUED and row.attempts == 0


def test_a_row_is_claimed_by_one_worker_only(xapi_app, learner):
    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    services.mark_read(enrolment, course.modules[0], learner)
    services.submit_quiz(enrolment, course.modules[0], 1, _answers(wrong_answers(course.modules[0])), learner)
    row_id = rows()[0].id
    assert relay._claim_next(set(), set()) == row_id
    assert relay._claim_next(set(), set()) is None  # held by the first claim


def test_erasure_deletes_the_persons_queued_statements(xapi_app, learner, trainer):
    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    other = factories.make_user(email="blijft@example.org")
    do_module(enrolment, course.modules[0], learner, trainer)
    services.mark_read(factories.make_enrolment(other, course), course.modules[0], other)
    services.submit_quiz(db.session.scalar(sa.select(type(enrolment)).filter_by(user_id=other.id)),
                         course.modules[0], 1, _answers(wrong_answers(course.modules[0])), other)
    erase_user(learner)
    db.session.commit()
    assert [r.user_id for r in rows()] == [other.id]


def test_a_statement_of_an_account_erased_after_queueing_is_never_sent(xapi_app, learner):
    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    services.mark_read(enrolment, course.modules[0], learner)
    services.submit_quiz(enrolment, course.modules[0], 1, _answers(wrong_answers(course.modules[0])), learner)
    learner.erased_at = utcnow()  # as a concurrent erasure would, before it deletes the rows
    db.session.commit()
    assert relay.send_statements() == (0, 0)
    assert rows() == []


def test_flask_xapi_send_reports_what_it_did(xapi_app, learner):
    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    services.mark_read(enrolment, course.modules[0], learner)
    services.submit_quiz(enrolment, course.modules[0], 1, _answers(wrong_answers(course.modules[0])), learner)
    result = xapi_app.test_cli_runner().invoke(args=["xapi", "send"])
    assert result.exit_code == 0 and "Sent 0, not delivered 1." in result.output
