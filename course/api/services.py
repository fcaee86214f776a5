"""Token state changes: create (the secret is returned once), revoke, record use.
One commit per unit of work."""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from course.audit.services import record_event
from course.errors import DomainError
from course.extensions import db
from course.models import ApiToken, AuditAction, Organisation, User, utcnow

PREFIX = "llk"
# Last use is written at most this often per token: a sync of thousands of pages
# does not turn into thousands of writes, and the page stays accurate to the minute.
LAST_USED_RESOLUTION = timedelta(minutes=1)

SCOPES = {
    "members:read": _l("Members: names, e-mail addresses and roles"),
    "cohorts:read": _l("Groups: names, courses and dates"),
    "progress:read": _l("Enrolments and progress: modules, completion, certificates, badges and attended sessions"),
}


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass
class NewToken:
    token: ApiToken
    secret: str  # the full bearer value; never stored, shown once


def create_token(organisation: Organisation, name: str, scopes: list[str], actor: User) -> NewToken:
    """The bearer value is `llk.<public id>.<secret>`: the public id finds the row,
    the 256-bit secret proves possession (compared as a hash, in constant time)."""
    chosen = [s for s in SCOPES if s in set(scopes)]
    if not chosen:
        raise DomainError(_l("Choose at least one kind of data."))
    token = ApiToken(organisation_id=organisation.id, name=name.strip(), scopes=" ".join(chosen),
                     created_by_id=actor.id, secret_hash="")
    db.session.add(token)
    db.session.flush()
    bearer = f"{PREFIX}.{token.public_id}.{secrets.token_urlsafe(32)}"
    token.secret_hash = hash_secret(bearer)
    record_event(AuditAction.API_TOKEN_CREATED, actor=actor, organisation=organisation, obj=token,
                 details={"scopes": token.scopes})
    db.session.commit()
    return NewToken(token, bearer)


def revoke_token(token: ApiToken, actor: User | None = None) -> None:
    record_event(AuditAction.API_TOKEN_REVOKED, actor=actor, organisation=token.organisation_id, obj=token)
    db.session.execute(sa.update(ApiToken).where(ApiToken.id == token.id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=utcnow()).execution_options(synchronize_session=False))
    db.session.commit()


def record_use(token: ApiToken) -> None:
    """A conditional UPDATE, so concurrent requests never race and most requests write nothing."""
    now = utcnow()
    db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.id == token.id,
               sa.or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - LAST_USED_RESOLUTION))
        .values(last_used_at=now).execution_options(synchronize_session=False))
    db.session.commit()


def tokens_of(organisation: Organisation) -> list[ApiToken]:
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.organisation_id == organisation.id)
        .options(sa.orm.joinedload(ApiToken.created_by))
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())))
