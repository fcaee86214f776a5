"""`flask backup create` copies the live database consistently while it is being
written to; `flask backup restore` puts that copy into a fresh database, row for row."""
import secrets
import threading
import time

import pytest
import sqlalchemy as sa

from config import TestConfig
from course import create_app
from course.audit.services import record_event
from course.extensions import db
from course.models import AuditAction, Organisation, SeatLicence, User
from tests import factories
from tests.factories_badges import completed_enrolment

WRITER = "Schrijver "


@pytest.fixture
def fresh_database(database_url, is_postgres, tmp_path):
    """An empty database of the lane's kind, never the test database itself."""
    if not is_postgres:
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    server = sa.engine.make_url(database_url)
    name = f"leerlijn_restore_{secrets.token_hex(4)}"
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def some_of_everything(platform_admin):
    """Rows in many tables: users, organisation, course, cohort, enrolment, progress,
    submissions, reviews, badges, certificate, outbox, audit events."""
    organisation = factories.make_organisation()
    course = factories.make_course()
    cohort = factories.make_cohort(organisation, course, trainers=[platform_admin])
    learner = factories.make_user(org=organisation)
    completed_enrolment(learner, course, cohort=cohort, reviewer=platform_admin)
    record_event(AuditAction.SEATS_CHANGED, actor=platform_admin, organisation=organisation, details={"seats": 3})
    db.session.commit()
    return course


class Writer(threading.Thread):
    """Keeps committing an organisation and its licence together, numbered 1, 2, 3…"""

    def __init__(self, url: str, course_id: int):
        super().__init__(daemon=True)
        self.engine = sa.create_engine(url, connect_args={"timeout": 30} if url.startswith("sqlite") else {})
        self.course_id = course_id
        self.written = 0
        self.stop = threading.Event()
        self.error = None

    def run(self):
        try:
            while not self.stop.is_set():
                with self.engine.begin() as conn:
                    number = self.written + 1
                    org_id = conn.execute(sa.insert(Organisation.__table__).values(
                        public_id=f"w{number}", name=f"{WRITER}{number}", created_at=sa.func.now())
                        .returning(Organisation.__table__.c.id)).scalar_one()
                    conn.execute(sa.insert(SeatLicence.__table__).values(
                        organisation_id=org_id, course_id=self.course_id, seats=number, seats_used=0,
                        created_at=sa.func.now()))
                self.written = number
                time.sleep(0.002)
        except Exception as error:  # noqa: BLE001  (reported by the test)
            self.error = error
        finally:
            self.engine.dispose()


def all_rows(url: str) -> dict[str, list[tuple]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {table.name: [tuple(row) for row in conn.execute(
                sa.select(table).order_by(*table.primary_key.columns))] for table in db.metadata.sorted_tables}
    finally:
        engine.dispose()


def writer_number(table: str, row: tuple, writer_orgs: dict[int, int]) -> int | None:
    """Which write of the Writer made this row (None: not the writer's)."""
    if table == "organisation":
        return writer_orgs.get(row[0])
    if table == "seat_licence":
        return writer_orgs.get(row[1])
    return None


def test_a_backup_taken_during_writes_restores_every_row_into_a_fresh_database(
        app, database_url, fresh_database, platform_admin, tmp_path):
    course = some_of_everything(platform_admin)
    writer = Writer(database_url, course.id)
    writer.start()
    while writer.written < 5 and writer.is_alive():
        time.sleep(0.01)
    before = writer.written
    backup = tmp_path / "leerlijn-backup"
    result = app.test_cli_runner().invoke(args=["backup", "create", str(backup)])
    time.sleep(0.05)
    writer.stop.set()
    writer.join(timeout=30)
    assert writer.error is None, writer.error
    assert result.exit_code == 0, result.output
    assert writer.written > before, "the writer kept writing while the backup ran"
    source = all_rows(database_url)

    restored_app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=fresh_database)
    with restored_app.app_context():  # the command runs in the current app context: make it the fresh one's
        result = restored_app.test_cli_runner().invoke(args=["backup", "restore", str(backup), "--yes"])
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    restored = all_rows(fresh_database)

    writer_orgs = {row[0]: int(row[2][len(WRITER):]) for row in source["organisation"]
                   if row[2].startswith(WRITER)}
    snapshot = max((writer_orgs[r[0]] for r in restored["organisation"] if r[0] in writer_orgs), default=0)
    assert snapshot >= before, "the backup holds everything committed before it started"
    for table, rows in source.items():
        expected = [r for r in rows if (writer_number(table, r, writer_orgs) or 0) <= snapshot]
        assert restored[table] == expected, f"table {table} differs after restore"
    assert sum(len(rows) for rows in restored.values()) > 20


def test_a_backup_file_is_private(app, tmp_path):
    path = tmp_path / "b"
    assert app.test_cli_runner().invoke(args=["backup", "create", str(path)]).exit_code == 0
    assert path.stat().st_mode & 0o077 == 0


def test_without_a_path_the_backup_goes_into_backup_dir_and_old_ones_are_pruned(make_app, tmp_path):
    app = make_app(BACKUP_DIR=str(tmp_path / "backups"))
    runner = app.test_cli_runner()
    for _ in range(3):
        result = runner.invoke(args=["backup", "create", "--keep", "2"])
        assert result.exit_code == 0, result.output
        time.sleep(1.01)  # the file name has the second in it
    assert len(list((tmp_path / "backups").glob("leerlijn-*"))) == 2


def test_restore_refuses_without_confirmation_and_refuses_a_file_that_is_no_backup(app, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "b"
    assert runner.invoke(args=["backup", "create", str(path)]).exit_code == 0
    refused = runner.invoke(args=["backup", "restore", str(path)], input="n\n")
    assert refused.exit_code != 0
    junk = tmp_path / "junk"
    junk.write_text("not a backup")
    result = runner.invoke(args=["backup", "restore", str(junk), "--yes"])
    assert result.exit_code != 0 and "is not a" in result.output


def test_create_never_overwrites_an_existing_file(app, tmp_path):
    path = tmp_path / "b"
    path.write_text("keep me")
    result = app.test_cli_runner().invoke(args=["backup", "create", str(path)])
    assert result.exit_code != 0 and "already exists" in result.output
    assert path.read_text() == "keep me"


def test_an_erasure_made_after_the_backup_is_applied_again_after_restoring_it(app, learner, tmp_path):
    """A restore must not bring an erased person back: the audit log lists them, and
    `flask audit erase-again` erases them again in the restored database."""
    runner = app.test_cli_runner()
    backup = tmp_path / "before-erasure"
    assert runner.invoke(args=["backup", "create", str(backup)]).exit_code == 0
    email = learner.email
    assert runner.invoke(args=["users", "erase", "--email", email, "--yes"]).exit_code == 0
    listed = runner.invoke(args=["audit", "erasures", "--since", "2000-01-01"])
    ids = listed.output.split()
    assert ids == [str(learner.id)]
    assert runner.invoke(args=["backup", "restore", str(backup), "--yes"]).exit_code == 0
    assert db.session.scalar(sa.select(User.erased_at).where(User.email == email)) is None  # back again
    result = runner.invoke(args=["audit", "erase-again", *ids, "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(User.id).where(User.email == email)) is None
    assert "nothing to do" in runner.invoke(args=["audit", "erase-again", *ids, "--yes"]).output
