"""Accounts: registration, login, password reset and change, profile.
Each public function is one unit of work and commits once."""
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g, has_request_context
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import joinedload

from course.emails import normalise_email, valid_email
from course.errors import DomainError
from course.extensions import db
from course.mail import queue_mail
from course.models import BadgeAssertion, Role, User, new_public_id, utcnow
from course.privacy import erasure
from course.statements import built_once
from course.urls import external_url

from .passwords import hash_password, needs_rehash, verify_password


class EmailTaken(DomainError):
    pass


class TokenInvalid(DomainError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "expired" | "invalid" | "used"


class EmailInvalid(DomainError):
    pass


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def create_user(email: str, name: str, password: str | None, role: Role = Role.LEARNER,
                locale: str = "nl") -> User:
    """Adds a user to the session without committing (used inside other units of work)."""
    email = normalise_email(email)
    if not valid_email(email):  # the CLI and every form share this one rule
        raise EmailInvalid(str(_l("Enter a valid e-mail address, such as name@organisation.nl.")))
    if find_user_by_email(email):
        raise EmailTaken(str(_l("An account with this e-mail address already exists.")))
    user = User(email=email, name=name.strip(), role=role, locale=locale,
                password_hash=hash_password(password) if password else None)
    db.session.add(user)
    db.session.flush()
    return user




def authenticate(email: str, password: str) -> User | None:
    """The same answer for an unknown e-mail and a wrong password."""
    user = find_user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if not (user and ok and user.is_active):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_fingerprint(user: User) -> str:
    # Part of the token: once the password changes, every older token is spent.
    return (user.password_hash or "none")[-16:]


def make_reset_token(user: User) -> str:
    return _reset_serializer().dumps({"u": user.public_id, "p": _password_fingerprint(user)})


def request_password_reset(email: str) -> None:
    """Queues a reset mail if the account exists; says nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    token = make_reset_token(user)
    link = external_url("auth.reset_password", token=token)
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    queue_mail(user.email, _l("Reset your Leerlijn password"), "password_reset", kind="password_reset",
               locale=user.locale, expires_at=utcnow() + timedelta(seconds=max_age), user=user, link=link,
               minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60)
    db.session.commit()


def load_token(serializer, token: str, max_age: int) -> dict:
    """The data a mailed link carries; TokenInvalid("expired") or ("invalid") otherwise."""
    try:
        data = serializer.loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise TokenInvalid("expired") from error
    except BadSignature as error:
        raise TokenInvalid("invalid") from error
    if not isinstance(data, dict):
        raise TokenInvalid("invalid")
    return data


def user_for_reset_token(token: str) -> User:
    data = load_token(_reset_serializer(), token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    user = db.session.scalar(sa.select(User).where(User.public_id == data.get("u")))
    if user is None or not user.is_active:
        raise TokenInvalid("invalid")
    if data.get("p") != _password_fingerprint(user):
        raise TokenInvalid("used")
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    _set_password(user, new_password)
    db.session.commit()
    return user


def _set_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    user.session_token = new_public_id()  # logs out every other session


def change_password(user: User, current_password: str, new_password: str) -> bool:
    if not verify_password(user.password_hash, current_password):
        return False
    _set_password(user, new_password)
    db.session.commit()
    return True


def update_profile(user: User, name: str, locale: str, registration_number: str | None) -> None:
    """Name, language and registration number. The address changes only through
    request_email_change and its mailed link (see registration.py)."""
    user.name = name.strip()
    user.locale = locale
    user.registration_number = (registration_number or "").strip() or None
    db.session.commit()


def end_session(user: User) -> None:
    """Logging out ends the session on the server too: a copied session or remember-me
    cookie carries the old session_token and no longer loads the user."""
    user.session_token = new_public_id()
    db.session.commit()


@built_once()
def _load_user_statement() -> sa.Select:
    """load_user's statement, built once per process with the public id as a bound
    parameter (it runs on every request, issue 16)."""
    pending = sa.exists().where(BadgeAssertion.user_id == User.id, BadgeAssertion.celebrated_at.is_(None),
                                BadgeAssertion.revoked_at.is_(None))
    return (sa.select(User, pending.label("pending")).options(joinedload(User.memberships))
            .where(User.public_id == sa.bindparam("public_id")))


def load_user(user_id: str) -> User | None:
    """Flask-Login: the session holds "<public_id>:<session_token>".

    One query per request (issue 16): the user with their memberships (the navigation
    asks for them on every page) and whether a badge waits to be celebrated, so the
    celebration message costs no query on the pages where there is none."""
    public_id, _, session_token = (user_id or "").partition(":")
    row = db.session.execute(_load_user_statement(), {"public_id": public_id}).unique().first()
    if row is None:
        return None
    user, has_pending = row
    if user.session_token != session_token or not user.is_active:
        return None
    if has_request_context():
        g.badges_pending = bool(has_pending)
    return user


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.commit()


ERASED_NAME = erasure.ERASED_NAME


_SELF = object()


def erase_account(user: User, actor=_SELF) -> None:
    """The right to be forgotten, in one transaction: every table is covered by
    course.privacy.erasure (personal data and texts go, the numbers stay).
    `actor` is who asked (default: the person themself; None for the command line)."""
    from course.audit.services import record_event
    from course.models import AuditAction

    # The event holds the account's id only: after this transaction nothing names them.
    record_event(AuditAction.ACCOUNT_ERASED, actor=user if actor is _SELF else actor, subject=user)
    erasure.erase_user(user)
    db.session.commit()
