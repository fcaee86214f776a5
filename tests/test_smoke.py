def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_login_page_is_dutch_by_default(client):
    response = client.get("/inloggen")
    assert response.status_code == 200
    assert b'lang="nl"' in response.data
