"""A database outage: the test starts its own PostgreSQL server (never the shared one),
stops it, and sees 503 pages in the request's language that need no database, with a
posted assignment text shown back; then starts it again and the app recovers."""
import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from config import TestConfig
from course import create_app
from course.extensions import db
from tests import factories
from tests.factories_learn import field_form

ROOT = Path(__file__).resolve().parent.parent


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    assert found, "PostgreSQL server binaries are needed (/usr/lib/postgresql/*/bin)"
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnPostgres:
    """A throw-away PostgreSQL cluster in a temp dir, on a free port (initdb refuses root,
    so it runs as the postgres user then)."""

    def __init__(self):
        self.bin = _pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="leerlijn-outage-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool, *args):
        command = [str(self.bin / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start")

    def stop(self):
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self):
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def own_postgres():
    server = OwnPostgres()
    yield server
    server.remove()


@pytest.fixture(scope="module")
def outage_app(own_postgres, tmp_path_factory):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=own_postgres.url, CONTENT_DIR=str(ROOT / "modules"),
                     BASE_URL="http://leerlijn.test", MAIL_DIR=str(tmp_path_factory.mktemp("mail")))
    with app.app_context():
        db.create_all()
        learner = factories.make_user(email="outage@example.org", locale="nl")
        course = factories.make_course(modules=1, sequential=False)
        factories.make_enrolment(learner, course)
        world = {"user_id": learner.get_id(), "slug": course.slug, "form": field_form(course.modules[0])}
        db.session.remove()
    yield app, world
    with app.app_context():
        db.engine.dispose()


def _logged_in(app, world, **session):
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = world["user_id"]
        sess["_fresh"] = True
        sess.update(session)
    return client


def test_an_outage_answers_503_in_the_request_language_keeps_the_text_and_recovers(outage_app, own_postgres):
    app, world = outage_app
    page = f"/mijn-leren/{world['slug']}/module-1/opdracht"
    client = _logged_in(app, world)
    assert client.get(page).status_code == 200

    own_postgres.stop()
    try:
        down = client.get(page)
        html = down.get_data(as_text=True)
        assert down.status_code == 503 and down.headers["Retry-After"]
        assert "Leerlijn is tijdelijk niet beschikbaar" in html and 'lang="nl"' in html
        assert "Internal Server Error" not in html
        assert "no-store" in down.headers["Cache-Control"]

        # The language comes from the request, not from the (unreachable) user row.
        english = client.get(page, headers={"Accept-Language": "en"})
        assert english.status_code == 503 and "Leerlijn is temporarily unavailable" in english.get_data(as_text=True)
        switched = _logged_in(app, world, lang="en").get("/mijn-leren")
        assert "Leerlijn is temporarily unavailable" in switched.get_data(as_text=True)

        # What was posted comes back, to copy or to send again.
        text = "Mijn plan voor de wijk, met <b>alles</b> erin & meer"
        posted = client.post(page, data={**world["form"], "field-doelgroep": text, "action": "submit"})
        body = posted.get_data(as_text=True)
        assert posted.status_code == 503
        assert "Mijn plan voor de wijk, met &lt;b&gt;alles&lt;/b&gt; erin &amp; meer</textarea>" in body
        assert "Verstuur opnieuw" in body or "Opnieuw versturen" in body

        saved = client.post(page + "/autosave", json={"fields": {"doelgroep": "concept"}},
                            headers={"Accept": "application/json"})
        assert saved.status_code == 503 and saved.get_json()["status"] == 503

        visitor = app.test_client().get("/", headers={"Accept-Language": "nl"})
        assert visitor.status_code == 503 and "tijdelijk niet beschikbaar" in visitor.get_data(as_text=True)
        missing = client.get("/bestaat-niet")
        assert missing.status_code in (404, 503) and "Internal Server Error" not in missing.get_data(as_text=True)
    finally:
        own_postgres.start()

    assert client.get(page).status_code == 200
    assert app.test_client().get("/").status_code == 200
