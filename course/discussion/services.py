"""State changes in the discussion. Each public function is one unit of work and
commits once; the views have checked access (course/permissions.py) before calling.

Mail about new posts goes through the outbox in the same transaction as the post,
and never carries what anyone wrote, a name or a thread title: only the course, the
module and a link. A mailbox therefore never holds a colleague's text (which may be
about clients), and erasing a person leaves nothing of theirs in others' mail.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from course import permissions
from course.audit.services import record_event
from course.errors import DomainError
from course.extensions import db
from course.mail.outbox import queue_mail
from course.models import (
    AuditAction,
    CohortTrainer,
    CourseTrainer,
    DiscussionFollow,
    DiscussionPost,
    DiscussionRead,
    DiscussionReport,
    DiscussionSetting,
    DiscussionThread,
    MailMode,
    User,
    utcnow,
)
from course.models.discussion import DEFAULT_MAIL_MODE
from course.urls import external_url

from . import queries


class ThreadLocked(DomainError):
    pass


class AlreadyReported(DomainError):
    pass


def _locked_message() -> str:
    return str(_l("This thread has been locked by the trainer: no new replies can be added. "
                  "You can still read it."))


def _organisation_id(thread: DiscussionThread) -> int | None:
    return thread.cohort.organisation_id if thread.cohort else None


def _mark_read(thread: DiscussionThread, user: User, until: datetime) -> None:
    read = db.session.get(DiscussionRead, (user.id, thread.id))
    if read is None:
        db.session.add(DiscussionRead(user_id=user.id, thread_id=thread.id, read_until=until))
    elif read.read_until < until:
        read.read_until = until


def _follow(thread: DiscussionThread, user: User, since: datetime | None = None) -> None:
    """`since`: the moment from which new posts count for this follower's digest."""
    if db.session.get(DiscussionFollow, (user.id, thread.id)) is None:
        db.session.add(DiscussionFollow(user_id=user.id, thread_id=thread.id, created_at=since or utcnow()))


# ---- writing -------------------------------------------------------------------------


def start_thread(space, user: User, title: str, body: str) -> DiscussionThread:
    """A new thread with its opening post. Its author follows it, and so do the group's
    trainers, so a learner's question reaches them (by their own mail choice; they may
    unfollow)."""
    now = utcnow()
    thread = DiscussionThread(course_id=space.course_id, module_id=space.module.id, cohort_id=space.cohort_id,
                              author_id=user.id, title=title.strip(), created_at=now, last_post_at=now)
    db.session.add(thread)
    db.session.flush()
    post = DiscussionPost(thread_id=thread.id, author_id=user.id, body=body, created_at=now)
    db.session.add(post)
    _follow(thread, user)
    for trainer in _group_trainers(thread):
        if trainer.id != user.id and permissions.can_read_discussion(trainer, thread):
            _follow(thread, trainer, since=now)  # the opening post is news to them
    _mark_read(thread, user, now)
    db.session.flush()
    _notify_immediately(thread, post)
    db.session.commit()
    return thread


def reply(thread: DiscussionThread, user: User, body: str) -> DiscussionPost:
    """A reply; followers who want it right away get a mail (in the same transaction)."""
    if db.session.scalar(sa.select(DiscussionThread.locked).where(DiscussionThread.id == thread.id)
                         .with_for_update()):
        db.session.rollback()  # release the row lock: the refusal changes nothing
        raise ThreadLocked(_locked_message())
    now = utcnow()
    post = DiscussionPost(thread_id=thread.id, author_id=user.id, body=body, created_at=now)
    db.session.add(post)
    thread.last_post_at = now
    _mark_read(thread, user, now)
    db.session.flush()
    _notify_immediately(thread, post)
    db.session.commit()
    return post


def edit_post(post: DiscussionPost, user: User, body: str, title: str | None = None) -> None:
    if post.thread.locked:
        raise ThreadLocked(_locked_message())
    post.body = body
    post.edited_at = utcnow()
    if title is not None and post.thread.author_id == user.id:
        post.thread.title = title.strip()
    db.session.commit()


def delete_post(post: DiscussionPost) -> bool:
    """The author takes their post away: its text goes and the thread shows "verwijderd".
    A thread of one post goes altogether. Returns True when the thread was deleted."""
    thread = post.thread
    posts = db.session.scalar(sa.select(sa.func.count(DiscussionPost.id))
                              .where(DiscussionPost.thread_id == thread.id))
    if posts <= 1:
        db.session.delete(thread)
        db.session.commit()
        return True
    post.body = ""
    post.deleted_at = utcnow()
    _resolve_open_reports(post, None)
    db.session.commit()
    return False


def is_opening_post(post: DiscussionPost) -> bool:
    return queries.opening_post_id(post.thread) == post.id


def report_post(post: DiscussionPost, user: User, reason: str) -> DiscussionReport:
    """"Melden": the report waits on the trainers' list, and they get a mail (no text)."""
    already = db.session.scalar(sa.select(DiscussionReport.id).where(
        DiscussionReport.post_id == post.id, DiscussionReport.reporter_id == user.id,
        DiscussionReport.resolved_at.is_(None)))
    if already is not None:
        raise AlreadyReported(str(_l("You have already reported this post. The trainer will look at it.")))
    report = DiscussionReport(post_id=post.id, reporter_id=user.id, reason=reason.strip())
    db.session.add(report)
    db.session.flush()
    _notify_trainers_of_report(post.thread)
    db.session.commit()
    return report


# ---- moderation (audited) -------------------------------------------------------------


def set_hidden(post: DiscussionPost, moderator: User, hidden: bool) -> None:
    if post.hidden == hidden:
        return
    post.hidden_at = utcnow() if hidden else None
    post.hidden_by_id = moderator.id if hidden else None
    if hidden:
        _resolve_open_reports(post, moderator)
    record_event(AuditAction.DISCUSSION_POST_HIDDEN if hidden else AuditAction.DISCUSSION_POST_SHOWN,
                 actor=moderator, subject=post.author_id, organisation=_organisation_id(post.thread),
                 course=post.thread.course_id, obj=post)
    db.session.commit()


THREAD_ACTIONS = {
    "lock": ("locked", True, AuditAction.DISCUSSION_THREAD_LOCKED),
    "unlock": ("locked", False, AuditAction.DISCUSSION_THREAD_UNLOCKED),
    "pin": ("pinned", True, AuditAction.DISCUSSION_THREAD_PINNED),
    "unpin": ("pinned", False, AuditAction.DISCUSSION_THREAD_UNPINNED),
}


def moderate_thread(thread: DiscussionThread, moderator: User, action: str) -> bool:
    """Lock, unlock, pin or unpin. False when the thread already was so (nothing recorded)."""
    attribute, value, audit_action = THREAD_ACTIONS[action]
    if getattr(thread, attribute) == value:
        return False
    setattr(thread, attribute, value)
    record_event(audit_action, actor=moderator, subject=thread.author_id, organisation=_organisation_id(thread),
                 course=thread.course_id, obj=thread)
    db.session.commit()
    return True


def _resolve_open_reports(post: DiscussionPost, moderator: User | None) -> None:
    db.session.execute(sa.update(DiscussionReport).where(DiscussionReport.post_id == post.id,
                                                         DiscussionReport.resolved_at.is_(None))
                       .values(resolved_at=utcnow(), resolved_by_id=moderator.id if moderator else None)
                       .execution_options(synchronize_session=False))


def resolve_report(report: DiscussionReport, moderator: User) -> bool:
    if report.resolved_at is not None:
        return False
    report.resolved_at = utcnow()
    report.resolved_by_id = moderator.id
    thread = report.post.thread
    record_event(AuditAction.DISCUSSION_REPORT_RESOLVED, actor=moderator, subject=report.post.author_id,
                 organisation=_organisation_id(thread), course=thread.course_id, obj=report)
    db.session.commit()
    return True


# ---- reading, following, mail settings ----------------------------------------------------


def mark_read(thread: DiscussionThread, user: User, posts: list[DiscussionPost]) -> None:
    """The reader has seen these posts: the thread is read up to the newest of them."""
    if posts:
        _mark_read(thread, user, max(p.created_at for p in posts))
        db.session.commit()


def set_following(thread: DiscussionThread, user: User, following: bool) -> None:
    if following:
        _follow(thread, user)
    else:
        db.session.execute(sa.delete(DiscussionFollow).where(DiscussionFollow.user_id == user.id,
                                                             DiscussionFollow.thread_id == thread.id))
    db.session.commit()


def set_mail_mode(user: User, mode: MailMode) -> None:
    """Choosing the digest starts it now: it never brings up older posts."""
    setting = db.session.get(DiscussionSetting, user.id)
    if setting is None:
        setting = DiscussionSetting(user_id=user.id, mail_mode=DEFAULT_MAIL_MODE)
        db.session.add(setting)
    if mode == MailMode.DAILY and setting.mail_mode != MailMode.DAILY:
        setting.digest_sent_until = utcnow()
    setting.mail_mode = mode
    setting.updated_at = utcnow()
    db.session.commit()


# ---- notifications ------------------------------------------------------------------------


def _reachable() -> sa.ColumnElement[bool]:
    """People mail may go to: active, never erased."""
    return sa.and_(User.erased_at.is_(None), User.is_active_account.is_(True))


def post_link(post: DiscussionPost) -> str:
    return external_url("discussion.go_to_post", post_id=post.public_id)


def _context(thread: DiscussionThread) -> dict:
    return {"course": thread.course, "module": thread.module, "settings_link": external_url("discussion.settings")}


def _notify_immediately(thread: DiscussionThread, post: DiscussionPost) -> None:
    """Followers (not the author) who chose "right away" and still read the discussion."""
    mode = sa.func.coalesce(DiscussionSetting.mail_mode, DEFAULT_MAIL_MODE.value)
    followers = db.session.scalars(
        sa.select(User).join(DiscussionFollow, DiscussionFollow.user_id == User.id)
        .outerjoin(DiscussionSetting, DiscussionSetting.user_id == User.id)
        .where(DiscussionFollow.thread_id == thread.id, User.id != post.author_id, _reachable(),
               mode == MailMode.IMMEDIATE.value).order_by(User.id)).all()
    for person in followers:
        if not permissions.can_read_discussion(person, thread):
            continue
        queue_mail(person.email, _l("New post in a discussion you follow"), "discussion_post",
                   kind="discussion_post", locale=person.locale, recipient=person, person=person,
                   link=post_link(post), **_context(thread))


def _group_trainers(thread: DiscussionThread):
    """The appointed, acting trainers of the thread's group (as the scope rule has them)."""
    if thread.cohort_id is not None:
        appointed = sa.select(CohortTrainer.user_id).where(CohortTrainer.cohort_id == thread.cohort_id)
    else:
        appointed = sa.select(CourseTrainer.user_id).where(CourseTrainer.course_id == thread.course_id)
    return db.session.scalars(sa.select(User).where(User.id.in_(appointed), permissions.acting_trainer(User))
                              .order_by(User.id)).all()


def _notify_trainers_of_report(thread: DiscussionThread) -> None:
    for trainer in _group_trainers(thread):
        if permissions.can_moderate_discussion(trainer, thread):
            queue_mail(trainer.email, _l("A discussion post was reported"), "discussion_report",
                       kind="discussion_report", locale=trainer.locale, recipient=trainer, person=trainer,
                       link=external_url("discussion.reports"), **_context(thread))


def _digest_posts(user: User, since: datetime | None):
    """New, shown posts by others in the threads `user` follows, after `since` and after
    they started following. One query."""
    query = (sa.select(DiscussionPost).join(DiscussionFollow, sa.and_(
        DiscussionFollow.thread_id == DiscussionPost.thread_id, DiscussionFollow.user_id == user.id))
        .where(DiscussionPost.author_id != user.id, DiscussionPost.deleted_at.is_(None),
               DiscussionPost.hidden_at.is_(None), DiscussionPost.created_at >= DiscussionFollow.created_at,
               DiscussionPost.created_at > since if since is not None else sa.true())
        .options(sa.orm.joinedload(DiscussionPost.thread))
        .order_by(DiscussionPost.thread_id, DiscussionPost.created_at, DiscussionPost.id))
    return db.session.scalars(query).all()


def send_digests(now: datetime | None = None) -> list[tuple[str, int]]:
    """The daily digest (worker job "discussion_digest"): per person who chose it (or
    never chose), one mail listing the new posts in the threads they follow. Each
    person is one unit of work: the mail and the new `digest_sent_until` (the newest
    post it covers) are committed together, so a second run the same day, or a run
    retried after a failure, never mails a post twice. Returns [(address, posts)]."""
    mode = sa.func.coalesce(DiscussionSetting.mail_mode, DEFAULT_MAIL_MODE.value)
    people = db.session.execute(
        sa.select(User.id, DiscussionSetting.digest_sent_until)
        .outerjoin(DiscussionSetting, DiscussionSetting.user_id == User.id)
        .where(User.id.in_(sa.select(DiscussionFollow.user_id)), _reachable(), mode == MailMode.DAILY.value)
        .order_by(User.id)).all()
    sent = []
    for user_id, since in people:
        user = db.session.get(User, user_id)
        posts = [p for p in _digest_posts(user, since) if permissions.can_read_discussion(user, p.thread)]
        if not posts:
            continue
        threads: dict[int, list[DiscussionPost]] = {}
        for post in posts:
            threads.setdefault(post.thread_id, []).append(post)
        items = [{"course": ps[0].thread.course, "module": ps[0].thread.module, "count": len(ps),
                  "link": post_link(ps[0])} for ps in threads.values()]
        queue_mail(user.email, lazy_ngettext("%(num)d new post in discussions you follow",
                                             "%(num)d new posts in discussions you follow", len(posts)),
                   "discussion_digest", kind="discussion_digest", locale=user.locale, recipient=user, person=user,
                   items=items, total=len(posts), settings_link=external_url("discussion.settings"))
        setting = db.session.get(DiscussionSetting, user.id)
        if setting is None:
            setting = DiscussionSetting(user_id=user.id, mail_mode=DEFAULT_MAIL_MODE)
            db.session.add(setting)
        setting.digest_sent_until = max(p.created_at for p in posts)
        db.session.commit()
        sent.append((user.email, len(posts)))
    db.session.commit()
    return sent
