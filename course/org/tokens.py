"""Signed links of invitations and invite links, and the problem either can have."""
from __future__ import annotations

from contextlib import contextmanager

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from course.errors import DomainError, SeatLimitReached
from course.extensions import db
from course.models import (
    Invitation,
    InviteLink,
)

from .cohorts import AlreadyEnrolled


class InvitationProblem(DomainError):
    """An invitation or invite link that cannot be used. `reason` is one of
    invalid, expired, revoked, used, full, other_address, seats, enrolled."""

    def __init__(self, reason: str, message: str = ""):
        super().__init__(message or reason)
        self.reason = reason


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def invitation_token(invitation: Invitation) -> str:
    return _serializer("invitation").dumps({"i": invitation.public_id})


def invite_link_token(link: InviteLink) -> str:
    return _serializer("invite-link").dumps({"l": link.public_id})


def load_signed(token: str, salt: str, key: str) -> str:
    try:
        data = _serializer(salt).loads(token)
    except BadSignature as error:
        raise InvitationProblem("invalid") from error
    if not isinstance(data, dict) or not isinstance(data.get(key), str):
        raise InvitationProblem("invalid")
    return data[key]


@contextmanager
def enrolment_problems():
    """An enrolment the invitation or link cannot make (no seat, already in) becomes
    the InvitationProblem the join page explains, after rolling back the claim."""
    try:
        yield
    except SeatLimitReached as error:
        db.session.rollback()
        raise InvitationProblem("seats", error.message) from error
    except AlreadyEnrolled as error:
        db.session.rollback()
        raise InvitationProblem("enrolled", error.message) from error
