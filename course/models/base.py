"""Shared column helpers: UTC timestamps, unguessable public ids, string enums."""
import enum
import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    """Naive UTC, so SQLite and PostgreSQL round-trip the same value."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_public_id() -> str:
    """128 random bits, URL-safe: what appears in URLs instead of row ids."""
    return secrets.token_urlsafe(16)


def public_id_column() -> Mapped[str]:
    return mapped_column(sa.String(32), unique=True, index=True, default=new_public_id)


def created_at_column() -> Mapped[datetime]:
    return mapped_column(sa.DateTime(), default=utcnow, nullable=False)


def enum_column(enum_cls: type[enum.Enum], **kwargs) -> sa.Enum:
    """A portable enum: a VARCHAR with a CHECK constraint, storing the value."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        name=f"ck_{enum_cls.__name__.lower()}",
        **kwargs,
    )
