"""The learner's own data (AVG art. 15 and 20): one ZIP with a JSON file for
machines and a readable HTML page for people, built in memory (one person's data).

Everything personal the platform holds about the person: profile, memberships,
invitations, enrolments with progress and events, quiz attempts with the chosen
answers, every submission version with its feedback and rubric scores, badges,
certificates, and the mail sent to them. A fixed number of queries.
"""
import html as html_lib
import io
import json
import re
import zipfile
from datetime import date, datetime

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale
from sqlalchemy.orm import selectinload

from course.extensions import db
from course.models import (
    BadgeAssertion,
    Certificate,
    Course,
    DiscussionFollow,
    DiscussionPost,
    DiscussionReport,
    DiscussionSetting,
    DiscussionThread,
    Enrolment,
    Invitation,
    Membership,
    ModuleProgress,
    OutboxMail,
    ProgressEvent,
    QuizAttempt,
    Review,
    Submission,
    SubmissionVersion,
    User,
    utcnow,
)

FORMAT_VERSION = 1
TAG = re.compile(r"<[^>]*>")


def _moment(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def _plain(html: str) -> str:
    """Question and option texts are trusted course HTML; the export shows them as text."""
    return " ".join(html_lib.unescape(TAG.sub(" ", html or "")).split())


def collect(user: User) -> dict:
    """Everything about `user`, as plain JSON-ready data."""
    enrolments = db.session.scalars(
        sa.select(Enrolment).where(Enrolment.user_id == user.id).order_by(Enrolment.enrolled_at, Enrolment.id)
        .options(selectinload(Enrolment.course).selectinload(Course.modules), selectinload(Enrolment.cohort))).all()
    ids = [e.id for e in enrolments] or [-1]
    return {
        "format_version": FORMAT_VERSION,
        "generated_at": _moment(utcnow()),
        "profile": _profile(user),
        "memberships": _memberships(user),
        "invitations": _invitations(user),
        "enrolments": _enrolments(enrolments, ids),
        "badges": _badges(user),
        "certificates": _certificates(ids),
        "live_sessions": _live_sessions(user),
        "mails": _mails(user),
        "team_plan_sharing": _team_plan_sharing(ids),
        "follow_up": _follow_up(user, ids),
        "peer_feedback": _peer_feedback(user),
        "discussion": _discussion(user),
    }


def _profile(user: User) -> dict:
    return {"name": user.name, "email": user.email, "role": user.role.value, "language": user.locale,
            "registration_number": user.registration_number, "created_at": _moment(user.created_at),
            "last_login_at": _moment(user.last_login_at)}


def _memberships(user: User) -> list[dict]:
    rows = db.session.scalars(sa.select(Membership).where(Membership.user_id == user.id)
                              .options(selectinload(Membership.organisation)).order_by(Membership.id))
    return [{"organisation": m.organisation.name, "role": m.role.value, "since": _moment(m.created_at)}
            for m in rows]


def _invitations(user: User) -> list[dict]:
    rows = db.session.scalars(
        sa.select(Invitation).where(sa.or_(Invitation.email == user.email, Invitation.accepted_by_id == user.id))
        .options(selectinload(Invitation.organisation), selectinload(Invitation.cohort)).order_by(Invitation.id))
    return [{"organisation": i.organisation.name, "group": i.cohort.name if i.cohort else None,
             "email": i.email, "name": i.name, "sent_at": _moment(i.created_at),
             "accepted_at": _moment(i.accepted_at), "revoked_at": _moment(i.revoked_at)} for i in rows]


def _by_enrolment(model, ids, *order):
    grouped: dict[int, list] = {}
    for row in db.session.scalars(sa.select(model).where(model.enrolment_id.in_(ids)).order_by(*order)):
        grouped.setdefault(row.enrolment_id, []).append(row)
    return grouped


def _enrolments(enrolments: list[Enrolment], ids: list[int]) -> list[dict]:
    progress = _by_enrolment(ModuleProgress, ids, ModuleProgress.id)
    events = _by_enrolment(ProgressEvent, ids, ProgressEvent.created_at, ProgressEvent.id)
    attempts = _by_enrolment(QuizAttempt, ids, QuizAttempt.module_id, QuizAttempt.number)
    submissions: dict[int, list[Submission]] = {}
    for submission in db.session.scalars(
            sa.select(Submission).where(Submission.enrolment_id.in_(ids)).order_by(Submission.id)
            .options(selectinload(Submission.versions).selectinload(SubmissionVersion.review)
                     .selectinload(Review.scores))):
        submissions.setdefault(submission.enrolment_id, []).append(submission)
    result = []
    for e in enrolments:
        modules = {m.id: m for m in e.course.modules}
        result.append({
            "course": e.course.title, "course_slug": e.course.slug,
            "group": e.cohort.name if e.cohort else None,
            "enrolled_at": _moment(e.enrolled_at), "started_at": _moment(e.started_at),
            "completed_at": _moment(e.completed_at), "last_activity_at": _moment(e.last_activity_at),
            "modules": [_module_progress(p, modules) for p in progress.get(e.id, [])],
            "events": [_event(ev, modules) for ev in events.get(e.id, [])],
            "quiz_attempts": [_attempt(a, modules[a.module_id]) for a in attempts.get(e.id, [])],
            "submissions": [_submission(s, modules[s.module_id]) for s in submissions.get(e.id, [])],
        })
    return result


def _module_title(modules: dict, module_id: int | None) -> str | None:
    return modules[module_id].title if module_id in modules else None


def _module_progress(p: ModuleProgress, modules: dict) -> dict:
    return {"module": _module_title(modules, p.module_id), "read_at": _moment(p.read_at),
            "quiz_passed_at": _moment(p.quiz_passed_at), "assignment_approved_at": _moment(p.assignment_approved_at),
            "completed_at": _moment(p.completed_at)}


def _event(event: ProgressEvent, modules: dict) -> dict:
    return {"kind": event.kind.value, "module": _module_title(modules, event.module_id),
            "at": _moment(event.created_at), "data": event.data or {}}


def _attempt(attempt: QuizAttempt, module) -> dict:
    quiz = module.quiz_spec
    questions = {q.id: q for q in (quiz.questions if quiz else [])}
    answers = []
    for question_id, chosen in (attempt.answers or {}).items():
        question = questions.get(question_id)
        texts = _answer_texts(question, chosen)
        answers.append({
            "question_id": question_id, "question": _plain(question.text_html if question else ""),
            "chosen": [{"id": c, "text": texts.get(c, "")} for c in chosen],
            "correct": (attempt.results or {}).get(question_id),
        })
    return {"module": module.title, "number": attempt.number, "score": attempt.score,
            "max_score": attempt.max_score, "passed": attempt.passed, "submitted_at": _moment(attempt.submitted_at),
            "answers": answers}


def _answer_texts(question, answer: list[str]) -> dict[str, str]:
    """Each stored part of an answer (an option id, an item id, a match) as readable text."""
    if question is None:
        return {}
    return {part: _plain(line) for part, line in zip(answer, question.answer_lines(answer), strict=True)}


def _fields(module, values: dict) -> list[dict]:
    assignment = module.assignment_spec
    labels = assignment.field_labels() if assignment else {}
    return [{"id": key, "label": labels.get(key, key), "text": text} for key, text in (values or {}).items()]


def _submission(submission: Submission, module) -> dict:
    assignment = module.assignment_spec
    rubric = assignment.rubric if assignment else []
    return {"module": module.title, "assignment": assignment.title if assignment else "",
            "status": submission.status.value, "draft": _fields(module, submission.draft_fields),
            "draft_saved_at": _moment(submission.draft_saved_at), "submitted_at": _moment(submission.submitted_at),
            "versions": [_version(v, module, rubric) for v in submission.versions]}


def _version(version: SubmissionVersion, module, rubric: list) -> dict:
    return {"number": version.number, "submitted_at": _moment(version.submitted_at),
            "fields": _fields(module, version.fields),
            "review": _review(version.review, rubric) if version.review else None}


def _review(review: Review, rubric: list) -> dict:
    titles = {c.id: c.title for c in rubric}
    levels = {(c.id, lv.id): lv.title for c in rubric for lv in c.levels}
    return {"decision": review.decision.value, "feedback": review.feedback_md, "at": _moment(review.created_at),
            "scores": [{"criterion": titles.get(s.criterion_id, s.criterion_id),
                        "level": levels.get((s.criterion_id, s.level_id), s.level_id),
                        "points": s.points, "comment": s.comment}
                       for s in sorted(review.scores, key=lambda s: s.id)]}


def _badges(user: User) -> list[dict]:
    from course.badges.queries import assertion_url, is_revoked

    rows = db.session.scalars(sa.select(BadgeAssertion).where(BadgeAssertion.user_id == user.id)
                              .options(selectinload(BadgeAssertion.badge_class), selectinload(BadgeAssertion.user))
                              .order_by(BadgeAssertion.issued_at, BadgeAssertion.id))
    return [{"badge": a.badge_class.name, "issued_at": _moment(a.issued_at), "url": assertion_url(a),
             "revoked": is_revoked(a), "show_name": a.show_name, "evidence_published": a.evidence_published}
            for a in rows]


def _certificates(ids: list[int]) -> list[dict]:
    from course.badges.queries import certificate_url

    rows = db.session.scalars(sa.select(Certificate).where(Certificate.enrolment_id.in_(ids))
                              .options(selectinload(Certificate.enrolment).selectinload(Enrolment.course))
                              .order_by(Certificate.issued_at, Certificate.id))
    return [{"course": c.enrolment.course.title, "issued_at": _moment(c.issued_at), "url": certificate_url(c),
             "revoked_at": _moment(c.revoked_at)} for c in rows]


def _live_sessions(user: User) -> list[dict]:
    """Sign-ups for live sessions (issue 13), with the attendance marked."""
    from course.models import LiveSession, SessionRegistration

    rows = db.session.execute(
        sa.select(SessionRegistration, LiveSession).join(LiveSession, LiveSession.id == SessionRegistration.session_id)
        .where(SessionRegistration.user_id == user.id)
        .options(selectinload(LiveSession.parts), selectinload(LiveSession.course))
        .order_by(SessionRegistration.created_at, SessionRegistration.id)).all()
    return [{"session": s.title, "course": s.course.title, "place": s.place,
             "parts": [{"starts_at": _moment(p.starts_at), "ends_at": _moment(p.ends_at)} for p in s.parts],
             "session_status": s.status.value, "status": r.status.value,
             "registered_at": _moment(r.registered_at), "queued_at": _moment(r.queued_at),
             "promoted_at": _moment(r.promoted_at), "cancelled_at": _moment(r.cancelled_at),
             "attendance": r.attendance.value, "attended_minutes": r.attended_minutes} for r, s in rows]


def _mails(user: User) -> list[dict]:
    rows = db.session.scalars(sa.select(OutboxMail).where(sa.or_(
        OutboxMail.recipient_id == user.id, sa.func.lower(OutboxMail.to_address) == user.email))
        .order_by(OutboxMail.created_at, OutboxMail.id))
    return [{"to": m.to_address, "subject": m.subject, "kind": m.kind, "status": m.status.value,
             "queued_at": _moment(m.created_at), "sent_at": _moment(m.sent_at), "body": m.body_text}
            for m in rows]


def _team_plan_sharing(ids: list[int]) -> list[dict]:
    from course.teamplan.queries import export_for

    return export_for(ids)


def _follow_up(user: User, ids: list[int]) -> dict:
    from course.followup.queries import export_for

    return export_for(user, ids)


def _peer_feedback(user: User) -> dict:
    from course.peer.queries import export_for

    return export_for(user)


def _discussion(user: User) -> dict:
    """Issue 14: the person's own posts (with the thread and module they are in), their
    reports, the threads they follow and their mail choice. Four queries."""
    thread_options = (selectinload(DiscussionThread.module), selectinload(DiscussionThread.cohort),
                      selectinload(DiscussionThread.course))
    posts = db.session.scalars(sa.select(DiscussionPost).where(DiscussionPost.author_id == user.id)
                               .options(selectinload(DiscussionPost.thread).options(*thread_options))
                               .order_by(DiscussionPost.created_at, DiscussionPost.id))
    reports = db.session.scalars(sa.select(DiscussionReport).where(DiscussionReport.reporter_id == user.id)
                                 .order_by(DiscussionReport.created_at, DiscussionReport.id))
    following = db.session.scalars(
        sa.select(DiscussionThread).join(DiscussionFollow, DiscussionFollow.thread_id == DiscussionThread.id)
        .where(DiscussionFollow.user_id == user.id).order_by(DiscussionThread.id))
    setting = db.session.get(DiscussionSetting, user.id)
    return {
        "posts": [{"course": p.thread.course.title, "module": p.thread.module.title,
                   "group": p.thread.cohort.name if p.thread.cohort else None, "thread": p.thread.title,
                   "started_thread": p.thread.author_id == user.id, "text": p.body,
                   "posted_at": _moment(p.created_at), "edited_at": _moment(p.edited_at),
                   "deleted_at": _moment(p.deleted_at), "hidden_by_trainer": p.hidden_at is not None}
                  for p in posts],
        "reports": [{"reason": r.reason, "at": _moment(r.created_at), "resolved_at": _moment(r.resolved_at)}
                    for r in reports],
        "following": [t.title for t in following],
        "mail": setting.mail_mode.value if setting else None,
    }


# ---- the download ------------------------------------------------------------


def file_stem(user: User) -> str:
    return "my-data" if user.locale == "en" else "mijn-gegevens"


def build_zip(user: User) -> bytes:
    """The ZIP: <stem>.json and <stem>.html (self-contained, escaped, in the user's language)."""
    data = collect(user)
    with force_locale(user.locale or "nl"):
        html = render_template("privacy/export.html", data=data, user=user)
    stem = file_stem(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr(f"{stem}.html", html)
    return buffer.getvalue()
