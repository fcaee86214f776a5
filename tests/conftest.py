"""Fixtures: one database per test session (SQLite file, or a fresh PostgreSQL
database when LEERLIJN_TEST_DB / TEST_DATABASE_URL points at a server), emptied
after every test; the app; a client; and a logged-in client for each role."""
import os
import secrets
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient

from config import TestConfig
from course import create_app
from course.extensions import db, limiter
from tests import factories

ROOT = Path(__file__).resolve().parent.parent


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_without_fsync(dbapi_connection, _record) -> None:
    """The test databases are thrown away: no fsync per commit (about half of the
    suite's time went to it). Durability is the only thing this gives up; locking and
    transactions behave as in production. Processes the tests start are unaffected."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()


def _server_url() -> str | None:
    url = os.environ.get("LEERLIJN_TEST_DB") or os.environ.get("TEST_DATABASE_URL") or ""
    return None if url in ("", "sqlite") else url


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    server = _server_url()
    if server is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        yield url
        _dispose_engines(url)
        return
    base = sa.engine.make_url(server)
    name = f"leerlijn_test_{secrets.token_hex(4)}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        # As PRAGMA synchronous=OFF above, for this throwaway database only (the server's
        # settings are untouched): a commit no longer waits for its WAL flush to disk.
        conn.execute(sa.text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    url = base.set(database=name).render_as_string(hide_password=False)
    yield url
    _dispose_engines(url)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def is_postgres(database_url) -> bool:
    return database_url.startswith("postgresql")


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url,
                     LEERLIJN_INSTANCE=str(tmp_path_factory.mktemp("instance")))
    _remember_limiter()  # as the default test configuration leaves it
    with app.app_context():
        db.create_all()
        db.session.remove()
        db.engine.dispose()
    return True


_CLEANUP_ENGINES: dict = {}


def _dispose_engines(database_url: str) -> None:
    """Close every pooled connection to a database before it is dropped."""
    for (url, _key), app in list(_APP_CACHE.items()):
        if url == database_url:
            for each in (app, app.test_client.__self__):
                with each.app_context():
                    db.engine.dispose()
            del _APP_CACHE[(url, _key)]
    engine = _CLEANUP_ENGINES.pop(database_url, None)
    if engine is not None:
        engine.dispose()


def _empty_all_tables(database_url: str, is_pg: bool) -> None:
    """Leaves the database as TRUNCATE ... RESTART IDENTITY CASCADE of every table would:
    empty, and (PostgreSQL) every sequence back at its start. TRUNCATE gives each table
    new files on disk, about 200 ms per test for 60 tables even when they are empty;
    instead one query finds the few tables the test wrote to, and only those are emptied,
    children before parents. A table whose rows a trigger refuses to delete (the
    append-only audit log on PostgreSQL) has its triggers switched off for that DELETE,
    inside the same transaction (TRUNCATE of that one table alone costs about 80 ms)."""
    engine = _CLEANUP_ENGINES.get(database_url)
    if engine is None:
        engine = _CLEANUP_ENGINES[database_url] = sa.create_engine(database_url)
    tables = db.metadata.sorted_tables
    with engine.begin() as conn:
        written = set(conn.execute(_non_empty_tables(tables)).scalars())
        guarded = _guarded_tables(conn) if is_pg else set()
        for table in reversed(tables):
            if table.name not in written:
                continue
            if table.name in guarded:  # its triggers are off for this DELETE only
                quoted = conn.dialect.identifier_preparer.quote(table.name)
                conn.execute(sa.text(f"ALTER TABLE {quoted} DISABLE TRIGGER USER"))
                conn.execute(table.delete())
                conn.execute(sa.text(f"ALTER TABLE {quoted} ENABLE TRIGGER USER"))
            else:
                conn.execute(table.delete())
        if is_pg:
            conn.execute(sa.text(
                "SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false) "
                "FROM pg_sequences WHERE last_value IS NOT NULL"))


_NON_EMPTY: dict = {}
_GUARDED: list = []


def _non_empty_tables(tables):
    key = tuple(tables)
    if key not in _NON_EMPTY:
        _NON_EMPTY[key] = sa.union_all(*(
            sa.select(sa.literal(table.name)).where(sa.exists().select_from(table)) for table in tables))
    return _NON_EMPTY[key]


def _guarded_tables(conn) -> set:
    """Tables with a trigger of their own (the schema is the same for the whole session)."""
    if not _GUARDED:
        _GUARDED.append(set(conn.execute(sa.text(
            "SELECT DISTINCT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
            "WHERE NOT g.tgisinternal")).scalars()))
    return _GUARDED[0]


class IsolatedClient(FlaskClient):
    """Requests run in their own app context (fresh `g`, fresh db session), like in
    production. Afterwards the test's own session is expired, so objects the test
    holds are re-read and show what the request committed, and nothing more."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


_APP_CACHE: dict = {}
_LIMITER_BASELINE: dict = {}


def _remember_limiter() -> None:
    """Flask-Limiter keeps its settings on the one global Limiter (one app per process in
    production). A rate-limited test app would leave them switched on for later tests."""
    if not _LIMITER_BASELINE:
        _LIMITER_BASELINE.update(limiter.__dict__)


def _restore_limiter() -> None:
    limiter.__dict__.clear()
    limiter.__dict__.update(_LIMITER_BASELINE)


def _cache_key(overrides: dict):
    """Apps are reused across tests when built with the same settings (building one
    compiles ~200 URL rules). Rate-limited apps keep counters, so they are never reused."""
    if overrides.get("RATELIMIT_ENABLED") or overrides.get("_fresh"):
        return None
    try:
        return tuple(sorted(overrides.items()))
    except TypeError:
        return None


@pytest.fixture
def make_app(database_url, _schema, is_postgres, tmp_path):
    """Build (or reuse) an app on the test database; overrides go into its config.
    Config changes a test makes on an app are undone afterwards."""
    used = []
    uncached = []

    def build(**overrides):
        key = _cache_key(overrides)
        if key is not None and (database_url, key) in _APP_CACHE:
            app = _APP_CACHE[(database_url, key)]
        else:
            app = _create(overrides)
            if key is not None:
                _APP_CACHE[(database_url, key)] = app
            else:
                uncached.extend([app, app.test_client.__self__])
        for each in (app, app.test_client.__self__):
            used.append((each, dict(each.config)))
            each.config["MAIL_DIR"] = str(tmp_path / "mail")
        return app

    def _create(overrides):
        config = {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "CONTENT_DIR": str(ROOT / "modules"),
            "BASE_URL": "http://leerlijn.test",
            "SERVER_NAME": None,
        }
        config.update({k: v for k, v in overrides.items() if not k.startswith("_")})
        app = create_app(TestConfig, **config)
        web = create_app(TestConfig, **config)
        web.test_client_class = IsolatedClient
        # Flask reuses an already pushed app context for requests to the *same* app,
        # which would share `g` and the db session between the test and the request.
        app.test_client = web.test_client
        return app

    yield build
    for app, config in used:
        with app.app_context():
            db.session.remove()
        app.config.clear()
        app.config.update(config)
    for app in uncached:
        with app.app_context():
            db.engine.dispose()
    if uncached:
        _restore_limiter()
    _empty_all_tables(database_url, is_postgres)


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_app(make_app):
    """An app with CSRF checks on (the default TestConfig keeps them on too)."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email, password=factories.PASSWORD):
        return self._client.post("/inloggen", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/uitloggen")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def _client_for(app, user):
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
    return client


@pytest.fixture
def login_as(app):
    """login_as(user) -> a test client logged in as that user."""
    return lambda user: _client_for(app, user)


@pytest.fixture
def seed_demo(app):
    """`seed_demo()` loads the course content and runs `flask demo seed`; it gives the output."""
    def seed() -> str:
        runner = app.test_cli_runner()
        assert runner.invoke(args=["content", "load"]).exit_code == 0
        result = runner.invoke(args=["demo", "seed"])
        assert result.exit_code == 0, result.output
        return result.output
    return seed


@pytest.fixture
def learner(app):
    return factories.make_user(role="learner", email="learner@example.org")


@pytest.fixture
def trainer(app):
    return factories.make_user(role="trainer", email="trainer@example.org")


@pytest.fixture
def platform_admin(app):
    return factories.make_user(role="admin", email="admin@example.org")


@pytest.fixture
def organisation(app):
    return factories.make_organisation(name="Stichting Test")


@pytest.fixture
def org_admin(app, organisation):
    return factories.make_user(role="learner", email="orgadmin@example.org", org=organisation, org_role="admin")


@pytest.fixture
def other_organisation(app):
    return factories.make_organisation(name="Stichting Anders")


@pytest.fixture
def other_org_admin(app, other_organisation):
    return factories.make_user(role="learner", email="other-orgadmin@example.org",
                               org=other_organisation, org_role="admin")


@pytest.fixture
def other_trainer(app):
    return factories.make_user(role="trainer", email="other-trainer@example.org")


@pytest.fixture
def learner_client(login_as, learner):
    return login_as(learner)


@pytest.fixture
def trainer_client(login_as, trainer):
    return login_as(trainer)


@pytest.fixture
def admin_client(login_as, platform_admin):
    return login_as(platform_admin)


@pytest.fixture
def org_admin_client(login_as, org_admin):
    return login_as(org_admin)


@pytest.fixture
def outbox(app):
    """The queued mail, newest last."""
    from course.models import OutboxMail

    return lambda: db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)).all()
