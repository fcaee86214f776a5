"""Single sign-on per organisation (OpenID Connect): the provider an organisation uses,
and which provider account is linked to which Leerlijn account."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from course.extensions import db

from .base import created_at_column, utcnow


class OrganisationSSO(db.Model):
    """One OpenID provider per organisation. The client secret is stored encrypted
    (course/sso/secrets.py) and never shown back."""

    __tablename__ = "organisation_sso"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), unique=True
    )
    issuer: Mapped[str] = mapped_column(sa.String(500))
    client_id: Mapped[str] = mapped_column(sa.String(255))
    client_secret_encrypted: Mapped[str] = mapped_column(sa.Text)
    # Lower-case domains, one per line: only these addresses may sign in through this provider.
    allowed_domains: Mapped[str] = mapped_column(sa.Text, default="")
    password_login_allowed: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(), default=utcnow, onupdate=utcnow, nullable=False)

    organisation: Mapped["Organisation"] = relationship()  # noqa: F821

    @property
    def domains(self) -> list[str]:
        return [d for d in self.allowed_domains.split() if d]

    def allows(self, email: str) -> bool:
        return email.rpartition("@")[2].lower() in self.domains


class SSOIdentity(db.Model):
    """A provider account (issuer + subject) linked to one Leerlijn account."""

    __tablename__ = "sso_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(sa.String(500))
    subject: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = created_at_column()

    __table_args__ = (sa.UniqueConstraint("issuer", "subject"),)
