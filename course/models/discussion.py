"""Cohort discussion (issue 14): threads and posts per module and group, reports to the
trainer, and per person what they read, follow and want mailed.

A discussion is not a row of its own: it is the module plus the group, a cohort or
(cohort_id NULL) the course's self-enrolled learners. Threads carry both.
"""
import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from course.extensions import db

from .base import created_at_column, enum_column, public_id_column, utcnow


class MailMode(enum.StrEnum):
    """How a person hears about new posts in the threads they follow."""

    def __new__(cls, value: str, title):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = title
        return member

    IMMEDIATE = "immediate", _l("Right away, one e-mail per new post")
    DAILY = "daily", _l("A daily digest")
    OFF = "off", _l("No e-mail")


DEFAULT_MAIL_MODE = MailMode.DAILY  # for people who never chose


class DiscussionThread(db.Model):
    __tablename__ = "discussion_thread"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), index=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("course_module.id"))
    # None: the discussion of the course's self-enrolled learners.
    cohort_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(sa.String(200))
    pinned: Mapped[bool] = mapped_column(default=False)
    locked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at_column()
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped["Course"] = relationship()  # noqa: F821
    module: Mapped["CourseModule"] = relationship()  # noqa: F821
    cohort: Mapped["Cohort | None"] = relationship()  # noqa: F821
    author: Mapped["User | None"] = relationship()  # noqa: F821

    __table_args__ = (sa.Index("ix_discussion_thread_space", "module_id", "cohort_id", "last_post_at"),)

    def __repr__(self) -> str:
        return f"<DiscussionThread {self.id} module={self.module_id} cohort={self.cohort_id}>"


class DiscussionPost(db.Model):
    """The opening post of a thread and its replies, in Markdown (rendered sanitised).
    A deleted post keeps its row (the thread reads "verwijderd") but loses its text."""

    __tablename__ = "discussion_post"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("discussion_thread.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    thread: Mapped[DiscussionThread] = relationship()
    author: Mapped["User | None"] = relationship(foreign_keys=[author_id])  # noqa: F821

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None

    def __repr__(self) -> str:
        return f"<DiscussionPost {self.id} thread={self.thread_id}>"


class DiscussionReport(db.Model):
    """"Melden": a reader asks the trainer to look at a post, with a reason."""

    __tablename__ = "discussion_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("discussion_post.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = created_at_column()
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    post: Mapped[DiscussionPost] = relationship()
    reporter: Mapped["User | None"] = relationship(foreign_keys=[reporter_id])  # noqa: F821

    def __repr__(self) -> str:
        return f"<DiscussionReport {self.id} post={self.post_id}>"


class DiscussionRead(db.Model):
    """Up to which post (its time) a person has read a thread: the unread markers."""

    __tablename__ = "discussion_read"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("discussion_thread.id", ondelete="CASCADE"),
                                           primary_key=True, index=True)
    read_until: Mapped[datetime]

    def __repr__(self) -> str:
        return f"<DiscussionRead user={self.user_id} thread={self.thread_id}>"


class DiscussionFollow(db.Model):
    __tablename__ = "discussion_follow"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("discussion_thread.id", ondelete="CASCADE"),
                                           primary_key=True, index=True)
    created_at: Mapped[datetime] = created_at_column()

    def __repr__(self) -> str:
        return f"<DiscussionFollow user={self.user_id} thread={self.thread_id}>"


class DiscussionSetting(db.Model):
    """A person's mail choice. `digest_sent_until` is the newest post a digest already
    covered: the next digest starts after it, so no post is ever mailed twice."""

    __tablename__ = "discussion_setting"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    mail_mode: Mapped[MailMode] = mapped_column(enum_column(MailMode), default=DEFAULT_MAIL_MODE)
    digest_sent_until: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<DiscussionSetting user={self.user_id} {self.mail_mode}>"
