"""Sessions: logging out ends the session on the server; a cross-site POST neither logs
the user out nor plants text; the form stash is bounded; the CSRF secret is new after login."""
import re

import sqlalchemy as sa
from flask_login.utils import encode_cookie

from course.extensions import db
from course.models import FormStash
from course.stash import MAX_ENTRY
from tests import factories

CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Origin": "https://aanvaller.example"}
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}


def _login(client, user):
    response = client.post("/inloggen", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    return client.get_cookie("session").value


def test_a_session_cookie_copied_before_logout_no_longer_works_after_it(app, learner):
    client = app.test_client()
    copied = _login(client, learner)
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/mijn-account").status_code == 200, "the copy works while the session lasts"
    client.post("/uitloggen")
    replay = app.test_client()
    replay.set_cookie("session", copied)
    assert replay.get("/mijn-account").status_code == 302


def test_a_remember_me_cookie_stops_working_at_logout(app, learner):
    with app.test_request_context():
        remember = encode_cookie(learner.get_id())
    before = app.test_client()
    before.set_cookie("remember_token", remember)
    assert before.get("/mijn-account").status_code == 200
    client = app.test_client()
    _login(client, learner)
    client.post("/uitloggen")
    after = app.test_client()
    after.set_cookie("remember_token", remember)
    assert after.get("/mijn-account").status_code == 302


def _csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_a_csrf_token_from_before_login_does_not_work_after_it(csrf_app, learner):
    client = csrf_app.test_client()
    before = _csrf_token(client.get("/inloggen").text)
    response = client.post("/inloggen", data={"email": learner.email, "password": factories.PASSWORD,
                                              "csrf_token": before})
    assert response.status_code == 302
    stale = client.post("/mijn-account", data={"name": "Via oude token", "locale": "nl", "csrf_token": before},
                        headers=SAME_ORIGIN)
    assert stale.status_code == 400
    fresh = _csrf_token(client.get("/mijn-account").text)
    ok = client.post("/mijn-account", data={"name": "Nieuwe naam", "locale": "nl", "csrf_token": fresh})
    assert ok.status_code == 302
    db.session.refresh(learner)
    assert learner.name == "Nieuwe naam"


def test_a_cross_site_post_without_the_cookie_sets_no_cookie_and_keeps_nothing(csrf_app):
    """SameSite=Lax keeps the visitor's cookie off a cross-site POST. Answering with a new
    cookie would replace theirs and log them out; keeping the text would plant it in their form."""
    client = csrf_app.test_client()
    response = client.post("/mijn-account", data={"name": "Geplante tekst", "csrf_token": "vals"},
                           headers=CROSS_SITE)
    assert response.status_code == 400
    assert "Set-Cookie" not in response.headers
    assert "Geplante tekst" not in response.text
    assert db.session.scalars(sa.select(FormStash)).all() == []


def test_a_cross_site_post_that_carries_the_cookie_leaves_the_user_logged_in(csrf_app, learner):
    course = factories.make_course(modules=1, sequential=False)
    factories.make_enrolment(learner, course)
    url = f"/mijn-leren/{course.slug}/module-1/opdracht"
    client = csrf_app.test_client()
    _login_with_token(client, learner)
    response = client.post(url, data={"action": "save", "field-doelgroep": "Geplante tekst", "csrf_token": "x"},
                           headers={"Sec-Fetch-Site": "same-site"})
    assert response.status_code == 400 and "Geplante tekst" not in response.text
    assert db.session.scalars(sa.select(FormStash)).all() == []
    page = client.get(url)
    assert page.status_code == 200, "still logged in"
    assert "Geplante tekst" not in page.text


def _login_with_token(client, user):
    token = _csrf_token(client.get("/inloggen").text)
    assert client.post("/inloggen", data={"email": user.email, "password": factories.PASSWORD,
                                          "csrf_token": token}).status_code == 302


def test_an_expired_session_post_from_another_site_is_not_kept(client):
    response = client.post("/mijn-account", data={"name": "Geplante tekst"}, headers=CROSS_SITE)
    assert response.status_code == 302
    assert "Set-Cookie" not in response.headers
    assert db.session.scalars(sa.select(FormStash)).all() == []


def test_a_same_origin_post_is_still_kept(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/mijn-account", data={"field-plan": "Mijn plan", "csrf_token": "oud"},
                           headers=SAME_ORIGIN)
    assert response.status_code == 400 and "Mijn plan" in response.text
    assert [s.data["field-plan"] for s in db.session.scalars(sa.select(FormStash))] == [["Mijn plan"]]


def _stored_size() -> int:
    return sum(len(str(row.data)) for row in db.session.scalars(sa.select(FormStash)))


def test_a_huge_anonymous_bad_token_post_stores_a_bounded_entry(csrf_app):
    """It stored 3.4 MB per post: 70 fields of 50,000 characters."""
    client = csrf_app.test_client()
    data = {f"field-{n}": "x" * 50_000 for n in range(70)}
    response = client.post("/mijn-account", data={**data, "csrf_token": "vals"}, headers=SAME_ORIGIN)
    assert response.status_code == 400
    assert 0 < _stored_size() <= 250_000, "a bounded entry, not 3.5 MB"
    assert MAX_ENTRY <= 200_000


def test_the_stash_is_rate_limited_per_visitor(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=True, FORM_STASH_LIMIT="2 per minute")
    with app.app_context():
        for n in range(4):
            app.test_client().post("/mijn-account", data={"field-plan": f"Tekst {n}", "csrf_token": "x"},
                                   headers=SAME_ORIGIN)
        assert db.session.scalar(sa.select(sa.func.count(FormStash.id))) == 2


def test_the_stash_stops_at_its_total_size(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, FORM_STASH_MAX_TOTAL=30_000)
    with app.app_context():
        for _ in range(3):
            app.test_client().post("/mijn-account", data={"field-plan": "y" * 20_000, "csrf_token": "x"},
                                   headers=SAME_ORIGIN)
        assert db.session.scalar(sa.select(sa.func.count(FormStash.id))) == 2, "stops once past the total"
