"""Bodies a form does not read: JSON, XML, text, broken multipart, far too large.
Every form answers 400 (never 500), for every role, anonymous login included."""
import json

import pytest

from tests.test_access_matrix import ROWS, _client, build_world

FOREIGN_BODIES = [
    (json.dumps([1, 2]), "application/json"),
    (json.dumps({"email": ["a@b.nl"], "password": {"x": 1}, "csrf_token": 5}), "application/json"),
    ("{not json", "application/json"),
    ("<login><email>a@b.nl</email></login>", "application/xml"),
    ("email=a@b.nl", "text/plain"),
    ("--x\r\nContent-Disposition: garbage\r\n\r\n", "multipart/form-data; boundary=x"),
]
POST_ROWS = [r for r in ROWS if r.method == "POST"]


@pytest.mark.parametrize("role", ["anonymous", "learner", "trainer", "org_admin", "admin"])
def test_every_form_refuses_a_body_it_does_not_read_with_400(app, role):
    world = build_world()
    client = _client(app, world, role)
    failures = []
    json_endpoints = {name for name, view in app.view_functions.items() if getattr(view, "accepts_json", False)}
    assert {"learn.autosave", "learn.preview"} <= json_endpoints
    for row in POST_ROWS:
        path = row.path(world)
        if row.endpoint in json_endpoints:
            continue  # they read JSON defensively, after their access check (below and in the fuzz lane)
        for body, content_type in FOREIGN_BODIES:
            if content_type.startswith("multipart"):
                continue  # a broken multipart body is an empty form: the form's own messages answer
            response = client.post(path, data=body, content_type=content_type)
            response.close()
            if response.status_code != 400:
                failures.append((row.id, content_type, body[:20], response.status_code))
    assert failures == []


@pytest.mark.parametrize("row", POST_ROWS, ids=lambda r: r.id)
def test_broken_multipart_and_huge_bodies_never_give_500(app, row):
    world = build_world()
    path = row.path(world)
    for role in ("anonymous", "learner", "trainer", "org_admin", "admin"):
        client = _client(app, world, role)
        for body, content_type in [FOREIGN_BODIES[-1], ("a=" + "x" * 5_000_000, "application/x-www-form-urlencoded")]:
            response = client.post(path, data=body, content_type=content_type)
            response.close()
            assert response.status_code < 500, (row.id, role, content_type, response.status_code)


def test_json_sent_to_the_login_form_gets_the_translated_400_page(client):
    response = client.post("/inloggen", data=json.dumps([1, 2]), content_type="application/json")
    assert response.status_code == 400
    assert "Het verzoek kon niet worden verwerkt" in response.get_data(as_text=True)


def test_the_json_endpoints_still_read_json_and_refuse_forms(app, learner):
    from tests import factories

    course = factories.make_course(modules=1, sequential=False)
    factories.make_enrolment(learner, course)
    client = _client(app, type("W", (), {"learner": learner})(), "learner")
    url = f"/mijn-leren/{course.slug}/module-1/opdracht/autosave"
    saved = client.post(url, json={"fields": {"doelgroep": "Jongeren"}})
    assert saved.status_code == 200 and "saved_at" in saved.get_json()
    assert client.post(url, data="<fields/>", content_type="application/xml").status_code == 400
    preview = client.post("/mijn-leren/voorbeeld", json={"text": "**vet**"})
    assert preview.get_json()["html"] == "<p><strong>vet</strong></p>"
