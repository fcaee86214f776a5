"""The platform admin searches and filters the audit log; nobody else sees it."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from course.audit.services import record_event
from course.extensions import db
from course.models import AuditAction, AuditEvent, utcnow
from tests import factories
from tests.querycount import count_queries


@pytest.fixture
def log(app, platform_admin, trainer, learner, organisation, other_organisation):
    """Three events: an old seat change, a trainer decision, an erasure."""
    other = factories.make_user(email="ander@example.org", name="Bea Ander")
    course = factories.make_course(title="Welzijn 2.0")
    record_event(AuditAction.SEATS_CHANGED, actor=platform_admin, organisation=organisation, course=course,
                 details={"seats": 10, "previous": 0})
    record_event(AuditAction.SUBMISSION_APPROVED, actor=trainer, subject=learner, organisation=other_organisation,
                 course=course)
    record_event(AuditAction.ACCOUNT_ERASED, actor=other, subject=other)
    db.session.commit()
    old = utcnow() - timedelta(days=40)
    # Back-date the first event with plain SQL: the application itself can never change an event.
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
        conn.execute(sa.text("UPDATE audit_event SET created_at = :old WHERE action = 'org.seats_changed'"),
                     {"old": old})
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only"))
    return old


def rows(response) -> int:
    return response.get_data(as_text=True).count('<th scope="row">')


def test_the_admin_sees_every_event_newest_first_with_names_read_now(admin_client, log):
    response = admin_client.get("/beheer/logboek")
    assert "3 gebeurtenissen" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, no-store"
    page = admin_client.get("/beheer/logboek").get_data(as_text=True)
    page = page[page.index("<tbody>"):]  # the table, not the filter's choices
    assert page.index("Account verwijderd") < page.index("Inzending goedgekeurd") < page.index("Plaatsen gewijzigd")
    assert "trainer@example.org" in page and "Stichting Anders" in page and "Welzijn 2.0" in page
    assert "Account verwijderd" in page


def test_the_page_speaks_english_too(admin_client, log):
    admin_client.post("/taal", data={"lang": "en"})
    page = admin_client.get("/beheer/logboek").get_data(as_text=True)
    assert "Audit log" in page and "Submission approved" in page and "3 events" in page


@pytest.mark.parametrize("query, expected", [
    ("action=review.approved", 1),
    ("actor=TRAINER@example", 1),
    ("actor=bea", 1),
    ("subject=learner@example.org", 1),
    ("subject=niemand", 0),
    ("actor=%25", 0),  # LIKE wildcards are searched literally
])
def test_filters_by_action_actor_and_subject(admin_client, log, query, expected):
    assert rows(admin_client.get(f"/beheer/logboek?{query}")) == expected


def test_filters_by_organisation_and_date_range(admin_client, log, organisation):
    assert rows(admin_client.get(f"/beheer/logboek?organisation={organisation.public_id}")) == 1
    today = utcnow().date()
    assert rows(admin_client.get(f"/beheer/logboek?date_from={today - timedelta(days=1)}")) == 2
    old = log.date()
    assert rows(admin_client.get(f"/beheer/logboek?date_from={old}&date_to={old}")) == 1


@pytest.mark.parametrize("query", ["date_from=gisteren", "action=bestaat-niet", "organisation=nope", "page=-3",
                                   "page=999999999999999999999", "page=abc"])
def test_bad_filters_are_ignored_with_a_message_never_a_500(admin_client, log, query):
    response = admin_client.get(f"/beheer/logboek?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1>Logboek</h1>" in html
    assert "<table" in html or "Geen gebeurtenissen" in html  # the log itself, filtered or not


def test_the_log_is_paginated_with_a_fixed_number_of_queries(admin_client, platform_admin, learner, organisation):
    def page_queries():
        with count_queries() as counter:
            assert admin_client.get("/beheer/logboek").status_code == 200
        return counter.count

    record_event(AuditAction.TRAINER_APPOINTED, actor=platform_admin, subject=learner, organisation=organisation)
    db.session.commit()
    few = page_queries()
    courses = [factories.make_course(modules=1), factories.make_course(modules=1)]
    for _ in range(60):
        other = factories.make_user()
        record_event(AuditAction.TRAINER_APPOINTED, actor=other, subject=factories.make_user(),
                     organisation=factories.make_organisation(), course=courses[_ % 2])
    db.session.commit()
    assert page_queries() == few
    first = admin_client.get("/beheer/logboek").get_data(as_text=True)
    assert first.count('<th scope="row">') == 50 and "Pagina 1 van 2" in first
    second = admin_client.get("/beheer/logboek?page=2&action=platform.trainer_appointed")
    assert rows(second) == 11


def test_the_admin_dashboard_links_to_the_log(admin_client):
    assert "/beheer/logboek" in admin_client.get("/beheer").get_data(as_text=True)


def test_others_get_403_and_no_link(login_as, trainer, org_admin, learner):
    for user in (trainer, org_admin, learner):
        client = login_as(user)
        assert client.get("/beheer/logboek").status_code == 403
        home = client.get("/", follow_redirects=True)
        assert home.status_code == 200 and "/beheer/logboek" not in home.get_data(as_text=True)


def test_the_page_never_writes(admin_client, log):
    before = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    admin_client.get("/beheer/logboek")
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == before
