"""Erasure reaches every table: after erasing the person who did everything, no text
column of any table (walked from db.metadata, so new tables are included) holds their
name, address, work or badge identity, while every number on the progress pages stays."""
import json

import sqlalchemy as sa

from course.extensions import db
from course.models import (
    BadgeAssertion,
    FormStash,
    InCompanyRequest,
    Invitation,
    OutboxMail,
    ProgressSummary,
    Review,
    ReviewScore,
    Submission,
    SubmissionVersion,
    UploadBatch,
    User,
)
from course.org.queries.team import team_progress
from course.org.uploads import upload_counts
from course.privacy import erasure
from course.review.queries import grades as grade_queries
from course.review.queries import matrix as matrix_queries
from course.review.queries import quiz_analysis as quiz_queries
from course.review.queries import scope as scope_queries
from course.stash import SESSION_KEY
from tests import factories
from tests.factories_privacy import EMAIL, MARKER, NAME, NEEDLES, person_who_did_everything

TEXT_TYPES = (sa.String, sa.Text, sa.JSON)


def _as_text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def where_found(needles) -> dict[str, set[str]]:
    """{"table.column": {needle, ...}} for every text column of every table holding a needle."""
    found: dict[str, set[str]] = {}
    lowered = [n.lower() for n in needles]
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, TEXT_TYPES)]
            if not columns:
                continue
            for row in conn.execute(sa.select(*columns)):
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    text = _as_text(value).lower()
                    hits = {n for n, low in zip(needles, lowered, strict=True) if low in text}
                    if hits:
                        found.setdefault(f"{table.name}.{column.name}", set()).update(hits)
    return found


def _badge_identities(user) -> list[str]:
    rows = db.session.execute(sa.select(BadgeAssertion.recipient_salt, BadgeAssertion.recipient_hash)
                              .where(BadgeAssertion.user_id == user.id)).all()
    return [value for row in rows for value in row]


def counts(world) -> dict:
    """The numbers the organisation's and the trainer's progress pages show."""
    team = sorted((r.enrolment.id, r.modules_completed, r.badges, r.waiting_on_trainer, r.started,
                   r.enrolment.completed_at is not None) for r in team_progress(world.cohort))
    scope = scope_queries.load_scope(world.trainer, "groep", world.cohort.public_id)
    matrix = matrix_queries.progress_matrix(world.trainer, scope)
    cells = sorted((r.enrolment.id, tuple(c.status for c in r.cells), r.modules_done) for r in matrix.rows)
    funnel = [{k: v for k, v in step.items() if k != "module"} for step in matrix.funnel]
    quiz = [(module.id, n, [(q.question_id, q.attempts, q.correct, q.wrong_option_count) for q in stats])
            for module, n, stats in quiz_queries.quiz_analysis(world.trainer, scope)]
    grades = grade_queries.grades_table(world.trainer, scope)[1]
    points = sorted(tuple(cell for cell in row if isinstance(cell, int | float)) for row in grades)
    return {"team": team, "matrix": cells, "total": matrix.total, "funnel": funnel, "quiz": quiz,
            "points": points, "batch": upload_counts(db.session.get(UploadBatch, world.batch.id).rows),
            "seats_used": world.licence.seats_used}


def test_the_walk_finds_the_person_everywhere_before_erasure(app):
    """The needles are really there before (so the test after erasure can fail)."""
    world = person_who_did_everything(app)
    found = where_found(NEEDLES)
    for column in ("user.name", "user.email", "invitation.email", "invitation.name", "upload_batch.rows",
                   "outbox_mail.to_address", "outbox_mail.body_text", "review.feedback_md", "review_score.comment",
                   "submission_version.fields", "submission.draft_fields", "form_stash.data",
                   "badge_assertion.evidence_excerpt", "in_company_request.email"):
        assert column in found, column
    assert MARKER in found["submission_version.fields"] and NAME in found["review.feedback_md"]
    assert all(_badge_identities(world.user))


def test_erasure_leaves_no_name_address_or_work_in_any_text_column(app, login_as):
    world = person_who_did_everything(app)
    user = world.user
    identities = _badge_identities(user)
    # A form kept while the session had expired: not linked to the account, only to this browser.
    anonymous = FormStash(path="/leren/x/module-2/opdracht", data={"field-doelgroep": [f"{MARKER} anoniem"]})
    db.session.add(anonymous)
    db.session.commit()
    client = login_as(user)
    with client.session_transaction() as sess:
        sess[SESSION_KEY] = {anonymous.path: anonymous.public_id}
    before = counts(world)

    response = client.post("/mijn-account/verwijderen", data={"current_password": factories.PASSWORD})
    assert response.status_code == 302

    db.session.expire_all()
    assert where_found(NEEDLES + tuple(identities)) == {}
    assert db.session.get(User, user.id).erased_at is not None
    assert counts(world) == before


def test_what_erasure_keeps_and_what_it_removes_per_table(app):
    world = person_who_did_everything(app)
    user = world.user
    versions = db.session.scalar(sa.select(sa.func.count(SubmissionVersion.id)))
    scores = db.session.execute(sa.select(ReviewScore.criterion_id, ReviewScore.points)
                                .order_by(ReviewScore.id)).all()
    other_mail = db.session.scalar(sa.select(OutboxMail.id).where(OutboxMail.to_address.like("ander-%")))
    from course.auth.services import erase_account

    erase_account(user)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(SubmissionVersion.id))) == versions
    assert db.session.execute(sa.select(ReviewScore.criterion_id, ReviewScore.points)
                              .order_by(ReviewScore.id)).all() == scores, "points stay for the statistics"
    assert all(r.feedback_md == "" for r in db.session.scalars(sa.select(Review)))
    invitation = db.session.get(Invitation, world.invitation.id)
    assert invitation.accepted_at is not None and invitation.email == erasure.erased_email(user)
    assert invitation.name == ""
    pending = db.session.get(UploadBatch, world.pending_batch.id)
    erased_row = next(r for r in pending.rows if r["line"] == 2)
    assert erased_row["email"] == "" and erased_row["status"] == "invalid", "confirming later never invites it"
    assert db.session.get(OutboxMail, other_mail) is not None, "a colleague's mail stays"
    assert db.session.scalars(sa.select(OutboxMail).where(OutboxMail.recipient_id == user.id)).all() == []
    request = db.session.scalar(sa.select(InCompanyRequest))
    assert request.organisation_name == "Buurtteam Noord" and request.email == "" and request.team_size == 5
    assert db.session.scalars(sa.select(FormStash)).all() == []


def test_erasing_a_trainer_removes_their_feedback_snippets(app, trainer):
    from course.models import FeedbackSnippet
    from course.review.services import create_snippet

    create_snippet(trainer, "Standaard", f"Groet van {NAME}")
    erasure.erase_user(trainer)
    db.session.commit()
    assert db.session.scalars(sa.select(FeedbackSnippet)).all() == []


def test_an_organisation_contact_is_removed_with_the_account(app, organisation):
    user = factories.make_user(email=EMAIL, name=NAME, org=organisation)
    organisation.contact_name, organisation.contact_email = NAME, EMAIL
    db.session.commit()
    erasure.erase_user(user)
    db.session.commit()
    assert where_found(NEEDLES) == {}


def test_a_form_kept_at_a_csrf_failure_belongs_to_the_logged_in_account(make_app, learner):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = learner.get_id()
    response = client.post("/mijn-account", data={"name": f"{MARKER} tekst"},
                           headers={"Sec-Fetch-Site": "same-origin"})  # as a browser sends it
    assert response.status_code == 400
    [kept] = db.session.scalars(sa.select(FormStash)).all()
    assert kept.user_id == learner.id
    erasure.erase_user(learner)
    db.session.commit()
    assert db.session.scalars(sa.select(FormStash)).all() == []


def test_the_pages_of_trainer_and_organisation_still_work_after_erasure(app, login_as):
    """Statuses and numbers of the erased learner stay visible, without name or work."""
    world = person_who_did_everything(app)
    submission = db.session.scalar(sa.select(Submission).where(Submission.enrolment_id == world.enrolment.id))
    from course.auth.services import erase_account

    erase_account(world.user)
    trainer, org_admin = login_as(world.trainer), login_as(world.org_admin)
    pages = [
        (trainer, f"/beoordelen/{submission.public_id}"),
        (trainer, f"/voortgang/groep/{world.cohort.public_id}"),
        (trainer, f"/voortgang/groep/{world.cohort.public_id}/beoordelingen"),
        (trainer, f"/voortgang/deelnemer/{world.enrolment.public_id}"),
        (org_admin, f"/organisatie/groepen/{world.cohort.public_id}"),
        (org_admin, f"/organisatie/groepen/{world.cohort.public_id}/deelnemers/{world.enrolment.public_id}"),
        (org_admin, f"/organisatie/bestanden/{world.pending_batch.public_id}"),
    ]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert NAME not in html and MARKER not in html and EMAIL not in html, url
    assert erasure.ERASED_NAME in client.get(f"/organisatie/groepen/{world.cohort.public_id}").get_data(as_text=True)


def test_an_erased_trainer_leaves_the_course_staff(app):
    from course.models import CourseAuthor, CourseTrainer
    from tests import factories

    course = factories.make_course(modules=1)
    trainer = factories.make_user(role="trainer")
    factories.assign_course_trainer(course, trainer)
    db.session.add(CourseAuthor(course_id=course.id, user_id=trainer.id))
    db.session.commit()
    erasure.erase_user(trainer)
    db.session.commit()
    assert db.session.scalars(sa.select(CourseTrainer)).all() == []
    assert db.session.scalars(sa.select(CourseAuthor)).all() == []


def test_an_upload_file_named_after_the_person_loses_that_name(app):
    from course.models import UploadBatch
    from tests import factories

    org = factories.make_organisation()
    cohort = factories.make_cohort(org, factories.make_course(modules=1))
    admin = factories.make_user(org=org, org_role="admin")
    batch = UploadBatch(cohort_id=cohort.id, created_by_id=admin.id, filename="team-jansen.csv",
                        rows=[{"name": "Jan Jansen", "email": "jan@example.org"}])
    db.session.add(batch)
    person = factories.make_user(email="jan@example.org", name="Jan Jansen")
    db.session.commit()
    erasure.erase_user(person)
    db.session.commit()
    db.session.refresh(batch)
    assert batch.filename == "verwijderd.csv" and "Jansen" not in str(batch.rows)


def test_work_still_waiting_for_review_leaves_the_trainers_queue_with_the_account(app, login_as):
    """An erased learner's waiting work has no text left: it is no longer offered for review,
    and the queue, the navigation count and the progress summary agree."""
    from course.auth.services import erase_account
    from course.learn import services as learn
    from course.review.queries.queue import waiting_count
    from tests.factories_learn import filled_fields

    trainer = factories.make_user(role="trainer", name="Trainer Tineke")
    course = factories.make_course(modules=1)
    org = factories.make_organisation()
    cohort = factories.make_cohort(org, course, trainers=[trainer])
    stays, leaves = (factories.make_user(org=org, name=n) for n in ("Blijft Bakker", "Weg Willems"))
    for learner in (stays, leaves):
        enrolment = factories.make_enrolment(learner, course, cohort=cohort)
        learn.submit_assignment(enrolment, course.modules[0], filled_fields(course.modules[0], "Mijn plan."), learner)
    assert waiting_count(trainer) == 2

    erase_account(leaves)
    db.session.expire_all()
    assert waiting_count(trainer) == 1
    queue = login_as(trainer).get("/beoordelen").get_data(as_text=True)
    assert "Blijft Bakker" in queue and erasure.ERASED_NAME not in queue
    stored = {row.enrolment_id: row.cells[str(course.modules[0].id)][0]
              for row in db.session.scalars(sa.select(ProgressSummary))}
    assert sorted(stored.values()) == ["in_progress", "waiting"], "the summary follows the status change"
