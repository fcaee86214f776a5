"""The bench data set (bench/data.py) on PostgreSQL: statistics after the bulk load."""
import pytest
import sqlalchemy as sa

from bench import data
from course.extensions import db
from tests import factories


def _estimated_users() -> float:
    return db.session.scalar(sa.text("SELECT reltuples FROM pg_class WHERE oid = '\"user\"'::regclass"))


def test_the_planner_has_statistics_after_the_bulk_load(app, is_postgres):
    if not is_postgres:
        pytest.skip("PostgreSQL only (TEST_DATABASE_URL): SQLite's planner keeps no statistics")
    with app.app_context():
        for _ in range(3):
            factories.make_user()
        db.session.commit()
        assert _estimated_users() != 3  # not analysed yet (a server may run without autovacuum)
        data.analyse()
        assert _estimated_users() == 3
        db.session.remove()
