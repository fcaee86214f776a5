"""Form input kept across a lost session, so a learner's text is never lost."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from course.extensions import db

from .base import created_at_column, public_id_column


class FormStash(db.Model):
    """What a POST carried when it could not be accepted (logged out, CSRF failure).
    The key lives in the visitor's session cookie; rows expire after a day."""

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    path: Mapped[str] = mapped_column(sa.String(500))
    data: Mapped[dict] = mapped_column(sa.JSON)
    # Whose text it is, when known (logged in at a CSRF failure): erasure removes it.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = created_at_column()

    def __repr__(self) -> str:
        return f"<FormStash {self.id} {self.path}>"
