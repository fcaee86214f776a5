"""A real Learning Record Store on loopback: ralph-malph with its filesystem storage.

It runs from its own virtualenv (.lrs-venv, `make lrs`, pinned in requirements-lrs.txt),
created here when missing, so a bare `pytest` in CI works too. Each test gets an empty
store in its own directory; `stop()` and `start()` let a test simulate an outage."""
import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("LEERLIJN_LRS_VENV", ROOT / ".lrs-venv"))
USERNAME = "leerlijn"
PASSWORD = "lrs-test-secret"


def ensure_venv() -> Path:
    python = VENV / "bin" / "python"
    if not (VENV / ".installed").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", str(ROOT / "requirements-lrs.txt")],
                       check=True)
        (VENV / ".installed").touch()
    return python


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lrs:
    def __init__(self, folder: Path, python: Path):
        self.folder, self.python = folder, python
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self._write_auth_file()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI/"

    def _write_auth_file(self) -> None:
        """Ralph's basic-auth file: users with bcrypt hashes (bcrypt is in its venv)."""
        script = ("import bcrypt, json, sys; print(json.dumps([{'username': u, 'hash': bcrypt.hashpw("
                  "p.encode(), bcrypt.gensalt(4)).decode(), 'scopes': ['all'], 'agent': {'account': "
                  "{'name': u, 'homePage': 'http://leerlijn.test'}}} for u, p in json.loads(sys.argv[1])]))")
        users = json.dumps([[USERNAME, PASSWORD], ["organisatie", "org-secret"]])
        out = subprocess.run([str(self.python), "-c", script, users], check=True, capture_output=True, text=True)
        (self.folder / "auth.json").write_text(out.stdout)

    def start(self) -> None:
        env = {**os.environ, "RALPH_RUNSERVER_BACKEND": "fs", "RALPH_AUTH_FILE": str(self.folder / "auth.json"),
               "RALPH_APP_DIR": str(self.folder), "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.folder)}
        self.log = open(self.folder / "lrs.log", "ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [str(self.python), str(ROOT / "tests" / "lrs_server.py"), str(self.port)],
            env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        raise RuntimeError("the LRS did not start: " + (self.folder / "lrs.log").read_text()[-2000:])

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
            self.log.close()

    def statements(self) -> list[dict]:
        """Every statement the LRS holds, read back through GET /xAPI/statements."""
        request = urllib.request.Request(f"{self.endpoint}statements?limit=100", headers={
            "X-Experience-API-Version": "1.0.3"})
        token = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())["statements"]
