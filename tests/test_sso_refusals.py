"""The refusals, against the real provider: it is down, its clock is off, the ID token is
for another client, tampered, from another issuer or with another nonce."""
import base64
import json
import socket
from urllib.parse import urlsplit

import pytest
import requests
import sqlalchemy as sa

from course.extensions import db
from course.models import User
from course.sso import oidc, services
from course.sso.errors import SSOError
from tests import factories
from tests.sso_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    OTHER_CLIENT_ID,
    OTHER_CLIENT_SECRET,
    log_in_at_provider,
    provider_url,
    running_provider,
)

CALLBACK = "http://leerlijn.test/inloggen/werkaccount/terug"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens here once the probe is closed


def configure(issuer: str):
    org = factories.make_organisation(name="Zorggroep Noord")
    services.save_config(org, issuer=issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                         domains=["zorggroep.nl"], password_login_allowed=True)
    return org


def callback_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_a_provider_that_is_down_at_discovery_gets_a_clear_page(client):
    configure(f"http://127.0.0.1:{closed_port()}")
    response = client.post("/inloggen/werkaccount", data={"email": "nieuw@zorggroep.nl"})
    assert response.status_code == 503
    assert "is nu niet bereikbaar" in response.get_data(as_text=True)


def test_a_provider_that_goes_down_before_the_token_request_gets_a_clear_page(app, client):
    with running_provider(CALLBACK) as issuer:
        configure(issuer)
        started = client.post("/inloggen/werkaccount", data={"email": "nieuw@zorggroep.nl"})
        back = log_in_at_provider(provider_url(started), "nieuw@zorggroep.nl", CALLBACK)
    response = client.get(callback_path(back))  # the provider has stopped
    assert response.status_code == 503
    assert "is nu niet bereikbaar" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


@pytest.mark.parametrize("skew", [-2 * 3600, 5 * 60], ids=["expired", "issued-in-the-future"])
def test_a_clock_that_is_off_is_refused(client, skew):
    with running_provider(CALLBACK, clock_skew_seconds=skew) as issuer:
        configure(issuer)
        started = client.post("/inloggen/werkaccount", data={"email": "nieuw@zorggroep.nl"})
        back = log_in_at_provider(provider_url(started), "nieuw@zorggroep.nl", CALLBACK)
        response = client.get(callback_path(back))
    assert response.status_code == 400
    assert "klokken" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


@pytest.fixture
def provider():
    with running_provider(CALLBACK) as issuer:
        yield issuer


def real_id_token(issuer: str, client_id: str, client_secret: str) -> tuple[str, dict, str]:
    """A real ID token from the provider for `client_id`, its JWKS, and the nonce asked for."""
    url, pending = oidc.start(issuer, client_id, client_secret, CALLBACK, login_hint="nieuw@zorggroep.nl")
    back = log_in_at_provider(url, "nieuw@zorggroep.nl", CALLBACK)
    code = dict(p.split("=", 1) for p in urlsplit(back).query.split("&"))["code"]
    metadata = oidc.discover(issuer)
    id_token = oidc.exchange_code(metadata, client_id, client_secret, CALLBACK, code, pending["verifier"])
    jwks = requests.get(metadata["jwks_uri"], timeout=5).json()
    return id_token, jwks, pending["nonce"]


def test_a_genuine_token_passes_the_same_checks(app, provider):
    id_token, jwks, nonce = real_id_token(provider, CLIENT_ID, CLIENT_SECRET)
    claims = oidc.validate_id_token(id_token, jwks, issuer=provider, client_id=CLIENT_ID, nonce=nonce, leeway=60)
    assert claims["email"] == "nieuw@zorggroep.nl" and claims["aud"] == CLIENT_ID


def test_a_token_for_another_client_is_refused(app, provider):
    id_token, jwks, nonce = real_id_token(provider, OTHER_CLIENT_ID, OTHER_CLIENT_SECRET)
    with pytest.raises(SSOError) as refused:
        oidc.validate_id_token(id_token, jwks, issuer=provider, client_id=CLIENT_ID, nonce=nonce, leeway=60)
    assert refused.value.kind == "invalid_token" and "aud" in refused.value.detail


def test_a_token_with_a_tampered_payload_is_refused(app, provider):
    id_token, jwks, nonce = real_id_token(provider, CLIENT_ID, CLIENT_SECRET)
    header, payload, signature = id_token.split(".")
    forged = base64.urlsafe_b64decode(payload + "==").replace(b"nieuw@", b"baas@@")
    tampered = ".".join([header, base64.urlsafe_b64encode(forged).decode().rstrip("="), signature])
    with pytest.raises(SSOError) as refused:
        oidc.validate_id_token(tampered, jwks, issuer=provider, client_id=CLIENT_ID, nonce=nonce, leeway=60)
    assert refused.value.kind == "invalid_token" and "signature" in refused.value.detail


def test_a_token_from_another_issuer_or_with_another_nonce_is_refused(app, provider):
    id_token, jwks, nonce = real_id_token(provider, CLIENT_ID, CLIENT_SECRET)
    with pytest.raises(SSOError) as wrong_issuer:
        oidc.validate_id_token(id_token, jwks, issuer="https://login.example.org", client_id=CLIENT_ID,
                               nonce=nonce, leeway=60)
    assert "iss" in wrong_issuer.value.detail
    with pytest.raises(SSOError) as wrong_nonce:
        oidc.validate_id_token(id_token, jwks, issuer=provider, client_id=CLIENT_ID, nonce="another", leeway=60)
    assert "nonce" in wrong_nonce.value.detail


def test_discovery_under_another_issuer_name_is_refused(client, provider):
    # The same provider reached as "localhost": its metadata names 127.0.0.1, so it is not this issuer.
    configure(provider.replace("127.0.0.1", "localhost"))
    response = client.post("/inloggen/werkaccount", data={"email": "nieuw@zorggroep.nl"})
    assert response.status_code == 400
    assert "kon niet worden gecontroleerd" in response.get_data(as_text=True)


def test_a_client_the_provider_does_not_know_is_a_clear_page(client, provider):
    org = configure(provider)
    services.save_config(org, issuer=provider, client_id=CLIENT_ID, client_secret="wrong-secret",
                         domains=["zorggroep.nl"], password_login_allowed=True)
    started = client.post("/inloggen/werkaccount", data={"email": "nieuw@zorggroep.nl"})
    back = log_in_at_provider(provider_url(started), "nieuw@zorggroep.nl", CALLBACK)
    response = client.get(callback_path(back))
    assert response.status_code == 400
    assert "waar we niets mee kunnen" in response.get_data(as_text=True)


@pytest.mark.parametrize("claims", [
    {"sub": "x" * 256}, {"sub": 12345}, {"sub": ["a"]}, {"sub": "  "}, {"sub": "a\x00b"},
    {"email_verified": "false"}, {"email": ["anna@zorggroep.nl"]},
])
def test_claims_a_verified_token_may_still_carry_are_refused_not_a_500(app, claims):
    """A signed token from the organisation's own provider can still hold odd claims: a subject
    too long for the column or not a string (PostgreSQL would raise), an e-mail_verified string (audit15)."""
    configure("https://idp.zorggroep.example")
    config = services.config_for_email("anna@zorggroep.nl")
    with pytest.raises(SSOError):
        services.resolve_sign_in(config, {"sub": "abc", "email": "anna@zorggroep.nl"} | claims)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_a_new_members_name_from_the_provider_loses_control_characters(app):
    configure("https://idp.zorggroep.example")
    config = services.config_for_email("anna@zorggroep.nl")
    user = services.resolve_sign_in(config, {"sub": "abc", "email": "anna@zorggroep.nl",
                                             "name": "Anna\x00 de\n" + "Vries" * 40}).user
    assert user.name.startswith("Anna de VriesVries") and len(user.name) <= 120
    assert "\x00" not in user.name and "\n" not in user.name
    other = services.resolve_sign_in(config, {"sub": "def", "email": "bram@zorggroep.nl", "name": {"x": 1}}).user
    assert other.name == "bram"


@pytest.fixture
def odd_provider():
    """An issuer URL whose server answers any JSON document the test chooses (audit15)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    served = {"body": "{}"}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = served["body"].encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", served
    server.shutdown()
    server.server_close()


def test_an_issuer_that_answers_odd_json_gets_a_clear_page_not_a_500(client, odd_provider):
    issuer, served = odd_provider
    configure(issuer)
    odd = ["[]", '"metadata"', "null", "1",
           json.dumps({"issuer": issuer, "authorization_endpoint": ["x"], "token_endpoint": 1, "jwks_uri": {}}),
           json.dumps({"issuer": issuer, "authorization_endpoint": "javascript:alert(1)",
                       "token_endpoint": issuer + "/token", "jwks_uri": issuer + "/jwks"})]
    for body in odd:
        served["body"] = body
        response = client.post("/inloggen/werkaccount", data={"email": "anna@zorggroep.nl"})
        assert response.status_code == 400, (body, response.status_code)
        assert 'data-kind="provider_error"' in response.get_data(as_text=True)


@pytest.mark.parametrize("jwks", [[], "keys", None, {"keys": "x"}, {"keys": [{"kty": "zz"}]}])
def test_a_malformed_key_set_is_an_invalid_token_not_a_crash(app, jwks):
    with pytest.raises(SSOError) as refused:
        oidc.validate_id_token("a.b.c", jwks, issuer="https://idp.example", client_id="c", nonce="n", leeway=0)
    assert refused.value.kind == "invalid_token"


def test_two_first_sign_ins_at_once_end_in_one_account(app, monkeypatch):
    """The second request's insert hits the unique address: it uses the account the first made (audit15)."""
    from sqlalchemy.exc import IntegrityError

    configure("https://idp.zorggroep.example")
    config = services.config_for_email("anna@zorggroep.nl")
    real = services._new_member
    calls = []

    def the_other_tab_wins(*args):
        calls.append(args)
        real(*args)  # the other request commits the account first …
        raise IntegrityError("INSERT INTO user", {}, Exception("duplicate key"))  # … and this one's insert fails

    monkeypatch.setattr(services, "_new_member", the_other_tab_wins)
    user = services.resolve_sign_in(config, {"sub": "abc", "email": "anna@zorggroep.nl"}).user
    assert len(calls) == 1 and user.email == "anna@zorggroep.nl"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
