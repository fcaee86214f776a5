"""Dutch first, English second; every UI string has a Dutch translation."""
import sys
from pathlib import Path

from course.extensions import db
from tests import factories

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import missing_translations  # noqa: E402


def test_every_ui_string_has_a_dutch_translation():
    gaps = missing_translations.missing()
    listing = "\n".join(f"{where}: {msgid!r}" for where, msgid in gaps[:50])
    assert not gaps, f"{len(gaps)} strings have no Dutch translation (make missing-translations):\n{listing}"


def test_visitors_get_dutch_by_default(client):
    html = client.get("/inloggen").data.decode()
    assert 'lang="nl"' in html and "Inloggen" in html


def test_accept_language_english_gets_english(client):
    html = client.get("/inloggen", headers={"Accept-Language": "en-GB,en;q=0.9"}).data.decode()
    assert 'lang="en"' in html and "Log in" in html


def test_a_language_the_app_does_not_have_falls_back_to_dutch(client):
    html = client.get("/inloggen", headers={"Accept-Language": "fr-FR,fr;q=0.9,de;q=0.5"}).data.decode()
    assert 'lang="nl"' in html


def test_the_language_switch_is_remembered_for_visitors(client):
    response = client.post("/taal?next=/inloggen", data={"lang": "en"})
    assert response.status_code == 302 and response.headers["Location"] == "/inloggen"
    assert 'lang="en"' in client.get("/inloggen").data.decode()
    client.post("/taal", data={"lang": "xx"})
    assert 'lang="en"' in client.get("/inloggen").data.decode(), "an unknown language changes nothing"


def test_a_users_profile_language_wins(login_as, app):
    user = factories.make_user(locale="en")
    client = login_as(user)
    html = client.get("/mijn-account", headers={"Accept-Language": "nl"}).data.decode()
    assert 'lang="en"' in html and "My account" in html


def test_switching_language_while_logged_in_updates_the_profile(learner_client, learner):
    learner_client.post("/taal", data={"lang": "en"})
    db.session.refresh(learner)
    assert learner.locale == "en"
