"""Single sign-on in Chromium against the real provider (oidc-provider on loopback): a new
member logs in with the work account, a known account links itself by password, and an
address the organisation does not allow is refused. Leerlijn's pages pass axe."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from course.extensions import db
from course.models import Membership, SSOIdentity, User
from course.sso import services
from tests import factories
from tests.sso_provider import CLIENT_ID, CLIENT_SECRET, running_provider


@pytest.fixture
def org_with_sso(app, live_server):
    with running_provider(live_server + "/inloggen/werkaccount/terug") as issuer:
        org = factories.make_organisation(name="Zorggroep Noord")
        services.save_config(org, issuer=issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                             domains=["zorggroep.nl"], password_login_allowed=True)
        yield org


def log_in_at_the_provider(page, login: str):
    """The provider's own (dev) pages: the login, then the consent."""
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any")
    page.locator("button[type=submit]").click()
    page.locator("button[type=submit]", has_text="Continue").click()
    page.wait_for_load_state()


def start_with_work_account(page, email, axe_check):
    page.goto("/inloggen")
    page.get_by_role("link", name="Inloggen met je werkaccount").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen met je werkaccount")
    axe_check(page, "work-account login")
    page.fill("input[name=email]", email)
    page.get_by_role("button", name="Verder naar je organisatie").click()
    page.wait_for_selector("input[name=login]")  # the provider's login page


def test_a_new_member_logs_in_with_the_work_account_and_out_again(org_with_sso, browser_page, axe_check, live_server):
    page = browser_page
    start_with_work_account(page, "nieuw@zorggroep.nl", axe_check)
    assert page.url.startswith("http://127.0.0.1:") and not page.url.startswith(live_server)  # at the provider
    log_in_at_the_provider(page, "nieuw@zorggroep.nl")
    assert page.url.startswith(live_server)
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    axe_check(page, "landing after work-account login")
    user = db.session.scalar(sa.select(User).where(User.email == "nieuw@zorggroep.nl"))
    assert db.session.scalar(sa.select(Membership.organisation_id).where(Membership.user_id == user.id)) \
        == org_with_sso.id
    page.get_by_role("button", name="Uitloggen").click()
    page.goto("/mijn-account")
    assert "/inloggen" in page.url  # the local session has ended


def test_a_known_account_links_itself_by_password(org_with_sso, browser_page, axe_check, live_server):
    user = factories.make_user(email="bekend@zorggroep.nl", name="Bekende Collega")
    page = browser_page
    start_with_work_account(page, "bekend@zorggroep.nl", axe_check)
    log_in_at_the_provider(page, "bekend@zorggroep.nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Koppel je werkaccount")
    axe_check(page, "link the work account")
    page.fill("input[name=password]", factories.PASSWORD)
    page.get_by_role("button", name="Koppelen met mijn wachtwoord").click()
    expect(page.get_by_text("Je werkaccount is gekoppeld")).to_be_visible()
    assert db.session.scalar(sa.select(SSOIdentity.user_id)) == user.id


def test_an_address_outside_the_allowed_domains_is_refused(org_with_sso, browser_page, axe_check):
    page = browser_page
    start_with_work_account(page, "iemand@zorggroep.nl", axe_check)
    log_in_at_the_provider(page, "iemand@elders.nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen met je werkaccount is niet gelukt")
    expect(page.locator(".sso-error")).to_contain_text("staat dit e-mailadres niet toe")
    axe_check(page, "refused address")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_the_set_up_page_of_the_platform_admin(app, browser_page, axe_check, browser_login, live_server):
    org = factories.make_organisation(name="Zorggroep Zuid")
    factories.make_user(role="admin", email="beheer@example.org")
    page = browser_page
    browser_login(page, "beheer@example.org")
    page.goto(f"/beheer/organisaties/{org.public_id}")
    page.get_by_role("link", name="Inloggen met werkaccounts (single sign-on)").click()
    expect(page.locator("code")).to_have_text(live_server + "/inloggen/werkaccount/terug")
    axe_check(page, "single sign-on set-up")
    page.fill("input[name=issuer]", "https://login.microsoftonline.com/tenant/v2.0")
    page.fill("input[name=client_id]", "leerlijn")
    page.fill("input[name=client_secret]", "geheim-van-de-smid")
    page.fill("textarea[name=allowed_domains]", "zorggroep-zuid.nl")
    page.get_by_role("button", name="Inlog met werkaccounts opslaan").click()
    expect(page.get_by_text("is opgeslagen")).to_be_visible()
    assert "geheim-van-de-smid" not in page.content()
    axe_check(page, "single sign-on saved")


def test_an_expired_token_and_then_the_replayed_state_are_refused_in_the_browser(app, browser_page, axe_check,
                                                                                 live_server):
    """Chromium, against a provider whose clock is two hours behind: the ID token has expired; the same
    answer opened again (the state was used) is refused too. Both pages in Dutch, axe-clean (audit15)."""
    with running_provider(live_server + "/inloggen/werkaccount/terug", clock_skew_seconds=-2 * 3600) as issuer:
        org = factories.make_organisation(name="Zorggroep Noord")
        services.save_config(org, issuer=issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                             domains=["zorggroep.nl"], password_login_allowed=True)
        page = browser_page
        start_with_work_account(page, "nieuw@zorggroep.nl", axe_check)
        callbacks = []
        page.on("request", lambda r: callbacks.append(r.url) if "/inloggen/werkaccount/terug" in r.url else None)
        log_in_at_the_provider(page, "nieuw@zorggroep.nl")
        expect(page.locator(".sso-error")).to_have_attribute("data-kind", "clock")
        expect(page.locator(".sso-error")).to_contain_text("klokken")
        axe_check(page, "expired token")
        page.goto(callbacks[-1])
        expect(page.locator(".sso-error")).to_have_attribute("data-kind", "state")
        expect(page.locator(".sso-error")).to_contain_text("verlopen of was al gebruikt")
        axe_check(page, "replayed state")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
