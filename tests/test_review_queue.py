"""The review queue: scope, order, waited time, filters, search, pagination,
overdue items, the navigation count, and a fixed number of queries."""
import re
from datetime import date, timedelta

import pytest

from course.models import Role
from course.review.queries import queue as queries
from tests import factories
from tests.factories_review import add_review, make_submission
from tests.querycount import count_queries


@pytest.fixture
def setup(app, trainer, organisation, other_organisation, other_trainer):
    course = factories.make_course(title="Welzijn 2.0")
    second = factories.make_course(title="Tweede cursus")
    cohort = factories.make_cohort(organisation, course, name="Groep Noord", trainers=[trainer])
    other_cohort = factories.make_cohort(other_organisation, course, name="Groep Zuid", trainers=[other_trainer])
    return course, second, cohort, other_cohort


def _learner(name, org=None):
    return factories.make_user(name=name, org=org)


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return re.findall(r'<th scope="row">([^<]+)</th>', body)


def test_queue_lists_waiting_submissions_longest_waiting_first_with_waited_time(setup, trainer, login_as):
    course, second, cohort, other_cohort = setup
    for name, days in (("Bram", 1), ("Anna", 6), ("Cees", 3)):
        enrolment = factories.make_enrolment(_learner(name), course, cohort=cohort)
        make_submission(enrolment, course.modules[0], submitted_days_ago=days)
    html = login_as(trainer).get("/beoordelen").get_data(as_text=True)
    assert _rows(html) == ["Anna", "Cees", "Bram"]
    assert "6 dagen" in html and "3 dagen" in html
    assert "langst wachtend bovenaan" in html


def test_a_trainer_sees_only_their_cohorts_and_courses(setup, trainer, other_trainer, platform_admin, login_as):
    course, second, cohort, other_cohort = setup
    mine = factories.make_enrolment(_learner("Mijn Leerling"), course, cohort=cohort)
    theirs = factories.make_enrolment(_learner("Andermans Leerling"), course, cohort=other_cohort)
    self_enrolled = factories.make_enrolment(_learner("Zelf Ingeschreven"), second)
    for enrolment, module in ((mine, course.modules[0]), (theirs, course.modules[0]),
                              (self_enrolled, second.modules[0])):
        make_submission(enrolment, module)
    assert _rows(login_as(trainer).get("/beoordelen").get_data(as_text=True)) == ["Mijn Leerling"]
    factories.assign_course_trainer(second, trainer)
    assert sorted(_rows(login_as(trainer).get("/beoordelen").get_data(as_text=True))) == [
        "Mijn Leerling", "Zelf Ingeschreven"]
    assert len(_rows(login_as(platform_admin).get("/beoordelen").get_data(as_text=True))) == 3


def test_learners_and_organisation_admins_may_not_open_the_queue(setup, learner, org_admin, login_as, client):
    assert login_as(learner).get("/beoordelen").status_code == 403
    assert login_as(org_admin).get("/beoordelen").status_code == 403
    assert client.get("/beoordelen").status_code == 302


def test_filters_by_status_course_module_group_organisation_and_name(setup, trainer, organisation, login_as):
    course, second, cohort, other_cohort = setup
    factories.assign_course_trainer(second, trainer)
    west = factories.make_cohort(organisation, course, name="Groep West", trainers=[trainer])
    a = factories.make_enrolment(_learner("Anna de Vries"), course, cohort=cohort)
    b = factories.make_enrolment(_learner("Bram Bakker"), course, cohort=west)
    c = factories.make_enrolment(_learner("Cees 100%_zeker"), second)
    make_submission(a, course.modules[0])
    make_submission(b, course.modules[1])
    make_submission(c, second.modules[0])
    decided = make_submission(a, course.modules[1])
    add_review(decided, trainer, "approved")
    client = login_as(trainer)

    def names(**args):
        return sorted(_rows(client.get("/beoordelen", query_string=args).get_data(as_text=True)))

    assert names() == ["Anna de Vries", "Bram Bakker", "Cees 100%_zeker"]
    assert names(course=second.slug) == ["Cees 100%_zeker"]
    assert names(module=f"{course.slug}/module-2") == ["Bram Bakker"]
    assert names(cohort=west.public_id) == ["Bram Bakker"]
    assert names(organisation=organisation.public_id) == ["Anna de Vries", "Bram Bakker"]
    assert names(q="bakker") == ["Bram Bakker"]
    assert names(q="100%_") == ["Cees 100%_zeker"]
    assert names(q="%%") == []
    assert names(status="approved") == ["Anna de Vries"]
    assert names(status="revision_requested") == []
    assert names(course="bestaat-niet-als-keuze") == ["Anna de Vries", "Bram Bakker", "Cees 100%_zeker"]


def test_overdue_items_are_marked_in_words_not_only_by_colour(setup, trainer, login_as):
    course, second, cohort, other_cohort = setup
    late = factories.make_enrolment(_learner("Laat"), course, cohort=cohort)
    on_time = factories.make_enrolment(_learner("Op tijd"), course, cohort=cohort)
    make_submission(late, course.modules[0], submitted_days_ago=12,
                    feedback_due_on=date.today() - timedelta(days=3))
    make_submission(on_time, course.modules[0], feedback_due_on=date.today() + timedelta(days=5))
    html = login_as(trainer).get("/beoordelen").get_data(as_text=True)
    rows = html.split("<tbody>")[1].split("</tr>")
    assert "Te laat" in rows[0] and "review-queue__overdue" in rows[0]
    assert "Te laat" not in rows[1]


def test_the_target_date_defaults_to_five_working_days_when_none_was_stored(setup, trainer):
    course, second, cohort, other_cohort = setup
    enrolment = factories.make_enrolment(_learner("Anna"), course, cohort=cohort)
    submission = make_submission(enrolment, course.modules[0])
    item = queries.queue_page(trainer, queries.QueueFilters()).items[0]
    assert item.due_on.weekday() < 5
    assert 5 <= (item.due_on - submission.submitted_at.date()).days <= 7


def test_pagination_keeps_the_filters(setup, trainer, login_as):
    course, second, cohort, other_cohort = setup
    for i in range(queries.PER_PAGE + 3):
        enrolment = factories.make_enrolment(_learner(f"Leerling {i:02d}"), course, cohort=cohort)
        make_submission(enrolment, course.modules[0], submitted_days_ago=40 - i)
    client = login_as(trainer)
    first = client.get("/beoordelen", query_string={"q": "Leerling"}).get_data(as_text=True)
    assert len(_rows(first)) == queries.PER_PAGE
    assert "Pagina 1 van 2" in first or "Page 1 of 2" in first
    assert "q=Leerling" in first and "page=2" in first
    second_page = client.get("/beoordelen", query_string={"q": "Leerling", "page": 2}).get_data(as_text=True)
    assert _rows(second_page) == ["Leerling 25", "Leerling 26", "Leerling 27"]
    assert client.get("/beoordelen", query_string={"page": 999}).status_code == 200


def test_the_queue_uses_a_fixed_number_of_queries(setup, trainer, login_as, app):
    course, second, cohort, other_cohort = setup
    client = login_as(trainer)

    def fill(n):
        for _ in range(n):
            enrolment = factories.make_enrolment(_learner("Leerling"), course, cohort=cohort)
            make_submission(enrolment, course.modules[0])
            make_submission(enrolment, course.modules[1])

    fill(2)
    client.get("/beoordelen")
    with count_queries() as small:
        assert client.get("/beoordelen").status_code == 200
    fill(15)
    with count_queries() as large:
        assert client.get("/beoordelen").status_code == 200
    assert small.count == large.count
    assert large.count <= 10, large.statements


def test_queue_query_functions_use_a_fixed_number_of_queries(setup, trainer):
    course, second, cohort, other_cohort = setup
    for _ in range(12):
        enrolment = factories.make_enrolment(_learner("Leerling"), course, cohort=cohort)
        make_submission(enrolment, course.modules[0])
    assert trainer.role  # loaded before counting
    with count_queries() as counter:
        page = queries.queue_page(trainer, queries.QueueFilters())
        [(i.learner.name, i.module.title, i.course.title, i.cohort.name, i.organisation.name) for i in page.items]
    assert counter.count == 2


def test_the_queue_page_counts_waiting_work_once_and_the_navigation_ignores_its_filters(setup, trainer, login_as):
    """Unfiltered, the queue's total is the navigation's number, counted once (issue 16);
    filtered, the navigation still says everything that waits."""
    course, second, cohort, other_cohort = setup
    for name in ("Anna", "Bram", "Cas"):
        make_submission(factories.make_enrolment(_learner(name), course, cohort=cohort), course.modules[0])
    client = login_as(trainer)
    client.get("/beoordelen")
    with count_queries() as unfiltered:
        html = client.get("/beoordelen").get_data(as_text=True)
    assert "3 te beoordelen" in html and len(_rows(html)) == 3
    with count_queries() as filtered:
        html = client.get("/beoordelen?q=Anna").get_data(as_text=True)
    assert "3 te beoordelen" in html and len(_rows(html)) == 1
    assert unfiltered.count == filtered.count - 1


def test_the_navigation_shows_how_many_are_waiting(setup, trainer, login_as):
    course, second, cohort, other_cohort = setup
    for _ in range(7):
        enrolment = factories.make_enrolment(_learner("Leerling"), course, cohort=cohort)
        make_submission(enrolment, course.modules[0])
    html = login_as(trainer).get("/voortgang").get_data(as_text=True)
    assert "7 te beoordelen" in html
    assert queries.waiting_count(factories.make_user(role=Role.LEARNER.value)) == 0


def test_the_page_filters_the_joined_enrolment_on_postgresql_and_both_shapes_list_the_same(
        setup, trainer, is_postgres):
    """PostgreSQL plans the page far faster with the scope on the joined enrolment than
    with an IN on the trainer's enrolments (SQLite the other way round): the same rows."""
    import dataclasses

    from course.extensions import db

    course, second, cohort, other_cohort = setup
    for name, enrolment_course, group in (("Noord", course, cohort), ("Zuid", course, other_cohort),
                                          ("Zelf", second, None), ("Zelf Welzijn", course, None)):
        for days in (1, 4):
            make_submission(factories.make_enrolment(_learner(f"{name} {days}"), enrolment_course, cohort=group),
                            enrolment_course.modules[0], submitted_days_ago=days)
    factories.assign_course_trainer(second, trainer)
    key = dataclasses.astuple(queries.QueueFilters())

    def names(joined: bool) -> list[str]:
        statement = queries._page_statement(trainer.id, trainer.role, key, 25, 0, joined)
        return [row.learner_name for row in db.session.execute(statement)]

    assert names(True) == names(False) == ["Noord 4", "Zelf 4", "Noord 1", "Zelf 1"]
    with count_queries() as counter:
        queries.queue_page(trainer, queries.QueueFilters())
    page_sql = counter.statements[-1]
    assert ("IN (SELECT enrolment.id" not in page_sql) is is_postgres


def test_the_union_of_a_trainers_enrolments_is_the_scope(setup, trainer, other_organisation, is_postgres):
    """permissions.reviewed_enrolment_ids (PostgreSQL's IN for the counts) selects what
    the scope's OR selects, for every way a trainer reviews a learner."""
    import sqlalchemy as sa

    from course import permissions
    from course.extensions import db
    from course.models import Enrolment

    course, second, cohort, other_cohort = setup
    third = factories.make_course(title="Derde cursus")
    third.course_trainers_see_cohorts = True
    third_cohort = factories.make_cohort(other_organisation, third, name="Groep Oost")
    factories.assign_course_trainer(second, trainer)
    factories.assign_course_trainer(third, trainer)
    seen = [factories.make_enrolment(_learner("Noord"), course, cohort=cohort),  # cohort trainer
            factories.make_enrolment(_learner("Zelf Tweede"), second),  # course trainer, self-enrolled
            factories.make_enrolment(_learner("Oost"), third, cohort=third_cohort)]  # course sees cohorts
    hidden = [factories.make_enrolment(_learner("Zuid"), course, cohort=other_cohort),
              factories.make_enrolment(_learner("Zelf Welzijn"), course),
              factories.make_enrolment(_learner("Groep Tweede"), second,
                                       cohort=factories.make_cohort(other_organisation, second, name="West"))]
    db.session.commit()
    by_or = set(db.session.scalars(sa.select(Enrolment.id).where(permissions.enrolments_visible_to_trainer(trainer))))
    by_union = set(db.session.scalars(permissions.reviewed_enrolment_ids(trainer)))
    assert by_or == by_union == {e.id for e in seen}
    assert not by_union & {e.id for e in hidden}
    with count_queries() as counter:
        queries.queue_page(trainer, queries.QueueFilters())
    assert ("UNION ALL" in counter.statements[0]) is is_postgres  # the count
