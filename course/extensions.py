"""Extensions, created unbound here and bound in create_app()."""
import functools

import click
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints make Alembic migrations reproducible on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)



def core_rows(statement, parameters=None):
    """The result of a Core select (columns, no entities) on the session's connection, in
    its transaction, without the ORM's loading step per row: a list page's 500 rows spent
    a third of their query's time there (issue 16). Pending changes are flushed first, as
    `db.session.execute` would."""
    db.session.flush()
    return db.session.connection().execute(statement, parameters)

class LazyMigrate:
    """Flask-Migrate, bound as `Migrate().init_app()` binds it (`app.extensions["migrate"]`
    and the `flask db` commands), but Alembic (about 11 MB and 0.15 s per process) is
    imported only when a migration command or `flask_migrate.upgrade()` runs, not when a
    web worker loads the app (issue 16)."""

    def init_app(self, app, db, **options) -> None:
        app.extensions["migrate"] = _MigrateOnDemand(app, db, options)
        app.cli.add_command(_DbCommands(name="db", help="Perform database migrations."))


class _MigrateOnDemand:
    """Stands in for Flask-Migrate's config object until its first attribute is read."""

    def __init__(self, app, db, options: dict):
        self._app, self._db, self._options, self._real = app, db, options, None

    def __getattr__(self, name):
        if self._real is None:
            from flask_migrate import Migrate

            Migrate(self._app, self._db, **self._options)  # puts the real one in app.extensions
            self._real = self._app.extensions["migrate"]
        return getattr(self._real, name)


class _DbCommands(click.Group):
    """`flask db …`: Flask-Migrate's own command group, imported when it is invoked."""

    @staticmethod
    def _real() -> click.Group:
        from flask_migrate.cli import db as commands

        return commands

    def make_context(self, info_name, args, parent=None, **extra):
        return self._real().make_context(info_name, args, parent=parent, **extra)

    def list_commands(self, ctx):
        return self._real().list_commands(ctx)

    def get_command(self, ctx, cmd_name):
        return self._real().get_command(ctx, cmd_name)


db = SQLAlchemy(model_class=Base)
migrate = LazyMigrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite ignores foreign keys (and so every ON DELETE rule) unless asked, and
    waits for no lock. PostgreSQL needs neither."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def get_by_key(model, key):
    """`db.session.get(model, key)` for a model with a one-column primary key, with the
    SELECT built once per process: Session.get builds its statement and SQL cache key on
    every call, which on the workbook page cost more than the query (issue 16). An object
    the session already holds is Session.get's to return (or refresh), as before."""
    from sqlalchemy.orm.util import identity_key

    if identity_key(model, key) in db.session.identity_map:
        return db.session.get(model, key)
    return db.session.scalar(_get_by_key_statement(model), {"key": key})


def prime_lookups(*models) -> None:
    """Have each worker compile get_by_key's statement for these models before it
    serves (course/statements.py); for a lookup on a page a learner opens."""
    from course import statements

    statements.register(_get_by_key_statement, *((model,) for model in models))


@functools.cache
def _get_by_key_statement(model):
    import sqlalchemy as sa

    (column,) = sa.inspect(model).primary_key
    return sa.select(model).where(column == sa.bindparam("key"))
