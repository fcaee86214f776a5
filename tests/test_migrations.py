"""The schema comes from migrations, and they agree with the models."""
import secrets

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from config import TestConfig
from course import create_app
from course.extensions import db


@pytest.fixture
def empty_database(database_url, is_postgres, tmp_path):
    """A database with nothing in it, of the same kind as the test lane."""
    if not is_postgres:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    server = sa.engine.make_url(database_url)
    name = f"leerlijn_migrate_{secrets.token_hex(4)}"
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _differences(app) -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_builds_the_whole_schema_and_matches_the_models(empty_database):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=empty_database)
    with app.app_context():
        upgrade()
        diffs = _differences(app)
        tables = set(sa.inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert diffs == [], "models and migrations disagree: run `flask db migrate`"
    assert {t.name for t in db.metadata.sorted_tables} <= tables


def test_a_migration_leaves_the_apps_loggers_working(empty_database):
    """Alembic's fileConfig disabled every logger that existed already (course.warmup's
    warnings vanished in a process that had run a migration)."""
    import logging

    import course.warmup  # noqa: F401  (its logger exists before the migration)

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=empty_database)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    assert logging.getLogger("course.warmup").disabled is False


def test_downgrade_to_base_and_upgrade_again(empty_database):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=empty_database)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        db.engine.dispose()
