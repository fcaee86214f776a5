"""The foundation: configuration, health, errors, CSRF, lost sessions, headers, layout."""
import re
import subprocess
import sys

import pytest
import sqlalchemy as sa

from config import ProductionConfig
from course import create_app
from course.extensions import db
from course.models import FormStash
from tests import factories


def test_app_module_exposes_the_app_for_flask_and_gunicorn():
    result = subprocess.run([sys.executable, "-c", "import app; print(type(app.app).__name__)"],
                            capture_output=True, text=True, env={"LEERLIJN_INSTANCE": "/tmp/leerlijn-test-instance",
                                                                 "PATH": "/usr/bin:/bin"})
    assert result.stdout.strip() == "Flask", result.stderr


SAME_ORIGIN = {"Origin": "http://localhost"}  # browsers send it on every POST; the stash needs it


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://")


def test_production_sets_secure_cookies_and_hsts(monkeypatch):
    app = create_app(ProductionConfig, SECRET_KEY="x" * 32, SQLALCHEMY_DATABASE_URI="sqlite://",
                     RATELIMIT_SINGLE_PROCESS=True)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    response = app.test_client().get("/inloggen")
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_local_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    import config

    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    first = {}
    config.Config.finalise(first)
    second = {}
    config.Config.finalise(second)
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert len(first["SECRET_KEY"]) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_healthz_fails_when_the_database_does_not_answer(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/db.sqlite")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "down"


def test_security_headers_are_set(client):
    headers = client.get("/inloggen").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_samesite(client, learner):
    response = client.post("/inloggen", data={"email": learner.email, "password": factories.PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("path", ["/bestaat-niet", "/mijn-leren/../../etc/passwd"])
def test_not_found_is_a_page_in_the_layout(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b'id="main"' in response.data and b"skip-link" in response.data


def test_not_found_answers_json_to_json_clients(client):
    response = client.get("/bestaat-niet", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.json["status"] == 404


def test_server_error_shows_no_stack_trace(make_app):
    app = make_app(_fresh=True)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    web = app.test_client.__self__  # the serving twin (see conftest)
    web.add_url_rule("/boom", "boom", boom)
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert b"secret internals" not in response.data and b"Traceback" not in response.data
    assert b'id="main"' in response.data


def test_forbidden_is_a_page_in_the_layout(learner_client):
    response = learner_client.get("/beheer")
    assert response.status_code == 403
    assert b'id="main"' in response.data


def test_pages_use_no_external_assets(client):
    html = client.get("/inloggen").data.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith(("/", "#")), f"external asset {url}"


def test_layout_has_landmarks_skip_link_and_language(client):
    html = client.get("/inloggen").data.decode()
    assert '<a class="skip-link" href="#main">' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert 'for="email"' in html and 'for="password"' in html


# ---- CSRF and lost sessions ------------------------------------------------


def test_post_without_csrf_token_is_a_400_page_that_keeps_the_text(make_app, learner):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = learner.get_id()
    response = client.post("/mijn-account", data={"name": "Mijn nieuwe naam", "email": learner.email,
                                                   "locale": "nl"}, headers=SAME_ORIGIN)
    assert response.status_code == 400
    html = response.data.decode()
    assert "Mijn nieuwe naam" in html, "what the user typed is shown again"
    assert 'name="csrf_token"' in html, "with a fresh token to send it again"
    assert 'lang="nl"' in html
    assert client.get("/mijn-account").status_code == 200, "the user is still logged in"


def test_csrf_page_speaks_english_to_english_users(app, make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    user = factories.make_user(locale="en")
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
    response = client.post("/mijn-account", data={"name": "x"})
    assert response.status_code == 400 and b'lang="en"' in response.data


def test_csrf_page_never_echoes_passwords(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/inloggen", data={"email": "a@example.org", "password": "geheim-wachtwoord"})
    assert response.status_code == 400
    assert b"geheim-wachtwoord" not in response.data


def test_a_post_after_the_session_expired_keeps_the_text_for_after_login(app, client, learner):
    response = client.post("/mijn-account", data={"name": "Tekst die niet verloren mag gaan"},
                           headers={"Referer": "http://localhost/mijn-account"})
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    assert "next=/mijn-account" in response.headers["Location"]
    stashed = db.session.scalars(sa.select(FormStash)).all()
    assert [s.data["name"] for s in stashed] == [["Tekst die niet verloren mag gaan"]]
    from course.stash import pop_stash

    with client.session_transaction() as sess:
        keys = dict(sess["form_stash"])
    with app.test_request_context("/mijn-account"):
        from flask import session

        session["form_stash"] = keys
        kept = pop_stash("/mijn-account")
        assert kept["name"] == "Tekst die niet verloren mag gaan"
        assert pop_stash("/mijn-account") is None, "given back once"


def test_the_database_enforces_foreign_keys_and_cascades(app):
    """On SQLite too: ON DELETE CASCADE and SET NULL only work when foreign keys are on."""
    from course.models import Membership, Organisation

    org = factories.make_organisation()
    factories.make_user(org=org)
    db.session.delete(db.session.get(Organisation, org.id))
    db.session.commit()
    assert db.session.scalars(sa.select(Membership)).all() == []
    db.session.add(Membership(user_id=999_999, organisation_id=999_999))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_csrf_failure_after_the_session_ended_offers_login_and_keeps_the_text(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/mijn-account", data={"field-plan": "Mijn plan voor de buurt", "csrf_token": "oud"},
                           headers=SAME_ORIGIN)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "/inloggen?next=/mijn-account" in html
    assert "Mijn plan voor de buurt" in html and "readonly" in html
    assert ">Plan<" in html, "the field is labelled in words, not by its form name"
    with client.session_transaction() as sess:
        assert "/mijn-account" in sess["form_stash"], "kept for after login"


def test_nul_characters_never_reach_the_database(learner_client, learner):
    response = learner_client.post("/mijn-account", data={"name": "Lot\x00te", "email": learner.email,
                                                           "locale": "nl"})
    assert response.status_code == 302
    db.session.refresh(learner)
    assert learner.name == "Lotte"
