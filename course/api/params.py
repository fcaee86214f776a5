"""Query parameters of list endpoints: cursor, limit, updated_since. Bad input → 400 JSON."""
from datetime import UTC, datetime

from flask import request
from flask_babel import gettext as _

from . import errors, queries


def parse_timestamp(value: str) -> datetime:
    """ISO 8601 / RFC 3339 (`2026-12-01T02:00:00Z`, an offset, or a date). Naive means UTC.
    Returned as naive UTC, as stored."""
    text = value.strip()
    if not text or len(text) > 40:
        raise ValueError(value)
    text = text[:-1] + "+00:00" if text[-1] in "zZ" else text
    text = text.replace("t", "T")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _limit() -> int:
    raw = request.args.get("limit")
    if raw is None or raw == "":
        return queries.DEFAULT_LIMIT
    try:
        limit = int(raw.strip())
    except ValueError:
        limit = 0
    if not 1 <= limit <= queries.MAX_LIMIT:
        raise errors.bad_parameter("limit", _("a whole number from 1 to %(max)d.", max=queries.MAX_LIMIT))
    return limit


def _updated_since() -> datetime | None:
    raw = request.args.get("updated_since")
    if raw is None or raw == "":
        return None
    try:
        return parse_timestamp(raw)
    except (ValueError, OverflowError):
        raise errors.bad_parameter(
            "updated_since", _("an ISO 8601 date and time, for example 2026-12-01T02:00:00Z.")) from None


def _after(resource: str) -> int:
    raw = request.args.get("cursor")
    if raw is None or raw == "":
        return 0
    try:
        return queries.decode_cursor(resource, raw)
    except queries.PageError:
        raise errors.bad_parameter(
            "cursor", _("not a cursor of this list. Use next_cursor from the previous page.")) from None


def page_request(resource: str) -> queries.PageRequest:
    return queries.PageRequest(after_id=_after(resource), limit=_limit(), updated_since=_updated_since())
