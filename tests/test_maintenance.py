"""The query planner's statistics (course/maintenance.py): refreshed nightly by the worker
and by `flask maintenance analyse`; with them SQLite reads a group's matrix through the
group's index instead of every enrolment of the course (issue 16)."""
import pytest
import sqlalchemy as sa

from course import maintenance
from course.extensions import db
from course.review.queries import matrix
from course.review.queries.scope import load_scope
from course.worker.jobs import JOBS
from course.worker.schedule import Daily, parse_time
from tests import factories


@pytest.fixture
def forget_statistics(is_postgres):
    """ANALYZE leaves sqlite_stat1 behind, which the table cleanup does not know: the
    next tests get the planner they always had."""
    yield
    if not is_postgres:
        db.session.rollback()
        db.session.execute(sa.text("DROP TABLE IF EXISTS sqlite_stat1"))
        db.session.commit()


def _two_groups_of_one_course(organisation, trainer):
    course = factories.make_course()
    groups = [factories.make_cohort(organisation, course, trainers=[trainer]) for _ in range(4)]
    for group in groups:
        for _ in range(6):
            factories.make_enrolment(factories.make_user(), course, cohort=group)
    db.session.commit()
    return course, groups


def _matrix_statement(trainer, group) -> tuple[str, tuple]:
    """The SQL and parameters of the matrix's main query, as the page runs it."""
    seen = []

    def listen(_conn, _cursor, statement, parameters, _context, _many):
        if "progress_summary" in statement and "ORDER BY" in statement and "enrolment.public_id" in statement:
            seen.append((statement, parameters))

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", listen)
    try:
        with db.session.no_autoflush:
            matrix.progress_matrix(trainer, load_scope(trainer, "groep", group.public_id))
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", listen)
    [found] = seen
    return found


def test_with_statistics_sqlite_reads_a_group_through_its_own_index(app, organisation, trainer, is_postgres,
                                                                     forget_statistics):
    """Without statistics SQLite picks one of the two indexes by the order they were made
    in (half the test runs: the course's); with them, always the group's."""
    _course, groups = _two_groups_of_one_course(organisation, trainer)
    assert maintenance.refresh_statistics() == ("postgresql" if is_postgres else "sqlite")
    if is_postgres:  # the planner's input there: the table's analysed row count
        assert db.session.scalar(sa.text("SELECT reltuples FROM pg_class WHERE relname = 'enrolment'")) == 24
        return
    assert db.session.scalar(sa.text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'enrolment'")) > 0
    statement, parameters = _matrix_statement(trainer, groups[0])
    sqlite = db.session.connection().connection.driver_connection
    plan = " | ".join(row[3] for row in sqlite.execute("EXPLAIN QUERY PLAN " + statement, parameters))
    assert "ix_enrolment_cohort_id" in plan, plan


def test_the_command_and_the_nightly_job_refresh_them(app, is_postgres, forget_statistics):
    result = app.test_cli_runner().invoke(args=["maintenance", "analyse"])
    assert result.exit_code == 0, result.output
    assert f"({'postgresql' if is_postgres else 'sqlite'})" in result.output
    [job] = [j for j in JOBS if j.name == "planner_statistics"]
    assert job.function() is maintenance.refresh_statistics
    assert job.schedule(app.config) == Daily(parse_time(app.config["STATISTICS_TIME"]))
