"""Accounts: registration, login, password reset and change, profile.
Each public function is one unit of work and commits once."""
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from course.errors import DomainError
from course.extensions import db
from course.mail import queue_mail
from course.models import Role, User, new_public_id, utcnow

from .passwords import hash_password, needs_rehash, verify_password


class EmailTaken(DomainError):
    pass


class TokenInvalid(DomainError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "expired" | "invalid" | "used"


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def create_user(email: str, name: str, password: str | None, role: Role = Role.LEARNER,
                locale: str = "nl") -> User:
    """Adds a user to the session without committing (used inside other units of work)."""
    email = normalise_email(email)
    if find_user_by_email(email):
        raise EmailTaken(str(_l("An account with this e-mail address already exists.")))
    user = User(email=email, name=name.strip(), role=role, locale=locale,
                password_hash=hash_password(password) if password else None)
    db.session.add(user)
    db.session.flush()
    return user


def register(email: str, name: str, password: str, locale: str) -> User:
    user = create_user(email, name, password, locale=locale)
    user.last_login_at = utcnow()
    db.session.commit()
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
    link = current_app.config["BASE_URL"] + url_for("auth.reset_password", token=token)
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    queue_mail(user.email, _l("Reset your Leerlijn password"), "password_reset", kind="password_reset",
               locale=user.locale, expires_at=utcnow() + timedelta(seconds=max_age), user=user, link=link,
               minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60)
    db.session.commit()


def user_for_reset_token(token: str) -> User:
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired as error:
        raise TokenInvalid("expired") from error
    except BadSignature as error:
        raise TokenInvalid("invalid") from error
    if not isinstance(data, dict):
        raise TokenInvalid("invalid")
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


def update_profile(user: User, name: str, email: str, locale: str, registration_number: str | None) -> None:
    email = normalise_email(email)
    if email != user.email and find_user_by_email(email):
        raise EmailTaken(str(_l("An account with this e-mail address already exists.")))
    user.name = name.strip()
    user.email = email
    user.locale = locale
    user.registration_number = (registration_number or "").strip() or None
    db.session.commit()


def load_user(user_id: str) -> User | None:
    """Flask-Login: the session holds "<public_id>:<session_token>"."""
    public_id, _, session_token = (user_id or "").partition(":")
    user = db.session.scalar(sa.select(User).where(User.public_id == public_id))
    if user is None or user.session_token != session_token or not user.is_active:
        return None
    return user


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.commit()


ERASED_NAME = "Verwijderd account"


def erase_account(user: User) -> None:
    """The right to be forgotten, in one transaction: personal data and written work
    are removed, badges and certificates answer as revoked, every session ends.
    Progress rows stay, anonymous, so organisations' seat counts and trainers'
    statistics remain correct."""
    from course.badges.services import revoke_all_for_user
    from course.models import Enrolment, Invitation, Membership, Submission, SubmissionVersion

    revoke_all_for_user(user)
    submission_ids = sa.select(Submission.id).join(Enrolment, Submission.enrolment_id == Enrolment.id).where(
        Enrolment.user_id == user.id)
    db.session.execute(sa.update(SubmissionVersion).where(SubmissionVersion.submission_id.in_(submission_ids))
                       .values(fields={}).execution_options(synchronize_session=False))
    db.session.execute(sa.update(Submission).where(Submission.id.in_(submission_ids))
                       .values(draft_fields={}).execution_options(synchronize_session=False))
    db.session.execute(sa.delete(Membership).where(Membership.user_id == user.id))
    db.session.execute(sa.update(Invitation).where(Invitation.email == user.email, Invitation.accepted_at.is_(None),
                                                   Invitation.revoked_at.is_(None)).values(revoked_at=utcnow()))
    user.name = ERASED_NAME
    user.email = f"verwijderd-{user.public_id.lower()}@verwijderd.invalid"
    user.password_hash = None
    user.registration_number = None
    user.is_active_account = False
    user.erased_at = utcnow()
    user.session_token = new_public_id()
    db.session.commit()
