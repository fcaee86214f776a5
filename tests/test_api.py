"""The /api/v1 read API: what each endpoint returns, and that a token sees its own
organisation only (members, cohorts, enrolments of another organisation are invisible)."""
import json

import pytest

from tests import factories
from tests.factories_api import SECRET_TEXT, bearer, make_token, team_world


@pytest.fixture
def w(app):
    return team_world()


def get(client, path, secret, **params):
    response = client.get(path, headers=bearer(secret), query_string=params)
    assert response.content_type.startswith("application/json"), response.data[:200]
    return response


def test_organisation_names_the_tokens_organisation_and_scopes(client, w):
    body = get(client, "/api/v1/organisation", w.secret).get_json()
    assert body == {"id": w.org.public_id, "name": "Stichting A",
                    "scopes": ["cohorts:read", "members:read", "progress:read"]}


def test_members_are_the_organisations_own(client, w):
    body = get(client, "/api/v1/members", w.secret).get_json()
    emails = {m["email"] for m in body["data"]}
    assert emails == {"admin-a@example.org", "anna@example.org", "bram@example.org", "cor@example.org"}
    assert body["next_cursor"] is None
    anna = next(m for m in body["data"] if m["email"] == "anna@example.org")
    assert anna["id"] == w.done.public_id and anna["role"] == "member" and anna["name"] == "Anna Afgerond"


def test_a_member_of_another_organisation_is_not_found(client, w):
    assert get(client, f"/api/v1/members/{w.done.public_id}", w.secret).get_json()["email"] == "anna@example.org"
    response = get(client, f"/api/v1/members/{w.outsider.public_id}", w.secret)
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"
    assert get(client, "/api/v1/members/../../etc", w.secret).status_code == 404


def test_cohorts_list_and_detail_stay_within_the_organisation(client, w):
    body = get(client, "/api/v1/cohorts", w.secret).get_json()
    assert [(c["name"], c["learners"], c["course"]["slug"]) for c in body["data"]] == [
        ("Team Noord", 3, w.course.slug)]
    assert get(client, f"/api/v1/cohorts/{w.cohort.public_id}", w.secret).get_json()["name"] == "Team Noord"
    assert get(client, f"/api/v1/cohorts/{w.other_cohort.public_id}", w.secret).status_code == 404
    # and the other way round
    assert get(client, f"/api/v1/cohorts/{w.cohort.public_id}", w.other_secret).status_code == 404


def test_enrolments_carry_progress_completion_certificate_and_badges(client, w):
    body = get(client, "/api/v1/enrolments", w.secret).get_json()
    by_learner = {e["learner"]["name"]: e for e in body["data"]}
    assert set(by_learner) == {"Anna Afgerond", "Bram Bezig", "Cor Nognietbegonnen"}
    anna = by_learner["Anna Afgerond"]
    assert anna["completed_at"] is not None and anna["modules_completed"] == anna["modules_total"] == 2
    assert [m["slug"] for m in anna["modules"]] == ["module-1", "module-2"]
    assert all(m["read"] and m["quiz_passed"] and m["assignment"] == "approved" for m in anna["modules"])
    assert anna["certificate"]["verify_url"].startswith("http://leerlijn.test/certificaat/")
    assert len(anna["badges"]) == 3 and {b["module"] for b in anna["badges"]} == {"module-1", "module-2", None}
    bram = by_learner["Bram Bezig"]
    assert bram["modules"][0]["assignment"] == "submitted" and bram["waiting_on_trainer"] is True
    assert bram["certificate"] is None and bram["badges"] == [] and bram["completed_at"] is None
    assert by_learner["Cor Nognietbegonnen"]["started_at"] is None


def test_never_submission_texts_or_quiz_answers(client, w):
    for path in ("/api/v1/enrolments", f"/api/v1/enrolments/{w.busy_enrolment.public_id}"):
        text = get(client, path, w.secret).get_data(as_text=True)
        assert SECRET_TEXT not in text and "geheim-antwoord" not in text
        assert "answers" not in text and "fields" not in text


def test_another_organisations_enrolments_are_invisible(client, w):
    ids = {e["id"] for e in get(client, "/api/v1/enrolments", w.secret).get_json()["data"]}
    assert w.other_enrolment.public_id not in ids
    assert get(client, f"/api/v1/enrolments/{w.other_enrolment.public_id}", w.secret).status_code == 404
    filtered = get(client, "/api/v1/enrolments", w.secret, cohort=w.other_cohort.public_id).get_json()
    assert filtered["data"] == []
    own = get(client, "/api/v1/enrolments", w.other_secret).get_json()["data"]
    assert [e["learner"]["name"] for e in own] == ["Dirk Anders"]


def test_a_learner_in_two_organisations_shows_each_only_its_own_enrolment(client, w):
    second = factories.make_course(open_enrolment=False, modules=1)
    factories.make_enrolment(w.outsider, second, cohort=factories.make_cohort(w.org, second, name="Team West"))
    from course.extensions import db
    from course.models import Membership

    db.session.add(Membership(user_id=w.outsider.id, organisation_id=w.org.id))
    db.session.commit()
    rows = get(client, "/api/v1/enrolments", w.secret).get_json()["data"]
    dirk = [e for e in rows if e["learner"]["id"] == w.outsider.public_id]
    assert [e["course"]["slug"] for e in dirk] == [second.slug]


def test_an_erased_learner_keeps_progress_without_name_or_address(client, w):
    from course.auth.services import erase_account

    erase_account(w.busy)
    rows = get(client, "/api/v1/enrolments", w.secret).get_json()["data"]
    erased = next(e for e in rows if e["id"] == w.busy_enrolment.public_id)
    assert erased["learner"] == {"id": w.busy.public_id, "name": None, "email": None, "erased": True}
    members = {m["id"] for m in get(client, "/api/v1/members", w.secret).get_json()["data"]}
    assert w.busy.public_id not in members


def test_documents_are_served_without_a_token(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.") and doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert set(doc["paths"]) == {"/api/v1/organisation", "/api/v1/members", "/api/v1/members/{member_id}",
                                 "/api/v1/cohorts", "/api/v1/cohorts/{cohort_id}", "/api/v1/enrolments",
                                 "/api/v1/enrolments/{enrolment_id}"}
    assert doc["paths"]["/api/v1/members"]["get"]["security"] == [{"bearerAuth": ["members:read"]}]
    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "default-src 'self'" in page.headers["Content-Security-Policy"]
    for path in doc["paths"]:
        assert path in html
    assert "cdn" not in html.lower() and "<script>" not in html and "style=" not in html
    assert json.dumps(doc)  # serialisable as served
    # the description tells what is in it now: the attended sessions (issue 13) are
    assert "not part of this version" not in doc["info"]["description"]
    assert "sessions attended" in doc["info"]["description"]


def test_an_unknown_api_address_answers_in_the_api_error_shape(client, w):
    for path in ("/api/v1/nope", "/api/v2/members", "/api/v1/members/x/y"):
        response = client.get(path, headers={"Authorization": f"Bearer {w.secret}"})
        body = response.get_json()
        assert response.status_code == 404 and set(body) == {"error", "message", "status"}, (path, body)
        assert body["error"] == "not_found" and body["message"]
    response = client.delete("/api/v1/members")
    assert response.status_code == 405 and response.get_json()["error"] == "method_not_allowed"


def test_a_token_of_a_revoked_or_unknown_kind_never_gets_data(client, w):
    _token, narrow = make_token(w.org, w.admin, scopes=["cohorts:read"])
    assert get(client, "/api/v1/cohorts", narrow).status_code == 200
    denied = get(client, "/api/v1/members", narrow)
    assert denied.status_code == 403 and denied.get_json()["error"] == "insufficient_scope"
    assert 'scope="members:read"' in denied.headers["WWW-Authenticate"]
