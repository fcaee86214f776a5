"""The HR API (issue 15). The API itself answers 401 to every role here: these clients
carry only a session cookie, and a cookie never authenticates an API call. The token
page is for the organisation's own admins only (another organisation's admin: 404)."""
from course.api import services

from . import Row, everyone, only


def prepare(w):
    w.api_token = services.create_token(w.org, "HR", ["members:read"], w.org_admin).token


def tokens(ok=200):
    return only("org_admin", ok=ok, other_org_admin=404)


API = "/api/v1"

ROWS = [
    Row("api.openapi_document", lambda w: f"{API}/openapi.json", everyone(200)),
    Row("api.docs", lambda w: f"{API}/docs", everyone(200)),
    Row("api.organisation", lambda w: f"{API}/organisation", everyone(401)),
    Row("api.members", lambda w: f"{API}/members", everyone(401)),
    Row("api.member", lambda w: f"{API}/members/{w.learner.public_id}", everyone(401)),
    Row("api.cohorts", lambda w: f"{API}/cohorts", everyone(401)),
    Row("api.cohort", lambda w: f"{API}/cohorts/{w.cohort.public_id}", everyone(401)),
    Row("api.enrolments", lambda w: f"{API}/enrolments", everyone(401)),
    Row("api.enrolment", lambda w: f"{API}/enrolments/{w.enrolment.public_id}", everyone(401)),
    Row("api_tokens.tokens", lambda w: f"/organisatie/{w.org.public_id}/api-sleutels", tokens()),
    Row("api_tokens.create_token", lambda w: f"/organisatie/{w.org.public_id}/api-sleutels", tokens(), method="POST",
        data=lambda w: {"name": "Salarissysteem", "scopes": ["progress:read"]},
        note="the new token is shown in the answer itself (200), never via a redirect and the session"),
    Row("api_tokens.revoke_token", lambda w: f"/organisatie/api-sleutels/{w.api_token.public_id}/intrekken",
        tokens(302), method="POST"),
]
