"""Each worker compiles the pages' statements before its first request (course/statements.py,
issue 16: a first review page spent 42 ms compiling one query)."""
import logging

import sqlalchemy as sa

from course import statements
from course.extensions import db
from course.warmup import compile_statements
from tests.factories_learn import learner_on_their_pages


def _sql_cache_misses(engine) -> tuple[list, callable]:
    misses = []

    def after(conn, cursor, statement, parameters, context, executemany):
        if context is not None and context.cache_hit == context.dialect.CACHE_MISS:
            misses.append(" ".join(statement.replace('"', "").split()[:4]))  # PostgreSQL quotes "user"

    sa.event.listen(engine, "after_cursor_execute", after)
    return misses, lambda: sa.event.remove(engine, "after_cursor_execute", after)


def _first_visit_misses(make_app, prime: bool) -> list[str]:
    app = make_app(_fresh=True)  # its own engines: an empty SQL cache, as in a new worker
    web = app.test_client.__self__
    if prime:
        assert compile_statements(web) == (len(statements.registered()), 0)
    client, paths = learner_on_their_pages(app)
    with web.app_context():
        engine = db.engine
    misses, stop = _sql_cache_misses(engine)
    try:
        for path in paths:
            assert client.get(path).status_code == 200
    finally:
        stop()
    return misses


def test_a_workers_first_pages_find_their_statements_compiled(make_app):
    primed = _first_visit_misses(make_app, prime=True)
    unprimed = _first_visit_misses(make_app, prime=False)
    assert any(sql.startswith("SELECT user.id") for sql in unprimed)  # load_user's: compiled on first use
    assert not any(sql.startswith("SELECT user.id") for sql in primed)
    assert len(unprimed) >= 8
    assert primed == []  # the news and the lookups by key (extensions.prime_lookups) too


def test_every_registered_statement_runs_with_parameters_matching_nothing(app):
    registered = statements.registered()
    assert len(registered) >= 12
    assert statements.prime(db.session) == (len(registered), 0)


def test_the_named_parameters_are_found_and_literals_left_alone():
    table = sa.table("t", sa.column("a"), sa.column("b"), sa.column("c"))
    statement = sa.select(table).where(table.c.a == sa.bindparam("a_value"), table.c.b == 5,
                                       table.c.c.in_(sa.bindparam("ids", expanding=True)))
    assert statements.parameters_matching_nothing(statement) == {"a_value": None, "ids": []}


def test_a_statement_that_fails_is_logged_and_the_rest_compile(app, monkeypatch, caplog):
    broken = (lambda: sa.select(sa.literal_column("x")).select_from(sa.table("no_such_table")), ())
    monkeypatch.setattr(statements, "_REGISTERED", [broken, *statements._REGISTERED])
    with caplog.at_level(logging.WARNING, logger="course.statements"):
        compiled, failed = statements.prime(db.session)
    assert (compiled, failed) == (len(statements._REGISTERED) - 1, 1)
    assert "no_such_table" in caplog.text


def test_an_unreachable_database_still_lets_the_worker_start(make_app, tmp_path, caplog):
    web = make_app(_fresh=True, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/folder/db.sqlite"
                   ).test_client.__self__
    with caplog.at_level(logging.WARNING, logger="course.warmup"):
        compiled, failed = compile_statements(web)
    assert compiled == 0 and failed == len(statements.registered())
    assert "database is unavailable" in caplog.text
