"""The /api/v1 endpoints. Each: authenticate (token_required) → parse → query → serialise.
Every lookup is scoped to the token's organisation; anything else answers 404."""
import logging

from flask import Response, current_app, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from course.extensions import csrf, db

from . import bp, errors, openapi, queries
from .auth import PUBLIC_ID, current_token, token_required
from .params import page_request

log = logging.getLogger(__name__)

# Bearer tokens, no cookies: nothing here can be forged across sites, so no CSRF token.
csrf.exempt(bp)


@bp.before_request
def _no_cookies():
    g.leave_session_alone = True  # API responses never set or refresh the session cookie


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.errorhandler(errors.ApiError)
def _api_error(error: errors.ApiError):
    db.session.rollback()
    return errors.json_error(error.status, error.code, error.message, error.headers)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    db.session.rollback()
    code = error.code or 500
    response = errors.json_error(code, errors.STATUS_CODES.get(code, "error"), error.description or "")
    if code == 429:
        response.headers.update(getattr(error, "headers", None) or {})
    return response


@bp.errorhandler(Exception)
def _unexpected(error: Exception):
    log.exception("Unhandled API error")
    db.session.rollback()
    return errors.json_error(500, "server_error", "")


def _one(item):
    if item is None:
        raise errors.not_found()
    return item


def _id(public_id: str) -> str:
    if not PUBLIC_ID.match(public_id):
        raise errors.not_found()
    return public_id


def _dump(schema: str, item):
    """`item` as JSON through the schema named `schema` (course/api/schemas.py)."""
    return jsonify(openapi.schema(schema)().dump(item))


def _page(schema: str, page: queries.Page):
    return _dump(schema, {"data": page.items, "next_cursor": page.next_cursor})


# ---- documentation (public) ----------------------------------------------------


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document())


@bp.get("/docs")
def docs():
    response = current_app.make_response(render_template("api/docs.html", doc=openapi.document()))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


# ---- data -----------------------------------------------------------------------


@bp.get("/organisation")
@token_required(None)
@openapi.operation("The organisation this token belongs to, and the token's scopes.", "OrganisationSchema")
def organisation():
    token = current_token()
    return _dump("OrganisationSchema", queries.organisation_info(token.organisation, token.scope_set))


@bp.get("/members")
@token_required("members:read")
@openapi.operation("The members of the organisation (learners and organisation admins).", "MemberPageSchema",
                   paged=True)
def members():
    return _page("MemberPageSchema", queries.members_page(current_token().organisation, page_request("members")))


@bp.get("/members/<member_id>")
@token_required("members:read")
@openapi.operation("One member.", "MemberSchema")
def member(member_id):
    item = _one(queries.member(current_token().organisation, _id(member_id)))
    return _dump("MemberSchema", item)


@bp.get("/cohorts")
@token_required("cohorts:read")
@openapi.operation("The organisation's groups (cohorts), each following one course.", "CohortPageSchema",
                   paged=True)
def cohorts():
    return _page("CohortPageSchema", queries.cohorts_page(current_token().organisation, page_request("cohorts")))


@bp.get("/cohorts/<cohort_id>")
@token_required("cohorts:read")
@openapi.operation("One group.", "CohortSchema")
def cohort(cohort_id):
    return _dump("CohortSchema", _one(queries.cohort(current_token().organisation, _id(cohort_id))))


@bp.get("/enrolments")
@token_required("progress:read")
@openapi.operation("Enrolments in the organisation's groups with progress per module, completion date, "
                   "certificate, badges and live sessions attended.", "EnrolmentPageSchema", paged=True,
                   extra_params=[openapi.COHORT_FILTER])
def enrolments():
    page = queries.enrolments_page(current_token().organisation, page_request("enrolments"),
                                   cohort_id=(request.args.get("cohort") or "")[:64] or None)
    return _page("EnrolmentPageSchema", page)


@bp.get("/enrolments/<enrolment_id>")
@token_required("progress:read")
@openapi.operation("One enrolment with its progress.", "EnrolmentSchema")
def enrolment(enrolment_id):
    item = _one(queries.enrolment(current_token().organisation, _id(enrolment_id)))
    return _dump("EnrolmentSchema", item)
