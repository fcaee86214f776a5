"""The right to be forgotten, table by table.

`erase_user` runs inside the caller's transaction (it flushes, never commits). What
identifies the person or quotes their work goes: name, e-mail address, written texts,
trainers' feedback on those texts, mail to and about them, kept forms. What
organisations and trainers count on stays, without identity: enrolments, progress,
quiz attempts (option ids only), versions and review decisions with their points, so
every number on the progress pages is the same before and after.

A test walks every text column of every table after an erasure
(tests/test_privacy_erasure.py): a new table holding personal data fails it until a
function here covers it.
"""
import json
import logging
from pathlib import Path

import sqlalchemy as sa
from flask import has_request_context
from flask_login import current_user

from course.badges.queries import REASON_ERASED
from course.extensions import db
from course.models import (
    BadgeAssertion,
    CourseAuthor,
    CourseTrainer,
    DiscussionFollow,
    DiscussionPost,
    DiscussionRead,
    DiscussionReport,
    DiscussionSetting,
    DiscussionThread,
    Enrolment,
    FeedbackSnippet,
    FollowupCheckin,
    FollowupOptOut,
    FormStash,
    InCompanyRequest,
    Invitation,
    Membership,
    Organisation,
    OutboxMail,
    Override,
    PeerConsent,
    PeerReview,
    PeerReviewStatus,
    Review,
    ReviewScore,
    SSOIdentity,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
    TeamPlanConsent,
    TeamPlanEntry,
    UploadBatch,
    User,
    XapiStatement,
    new_public_id,
    utcnow,
)
from course.review import summary

log = logging.getLogger(__name__)

ERASED_NAME = "Verwijderd account"
ERASED_DOMAIN = "verwijderd.invalid"  # .invalid never resolves: nothing is ever delivered there


def erased_email(user: User) -> str:
    return f"verwijderd-{user.public_id.lower()}@{ERASED_DOMAIN}"


def erase_user(user: User) -> None:
    """Erase everything personal of `user` in every table. Flushes; the caller commits."""
    email = user.email
    erase_written_work(user)
    erase_override_reasons(user)
    erase_reviews_of_work(user)
    erase_badge_identity(user)
    erase_invitations(user, email)
    erase_upload_rows(email)
    erase_mail(user, email)
    erase_kept_forms(user)
    erase_contact_details(email)
    erase_trainer_texts(user)
    erase_learning_records(user)
    erase_team_plan_and_followup(user)
    erase_live_sessions(user)
    erase_peer_feedback(user)  # before anonymise_profile: it looks for the name
    erase_discussion(user)
    db.session.execute(sa.delete(Membership).where(Membership.user_id == user.id))
    db.session.execute(sa.delete(SSOIdentity).where(SSOIdentity.user_id == user.id))  # the provider's id
    # An erased trainer or author no longer stands in any course's staff list.
    db.session.execute(sa.delete(CourseTrainer).where(CourseTrainer.user_id == user.id))
    db.session.execute(sa.delete(CourseAuthor).where(CourseAuthor.user_id == user.id))
    anonymise_profile(user)
    db.session.flush()


def _submission_ids(user: User):
    return (sa.select(Submission.id).join(Enrolment, Submission.enrolment_id == Enrolment.id)
            .where(Enrolment.user_id == user.id))


def _version_ids(user: User):
    return sa.select(SubmissionVersion.id).where(SubmissionVersion.submission_id.in_(_submission_ids(user)))


def _bulk(statement) -> None:
    db.session.execute(statement.execution_options(synchronize_session=False))


def erase_written_work(user: User) -> None:
    """Every submitted version and the draft lose their text; the rows (and so the
    counts and decided statuses) stay. Work still waiting for review goes back to a
    draft: there is no text left for a trainer to review, so it leaves the queue."""
    _bulk(sa.update(SubmissionVersion).where(SubmissionVersion.submission_id.in_(_submission_ids(user)))
          .values(fields={}))
    _bulk(sa.update(Submission).where(Submission.id.in_(_submission_ids(user))).values(draft_fields={}))
    _bulk(sa.update(Submission).where(Submission.id.in_(_submission_ids(user)),
                                      Submission.status == SubmissionStatus.SUBMITTED)
          .values(status=SubmissionStatus.DRAFT))
    # bulk updates pass the ORM by, so the maintained progress summary is written here
    summary.write(db.session.connection(), db.session.scalars(
        sa.select(Enrolment.id).where(Enrolment.user_id == user.id)).all())


def erase_override_reasons(user: User) -> None:
    """A trainer's reason for an exception may name the learner; the exception itself stays."""
    enrolment_ids = sa.select(Enrolment.id).where(Enrolment.user_id == user.id)
    _bulk(sa.update(Override).where(Override.enrolment_id.in_(enrolment_ids)).values(reason=""))


def erase_reviews_of_work(user: User) -> None:
    """Trainers' feedback and rubric comments quote and name the learner: they go.
    Decisions, levels and points stay for the grade statistics."""
    review_ids = sa.select(Review.id).where(Review.version_id.in_(_version_ids(user)))
    _bulk(sa.update(Review).where(Review.id.in_(review_ids)).values(feedback_md=""))
    _bulk(sa.update(ReviewScore).where(ReviewScore.review_id.in_(review_ids)).values(comment=""))


def erase_badge_identity(user: User) -> None:
    """The public assertion answers "revoked" (queries.is_revoked looks at erased_at)
    and no longer carries a salted hash that would confirm a guessed address. The rows
    stay, so the badges count on the organisation's progress page does not change."""
    _bulk(sa.update(BadgeAssertion).where(BadgeAssertion.user_id == user.id)
          .values(recipient_salt="", recipient_hash="", show_name=False, evidence_published=False,
                  evidence_excerpt=""))
    # An admin's earlier reason may name the person; the public JSON shows it.
    _bulk(sa.update(BadgeAssertion)
          .where(BadgeAssertion.user_id == user.id, BadgeAssertion.revoked_at.is_not(None))
          .values(revocation_reason=REASON_ERASED))


def erase_invitations(user: User, email: str) -> None:
    """Open invitations to the address are withdrawn; every invitation to it, or
    accepted by the account, loses name and address."""
    _bulk(sa.update(Invitation).where(Invitation.email == email, Invitation.accepted_at.is_(None),
                                      Invitation.revoked_at.is_(None)).values(revoked_at=utcnow()))
    _bulk(sa.update(Invitation).where(sa.or_(Invitation.email == email, Invitation.accepted_by_id == user.id))
          .values(email=erased_email(user), name=""))


def erase_upload_rows(email: str) -> None:
    """The person's row in any uploaded enrolment file: name and address removed, the
    row (and so the batch's counts) kept. A batch not confirmed yet will skip it."""
    stored = json.dumps(email)[1:-1]  # as the JSON column stores it
    candidates = db.session.scalars(sa.select(UploadBatch).where(
        sa.func.lower(sa.cast(UploadBatch.rows, sa.Text)).contains(stored, autoescape=True))).all()
    for batch in candidates:
        mine = [row for row in batch.rows or [] if (row.get("email") or "").strip().lower() == email]
        rows = [_without_identity(row, batch.confirmed_at is None) if row in mine else row
                for row in batch.rows or []]
        values = {"rows": rows}
        if _names_person(batch.filename or "", email, mine):
            values["filename"] = "verwijderd" + Path(batch.filename).suffix[:10]
        _bulk(sa.update(UploadBatch).where(UploadBatch.id == batch.id).values(**values))


def _names_person(filename: str, email: str, rows: list[dict]) -> bool:
    """An admin may have named the file after the person ("jan-jansen.csv")."""
    words = {email.split("@")[0]} | {w for row in rows for w in (row.get("name") or "").lower().split()}
    return any(len(word) >= 3 and word in filename.lower() for word in words)


def _without_identity(row: dict, still_open: bool) -> dict:
    row = {**row, "name": "", "email": ""}
    if still_open:  # confirming re-validates the rows: an empty address is never invited
        row.update(status="invalid", problems=["email_missing"])
    return row


def erase_mail(user: User, email: str) -> None:
    """Mail to the person (queued, sent or failed: invitations, feedback quoting their
    work, reset links), and mail to others that carries their address, is deleted.
    Queued mail is thereby never sent."""
    _bulk(sa.delete(OutboxMail).where(sa.or_(
        OutboxMail.recipient_id == user.id,
        sa.func.lower(OutboxMail.to_address) == email,
        sa.func.lower(OutboxMail.body_text).contains(email, autoescape=True),
        sa.func.lower(OutboxMail.body_html).contains(email, autoescape=True),
    )))


def erase_kept_forms(user: User) -> None:
    """Kept forms ("form stash") of the account, and those this browser session points
    at (kept while the session had expired, so not yet linked to the account)."""
    from course.stash import session_stash_ids

    ids = []
    if has_request_context() and current_user.is_authenticated and current_user.id == user.id:
        ids = session_stash_ids()
    _bulk(sa.delete(FormStash).where(sa.or_(FormStash.user_id == user.id, FormStash.public_id.in_(ids))))


def erase_contact_details(email: str) -> None:
    """The person as contact of an in-company request or of an organisation."""
    _bulk(sa.update(InCompanyRequest).where(sa.func.lower(InCompanyRequest.email) == email)
          .values(contact_name=ERASED_NAME, email="", wishes=""))
    _bulk(sa.update(Organisation).where(sa.func.lower(Organisation.contact_email) == email)
          .values(contact_name=None, contact_email=None))


def erase_trainer_texts(user: User) -> None:
    """A trainer's own feedback snippets."""
    _bulk(sa.delete(FeedbackSnippet).where(FeedbackSnippet.trainer_id == user.id))


def erase_learning_records(user: User) -> None:
    """xAPI statements of the person still in the outbox (queued, failed or sent) are
    deleted: queued ones are thereby never sent. Those already in an LRS name only the
    account's public id (course/xapi/statements.py), never the name or address."""
    _bulk(sa.delete(XapiStatement).where(XapiStatement.user_id == user.id))


def erase_team_plan_and_followup(user: User) -> None:
    """Issue 14. The person's texts leave every team plan (the consent and the chosen
    chapters go; the plans themselves are the organisation's). Their follow-up answers
    are emptied, the check-in rows stay so the follow-up counts do not change; the
    opt-out goes with the account (an erased account is never mailed)."""
    enrolment_ids = sa.select(Enrolment.id).where(Enrolment.user_id == user.id)
    _bulk(sa.delete(TeamPlanEntry).where(TeamPlanEntry.enrolment_id.in_(enrolment_ids)))
    _bulk(sa.delete(TeamPlanConsent).where(TeamPlanConsent.enrolment_id.in_(enrolment_ids)))
    _bulk(sa.update(FollowupCheckin).where(FollowupCheckin.enrolment_id.in_(enrolment_ids))
          .values(plan_md="", goal_md="", success_md="", obstacles_md=""))
    _bulk(sa.delete(FollowupOptOut).where(FollowupOptOut.user_id == user.id))


def erase_peer_feedback(user: User) -> None:
    """Peer feedback the person wrote, and colleagues' feedback on their work (it quotes
    the work): the texts go, the rows with their rubric levels stay (the trainer's counts).
    Allocations never answered go, and their work is no longer shared."""
    enrolment_ids = sa.select(Enrolment.id).where(Enrolment.user_id == user.id)
    theirs = sa.or_(PeerReview.reviewer_enrolment_id.in_(enrolment_ids),
                    PeerReview.author_enrolment_id.in_(enrolment_ids))
    _bulk(sa.delete(PeerReview).where(theirs, PeerReview.status == PeerReviewStatus.ASSIGNED))
    _bulk(sa.update(PeerReview).where(theirs).values(strengths="", improvements=""))
    _bulk(sa.update(PeerConsent).where(PeerConsent.submission_id.in_(_submission_ids(user))).values(consented=False))
    # "<name> gave you feedback": the notice to a colleague names the reviewer.
    if (user.name or "").strip():
        _bulk(sa.delete(OutboxMail).where(OutboxMail.kind == "peer_feedback",
                                          OutboxMail.body_text.contains(user.name, autoescape=True)))
ERASED_THREAD_TITLE = "Onderwerp verwijderd"


def erase_discussion(user: User) -> None:
    """Cohort discussion (issue 14). The person's posts are anonymised, not deleted:
    the text goes and the author link goes, and the thread shows the post as
    "verwijderd", so colleagues' replies keep their place and their sense. A thread
    only they wrote in goes altogether; a title they gave a thread with replies becomes
    neutral. Reports on their posts go (nothing is left to judge); their own reports
    keep the fact for the trainer, without reason or reporter. What they read, follow
    and chose for mail goes."""
    others_wrote = sa.select(DiscussionPost.thread_id).where(DiscussionPost.author_id != user.id)
    _bulk(sa.delete(DiscussionThread).where(DiscussionThread.author_id == user.id,
                                            DiscussionThread.id.not_in(others_wrote)))
    own_posts = sa.select(DiscussionPost.id).where(DiscussionPost.author_id == user.id)
    _bulk(sa.delete(DiscussionReport).where(DiscussionReport.post_id.in_(own_posts)))
    _bulk(sa.update(DiscussionPost).where(DiscussionPost.author_id == user.id)
          .values(body="", author_id=None, edited_at=None,
                  deleted_at=sa.func.coalesce(DiscussionPost.deleted_at, utcnow())))
    _bulk(sa.update(DiscussionThread).where(DiscussionThread.author_id == user.id)
          .values(title=ERASED_THREAD_TITLE, author_id=None))
    _bulk(sa.update(DiscussionReport).where(DiscussionReport.reporter_id == user.id)
          .values(reason="", reporter_id=None))
    for model in (DiscussionRead, DiscussionFollow, DiscussionSetting):
        _bulk(sa.delete(model).where(model.user_id == user.id))


def anonymise_profile(user: User) -> None:
    user.name = ERASED_NAME
    user.email = erased_email(user)
    user.password_hash = None
    user.registration_number = None
    user.is_active_account = False
    user.inactivity_warned_at = None
    user.erased_at = utcnow()
    user.session_token = new_public_id()  # every session ends


# ---- delivery -----------------------------------------------------------------


def cancel_if_erased(mail: OutboxMail) -> bool:
    """The sender's last check: mail for an account erased after it was queued (a
    concurrent transaction) is deleted, never delivered. Returns True when cancelled."""
    erased = (mail.to_address or "").lower().endswith("@" + ERASED_DOMAIN)
    if not erased and mail.recipient_id is not None:
        erased = db.session.scalar(sa.select(User.erased_at).where(User.id == mail.recipient_id)) is not None
    if erased:
        log.info("Mail %s not sent: its recipient's account was erased", mail.id)
        db.session.delete(mail)
    return erased


def erase_live_sessions(user: User) -> None:
    """Live sessions (issue 13): the person's sign-ups, calendar feeds and trainer
    places go. A place they held in an upcoming session goes to the first person
    waiting, as if they had cancelled."""
    from course.live.services import release_places_of

    release_places_of(user)
