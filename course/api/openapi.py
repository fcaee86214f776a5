"""The OpenAPI 3 document, generated from the code: the routes of the `api` blueprint,
the metadata their `operation` decorator records, the scope `token_required` demands,
and the marshmallow schemas the views serialise with.

apispec and marshmallow are imported when the document or an API answer is made, not
when the app starts: a web worker that never serves the API does not carry them (about
7 MB per worker, issue 16). Views therefore name their schema, and `schema()` finds it."""
import re

from flask import current_app

from . import queries
from .services import SCOPES

TITLE = "Leerlijn API for HR systems"
VERSION = "1.0.0"

DESCRIPTION = """Read-only access to one organisation's team: members, groups (cohorts), enrolments and
progress per module, completion dates, certificates, badges and the live sessions attended. Never
submission texts or quiz answers.

**Authentication.** An organisation admin creates a token on the organisation page (*API-sleutels*) and
chooses its scopes. Send it as `Authorization: Bearer <token>`. A missing, invalid or revoked token gets
401, a token without the needed scope 403. Requests are rate-limited per token (429, see `Retry-After`).

**Pagination.** Lists return `data` and `next_cursor`. Pass `next_cursor` back as `cursor` until it is null.
`limit` sets the page size (default 100, at most 500).

**Nightly sync.** Pass `updated_since` (ISO 8601, e.g. `2026-12-01T02:00:00Z`) with the start time of the
previous sync to receive only rows that changed since then: for members a new role, name or e-mail
address; for groups a new name, new dates or a learner added or removed; for enrolments any progress,
review decision, badge, certificate, attendance mark or erasure. Rows that left the organisation no
longer appear: a periodic full sync (without `updated_since`) finds them."""
# Paragraphs as single lines: renderers that keep line breaks (this docs page does) show them as written.
DESCRIPTION = "\n\n".join(" ".join(part.split("\n")) for part in DESCRIPTION.split("\n\n"))

COHORT_FILTER = {"name": "cohort", "in": "query", "required": False,
                 "description": "Only enrolments in this group (its id).",
                 "schema": {"type": "string", "maxLength": 64}}

PAGE_PARAMS = [
    {"name": "cursor", "in": "query", "required": False,
     "description": "The `next_cursor` of the previous page.", "schema": {"type": "string"}},
    {"name": "limit", "in": "query", "required": False, "description": "Page size.",
     "schema": {"type": "integer", "minimum": 1, "maximum": queries.MAX_LIMIT, "default": queries.DEFAULT_LIMIT}},
    {"name": "updated_since", "in": "query", "required": False,
     "description": "Only rows changed at or after this moment (ISO 8601).",
     "schema": {"type": "string", "format": "date-time"}},
]


def schema(name: str):
    """The marshmallow schema class `name` of course/api/schemas.py."""
    from . import schemas

    return getattr(schemas, name)


def operation(summary: str, schema: str, paged: bool = False, extra_params=()):
    """Record what the OpenAPI document says about a view (`schema`: the name of the
    schema its answer follows)."""
    def decorate(view):
        view.openapi = {"summary": summary, "schema": schema, "paged": paged, "extra_params": list(extra_params)}
        return view
    return decorate


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema("ErrorSchema")}}}


def _operation(endpoint: str, rule, view) -> dict:
    meta = view.openapi
    scope = getattr(view, "api_scope", None)
    params = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
              for name in rule.arguments]
    if meta["paged"]:
        params += PAGE_PARAMS + meta["extra_params"]
    responses = {
        "200": {"description": "OK", "content": {"application/json": {"schema": schema(meta["schema"])}}},
    }
    if meta["paged"]:
        responses["400"] = _error("A parameter (cursor, limit, updated_since) is not valid.")
    responses |= {
        "401": _error("No token, or an invalid or revoked token."),
        "403": _error("The token lacks the scope this endpoint needs."),
    }
    if rule.arguments:
        responses["404"] = _error("Not found in this organisation.")
    responses["429"] = _error("Too many requests for this token.")
    description = f"Scope: `{scope}`." if scope else "Any valid token."
    return {"operationId": endpoint.split(".", 1)[1], "summary": meta["summary"], "description": description,
            "parameters": params, "responses": responses, "security": [{"bearerAuth": [scope] if scope else []}],
            "tags": [meta["schema"].removesuffix("Schema").removesuffix("Page")]}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def build(app) -> dict:
    from apispec import APISpec
    from apispec.ext.marshmallow import MarshmallowPlugin

    spec = APISpec(title=TITLE, version=VERSION, openapi_version="3.0.3", plugins=[MarshmallowPlugin()],
                   info={"description": DESCRIPTION}, servers=[{"url": app.config["BASE_URL"]}])
    spec.components.security_scheme("bearerAuth", {
        "type": "http", "scheme": "bearer",
        "description": "Scopes: " + ", ".join(f"`{name}`" for name in SCOPES)})
    spec.components.schema("Error", schema=schema("ErrorSchema"))
    rules = sorted((r for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")), key=lambda r: r.rule)
    for rule in rules:
        view = app.view_functions[rule.endpoint]
        if hasattr(view, "openapi"):
            spec.path(path=_openapi_path(rule.rule), operations={"get": _operation(rule.endpoint, rule, view)})
    return spec.to_dict()


def document() -> dict:
    """Built once per app (the routes do not change while it runs)."""
    cache = current_app.extensions.setdefault("leerlijn_openapi", {})
    if "doc" not in cache:
        cache["doc"] = build(current_app)
    return cache["doc"]
