"""Bearer tokens: 401 for missing, malformed, wrong or revoked tokens (with a
WWW-Authenticate challenge), the session cookie never counts, last use is kept,
requests are limited per token."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from course.api import services
from course.extensions import db
from course.models import ApiToken, utcnow
from tests import factories
from tests.factories_api import bearer, make_token


@pytest.fixture
def org_token(app, organisation, org_admin):
    return make_token(organisation, org_admin)


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer   ", "Basic dXNlcjpwdw==", "Token abc"])
def test_without_a_bearer_token_the_answer_is_401_json(client, org_token, header):
    headers = {"Authorization": header} if header is not None else {}
    response = client.get("/api/v1/members", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer realm=")
    assert response.get_json()["error"] == "missing_token"


@pytest.mark.parametrize("mangle", [
    lambda s: s + "x", lambda s: s[:-1], lambda s: "llk.onbekend." + s.split(".")[2],
    lambda s: s.replace("llk.", "abc."), lambda s: "llk." + s.split(".")[1], lambda s: "llk..x",
    lambda s: "llk.\u00e9\u00e9n.x"])
def test_a_wrong_token_is_401_invalid_token(client, org_token, mangle):
    _token, secret = org_token
    response = client.get("/api/v1/members", headers=bearer(mangle(secret)))
    assert response.status_code == 401 and response.get_json()["error"] == "invalid_token"
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_revoked_token_is_refused(client, org_token):
    token, secret = org_token
    assert client.get("/api/v1/members", headers=bearer(secret)).status_code == 200
    services.revoke_token(token)
    response = client.get("/api/v1/members", headers=bearer(secret))
    wrong = client.get("/api/v1/members", headers=bearer(secret + "x"))
    assert response.status_code == wrong.status_code == 401
    assert response.get_json()["message"] != wrong.get_json()["message"], "says it was revoked"


def test_a_logged_in_session_does_not_authenticate_api_calls(org_admin_client, org_token):
    response = org_admin_client.get("/api/v1/members")
    assert response.status_code == 401
    assert "Set-Cookie" not in response.headers, "API responses leave the session cookie alone"


def test_only_the_hash_of_the_token_is_stored(app, org_token):
    token, secret = org_token
    row = db.session.execute(sa.select(ApiToken.__table__)).one()._asdict()
    assert secret not in {str(v) for v in row.values()}
    assert row["secret_hash"] == services.hash_secret(secret) and len(secret) > 50


def test_last_use_is_recorded_at_most_once_a_minute(client, org_token):
    token, secret = org_token
    assert token.last_used_at is None
    client.get("/api/v1/organisation", headers=bearer(secret))
    db.session.refresh(token)
    first = token.last_used_at
    assert first is not None and utcnow() - first < timedelta(seconds=30)
    client.get("/api/v1/organisation", headers=bearer(secret))
    db.session.refresh(token)
    assert token.last_used_at == first
    token.last_used_at = first - timedelta(minutes=5)
    db.session.commit()
    client.get("/api/v1/organisation", headers=bearer(secret))
    db.session.refresh(token)
    assert token.last_used_at > first - timedelta(minutes=5)


def test_requests_are_limited_per_token(make_app):
    app = make_app(RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute")
    with app.app_context():
        org = factories.make_organisation()
        admin = factories.make_user(org=org, org_role="admin")
        _a, first = make_token(org, admin, name="Eerste")
        _b, second = make_token(org, admin, name="Tweede")
        client = app.test_client()
        answers = [client.get("/api/v1/members", headers=bearer(first)).status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        limited = client.get("/api/v1/cohorts", headers=bearer(first))
        assert limited.status_code == 429 and limited.get_json()["error"] == "rate_limited"
        assert "Retry-After" in limited.headers
        assert client.get("/api/v1/members", headers=bearer(second)).status_code == 200, "another token counts apart"
