"""Issuing: one badge per completed module, one for the course, exactly once."""
import threading

import sqlalchemy as sa

from course.badges import services
from course.extensions import db
from course.models import BadgeAssertion, BadgeClass, Certificate, EventKind, ProgressEvent
from tests import factories
from tests.factories_badges import complete_module, completed_enrolment


def _count(model, *where):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_completing_a_module_issues_its_badge_with_a_hashed_recipient(app, learner):
    course = factories.make_course()
    enrolment = factories.make_enrolment(learner, course)
    module = course.modules[0]
    complete_module(enrolment, module)

    assertion = services.on_module_completed(enrolment, module)
    db.session.commit()

    assert assertion.badge_class.key == module.slug
    assert assertion.badge_class.name == module.title
    assert assertion.user_id == learner.id
    assert assertion.recipient_hash == services.hash_identity(learner.email, assertion.recipient_salt)
    assert assertion.recipient_hash.startswith("sha256$") and learner.email not in assertion.recipient_hash
    assert _count(ProgressEvent, ProgressEvent.kind == EventKind.BADGE_ISSUED) == 1


def test_the_hook_issues_once_when_called_again(app, learner):
    course = factories.make_course()
    enrolment = factories.make_enrolment(learner, course)
    first = services.on_module_completed(enrolment, course.modules[0])
    db.session.commit()
    again = services.on_module_completed(enrolment, course.modules[0])
    db.session.commit()
    assert first.id == again.id
    assert _count(BadgeAssertion) == 1
    assert _count(BadgeClass) == 1


def test_the_hooks_do_not_commit_the_callers_transaction(app, learner):
    course = factories.make_course()
    enrolment = factories.make_enrolment(learner, course)
    services.on_module_completed(enrolment, course.modules[0])
    services.on_course_completed(enrolment)
    db.session.rollback()
    assert _count(BadgeAssertion) == 0
    assert _count(Certificate) == 0


def test_the_hook_survives_a_row_inserted_behind_its_back(app, learner, monkeypatch):
    """The race, staged: the first look finds nothing (another request has not
    committed yet), the insert then hits the unique constraint. The savepoint
    absorbs it, the existing row is returned, and the caller's transaction goes on."""
    course = factories.make_course()
    enrolment = factories.make_enrolment(learner, course)
    badge_class = services.get_or_create_badge_class(course, course.modules[0])
    other = BadgeAssertion(badge_class_id=badge_class.id, user_id=learner.id, enrolment_id=enrolment.id,
                           recipient_salt="x", recipient_hash="sha256$x")
    db.session.add(other)
    db.session.commit()
    real_lookup = services._existing_assertion
    calls = []

    def stale_first(*args):
        calls.append(args)
        return None if len(calls) == 1 else real_lookup(*args)

    monkeypatch.setattr(services, "_existing_assertion", stale_first)
    enrolment.last_activity_at = enrolment.enrolled_at  # the caller's own pending work
    result = services.on_module_completed(enrolment, course.modules[0])
    db.session.commit()

    assert len(calls) == 2
    assert result.id == other.id
    assert _count(BadgeAssertion) == 1
    db.session.refresh(enrolment)
    assert enrolment.last_activity_at == enrolment.enrolled_at


def test_completing_the_course_issues_the_course_badge_and_one_certificate(app, learner):
    enrolment = completed_enrolment(learner)
    services.on_course_completed(enrolment)
    db.session.commit()
    keys = sorted(db.session.scalars(sa.select(BadgeClass.key)))
    assert keys == ["course", "module-1", "module-2"]
    assert _count(BadgeAssertion, BadgeAssertion.user_id == learner.id) == 3
    assert _count(Certificate) == 1
    certificate = db.session.scalar(sa.select(Certificate))
    assert certificate.enrolment_id == enrolment.id


def test_badge_classes_are_per_course(app, learner):
    one, two = factories.make_course(), factories.make_course()
    a = services.get_or_create_badge_class(one, one.modules[0])
    b = services.get_or_create_badge_class(two, two.modules[0])
    db.session.commit()
    assert a.id != b.id and a.key == b.key == "module-1"


def test_ensure_awards_issues_whatever_is_missing(app, learner):
    enrolment = completed_enrolment(learner, award=False)
    assert _count(BadgeAssertion) == 0
    services.ensure_awards(enrolment)
    services.ensure_awards(enrolment)
    assert _count(BadgeAssertion) == 3
    assert _count(Certificate) == 1


# ---- concurrency (both databases) -------------------------------------------


def test_concurrent_completions_issue_exactly_one_badge(make_app):
    app = make_app()
    with app.app_context():
        user = factories.make_user()
        course = factories.make_course()
        enrolment = factories.make_enrolment(user, course)
        ids = (enrolment.id, course.modules[0].id)
        db.session.remove()

    threads_count = 8
    barrier = threading.Barrier(threads_count)
    results, errors = [], []

    def complete():
        from course.models import CourseModule, Enrolment

        with app.app_context():
            try:
                enrolment = db.session.get(Enrolment, ids[0])
                module = db.session.get(CourseModule, ids[1])
                enrolment.course  # load before the race  # noqa: B018
                enrolment.user  # noqa: B018
                barrier.wait(timeout=10)
                assertion = services.on_module_completed(enrolment, module)
                services.on_course_completed(enrolment)
                db.session.commit()
                results.append(assertion.public_id)
            except Exception as error:  # pragma: no cover - reported below
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=complete) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    with app.app_context():
        assert _count(BadgeClass) == 2
        assert _count(BadgeAssertion) == 2
        assert _count(Certificate) == 1
        module_badges = db.session.scalars(
            sa.select(BadgeAssertion.public_id).join(BadgeClass).where(BadgeClass.key == "module-1")).all()
    assert len(module_badges) == 1
    assert set(results) == set(module_badges)
