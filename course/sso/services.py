"""What a verified sign-in means for the accounts. Each public function is one unit of work
and commits once (or not at all, when it only reads)."""
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer

from course.audit.services import record_event
from course.emails import normalise_email, valid_email
from course.extensions import db
from course.mail import queue_mail
from course.models import (
    AuditAction,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationSSO,
    SSOIdentity,
    User,
    utcnow,
)

from . import secrets
from .errors import SSOError

LINK_MAIL_MAX_AGE = 60 * 60  # seconds


# ---- configuration (platform admin) -------------------------------------------------------


def config_for_organisation_id(organisation_id: int) -> OrganisationSSO | None:
    return db.session.scalar(sa.select(OrganisationSSO).where(OrganisationSSO.organisation_id == organisation_id))


def config_for(organisation: Organisation) -> OrganisationSSO | None:
    return config_for_organisation_id(organisation.id)


def config_for_email(email: str) -> OrganisationSSO | None:
    """The organisation whose allowed domains hold this address's domain."""
    domain = normalise_email(email).rpartition("@")[2]
    configs = db.session.scalars(sa.select(OrganisationSSO).order_by(OrganisationSSO.id)).all()
    return next((c for c in configs if domain in c.domains), None)


LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


def issuer_problem(issuer: str) -> str | None:
    """Why this issuer URL cannot be a provider's, or None. OpenID Connect issuers are
    https URLs without query or fragment; plain http only on loopback (a test provider)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(issuer.strip())
        host, _port = parts.hostname, parts.port  # the port raises on garbage
    except ValueError:
        host = None
    if not host:
        return str(_l("Enter a web address starting with https://."))
    if parts.scheme != "https" and not (parts.scheme == "http" and host in LOOPBACK_HOSTS):
        return str(_l("The issuer URL must start with https://."))
    if parts.query or parts.fragment or parts.username or parts.password:
        return str(_l("The issuer URL has no query, fragment or password: copy it from the provider's "
                      "metadata (for Entra ID: https://login.microsoftonline.com/<tenant id>/v2.0)."))
    return None


def domains_taken_elsewhere(organisation: Organisation | None, domains: list[str]) -> dict[str, str]:
    """{domain: organisation name} for domains another organisation's provider already signs in:
    an address must lead to exactly one provider."""
    rows = db.session.execute(
        sa.select(OrganisationSSO.allowed_domains, Organisation.name)
        .join(Organisation, Organisation.id == OrganisationSSO.organisation_id)
        .where(OrganisationSSO.organisation_id != (organisation.id if organisation is not None else -1))
        .order_by(Organisation.name)).all()
    taken: dict[str, str] = {}
    for allowed, name in rows:
        for domain in allowed.split():
            if domain in domains:
                taken.setdefault(domain, name)
    return dict(sorted(taken.items()))


def parse_domains(text: str) -> list[str]:
    return sorted({d.strip().lower().lstrip("@") for d in text.replace(",", " ").split() if d.strip()})


def save_config(organisation: Organisation, *, issuer: str, client_id: str, client_secret: str | None,
                domains: list[str], password_login_allowed: bool, actor: User | None = None) -> OrganisationSSO:
    """An empty client_secret keeps the stored one."""
    config = config_for(organisation) or OrganisationSSO(organisation_id=organisation.id)
    config.issuer = issuer.strip().rstrip("/")
    config.client_id = client_id.strip()
    if client_secret:
        config.client_secret_encrypted = secrets.encrypt(client_secret)
    config.allowed_domains = "\n".join(domains)
    config.password_login_allowed = password_login_allowed
    db.session.add(config)
    record_event(AuditAction.SSO_CONFIGURED, actor=actor, organisation=organisation,
                 details={"password_login_allowed": bool(password_login_allowed)})
    db.session.commit()
    return config


def redirect_uri() -> str:
    """What the organisation's IT registers at its provider."""
    return current_app.config["BASE_URL"] + url_for("sso.callback")


def response_issuer_matches(config: OrganisationSSO, iss: str | None) -> bool:
    """An authorization response that names its issuer (RFC 9207; oidc-provider and Entra ID
    do) must name this organisation's; one without it is judged by its ID token alone."""
    return iss is None or iss.rstrip("/") == config.issuer.rstrip("/")


def client_secret(config: OrganisationSSO) -> str:
    plain = secrets.decrypt(config.client_secret_encrypted)
    if plain is None:
        raise SSOError("misconfigured", "the client secret cannot be decrypted (key changed)")
    return plain


# ---- the password-login rule ----------------------------------------------------------------


def password_login_refused(user: User) -> bool:
    """A member of an organisation that signs in only through its provider."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Membership)
        .join(OrganisationSSO, OrganisationSSO.organisation_id == Membership.organisation_id)
        .where(Membership.user_id == user.id, OrganisationSSO.password_login_allowed.is_(False))
    ) > 0


# ---- a verified sign-in -----------------------------------------------------------------------


@dataclass
class SignIn:
    """Either `user` may be logged in, or `link_to` must first prove itself."""

    user: User | None = None
    link_to: User | None = None
    pending: dict | None = None


def email_from_claims(claims: dict) -> str:
    email = normalise_email(str(claims.get("email") or ""))
    if not valid_email(email):
        raise SSOError("no_email")
    if claims.get("email_verified") in (False, "false"):  # some providers send the string
        raise SSOError("unverified")
    return email


MAX_SUBJECT = 255  # SSOIdentity.subject


def subject_from_claims(claims: dict) -> str:
    """The provider's id of the person: a non-empty string that fits (Entra ID's is 43 characters)."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.strip() or len(subject) > MAX_SUBJECT or "\x00" in subject:
        raise SSOError("invalid_token", "the sub claim is not a usable string")
    return subject


def name_from_claims(claims: dict, email: str) -> str:
    """A display name without control characters (PostgreSQL refuses NUL), at most 120 long."""
    raw = claims.get("name")
    text = raw if isinstance(raw, str) else ""
    name = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", text).split())[:120].strip()
    return name or email.split("@")[0]


def resolve_sign_in(config: OrganisationSSO, claims: dict, *, retry: bool = True) -> SignIn:
    subject = subject_from_claims(claims)
    email = email_from_claims(claims)
    if not config.allows(email):
        raise SSOError("domain", email)
    identity = db.session.scalar(sa.select(SSOIdentity).where(SSOIdentity.issuer == config.issuer,
                                                              SSOIdentity.subject == subject))
    if identity is not None:
        return SignIn(user=_log_in_linked(db.session.get(User, identity.user_id), config))
    known = db.session.scalar(sa.select(User).where(User.email == email))
    pending = {"org": config.organisation_id, "iss": config.issuer, "sub": subject}
    if known is not None:
        if not known.is_active:
            raise SSOError("inactive")
        # A provider that says "this is x@org.nl" does not by itself get x's account: x proves it first.
        return SignIn(link_to=known, pending=pending | {"user": known.public_id})
    try:
        return SignIn(user=_new_member(config, email, name_from_claims(claims, email), subject))
    except sa.exc.IntegrityError:
        # Another tab signed the same person in at the same moment and made the account first.
        db.session.rollback()
        if not retry:
            raise SSOError("provider_error", "the account could not be created") from None
        return resolve_sign_in(config, claims, retry=False)


def _log_in_linked(user: User, config: OrganisationSSO) -> User:
    if user is None or not user.is_active:
        raise SSOError("inactive")
    _ensure_membership(user, config.organisation_id)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def _new_member(config: OrganisationSSO, email: str, name: str, subject: str) -> User:
    """A member of the organisation (role learner), no password, no enrolment: seats follow
    the usual enrolment rules."""
    user = User(email=email, name=name[:120], password_hash=None, last_login_at=utcnow())
    db.session.add(user)
    db.session.flush()
    _ensure_membership(user, config.organisation_id)
    db.session.add(SSOIdentity(user_id=user.id, organisation_id=config.organisation_id, issuer=config.issuer,
                               subject=subject))
    record_event(AuditAction.SSO_ACCOUNT_CREATED, actor=user, subject=user, organisation=config.organisation_id)
    db.session.commit()
    return user


def _ensure_membership(user: User, organisation_id: int) -> None:
    exists = db.session.scalar(sa.select(Membership.id).where(Membership.user_id == user.id,
                                                              Membership.organisation_id == organisation_id))
    if exists is None:
        db.session.add(Membership(user_id=user.id, organisation_id=organisation_id, role=MembershipRole.MEMBER))


def _link(user: User, pending: dict) -> None:
    taken = db.session.scalar(sa.select(SSOIdentity.id).where(SSOIdentity.issuer == pending["iss"],
                                                              SSOIdentity.subject == pending["sub"]))
    if taken is None:
        db.session.add(SSOIdentity(user_id=user.id, organisation_id=pending["org"], issuer=pending["iss"],
                                   subject=pending["sub"]))
        record_event(AuditAction.SSO_ACCOUNT_LINKED, actor=user, subject=user, organisation=pending["org"])
    _ensure_membership(user, pending["org"])


# ---- linking a known account ------------------------------------------------------------------


def user_for_pending(pending: dict | None) -> User | None:
    if not pending:
        return None
    user = db.session.scalar(sa.select(User).where(User.public_id == pending.get("user")))
    return user if user is not None and user.is_active else None


def link_by_password(user: User, pending: dict, password: str) -> bool:
    from course.auth.passwords import verify_password

    if not verify_password(user.password_hash, password):
        return False
    _link(user, pending)
    user.last_login_at = utcnow()
    db.session.commit()
    return True


def _link_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="sso-link")


def send_link_mail(user: User, pending: dict) -> None:
    token = _link_serializer().dumps(pending)
    link = current_app.config["BASE_URL"] + url_for("sso.confirm_link", token=token)
    organisation = db.session.get(Organisation, pending["org"])
    queue_mail(user.email, _l("Link your work account to Leerlijn"), "sso_link", kind="sso_link",
               locale=user.locale, user=user, link=link, organisation=organisation.name,
               minutes=LINK_MAIL_MAX_AGE // 60)
    db.session.commit()


def confirm_link(token: str) -> User:
    try:
        pending = _link_serializer().loads(token, max_age=LINK_MAIL_MAX_AGE)
    except BadSignature as error:  # also SignatureExpired
        raise SSOError("link_invalid") from error
    user = user_for_pending(pending)
    if user is None or db.session.get(Organisation, pending.get("org")) is None:
        raise SSOError("link_invalid")
    _link(user, pending)
    db.session.commit()
    return user
