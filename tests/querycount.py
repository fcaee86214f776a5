"""Count SQL statements, to prove list pages use a fixed number of queries."""
from contextlib import contextmanager

import sqlalchemy as sa


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            self.statements.append(statement)


@contextmanager
def count_queries():
    """with count_queries() as counter: client.get(...); counter.count

    Listens on every engine: test-client requests are served by a twin app with its
    own engine (see conftest). A block that ran no statement at all is an error, so
    a counter that silently misses the queries cannot make a test pass."""
    counter = QueryCounter()
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", counter)
    assert counter.count > 0, "no statement was counted: is the counter listening to the right engine?"
