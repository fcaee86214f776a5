"""Private pages are never stored by a browser or proxy: every page and export for a
logged-in user says `Cache-Control: private, no-store`. Public pages for visitors
(home, catalogue, badge verification) and static files stay cacheable."""
import pytest

from tests.test_access_matrix import ROWS, _client, build_world

GET_ROWS = [r for r in ROWS if r.method == "GET" and r.endpoint != "static"]
LOGGED_IN = ("learner", "trainer", "org_admin", "admin")


def _no_store(response) -> bool:
    value = response.headers.get("Cache-Control", "")
    return "private" in value and "no-store" in value


@pytest.mark.parametrize("role", LOGGED_IN)
def test_every_page_and_export_for_a_logged_in_user_is_private_and_not_stored(app, role):
    world = build_world()
    client = _client(app, world, role)
    answered = []
    for row in GET_ROWS:
        response = client.get(row.path(world))
        response.close()
        if response.status_code == 200:
            answered.append(row.endpoint)
            assert _no_store(response), f"{row.id} as {role}: {response.headers.get('Cache-Control')}"
    assert len(answered) > 10


def test_the_personal_exports_are_never_stored(app):
    world = build_world()
    exports = [r for r in GET_ROWS if r.endpoint.endswith(("_csv", "_pdf", "export_progress", "export_attendance",
                                                          "download_markdown"))]
    assert len(exports) >= 5
    for row in exports:
        for role in ("trainer", "admin", "org_admin", "learner"):
            response = _client(app, world, role).get(row.path(world))
            response.close()
            if response.status_code == 200:
                assert _no_store(response), (row.id, role)


def test_public_pages_for_visitors_and_static_files_stay_cacheable(app):
    world = build_world()
    client = _client(app, world, "anonymous")
    badge = next(r for r in GET_ROWS if r.endpoint == "badges.assertion_page").path(world)
    for path in ("/", "/cursussen", "/static/css/app.css", badge):
        response = client.get(path)
        response.close()
        assert response.status_code == 200, path
        assert "no-store" not in response.headers.get("Cache-Control", ""), path
    static = _client(app, world, "learner").get("/static/css/app.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")
