"""Every route × every role answers as its row in tests/access/ says.
A new endpoint without a row fails `test_every_endpoint_has_a_row`."""
import importlib
import pkgutil
from types import SimpleNamespace

import pytest

import tests.access as access
from tests import factories
from tests.access import ROLES

AREAS = [importlib.import_module(f"tests.access.{m.name}") for m in pkgutil.iter_modules(access.__path__)]
ROWS = [row for area in AREAS for row in area.ROWS]
AREA_OF = {id(row): area for area in AREAS for row in area.ROWS}


def _with_needs(area) -> list:
    """The area, after the areas its rows also stand on (`NEEDS = ("review",)`)."""
    names = {f"tests.access.{name}" for name in getattr(area, "NEEDS", ())}
    return [a for a in AREAS if a.__name__ in names] + [area]


def build_world(only=None) -> SimpleNamespace:
    """The shared world, plus what each area prepares; `only`: just that area's part
    (a row needs its own area's objects, and building all of them for every row and
    role was most of the matrix's time)."""
    w = SimpleNamespace()
    w.org = factories.make_organisation(name="Stichting Matrix")
    w.other_org = factories.make_organisation(name="Stichting Elders")
    w.trainer = factories.make_user(role="trainer")
    w.other_trainer = factories.make_user(role="trainer")
    w.admin = factories.make_user(role="admin")
    w.org_admin = factories.make_user(org=w.org, org_role="admin")
    w.other_org_admin = factories.make_user(org=w.other_org, org_role="admin")
    w.learner = factories.make_user(org=w.org)
    w.other_learner = factories.make_user(org=w.other_org)
    w.course = factories.make_course(open_enrolment=False)
    w.module = w.course.modules[0]
    w.cohort = factories.make_cohort(w.org, w.course, trainers=[w.trainer])
    w.other_cohort = factories.make_cohort(w.other_org, w.course, trainers=[w.other_trainer])
    w.enrolment = factories.make_enrolment(w.learner, w.course, cohort=w.cohort)
    w.other_enrolment = factories.make_enrolment(w.other_learner, w.course, cohort=w.other_cohort)
    for area in AREAS if only is None else _with_needs(only):
        prepare = getattr(area, "prepare", None)
        if prepare:
            prepare(w)
    return w


def world_for(row) -> SimpleNamespace:
    """The world a row's requests need: its area's part only (the full world for a row
    from elsewhere)."""
    return build_world(AREA_OF.get(id(row)))


def _client(app, world, role):
    if role == "anonymous":
        return app.test_client()
    user = getattr(world, role)
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
    return client


def _check(app, world, row, role):
    client = _client(app, world, role)
    data = row.data(world) if row.data else {}
    response = client.open(row.path(world), method=row.method, data=data)
    response.close()
    expected = row.expect[role]
    assert response.status_code == expected, (
        f"{row.id} as {role}: expected {expected}, got {response.status_code} "
        f"({response.headers.get('Location', '')})"
    )
    if role == "anonymous" and expected == 302 and row.expect.get("learner") != 302:
        assert "/inloggen" in response.headers["Location"]


def test_every_endpoint_has_a_row(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    covered = {row.endpoint for row in ROWS}
    assert sorted(endpoints - covered) == [], "endpoints without a row in tests/access/"
    assert sorted(covered - endpoints) == [], "rows for endpoints that do not exist"


@pytest.mark.parametrize("row", [r for r in ROWS if r.method == "GET"], ids=lambda r: r.id)
def test_get_routes_answer_each_role_as_specified(app, row):
    world = build_world(AREA_OF[id(row)])
    for role in ROLES:
        _check(app, world, row, role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", [r for r in ROWS if r.method != "GET"], ids=lambda r: r.id)
def test_post_routes_answer_each_role_as_specified(app, row, role):
    world = build_world(AREA_OF[id(row)])
    _check(app, world, row, role)
