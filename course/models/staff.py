"""Course staff beyond the trainers: the authors of a course (issue 11's browser editor)."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from course.extensions import db


class CourseAuthor(db.Model):
    """A user appointed by a platform admin to edit one course's content.
    Platform admins are authors of every course without a row here."""

    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    def __repr__(self) -> str:
        return f"<CourseAuthor course={self.course_id} user={self.user_id}>"
