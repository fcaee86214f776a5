"""The API token page and the API documentation in a real browser: create a token,
use it, revoke it; every page passes axe and breaks no CSP rule."""
import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.dialogs import answer_confirmation

pytestmark = pytest.mark.browser


def test_org_admin_creates_uses_and_revokes_a_token(app, browser_page, axe_check, browser_login, organisation):
    factories.make_user(email="olga@welzijn.nl", name="Olga Organisatie", org=organisation, org_role="admin")
    page = browser_page
    csp_problems = []
    page.on("console", lambda msg: csp_problems.append(msg.text) if "Content Security Policy" in msg.text else None)

    browser_login(page, "olga@welzijn.nl")
    page.get_by_role("link", name="API-sleutels voor je HR-systeem").click()
    expect(page.locator("h1")).to_have_text("API-sleutels van Stichting Test")
    axe_check(page, "token page, empty")

    page.get_by_label("Naam").fill("AFAS")
    page.get_by_label(re.compile("^Leden")).check()
    page.get_by_role("button", name="Sleutel aanmaken").click()
    token = page.locator("#token-value").input_value()
    assert token.startswith("llk.")
    axe_check(page, "token page, new token shown once")

    answer = page.request.get("/api/v1/members", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200 and answer.json()["data"][0]["email"] == "olga@welzijn.nl"

    page.get_by_role("button", name="AFAS intrekken").click()
    answer_confirmation(page, expect_text="De sleutel AFAS intrekken?")
    expect(page.locator(".flashes")).to_contain_text("De sleutel AFAS is ingetrokken")
    expect(page.locator("table")).to_contain_text("Ingetrokken op")
    assert page.locator("#token-value").count() == 0
    axe_check(page, "token page, revoked token")
    assert page.request.get("/api/v1/members", headers={"Authorization": f"Bearer {token}"}).status == 401

    page.get_by_role("link", name="Lees de API-documentatie").click()
    expect(page.locator("h1")).to_contain_text("Leerlijn API for HR systems")
    expect(page.get_by_role("heading", name="GET /api/v1/enrolments", exact=True)).to_be_visible()
    axe_check(page, "API documentation")
    assert csp_problems == []
