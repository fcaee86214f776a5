"""PostgreSQL: a transaction that only read ends with COMMIT, so psycopg keeps its
prepared statements (course/pg_reads.py); one that wrote is still rolled back."""
import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import User
from tests import factories

pytestmark = pytest.mark.usefixtures("app_ctx")


@pytest.fixture
def app_ctx(app, is_postgres):
    if not is_postgres:
        pytest.skip("PostgreSQL only (TEST_DATABASE_URL): SQLite has no prepared statements to keep")
    with app.app_context():
        yield app
        db.session.remove()


def test_a_select_in_read_only_transactions_ended_by_rollback_gets_prepared():
    """On one connection, as a worker's requests run one after another on theirs (the
    session's pool hands out any of its connections, so the test holds one itself)."""
    query = "SELECT count(*) FROM \"user\" WHERE id > $1"
    with db.engine.connect() as connection:
        for _ in range(7):  # psycopg prepares at the sixth run; a ROLLBACK used to forget it every time
            connection.execute(sa.text('SELECT count(*) FROM "user" WHERE id > :n'), {"n": 0})
            connection.rollback()
        names = connection.exec_driver_sql("SELECT statement FROM pg_prepared_statements").scalars().all()
        connection.rollback()
    assert query in names


def test_flushed_writes_are_still_rolled_back():
    user = factories.make_user(email="stays@example.org")
    db.session.commit()
    user_id = user.id
    user.name = "Changed, then rolled back"
    db.session.flush()
    db.session.execute(sa.text('UPDATE "user" SET locale = \'en\' WHERE id = :id'), {"id": user_id})
    db.session.add(User(email="never@example.org", name="Never", role=user.role, password_hash="x"))
    db.session.flush()
    db.session.rollback()
    db.session.remove()
    row = db.session.execute(sa.select(User.name, User.locale).where(User.id == user_id)).one()
    assert row.name != "Changed, then rolled back" and row.locale == "nl"
    assert db.session.scalar(sa.select(sa.func.count()).where(User.email == "never@example.org")) == 0


def test_a_write_after_reads_in_the_same_transaction_is_rolled_back():
    user_id = factories.make_user(email="reads-first@example.org").id
    db.session.commit()
    db.session.scalar(sa.select(User.name).where(User.id == user_id))
    db.session.execute(sa.delete(User).where(User.id == user_id))
    db.session.rollback()
    db.session.remove()
    assert db.session.get(User, user_id) is not None


def test_a_failed_transaction_is_rolled_back_and_the_session_works_again():
    with pytest.raises(sa.exc.ProgrammingError):
        db.session.execute(sa.text("SELECT no_such_column FROM \"user\""))
    db.session.rollback()
    assert db.session.scalar(sa.text("SELECT 1")) == 1

