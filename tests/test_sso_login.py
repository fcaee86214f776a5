"""Single sign-on against a real OpenID provider on loopback (oidc-provider): the whole
authorization code flow through the app, account linking, and the password-login rule."""
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import Enrolment, Membership, MembershipRole, OutboxMail, SSOIdentity, User
from course.sso import services
from tests import factories
from tests.sso_provider import CLIENT_ID, CLIENT_SECRET, log_in_at_provider, provider_url, running_provider

BASE = "http://leerlijn.test"
CALLBACK = BASE + "/inloggen/werkaccount/terug"


@pytest.fixture
def provider():
    with running_provider(CALLBACK) as issuer:
        yield issuer


@pytest.fixture
def org(app, provider):
    org = factories.make_organisation(name="Zorggroep Noord")
    services.save_config(org, issuer=provider, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                         domains=["zorggroep.nl"], password_login_allowed=True)
    return org


def sign_in(client, email, cancel=False):
    """Start at Leerlijn, log in at the provider, come back: the response of the callback."""
    back = log_in_at_provider(provider_url(client.post("/inloggen/werkaccount", data={"email": email})), email,
                              CALLBACK, cancel=cancel)
    parts = urlsplit(back)
    return client.get(f"{parts.path}?{parts.query}"), f"{parts.path}?{parts.query}"


def logged_in_as(client) -> str | None:
    with client.session_transaction() as sess:
        user_id = sess.get("_user_id")
    if not user_id:
        return None
    return db.session.scalar(sa.select(User.email).where(User.public_id == user_id.partition(":")[0]))


def test_an_unknown_address_of_an_allowed_domain_becomes_a_member_without_a_seat(client, org):
    response, _ = sign_in(client, "nieuw@zorggroep.nl")
    assert response.status_code == 302
    assert logged_in_as(client) == "nieuw@zorggroep.nl"
    user = db.session.scalar(sa.select(User).where(User.email == "nieuw@zorggroep.nl"))
    assert user.password_hash is None and user.name == "nieuw"
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id))
    assert (membership.organisation_id, membership.role) == (org.id, MembershipRole.MEMBER)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 0
    identity = db.session.scalar(sa.select(SSOIdentity))
    assert (identity.user_id, identity.subject) == (user.id, "nieuw@zorggroep.nl")


def test_a_second_sign_in_uses_the_same_account(app, org):
    sign_in(app.test_client(), "nieuw@zorggroep.nl")
    client = app.test_client()
    response, _ = sign_in(client, "nieuw@zorggroep.nl")
    assert response.status_code == 302 and logged_in_as(client) == "nieuw@zorggroep.nl"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SSOIdentity)) == 1


def test_a_known_address_is_linked_only_after_its_password(client, org):
    user = factories.make_user(email="bekend@zorggroep.nl")
    response, _ = sign_in(client, "bekend@zorggroep.nl")
    assert response.headers["Location"].endswith("/inloggen/werkaccount/koppelen")
    assert logged_in_as(client) is None
    page = client.get("/inloggen/werkaccount/koppelen").get_data(as_text=True)
    assert "bekend@zorggroep.nl" in page
    wrong = client.post("/inloggen/werkaccount/koppelen", data={"password": "niet-het-wachtwoord"})
    assert wrong.status_code == 200 and logged_in_as(client) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SSOIdentity)) == 0
    right = client.post("/inloggen/werkaccount/koppelen", data={"password": factories.PASSWORD})
    assert right.status_code == 302 and logged_in_as(client) == "bekend@zorggroep.nl"
    identity = db.session.scalar(sa.select(SSOIdentity))
    assert identity.user_id == user.id
    assert db.session.scalar(sa.select(Membership.organisation_id).where(Membership.user_id == user.id)) == org.id


def test_a_known_address_can_prove_itself_by_a_confirmation_mail(app, org):
    user = factories.make_user(email="bekend@zorggroep.nl")
    client = app.test_client()
    sign_in(client, "bekend@zorggroep.nl")
    sent = client.post("/inloggen/werkaccount/koppelen/mail")
    assert sent.status_code == 200 and logged_in_as(client) is None
    mail = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.kind == "sso_link"))
    assert mail.to_address == "bekend@zorggroep.nl" and "Zorggroep Noord" in mail.body_text
    link = next(word for word in mail.body_text.split() if word.startswith(BASE + "/inloggen/werkaccount/koppelen/"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SSOIdentity)) == 0
    confirmed = app.test_client().get(link.removeprefix(BASE))
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith("/inloggen/werkaccount")
    assert db.session.scalar(sa.select(SSOIdentity.user_id)) == user.id
    # From now on the work account logs straight in.
    again = app.test_client()
    response, _ = sign_in(again, "bekend@zorggroep.nl")
    assert response.status_code == 302 and logged_in_as(again) == "bekend@zorggroep.nl"


def test_a_tampered_link_mail_token_is_refused(client, org):
    response = client.get("/inloggen/werkaccount/koppelen/not-a-token")
    assert response.status_code == 400
    assert "verlopen of is niet geldig" in response.get_data(as_text=True)


def test_an_address_outside_the_allowed_domains_is_refused(app, org, provider):
    # The provider vouches for an address of another domain than the one typed.
    client = app.test_client()
    response = client.post("/inloggen/werkaccount", data={"email": "iemand@zorggroep.nl"})
    back = log_in_at_provider(provider_url(response), "iemand@elders.nl", CALLBACK)
    parts = urlsplit(back)
    refused = client.get(f"{parts.path}?{parts.query}")
    assert refused.status_code == 403
    assert "staat dit e-mailadres niet toe" in refused.get_data(as_text=True)
    assert logged_in_as(client) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_an_address_of_a_domain_without_sso_gets_a_clear_answer(client, org):
    response = client.post("/inloggen/werkaccount", data={"email": "iemand@elders.nl"})
    assert response.status_code == 404
    assert "geen inlog met een werkaccount" in response.get_data(as_text=True)


def test_a_replayed_state_is_refused(client, org):
    first, callback = sign_in(client, "nieuw@zorggroep.nl")
    assert first.status_code == 302
    client.post("/uitloggen")
    replayed = client.get(callback)
    assert replayed.status_code == 400
    assert "verlopen of was al gebruikt" in replayed.get_data(as_text=True)
    assert logged_in_as(client) is None


def test_a_response_that_names_another_issuer_is_refused_even_with_a_real_code(client, org, provider):
    """RFC 9207: the provider names itself in the answer; a mix-up with another provider is refused (audit15)."""
    back = log_in_at_provider(provider_url(client.post("/inloggen/werkaccount", data={"email": "nieuw@zorggroep.nl"})),
                              "nieuw@zorggroep.nl", CALLBACK)
    query = parse_qs(urlsplit(back).query)
    assert query["iss"] == [provider], "oidc-provider names its issuer in the answer"
    forged = urlencode({"code": query["code"][0], "state": query["state"][0], "iss": "https://idp.elders.example"})
    response = client.get(f"/inloggen/werkaccount/terug?{forged}")
    assert response.status_code == 400 and 'data-kind="invalid_token"' in response.get_data(as_text=True)
    assert logged_in_as(client) is None


def test_an_unknown_state_is_refused(client, org):
    response = client.get("/inloggen/werkaccount/terug?code=abc&state=made-up")
    assert response.status_code == 400 and logged_in_as(client) is None


def test_cancelling_at_the_provider_shows_a_clear_page(client, org):
    response, callback = sign_in(client, "nieuw@zorggroep.nl", cancel=True)
    assert "error=access_denied" in callback
    assert response.status_code == 400
    assert "Je hebt het inloggen bij je organisatie afgebroken" in response.get_data(as_text=True)
    assert logged_in_as(client) is None


def test_the_english_error_page(client, org):
    client.post("/taal", data={"lang": "en"})
    response = client.get("/inloggen/werkaccount/terug?error=access_denied&state=x")
    assert "expired or was already used" in response.get_data(as_text=True)


def test_logging_out_ends_the_local_session(app, org):
    client = app.test_client()
    sign_in(client, "nieuw@zorggroep.nl")
    with client.session_transaction() as sess:
        old_session = dict(sess)
    client.post("/uitloggen")
    assert logged_in_as(client) is None
    copied = app.test_client()
    with copied.session_transaction() as sess:
        sess.update(old_session)
    assert copied.get("/mijn-account").status_code == 302  # the copied session no longer logs in


def test_password_login_is_refused_for_members_when_the_organisation_says_so(app, org, provider):
    services.save_config(org, issuer=provider, client_id=CLIENT_ID, client_secret=None,
                         domains=["zorggroep.nl"], password_login_allowed=False)
    member = factories.make_user(email="lid@zorggroep.nl", org=org)
    outsider = factories.make_user(email="ander@example.org")
    client = app.test_client()
    refused = client.post("/inloggen", data={"email": member.email, "password": factories.PASSWORD})
    assert refused.status_code == 200 and logged_in_as(client) is None
    assert "Inloggen met je werkaccount" in refused.get_data(as_text=True)
    assert "werkaccount inloggen" in refused.get_data(as_text=True)
    other = app.test_client()
    assert other.post("/inloggen", data={"email": outsider.email, "password": factories.PASSWORD}).status_code == 302
