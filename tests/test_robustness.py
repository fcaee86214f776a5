"""Never a 500: every route, for every role, with hostile input, in both languages."""
import pytest

from tests.access import ROLES
from tests.test_access_matrix import AREA_OF, ROWS, _client, build_world

HOSTILE_VALUES = [
    "",
    "x" * 30_000,
    "<script>alert(1)</script>",
    "'; DROP TABLE user; --",
    "Şükrü Łucja Nguyễn محمد 👩🏽‍💻",
    "=HYPERLINK(\"http://evil\")",
    "-1",
    "99999999999999999999999",
    "\x00\x01",
    "../../etc/passwd",
]


def _hostile_form(row, world, value):
    data = dict(row.data(world)) if row.data else {}
    fields = set(data) | {"name", "email", "title", "body", "password", "csrf_token", "lock_version",
                          "decision", "page", "seats", "lang", "next", "number", "text"}
    return {field: value for field in fields}


@pytest.mark.parametrize("row", [r for r in ROWS if r.method != "GET"], ids=lambda r: r.id)
def test_post_routes_never_fail_on_hostile_input(app, row):
    world = build_world(AREA_OF[id(row)])
    path = row.path(world)  # before a request may delete the object
    forms = [_hostile_form(row, world, value) for value in HOSTILE_VALUES]
    for role in ("anonymous", "learner", "trainer", "org_admin", "admin"):
        client = _client(app, world, role)
        for value, form in zip(HOSTILE_VALUES, forms, strict=True):
            response = client.post(path, data=form)
            response.close()
            assert response.status_code < 500, f"{row.id} as {role} with {value[:30]!r}: {response.status_code}"


@pytest.mark.parametrize("row", [r for r in ROWS if r.method == "GET" and r.endpoint != "static"],
                         ids=lambda r: r.id)
def test_get_routes_never_fail_on_hostile_query_strings(app, row):
    world = build_world(AREA_OF[id(row)])
    for role in ("anonymous", "learner", "trainer", "org_admin", "admin"):
        client = _client(app, world, role)
        for value in HOSTILE_VALUES[1:4] + ["-5", "0", "abc"]:
            query = {key: value for key in ("page", "q", "status", "course", "module", "cohort", "organisation",
                                            "stuck_days", "sep", "filter", "days", "next")}
            response = client.get(row.path(world), query_string=query)
            response.close()
            assert response.status_code < 500, f"{row.id} as {role} with {value[:30]!r}: {response.status_code}"


@pytest.mark.parametrize("row", [r for r in ROWS if r.method == "GET" and r.endpoint != "static"],
                         ids=lambda r: r.id)
def test_every_page_works_in_english(app, row):
    world = build_world(AREA_OF[id(row)])
    for role in ROLES:
        user = getattr(world, role, None)
        if user is not None:
            user.locale = "en"
    from course.extensions import db

    db.session.commit()
    for role in ROLES:
        client = _client(app, world, role)
        response = client.get(row.path(world), headers={"Accept-Language": "en"})
        response.close()
        assert response.status_code == row.expect[role], f"{row.id} as {role} in English"
        if response.status_code == 200 and response.mimetype == "text/html":
            assert 'lang="en"' in response.get_data(as_text=True)
