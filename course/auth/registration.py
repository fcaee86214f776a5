"""Registration and e-mail changes, both confirmed through a link mailed to the address.

Registration says the same for a new and an existing address: the new address gets a
link to choose a password, the existing account's owner is told that someone tried
(with a way to reset the password). An address changes only when the owner of the new
mailbox follows the link; the old address is told. Each public function is one unit of
work and commits once."""
import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import URLSafeTimedSerializer

from course.emails import normalise_email
from course.extensions import db
from course.mail import queue_mail
from course.models import User, utcnow
from course.urls import external_url

from .passwords import verify_password
from .services import EmailTaken, TokenInvalid, create_user, find_user_by_email, load_token


class SameEmail(Exception):
    pass


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _load(salt: str, token: str) -> dict:
    return load_token(_serializer(salt), token, current_app.config["EMAIL_CONFIRM_MAX_AGE"])


def _link(endpoint: str, token: str) -> str:
    return external_url(endpoint, token=token)


def _hours() -> int:
    return current_app.config["EMAIL_CONFIRM_MAX_AGE"] // 3600


# Registration ---------------------------------------------------------------------------

def request_registration(email: str, name: str, locale: str, next_path: str = "") -> None:
    """Mails the next step; tells the caller nothing about whether the address is known.
    `next_path` (a local path, already checked) is where the new account lands."""
    email = normalise_email(email)
    existing = find_user_by_email(email)
    if existing is not None:
        queue_mail(existing.email, _l("Someone tried to create a Leerlijn account with your address"),
                   "register_existing", kind="register_existing", locale=existing.locale, user=existing,
                   login_link=external_url("auth.login"),
                   reset_link=external_url("auth.forgot_password"))
    else:
        data = {"e": email, "n": name.strip()[:120], "l": locale}
        if next_path:
            data["x"] = next_path[:500]
        token = _serializer("register").dumps(data)
        queue_mail(email, _l("Confirm your address to create your Leerlijn account"), "register_confirm",
                   kind="register_confirm", locale=locale, name=name.strip(),
                   link=_link("auth.complete_registration", token), hours=_hours())
    db.session.commit()


class PendingRegistration:
    """What the registration link carries; also the `password_owner` for the password check."""

    def __init__(self, data: dict):
        self.email = normalise_email(str(data.get("e", "")))
        self.name = str(data.get("n", ""))
        self.locale = data.get("l") if data.get("l") in ("nl", "en") else "nl"
        target = str(data.get("x", ""))
        self.next_path = target if target.startswith("/") and not target.startswith("//") \
            and "\\" not in target else ""


def registration_for_token(token: str) -> PendingRegistration:
    pending = PendingRegistration(_load("register", token))
    if not pending.email or not pending.name:
        raise TokenInvalid("invalid")
    if find_user_by_email(pending.email) is not None:
        raise TokenInvalid("used")
    return pending


def complete_registration(token: str, password: str) -> User:
    pending = registration_for_token(token)
    try:
        user = create_user(pending.email, pending.name, password, locale=pending.locale)
    except EmailTaken as error:  # two tabs with the same link
        db.session.rollback()
        raise TokenInvalid("used") from error
    user.last_login_at = utcnow()
    db.session.commit()
    return user


# E-mail change ----------------------------------------------------------------------------

def request_email_change(user: User, current_password: str, new_email: str) -> bool:
    """False when the password is wrong. Otherwise mails the new address (a link, or a
    note that the address already has an account) and changes nothing yet."""
    if not verify_password(user.password_hash, current_password):
        return False
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise SameEmail
    if find_user_by_email(new_email) is not None:
        queue_mail(new_email, _l("Your address was entered on another Leerlijn account"), "email_change_taken",
                   kind="email_change_taken", locale=user.locale)
    else:
        token = _serializer("email-change").dumps({"u": user.public_id, "o": user.email, "e": new_email})
        queue_mail(new_email, _l("Confirm your new e-mail address for Leerlijn"), "email_change_confirm",
                   kind="email_change_confirm", locale=user.locale, user=user, new_email=new_email,
                   link=_link("auth.confirm_email_change", token), hours=_hours())
    db.session.commit()
    return True


def email_change_for_token(token: str) -> tuple[User, str]:
    data = _load("email-change", token)
    user = db.session.scalar(sa.select(User).where(User.public_id == str(data.get("u", ""))))
    if user is None or not user.is_active:
        raise TokenInvalid("invalid")
    if user.email != data.get("o"):  # already changed (by this link or another): spent
        raise TokenInvalid("used")
    return user, normalise_email(str(data.get("e", "")))


def confirm_email_change(token: str) -> User:
    user, new_email = email_change_for_token(token)
    if find_user_by_email(new_email) is not None:
        raise EmailTaken(str(_l("An account with this e-mail address already exists.")))
    old_email = user.email
    user.email = new_email
    queue_mail(old_email, _l("The e-mail address of your Leerlijn account was changed"), "email_change_notice",
               kind="email_change_notice", locale=user.locale, user=user, new_email=new_email,
               support=current_app.config["SUPPORT_EMAIL"])
    db.session.commit()
    return user
