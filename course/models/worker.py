"""The worker's record of scheduled runs: one row per job and period.

The unique (job, period) key is the guard that makes a periodic job run once per
period, however many workers on however many machines see it come due."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from course.extensions import db

from .base import utcnow


class ScheduledRun(db.Model):
    __table_args__ = (sa.UniqueConstraint("job", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(sa.String(60))
    # The period the run covers, in the schedule's own words: "2026-12-01" (daily), "2026-W49" (weekly).
    period: Mapped[str] = mapped_column(sa.String(20))
    worker: Mapped[str] = mapped_column(sa.String(120), default="")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<ScheduledRun {self.job} {self.period}>"
