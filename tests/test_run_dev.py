"""`make run`: the web server and the worker together, with BASE_URL following the port."""
import http.cookiejar
import re
import signal
import socket
import subprocess
import sys
import urllib.parse
import urllib.request
from email import message_from_bytes

from config import TestConfig
from course import create_app
from course.extensions import db
from tests import factories
from tests.worker_process import ROOT, wait_for

sys.path.insert(0, str(ROOT / "scripts"))
import run_dev  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_base_url_follows_the_port_unless_it_is_set():
    assert run_dev.child_env("127.0.0.1", 5123, {})["BASE_URL"] == "http://127.0.0.1:5123"
    assert run_dev.child_env("127.0.0.1", 5123, {"BASE_URL": ""})["BASE_URL"] == "http://127.0.0.1:5123"
    set_ = {"BASE_URL": "https://leren.example.nl"}
    assert run_dev.child_env("127.0.0.1", 5123, set_)["BASE_URL"] == "https://leren.example.nl"


def _make_n(*args, **env) -> str:
    environ = {"PATH": "/usr/bin:/bin", **env}
    return subprocess.run(["make", "-n", "run", *args], cwd=ROOT, env=environ, capture_output=True,
                          text=True, check=True).stdout


def test_make_run_passes_the_port_to_base_url_seed_and_launcher():
    lines = _make_n("PORT=5123").splitlines()
    launcher = [line for line in lines if "scripts/run_dev.py" in line]
    assert launcher == ["BASE_URL=http://127.0.0.1:5123 .venv/bin/python scripts/run_dev.py "
                        "--host 127.0.0.1 --port 5123"]
    assert any("BASE_URL=http://127.0.0.1:5123" in line and "demo seed" in line for line in lines)
    assert "BASE_URL=https://leren.example.nl .venv/bin/python scripts/run_dev.py" in _make_n(
        "PORT=5123", BASE_URL="https://leren.example.nl")


def _get(opener, url) -> str:
    with opener.open(url, timeout=5) as response:
        return response.read().decode()


def _serving(opener, url) -> bool:
    try:
        _get(opener, url)
    except OSError:
        return False
    return True


def test_the_launcher_serves_and_delivers_mail_to_instance_mail_with_links_on_its_port(tmp_path):
    instance = tmp_path / "instance"
    database = f"sqlite:///{tmp_path / 'dev.sqlite'}"
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database)
    with app.app_context():
        db.create_all()
        factories.make_user(email="nieuwkomer@example.org")
        db.engine.dispose()
    port = _free_port()
    env = {key: value for key, value in run_dev.os.environ.items()
           if key not in {"BASE_URL", "REDIS_URL", "MAIL_SERVER", "MAIL_DIR"}}
    env.update(LEERLIJN_ENV="development", DATABASE_URL=database, LEERLIJN_INSTANCE=str(instance),
               WORKER_TICK_SECONDS="2", MAIL_POLL_SECONDS="0.2")
    launcher = subprocess.Popen([sys.executable, "scripts/run_dev.py", "--port", str(port)], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form_url = f"http://127.0.0.1:{port}/wachtwoord-vergeten"
    try:
        assert wait_for(lambda: _serving(opener, form_url), timeout=30)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', _get(opener, form_url)).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, "email": "nieuwkomer@example.org"}).encode()
        opener.open(urllib.request.Request(form_url, data=body), timeout=5).close()
        assert wait_for(lambda: list((instance / "mail").glob("*.eml")), timeout=30)
    finally:
        launcher.send_signal(signal.SIGTERM)
        output = launcher.communicate(timeout=30)[0].decode()
    [path] = (instance / "mail").glob("*.eml")
    text = message_from_bytes(path.read_bytes()).get_payload(decode=True).decode()
    assert f"http://127.0.0.1:{port}/wachtwoord-herstellen/" in text, text
    assert f"Leerlijn runs on http://127.0.0.1:{port}" in output
    assert launcher.returncode == 0, output
    assert not _serving(opener, form_url), "the web server stopped with the launcher"


def test_the_quick_start_is_two_commands_and_says_where_make_test_goes():
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = quick_start.split("```sh\n", 1)[1].split("```", 1)[0].split()
    assert commands == ["make", "run", "make", "test"]
    assert "run `make test` in a second terminal" in quick_start
    assert "instance/mail/" in quick_start
