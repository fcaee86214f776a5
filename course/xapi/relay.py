"""Delivering the statement outbox to the LRS: retries with back-off, never twice.

Each row is claimed by a committed conditional UPDATE (as course/mail/sender.py does),
so parallel workers never send one row together; and each statement is PUT with its
own id, so even a delivery whose answer was lost is stored once by the LRS."""
import base64
import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from course.extensions import db
from course.mail.sender import backoff
from course.models import User, XapiStatement, XapiStatus, utcnow

from .outbox import lrs_for

log = logging.getLogger(__name__)
CLAIM_SECONDS = 120
XAPI_VERSION = "1.0.3"


class Unreachable(Exception):
    """The LRS did not answer: the other statements for it wait for the next run."""


def _claimable(now):
    return sa.and_(XapiStatement.status == XapiStatus.QUEUED, XapiStatement.next_attempt_at <= now,
                   sa.or_(XapiStatement.claimed_until.is_(None), XapiStatement.claimed_until < now))


def _claim_next(skip: set[int], down: set[str]) -> int | None:
    now = utcnow()
    query = sa.select(XapiStatement.id).where(_claimable(now))
    if skip:
        query = query.where(XapiStatement.id.not_in(skip))
    if down:
        query = query.where(XapiStatement.target.not_in(down))
    for row_id in db.session.scalars(query.order_by(XapiStatement.id).limit(20)).all():
        result = db.session.execute(
            sa.update(XapiStatement).where(XapiStatement.id == row_id, _claimable(now))
            .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
            .execution_options(synchronize_session=False))
        db.session.commit()
        if result.rowcount == 1:
            return row_id
    return None


def put_statement(row: XapiStatement) -> None:
    """PUT the statement under its own id. 204 is stored; 409 means the LRS already
    holds that id (an earlier delivery whose answer was lost): stored too."""
    lrs = lrs_for(row.target)
    if lrs is None:
        raise ValueError(f"no LRS configured for target {row.target!r}")
    if not lrs.endpoint.startswith(("https://", "http://")):  # never file: or another scheme
        raise ValueError(f"LRS endpoint is not an http(s) URL: {lrs.endpoint!r}")
    url = f"{lrs.endpoint}statements?statementId={row.statement_id}"
    headers = {"Content-Type": "application/json", "X-Experience-API-Version": XAPI_VERSION}
    body = json.dumps(row.statement).encode()
    request = urllib.request.Request(url, data=body, method="PUT", headers=headers)  # noqa: S310 (checked)
    if lrs.username:
        token = base64.b64encode(f"{lrs.username}:{lrs.password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        timeout = current_app.config["XAPI_TIMEOUT_SECONDS"]
        with urllib.request.urlopen(request, timeout=timeout):  # noqa: S310 (scheme checked above)
            return
    except urllib.error.HTTPError as error:
        if error.code == 409:
            return
        detail = error.read(500).decode("utf-8", "replace")
        raise ValueError(f"LRS answered {error.code}: {detail}") from error
    except (urllib.error.URLError, OSError) as error:
        raise Unreachable(str(getattr(error, "reason", error))) from error


def _erased(row: XapiStatement) -> bool:
    """A statement of an account erased after it was queued is deleted, never sent."""
    if row.user_id is None:
        return False
    return db.session.scalar(sa.select(User.erased_at).where(User.id == row.user_id)) is not None


def _failed(row: XapiStatement, error: Exception) -> None:
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    if row.attempts >= current_app.config["XAPI_MAX_ATTEMPTS"]:
        row.status = XapiStatus.FAILED
    row.next_attempt_at = utcnow() + backoff(row.attempts)
    row.claimed_until = None
    log.warning("xAPI statement %s not delivered (attempt %s): %s", row.id, row.attempts, error)


def send_one(row: XapiStatement, down: set[str]) -> bool:
    row.attempts += 1
    try:
        put_statement(row)
    except Unreachable as error:
        down.add(row.target)
        _failed(row, error)
        return False
    except ValueError as error:
        _failed(row, error)
        return False
    row.status = XapiStatus.SENT
    row.sent_at = utcnow()
    row.claimed_until = None
    row.last_error = None
    return True


def send_statements(limit: int = 200) -> tuple[int, int]:
    """Deliver due statements, each its own unit of work. Returns (sent, not sent)."""
    sent = failed = 0
    seen: set[int] = set()
    down: set[str] = set()
    while len(seen) < limit:
        row_id = _claim_next(seen, down)
        if row_id is None:
            break
        seen.add(row_id)
        row = db.session.get(XapiStatement, row_id)
        if row is None:
            continue
        if _erased(row):
            db.session.delete(row)
        elif send_one(row, down):
            sent += 1
        else:
            failed += 1
        db.session.commit()
    return sent, failed


def retry_failed() -> int:
    """Put statements that were given up back in the queue, with all their attempts."""
    count = db.session.execute(
        sa.update(XapiStatement).where(XapiStatement.status == XapiStatus.FAILED)
        .values(status=XapiStatus.QUEUED, attempts=0, next_attempt_at=utcnow(), claimed_until=None)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return count
