"""The platform admin sets up an organisation's provider; the secret is stored encrypted."""
import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import OrganisationSSO
from course.sso import secrets
from tests import factories

FORM = {"issuer": "https://login.microsoftonline.com/1234-tenant/v2.0/", "client_id": "leerlijn-app",
        "client_secret": "heel-geheim-secret", "allowed_domains": "Zorggroep.nl\n@thuiszorg.nl, zorggroep.nl"}


def test_the_organisation_page_links_to_single_sign_on(admin_client):
    org = factories.make_organisation(name="Zorggroep Noord")
    page = admin_client.get(f"/beheer/organisaties/{org.public_id}").get_data(as_text=True)
    assert f"/beheer/organisaties/{org.public_id}/sso" in page


def test_saving_stores_the_secret_encrypted_and_never_shows_it(admin_client):
    org = factories.make_organisation(name="Zorggroep Noord")
    url = f"/beheer/organisaties/{org.public_id}/sso"
    page = admin_client.get(url).get_data(as_text=True)
    assert "http://leerlijn.test/inloggen/werkaccount/terug" in page  # the redirect URI to register
    assert admin_client.post(url, data=FORM).status_code == 302
    config = db.session.scalar(sa.select(OrganisationSSO))
    assert config.issuer == "https://login.microsoftonline.com/1234-tenant/v2.0"
    assert config.domains == ["thuiszorg.nl", "zorggroep.nl"]
    assert config.password_login_allowed is False  # the box was not ticked
    assert "heel-geheim" not in config.client_secret_encrypted
    assert secrets.decrypt(config.client_secret_encrypted) == "heel-geheim-secret"
    again = admin_client.get(url).get_data(as_text=True)
    assert "heel-geheim" not in again and "leerlijn-app" in again


def test_an_empty_secret_keeps_the_stored_one(admin_client):
    org = factories.make_organisation()
    url = f"/beheer/organisaties/{org.public_id}/sso"
    admin_client.post(url, data=FORM)
    stored = db.session.scalar(sa.select(OrganisationSSO.client_secret_encrypted))
    assert admin_client.post(url, data=FORM | {"client_secret": "", "password_login_allowed": "y"}).status_code == 302
    db.session.expire_all()
    config = db.session.scalar(sa.select(OrganisationSSO))
    assert config.client_secret_encrypted == stored and config.password_login_allowed is True


def test_bad_input_gets_a_message_and_loses_nothing(admin_client):
    org = factories.make_organisation()
    url = f"/beheer/organisaties/{org.public_id}/sso"
    response = admin_client.post(url, data=FORM | {"client_secret": "", "allowed_domains": "geen domein!",
                                                    "issuer": "login.example"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Vul het client secret in." in page and "Dit is geen domein" in page and "begint met https://" in page
    assert "leerlijn-app" in page  # what was typed stays
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OrganisationSSO)) == 0


def test_another_secret_key_cannot_read_the_secret(app, make_app):
    with app.test_request_context():
        token = secrets.encrypt("geheim")
    other = make_app(SECRET_KEY="another-key", _fresh=True)
    with other.test_request_context():
        assert secrets.decrypt(token) is None


def test_erasing_an_account_drops_its_link_to_the_provider(app):
    from course.auth.services import erase_account
    from course.models import SSOIdentity

    org = factories.make_organisation()
    user = factories.make_user(org=org)
    db.session.add(SSOIdentity(user_id=user.id, organisation_id=org.id, issuer="https://idp.example", subject="s-1"))
    db.session.commit()
    erase_account(user, actor=None)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SSOIdentity)) == 0


def test_setting_up_single_sign_on_is_in_the_audit_log(admin_client, platform_admin):
    from course.models import AuditEvent

    org = factories.make_organisation(name="Zorggroep Noord")
    assert admin_client.post(f"/beheer/organisaties/{org.public_id}/sso", data=FORM).status_code == 302
    [event] = db.session.scalars(sa.select(AuditEvent)).all()
    assert (event.action, event.actor_id, event.organisation_id) == ("org.sso_configured", platform_admin.id, org.id)


def test_a_domain_belongs_to_one_organisations_provider_only(admin_client):
    """Otherwise an address would lead to whichever provider was set up first (audit15)."""
    first, second = factories.make_organisation(name="Zorggroep Noord"), factories.make_organisation()
    assert admin_client.post(f"/beheer/organisaties/{first.public_id}/sso", data=FORM).status_code == 302
    response = admin_client.post(f"/beheer/organisaties/{second.public_id}/sso",
                                 data=FORM | {"allowed_domains": "nieuw.nl\nzorggroep.nl"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "zorggroep.nl" in page and "Zorggroep Noord" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OrganisationSSO)) == 1
    # its own domains stay its own when the first saves again
    assert admin_client.post(f"/beheer/organisaties/{first.public_id}/sso",
                             data=FORM | {"client_secret": ""}).status_code == 302


@pytest.mark.parametrize("values, message", [
    ({"allowed_domains": ", , ,"}, "Vul minstens één e-maildomein in"),
    ({"issuer": "http://login.example.nl/tenant/v2.0"}, "moet beginnen met https://"),
    ({"issuer": "https://[::1/v2.0"}, "begint met https://"),
    ({"issuer": "https://login.example.nl:99999/v2.0"}, "begint met https://"),
    ({"issuer": "https://login.example.nl/v2.0?x=1"}, "geen query, fragment of wachtwoord"),
    ({"issuer": "https://user:pw@login.example.nl/v2.0"}, "geen query, fragment of wachtwoord"),
])
def test_hostile_or_broken_settings_are_refused_with_a_message(admin_client, values, message):
    org = factories.make_organisation()
    response = admin_client.post(f"/beheer/organisaties/{org.public_id}/sso", data=FORM | values)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OrganisationSSO)) == 0


def test_a_provider_on_loopback_may_use_plain_http(admin_client):
    org = factories.make_organisation()
    response = admin_client.post(f"/beheer/organisaties/{org.public_id}/sso",
                                 data=FORM | {"issuer": "http://127.0.0.1:4000"})
    assert response.status_code == 302
