"""JSON errors for the API: a stable machine-readable code, a message in the client's
language, and the HTTP status. Never an HTML page, never a 500 for bad input."""
from flask import jsonify
from flask_babel import gettext as _

REALM = 'Bearer realm="Leerlijn API"'


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def json_error(status: int, code: str, message: str, headers: dict | None = None):
    response = jsonify({"error": code, "message": message, "status": status})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def unauthorised(code: str, message: str) -> ApiError:
    """401 with the RFC 6750 challenge; no details for a missing token."""
    challenge = REALM if code == "missing_token" else f'{REALM}, error="invalid_token"'
    return ApiError(401, code, message, {"WWW-Authenticate": challenge})


def missing_token() -> ApiError:
    return unauthorised("missing_token", _("Send an API token in the header 'Authorization: Bearer <token>'."))


def invalid_token() -> ApiError:
    return unauthorised("invalid_token", _("This API token is not valid. Check it, or create a new one."))


def revoked_token() -> ApiError:
    return unauthorised("invalid_token", _("This API token has been revoked."))


def insufficient_scope(scope: str) -> ApiError:
    return ApiError(403, "insufficient_scope",
                    _("This API token may not read this data: it needs the scope %(scope)s.", scope=scope),
                    {"WWW-Authenticate": f'{REALM}, error="insufficient_scope", scope="{scope}"'})


def bad_parameter(name: str, message: str) -> ApiError:
    return ApiError(400, "invalid_parameter", f"{name}: {message}")


def not_found() -> ApiError:
    return ApiError(404, "not_found", _("Not found in this organisation."))


STATUS_CODES = {400: "bad_request", 401: "unauthorised", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 429: "rate_limited", 500: "server_error"}
