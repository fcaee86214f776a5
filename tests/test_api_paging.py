"""Cursor pagination, updated_since and a fixed number of queries per page."""
from datetime import timedelta

import pytest

from course.extensions import db
from course.models import ProgressEvent, utcnow
from tests import factories
from tests.factories_api import bearer, make_token
from tests.factories_org import complete_module
from tests.querycount import count_queries


@pytest.fixture
def org(app):
    org = factories.make_organisation(name="Stichting Pagina")
    org.admin = factories.make_user(org=org, org_role="admin")
    org.course = factories.make_course(open_enrolment=False, modules=3)
    org.cohort = factories.make_cohort(org, org.course)
    _token, org.secret = make_token(org, org.admin)
    return org


def _enrol(org, count):
    result = []
    for _ in range(count):
        user = factories.make_user(org=org)
        result.append(factories.make_enrolment(user, org.course, cohort=org.cohort))
    return result


def _all_pages(client, path, secret, **params):
    seen, cursor, pages = [], None, 0
    while True:
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        body = client.get(path, headers=bearer(secret), query_string=query).get_json()
        seen += [item["id"] for item in body["data"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, pages


@pytest.mark.parametrize("path", ["/api/v1/members", "/api/v1/enrolments"])
def test_pages_follow_the_cursor_to_the_end_without_gaps_or_repeats(client, org, path):
    _enrol(org, 7)
    everything, pages = _all_pages(client, path, org.secret, limit=500)
    paged, small_pages = _all_pages(client, path, org.secret, limit=3)
    assert paged == everything and len(set(paged)) == len(paged) and pages == 1
    assert small_pages == -(-len(everything) // 3)


@pytest.mark.parametrize("params", [{"limit": "0"}, {"limit": "501"}, {"limit": "veel"}, {"limit": "-3"},
                                    {"cursor": "nonsense"}, {"updated_since": "gisteren"},
                                    {"updated_since": "2026-13-01"}, {"updated_since": "9999-12-31T23:59:59-23:59"},
                                    {"updated_since": "1"}])
def test_bad_parameters_answer_400_json_never_500(client, org, params):
    for path in ("/api/v1/members", "/api/v1/cohorts", "/api/v1/enrolments"):
        response = client.get(path, headers=bearer(org.secret), query_string=params)
        assert response.status_code == 400, (path, params, response.data[:200])
        body = response.get_json()
        assert body["error"] == "invalid_parameter" and next(iter(params)) in body["message"]


def test_a_cursor_of_one_list_is_refused_by_another(client, org):
    _enrol(org, 3)
    cursor = client.get("/api/v1/members", headers=bearer(org.secret), query_string={"limit": 1}).get_json()
    assert cursor["next_cursor"]
    response = client.get("/api/v1/enrolments", headers=bearer(org.secret),
                          query_string={"cursor": cursor["next_cursor"]})
    assert response.status_code == 400


def test_updated_since_returns_only_enrolments_that_changed(client, org):
    old, moved, finished = _enrol(org, 3)
    long_ago = utcnow() - timedelta(days=30)
    for e in (old, moved, finished):
        e.enrolled_at = long_ago
    db.session.commit()
    since = utcnow() - timedelta(days=1)
    db.session.add(ProgressEvent(enrolment_id=moved.id, kind="reading_done", actor_id=moved.user_id, data={}))
    db.session.commit()
    complete_module(finished, org.course.modules[0])
    db.session.add(ProgressEvent(enrolment_id=finished.id, kind="module_completed", data={}))
    db.session.commit()
    stamp = since.strftime("%Y-%m-%dT%H:%M:%SZ")
    body = client.get("/api/v1/enrolments", headers=bearer(org.secret), query_string={"updated_since": stamp})
    assert {e["id"] for e in body.get_json()["data"]} == {moved.public_id, finished.public_id}
    # the same moment with an offset (Amsterdam in winter), and as a bare date far back
    local = (since + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S+01:00")
    body = client.get("/api/v1/enrolments", headers=bearer(org.secret), query_string={"updated_since": local})
    assert len(body.get_json()["data"]) == 2
    body = client.get("/api/v1/enrolments", headers=bearer(org.secret), query_string={"updated_since": "2000-01-01"})
    assert len(body.get_json()["data"]) == 3


def test_updated_since_on_members_and_cohorts(client, org):
    future = (utcnow() + timedelta(days=1)).isoformat()
    for path in ("/api/v1/members", "/api/v1/cohorts"):
        assert client.get(path, headers=bearer(org.secret), query_string={"updated_since": future}).get_json()[
            "data"] == []
        assert client.get(path, headers=bearer(org.secret),
                          query_string={"updated_since": "2000-01-01T00:00:00Z"}).get_json()["data"]


def _count(client, path, secret):
    with count_queries() as counter:
        response = client.get(path, headers=bearer(secret), query_string={"limit": 500})
    assert response.status_code == 200
    return counter.count


@pytest.mark.parametrize("path", ["/api/v1/members", "/api/v1/cohorts", "/api/v1/enrolments"])
def test_a_page_costs_the_same_number_of_queries_whatever_its_size(client, org, path):
    from tests.factories_badges import completed_enrolment

    _enrol(org, 2)
    small = _count(client, path, org.secret)
    for enrolment in _enrol(org, 10):
        complete_module(enrolment, org.course.modules[0])
    for _ in range(3):
        completed_enrolment(factories.make_user(org=org), factories.make_course(open_enrolment=False),
                            cohort=factories.make_cohort(org, org.course))
    assert _count(client, path, org.secret) == small


def test_updated_since_sees_changes_to_members_and_cohorts_not_only_new_rows(client, org):
    """A nightly sync learns of a new name, a new role, a renamed group and a group's new
    learner, and not of what stayed the same (audit15)."""
    import sqlalchemy as sa

    from course.admin.services import remove_org_admin
    from course.auth.services import update_profile
    from course.models import Cohort, Membership
    from course.org.cohorts import enrol_into_cohort, update_cohort
    from tests.factories_org import make_licence

    make_licence(org, org.course, seats=10)
    renamed = factories.make_user(org=org)
    factories.make_user(org=org)  # unchanged
    factories.make_cohort(org, org.course, name="Stil")  # unchanged
    grows = factories.make_cohort(org, org.course, name="Groeit")
    long_ago = utcnow() - timedelta(days=30)
    db.session.execute(sa.update(Membership).values(created_at=long_ago, updated_at=long_ago))
    db.session.execute(sa.update(Cohort).values(created_at=long_ago, updated_at=long_ago))
    db.session.commit()
    since = (utcnow() - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    update_profile(renamed, "Nieuwe Naam", renamed.locale, None)
    remove_org_admin(org, org.admin)  # admin → member
    update_cohort(org.cohort, "Nieuwe groepsnaam", None, None, [])
    enrol_into_cohort(factories.make_user(), grows)
    db.session.commit()

    def changed(path):
        body = client.get(path, headers=bearer(org.secret), query_string={"updated_since": since}).get_json()
        return {item["name"] for item in body["data"]}

    new_learner = db.session.scalars(sa.select(Membership).order_by(Membership.id.desc())).first().user.name
    assert changed("/api/v1/members") == {"Nieuwe Naam", org.admin.name, new_learner}
    assert changed("/api/v1/cohorts") == {"Nieuwe groepsnaam", "Groeit"}
