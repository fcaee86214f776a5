"""The organisation admin's API-token page: create (shown once), last use, revoke;
CSRF; Dutch and English; nobody else's tokens."""
import re

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import ApiToken
from tests.factories_api import bearer, make_token

PAGE = "/organisatie/{}/api-sleutels"


def _create(client, organisation, **data):
    form = {"name": "AFAS", "scopes": ["members:read", "progress:read"]}
    form.update(data)
    return client.post(PAGE.format(organisation.public_id), data=form)


def _secret_in(html: str) -> str:
    match = re.search(r'id="token-value"[^>]*value="(llk\.[^"]+)"', html)
    assert match, "the new token is on the page"
    return match.group(1)


def test_create_shows_the_token_once_and_it_works(org_admin_client, client, organisation):
    response = _create(org_admin_client, organisation)
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    secret = _secret_in(response.get_data(as_text=True))
    token = db.session.scalar(sa.select(ApiToken))
    assert token.name == "AFAS" and token.scope_set == {"members:read", "progress:read"}
    assert token.organisation_id == organisation.id
    again = org_admin_client.get(PAGE.format(organisation.public_id)).get_data(as_text=True)
    assert secret not in again and "AFAS" in again, "listed by name, never shown again"
    with org_admin_client.session_transaction() as session:
        assert secret not in repr(dict(session)), "the secret never goes into the (readable) session cookie"
    assert client.get("/api/v1/members", headers=bearer(secret)).status_code == 200
    assert client.get("/api/v1/cohorts", headers=bearer(secret)).status_code == 403


def test_the_page_shows_when_a_token_was_last_used(org_admin_client, client, organisation, org_admin):
    _token, secret = make_token(organisation, org_admin, name="Visma")
    html = org_admin_client.get(PAGE.format(organisation.public_id)).get_data(as_text=True)
    assert "<td>Nooit</td>" in html
    client.get("/api/v1/organisation", headers=bearer(secret))
    html = org_admin_client.get(PAGE.format(organisation.public_id)).get_data(as_text=True)
    assert "<td>Nooit</td>" not in html
    db.session.refresh(_token)
    from course.formatting import display_datetime

    with org_admin_client.application.test_request_context(headers={"Accept-Language": "nl"}):
        assert f"<td>{display_datetime(_token.last_used_at)}</td>" in html


def test_revoke_stops_the_token(org_admin_client, client, organisation, org_admin):
    token, secret = make_token(organisation, org_admin, name="Oud systeem")
    response = org_admin_client.post(f"/organisatie/api-sleutels/{token.public_id}/intrekken")
    assert response.status_code == 302
    db.session.refresh(token)
    assert token.revoked_at is not None
    assert client.get("/api/v1/members", headers=bearer(secret)).status_code == 401
    html = org_admin_client.get(PAGE.format(organisation.public_id)).get_data(as_text=True)
    assert "Ingetrokken op" in html


def test_a_token_needs_a_name_and_a_scope(org_admin_client, organisation):
    response = _create(org_admin_client, organisation, scopes=[])
    assert response.status_code == 400 and "Kies ten minste" in response.get_data(as_text=True)
    response = _create(org_admin_client, organisation, name="")
    assert response.status_code == 400
    response = _create(org_admin_client, organisation, scopes=["admin:write"])
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_creating_needs_the_csrf_token(csrf_app, org_admin, organisation):
    client = csrf_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = org_admin.get_id()
    response = _create(client, organisation)
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0
    page = client.get(PAGE.format(organisation.public_id)).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert _create(client, organisation, csrf_token=csrf).status_code == 200


@pytest.mark.parametrize("locale, words", [("nl", ["API-sleutels van", "Nieuwe sleutel", "Wat mag hij lezen?"]),
                                           ("en", ["API tokens of", "New token", "What may it read?"])])
def test_the_page_speaks_dutch_and_english(login_as, organisation, locale, words):
    from tests import factories

    admin = factories.make_user(org=organisation, org_role="admin", locale=locale)
    html = login_as(admin).get(PAGE.format(organisation.public_id)).get_data(as_text=True)
    for word in words:
        assert word in html


def test_another_organisations_admin_sees_and_revokes_nothing(login_as, organisation, org_admin,
                                                              other_org_admin, admin_client):
    token, _secret = make_token(organisation, org_admin)
    other = login_as(other_org_admin)
    assert other.get(PAGE.format(organisation.public_id)).status_code == 404
    assert other.post(f"/organisatie/api-sleutels/{token.public_id}/intrekken").status_code == 404
    assert admin_client.get(PAGE.format(organisation.public_id)).status_code == 403
    db.session.refresh(token)
    assert token.revoked_at is None


def test_the_organisation_page_links_to_the_tokens(org_admin_client, organisation):
    html = org_admin_client.get("/organisatie").get_data(as_text=True)
    assert PAGE.format(organisation.public_id) in html


def test_creating_and_revoking_a_token_is_in_the_audit_log(app, organisation):
    from course.api import services as api_services
    from course.models import AuditEvent
    from tests import factories

    admin = factories.make_user(org=organisation, org_role="admin")
    new = api_services.create_token(organisation, "HR", ["members:read"], admin)
    api_services.revoke_token(db.session.get(ApiToken, new.token.id), actor=admin)
    rows = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(r.action, r.actor_id, r.organisation_id) for r in rows] == [
        ("org.api_token_created", admin.id, organisation.id),
        ("org.api_token_revoked", admin.id, organisation.id),
    ]
