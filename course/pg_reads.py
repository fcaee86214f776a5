"""PostgreSQL: a transaction that only read ends with COMMIT, not ROLLBACK (issue 16).

psycopg prepares a statement on the server once a connection has run it five times
(`prepare_threshold`), so PostgreSQL no longer parses and plans it on every request;
for the bench pages planning cost more server time than executing. But psycopg forgets
every prepared statement at each ROLLBACK (the transaction might have dropped what they
refer to), and every page that only reads ends with one: the session's close at the end
of the request rolls back. So no read-only page ever used a prepared statement.

Here, just before SQLAlchemy rolls a PostgreSQL transaction back, it is committed
instead when every statement in it was a SELECT (on the server the two are then the
same: nothing to undo, the same one round trip, locks released alike); psycopg's
ROLLBACK then finds no transaction and sends nothing. A transaction that ran anything
else (INSERT, UPDATE, DELETE, SAVEPOINT, a WITH, DDL, …) or failed is rolled back as
before. SQLite (and any other driver) is untouched.
"""
import contextlib

from sqlalchemy import event
from sqlalchemy.engine import Engine

WROTE = "leerlijn_wrote"  # in the pooled connection's info, for the current transaction


@event.listens_for(Engine, "begin")
def _new_transaction(conn) -> None:
    conn.info.pop(WROTE, None)


@event.listens_for(Engine, "before_cursor_execute")
def _note_anything_but_a_select(conn, cursor, statement, parameters, context, executemany) -> None:
    if not statement.startswith("SELECT") and conn.dialect.driver == "psycopg":
        conn.info[WROTE] = True


@event.listens_for(Engine, "rollback")
def _commit_what_only_read(conn) -> None:
    if conn.dialect.driver != "psycopg" or conn.info.pop(WROTE, False) or conn.invalidated or conn.closed:
        return
    from psycopg import Error  # loaded already: the connection is psycopg's (not imported on SQLite)
    from psycopg.pq import TransactionStatus

    dbapi_connection = conn.connection.dbapi_connection
    if dbapi_connection is None or dbapi_connection.pgconn.transaction_status != TransactionStatus.INTRANS:
        return  # no transaction, a failed one, or a lost connection: the rollback handles it
    with contextlib.suppress(Error):  # SQLAlchemy's rollback follows and reports what is wrong
        dbapi_connection.commit()
