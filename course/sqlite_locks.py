"""Race-safe writes on SQLite, the default database.

PostgreSQL serialises competing writers with row locks (SELECT … FOR UPDATE) and
unique constraints. SQLite has no row locks: the pysqlite driver reads outside any
transaction and begins a *deferred* one at the first write. So two requests could
both read "not submitted yet" and both write a version, and two deferred writers
can deadlock ("database is locked"). Here, on SQLite only:

- every write transaction begins with BEGIN IMMEDIATE (the write lock first, waiting
  up to busy_timeout, so no deadlock);
- a SELECT … FOR UPDATE (which SQLite would ignore) and a SAVEPOINT begin that write
  transaction before they run, so what is read after the "lock" is current and no
  other writer can change it before the commit.

PostgreSQL is untouched.
"""
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session


def is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


def begin_immediate(dbapi_connection) -> None:
    """Take SQLite's write lock now, unless this connection's transaction already began."""
    if is_sqlite(dbapi_connection) and not dbapi_connection.in_transaction:
        dbapi_connection.execute("BEGIN IMMEDIATE")


def lock_for_write(session: Session) -> None:
    """Begin the session's write transaction now (SQLite; a no-op on PostgreSQL, whose
    callers lock rows with FOR UPDATE)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        begin_immediate(connection.connection.dbapi_connection)


@event.listens_for(Engine, "connect")
def _immediate_writes(dbapi_connection, connection_record) -> None:
    if is_sqlite(dbapi_connection):
        dbapi_connection.isolation_level = "IMMEDIATE"  # pysqlite then writes BEGIN IMMEDIATE


@event.listens_for(Engine, "before_cursor_execute")
def _savepoint_inside_a_transaction(conn, cursor, statement, parameters, context, executemany) -> None:
    # A SAVEPOINT outside a transaction starts a deferred one (and RELEASE would commit it).
    if conn.dialect.name == "sqlite" and statement.lstrip().upper().startswith("SAVEPOINT"):
        begin_immediate(conn.connection.dbapi_connection)


@event.listens_for(Session, "do_orm_execute")
def _for_update_takes_the_write_lock(state) -> None:
    if state.is_select and getattr(state.statement, "_for_update_arg", None) is not None:
        lock_for_write(state.session)
