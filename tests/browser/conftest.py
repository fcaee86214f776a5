"""Browser lane: Playwright driving Debian's /usr/bin/chromium (never a downloaded
browser) against a live server on the test database, with axe-core checks.

Skipped with a clear message where Chromium is absent, unless
LEERLIJN_REQUIRE_BROWSER=1 (CI sets it), in which case a missing browser fails.
"""
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.browser.axe_runs import run_on_settled_page
from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"]
BLOCKING_IMPACTS = {"moderate", "serious", "critical"}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("LEERLIJN_REQUIRE_BROWSER") == "1":
            pytest.fail("/usr/bin/chromium is missing but the browser lane is required (install Debian's chromium)")
        pytest.skip("Browser lane skipped: /usr/bin/chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def live_server(make_app):
    """Base URL of the app served from a thread, on the same test database."""
    app = make_app(BASE_URL="http://127.0.0.1")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base_url
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def browser_page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_check():
    """axe_check(page): fail on any moderate, serious or critical axe-core violation
    (the bar the guide sets is serious; moderate ones are cheap to keep out too)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, context: str = ""):
        results = run_on_settled_page(axe, page)
        violations = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        details = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                        for node in v["nodes"][:5])
            for v in violations
        )
        assert not violations, f"axe found problems on {page.url} {context}:\n{details}"
        return results

    return check


@pytest.fixture
def browser_login():
    """browser_login(page, email): log in through the real form."""

    def login(page, email, password=PASSWORD):
        page.goto("/inloggen")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        page.locator("form button[type=submit], form input[type=submit]").last.click()
        page.wait_for_load_state()

    return login
