"""The learner's data download: one ZIP with JSON and a readable page, holding every
row the database keeps about them (compared row by row), and nobody else's."""
import io
import json
import zipfile

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import (
    BadgeAssertion,
    Certificate,
    Enrolment,
    Membership,
    ModuleProgress,
    OutboxMail,
    ProgressEvent,
    QuizAttempt,
    SessionRegistration,
    Submission,
)
from tests.factories_privacy import MARKER, NAME, person_who_did_everything
from tests.querycount import count_queries


def _download(client, stem="mijn-gegevens"):
    response = client.get("/mijn-account/mijn-gegevens.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == [f"{stem}.html", f"{stem}.json"]
    return json.loads(archive.read(f"{stem}.json")), archive.read(f"{stem}.html").decode()


@pytest.fixture
def world(app):
    return person_who_did_everything(app)


def test_the_export_holds_every_row_of_the_person(world, login_as):
    user = world.user
    data, _html = _download(login_as(user))

    assert data["profile"]["name"] == NAME and data["profile"]["email"] == user.email
    assert data["profile"]["registration_number"] == "123456789"
    memberships = db.session.scalars(sa.select(Membership).where(Membership.user_id == user.id)).all()
    assert sorted(m["organisation"] for m in data["memberships"]) == sorted(m.organisation.name for m in memberships)
    assert [i["email"] for i in data["invitations"]] == [user.email]

    enrolments = db.session.scalars(sa.select(Enrolment).where(Enrolment.user_id == user.id)).all()
    assert [e["course_slug"] for e in data["enrolments"]] == [e.course.slug for e in enrolments]
    [exported] = data["enrolments"]
    [enrolment] = enrolments
    ids = [enrolment.id]

    progress = db.session.scalars(sa.select(ModuleProgress).where(ModuleProgress.enrolment_id.in_(ids))).all()
    assert sorted(p["completed_at"] for p in exported["modules"]) == sorted(
        p.completed_at.isoformat() for p in progress)
    events = db.session.scalars(sa.select(ProgressEvent).where(ProgressEvent.enrolment_id.in_(ids))).all()
    assert sorted((e["kind"], e["at"]) for e in exported["events"]) == sorted(
        (e.kind.value, e.created_at.isoformat()) for e in events)

    attempts = db.session.scalars(sa.select(QuizAttempt).where(QuizAttempt.enrolment_id.in_(ids))).all()
    assert len(exported["quiz_attempts"]) == len(attempts) == 4
    for attempt in attempts:
        match = next(a for a in exported["quiz_attempts"]
                     if a["module"] == attempt.module.title and a["number"] == attempt.number)
        assert match["score"] == attempt.score and match["passed"] == attempt.passed
        assert {a["question_id"]: [c["id"] for c in a["chosen"]] for a in match["answers"]} == attempt.answers
        assert all(c["text"] for a in match["answers"] for c in a["chosen"]), "the chosen option's text"

    submissions = db.session.scalars(sa.select(Submission).where(Submission.enrolment_id.in_(ids))).all()
    exported_versions = [v for s in exported["submissions"] for v in s["versions"]]
    stored_versions = [v for s in submissions for v in s.versions]
    assert len(exported_versions) == len(stored_versions) == 4
    for stored in stored_versions:
        match = next(v for s in exported["submissions"] if s["module"] == stored.submission.module.title
                     for v in s["versions"] if v["number"] == stored.number)
        assert {f["id"]: f["text"] for f in match["fields"]} == stored.fields
        assert match["review"]["feedback"] == stored.review.feedback_md and MARKER in match["review"]["feedback"]
        assert sorted((s["points"], s["comment"]) for s in match["review"]["scores"]) == sorted(
            (s.points, s.comment) for s in stored.review.scores)

    badges = db.session.scalars(sa.select(BadgeAssertion).where(BadgeAssertion.user_id == user.id)).all()
    assert len(data["badges"]) == len(badges) == 3
    assert {b["url"].rsplit("/", 1)[-1] for b in data["badges"]} == {f"{b.public_id}.json" for b in badges}
    certificates = db.session.scalars(sa.select(Certificate).where(Certificate.enrolment_id.in_(ids))).all()
    assert [c["url"].rsplit("/", 1)[-1] for c in data["certificates"]] == [c.public_id for c in certificates]

    mails = db.session.scalars(sa.select(OutboxMail).where(OutboxMail.to_address == user.email)).all()
    assert len(mails) == 8  # invitation, four review mails, password reset, live-session place and waiting list
    assert sorted((m["subject"], m["body"]) for m in data["mails"]) == sorted(
        (m.subject, m.body_text) for m in mails)
    registrations = db.session.scalars(sa.select(SessionRegistration).where(SessionRegistration.user_id == user.id)
                                       .order_by(SessionRegistration.id)).all()
    assert [(r["status"], r["attendance"]) for r in data["live_sessions"]] == [
        (r.status.value, r.attendance.value) for r in registrations] == [("registered", "unknown"),
                                                                         ("waiting", "unknown")]
    assert data["live_sessions"][0]["parts"][0]["starts_at"] == registrations[0].session.parts[0].starts_at.isoformat()
    everyone_else = db.session.scalars(sa.select(OutboxMail).where(OutboxMail.to_address != user.email)).all()
    assert everyone_else and not any(m["to"] != user.email for m in data["mails"])


def test_the_page_is_readable_escaped_self_contained_and_in_dutch(world, login_as):
    _data, html = _download(login_as(world.user))
    assert "Mijn gegevens op Leerlijn" in html and NAME in html and MARKER in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html and "<link" not in html and "src=" not in html
    assert 'href="http' not in html and "url(" not in html


def test_the_page_is_in_english_for_an_english_user(app, login_as):
    world = person_who_did_everything(app, locale="en")
    _data, html = _download(login_as(world.user), stem="my-data")
    assert "My data on Leerlijn" in html and "Mijn gegevens" not in html


def test_the_export_holds_nothing_of_other_people(world, login_as):
    data, html = _download(login_as(world.colleague))
    assert NAME not in html and MARKER not in json.dumps(data) and data["mails"] == []
    assert data["profile"]["email"] == world.colleague.email


def test_the_account_page_links_to_the_download(world, login_as):
    page = login_as(world.user).get("/mijn-account").get_data(as_text=True)
    assert "/mijn-account/mijn-gegevens.zip" in page and "Mijn gegevens downloaden" in page


def test_the_export_uses_a_fixed_number_of_queries(world, login_as):
    client = login_as(world.user)
    with count_queries() as small:
        _download(client)
    more = factories_more_work(world)
    with count_queries() as large:
        _download(client)
    assert more and large.count == small.count


def factories_more_work(world) -> int:
    """A second course with enrolment, progress and a reviewed submission."""
    from tests import factories, factories_badges

    enrolment = factories_badges.completed_enrolment(world.user, factories.make_course(modules=3),
                                                     reviewer=world.trainer)
    return enrolment.id
