"""Course authoring in the browser (issue 11): drafts and published content versions.

Both hold the course as files in the documented folder format (modules/README.md):
a path inside the course folder ("course.yml", "introductie/reading.md",
"introductie/schema.png") and its bytes. Published versions live in the database, so
every app server sees the same content, images included. Rows hold user ids only,
never a name: an erased author shows as erased.
"""
import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from course.extensions import db

from .base import created_at_column, enum_column, utcnow


class VersionSource(enum.StrEnum):
    """How a published version came about."""

    def __new__(cls, value: str, title):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = title
        return member

    EDITOR = "editor", _l("Published from the editor")
    ROLLBACK = "rollback", _l("Earlier version published again")
    LOAD = "load", _l("Loaded from the files (flask content load)")


class CourseDraft(db.Model):
    """The one draft of a course: what its authors are changing, not yet published.
    Keyed by the course's slug, so a new course can be drafted before it exists."""

    __tablename__ = "course_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    # The published version the draft started from (None for a new course).
    base_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("course_version.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = created_at_column()

    files: Mapped[list["DraftFile"]] = relationship(
        back_populates="draft", order_by="DraftFile.path", cascade="all, delete-orphan")
    base_version: Mapped["CourseVersion | None"] = relationship()
    updated_by: Mapped["User | None"] = relationship()  # noqa: F821


class DraftFile(db.Model):
    """One file of a draft. `lock_version` counts saves: a save based on an older
    count is refused (two authors editing the same item)."""

    __tablename__ = "course_draft_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(sa.ForeignKey("course_draft.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(sa.String(300))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    lock_version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    draft: Mapped[CourseDraft] = relationship(back_populates="files")
    updated_by: Mapped["User | None"] = relationship()  # noqa: F821

    __table_args__ = (sa.UniqueConstraint("draft_id", "path"),)

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


class CourseVersion(db.Model):
    """A published version of a course: all its files, kept for ever (history, diff,
    roll back). `content_hash` is the hash `flask content load` gives those files,
    the one quiz attempts and submissions record."""

    __tablename__ = "course_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_slug: Mapped[str] = mapped_column(sa.String(80), index=True)
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    source: Mapped[VersionSource] = mapped_column(enum_column(VersionSource))
    # For a roll back: the number of the version published again.
    restored_number: Mapped[int | None]
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)

    files: Mapped[list["VersionFile"]] = relationship(
        back_populates="version", order_by="VersionFile.path", cascade="all, delete-orphan")
    published_by: Mapped["User | None"] = relationship()  # noqa: F821

    __table_args__ = (sa.UniqueConstraint("course_slug", "number"),)


class VersionFile(db.Model):
    __tablename__ = "course_version_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("course_version.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(sa.String(300))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)

    version: Mapped[CourseVersion] = relationship(back_populates="files")

    __table_args__ = (sa.UniqueConstraint("version_id", "path"),)
