"""The bench data set (bench/data.py): the planner's statistics after the bulk load, on
both databases (course/maintenance.py)."""
import sqlalchemy as sa

from bench import data
from course.extensions import db
from tests import factories
from tests.test_maintenance import forget_statistics  # noqa: F401  (fixture)


def _estimated_users(is_postgres) -> float:
    if is_postgres:
        return db.session.scalar(sa.text("SELECT reltuples FROM pg_class WHERE oid = '\"user\"'::regclass"))
    exists = db.session.scalar(sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"))
    if not exists:
        return -1
    stat = db.session.scalar(sa.text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'user' LIMIT 1"))
    return float(stat.split()[0]) if stat else -1


def test_the_planner_has_statistics_after_the_bulk_load(app, is_postgres, forget_statistics):  # noqa: F811
    with app.app_context():
        for _ in range(3):
            factories.make_user()
        db.session.commit()
        assert _estimated_users(is_postgres) != 3  # not analysed yet (a server may run without autovacuum)
        data.analyse()
        assert _estimated_users(is_postgres) == 3
        db.session.remove()
