"""A maintained per-enrolment progress summary (issue 16): what the progress matrix
and team progress show, kept up to date in the same transaction as the events that
change it (course/review/summary.py), so those pages read one row per learner
instead of recomputing every module's state per request."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from course.extensions import db

from .base import utcnow


class ProgressSummary(db.Model):
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="CASCADE"),
                                              primary_key=True)
    # {"<module id>": [cell status, flags]}: see course/review/summary.py
    cells: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # The latest thing the learner did themselves (no reminder, review or badge).
    last_event_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<ProgressSummary enrolment={self.enrolment_id}>"
