"""The privacy and accessibility statements: linked from every page's footer,
shipped with defaults, adaptable per installation, rendered through the sanitiser."""
import pytest

from tests import factories

STATEMENTS = {"/privacy": "Privacyverklaring", "/toegankelijkheid": "Toegankelijkheidsverklaring"}


@pytest.fixture
def pages_dir(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    return folder


@pytest.fixture
def site(make_app, pages_dir):
    app = make_app(PAGES_DIR=str(pages_dir))
    with app.app_context():
        yield app


def footer(html: str) -> str:
    return html[html.index('<footer class="site-footer">'):]


@pytest.mark.parametrize("path", ["/", "/inloggen", "/cursussen", "/privacy", "/bestaat-niet"])
def test_every_page_links_both_statements_in_its_footer(client, path):
    html = client.get(path).get_data(as_text=True)
    assert 'href="/privacy"' in footer(html) and 'href="/toegankelijkheid"' in footer(html)
    assert "Privacyverklaring" in footer(html) and "Toegankelijkheidsverklaring" in footer(html)


def test_logged_in_pages_link_them_too(login_as, platform_admin):
    html = login_as(platform_admin).get("/beheer").get_data(as_text=True)
    assert 'href="/privacy"' in footer(html) and 'href="/toegankelijkheid"' in footer(html)


@pytest.mark.parametrize("path, title", STATEMENTS.items())
def test_the_shipped_statements_are_public_and_in_dutch(client, path, title):
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f"<h1>{title}</h1>" in html and "support@leerlijn.local" in html and "{SUPPORT_EMAIL}" not in html


def test_the_accessibility_statement_follows_the_dutch_model(client):
    html = client.get("/toegankelijkheid").get_data(as_text=True)
    for section in ("<h2>Status</h2>", "<h2>Maatregelen</h2>", "<h2>Bekende beperkingen</h2>", "<h2>Contact</h2>",
                    "Datum verklaring"):
        assert section in html


def test_english_versions(client):
    client.post("/taal", data={"lang": "en"})
    assert "<h1>Privacy statement</h1>" in client.get("/privacy").get_data(as_text=True)
    html = client.get("/toegankelijkheid").get_data(as_text=True)
    assert "<h1>Accessibility statement</h1>" in html and "Known limitations" in html
    assert "Privacy statement" in footer(html)


def test_an_installation_overrides_a_statement_with_its_own_file(site, pages_dir):
    (pages_dir / "privacy.nl.md").write_text("# Privacyverklaring van Stichting Zorg\n\nWij bewaren **weinig**.\n",
                                             encoding="utf-8")
    client = site.test_client()
    html = client.get("/privacy").get_data(as_text=True)
    assert "<h1>Privacyverklaring van Stichting Zorg</h1>" in html and "<strong>weinig</strong>" in html
    # The other statement keeps its shipped default.
    assert "<h1>Toegankelijkheidsverklaring</h1>" in client.get("/toegankelijkheid").get_data(as_text=True)
    # No English file of its own: the installation's Dutch text, not the shipped English one.
    client.post("/taal", data={"lang": "en"})
    assert "Stichting Zorg" in client.get("/privacy").get_data(as_text=True)


def test_an_override_goes_through_the_sanitiser(site, pages_dir):
    (pages_dir / "accessibility.nl.md").write_text(
        "# Verklaring\n\n<script>alert(1)</script>\n\n[klik](javascript:alert(2))\n\n"
        "<img src=x onerror=alert(3)>\n\nGewone tekst.\n", encoding="utf-8")
    html = site.test_client().get("/toegankelijkheid").get_data(as_text=True)
    article = html[html.index("<article"):html.index("</article>")]
    assert "<script" not in article and "javascript:" not in article and "onerror" not in article
    assert "Gewone tekst." in article


def test_statements_need_no_account_and_no_database_rows(client):
    factories.make_user()  # a populated database changes nothing
    for path in STATEMENTS:
        assert client.get(path).status_code == 200
