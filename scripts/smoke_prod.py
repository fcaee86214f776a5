"""`make smoke-prod`: follow the README's Production steps on this machine and find a
Dutch site. Uses the local PostgreSQL (a fresh database, dropped afterwards) and Redis.

Steps, as the README gives them: compile the translations, write the env file
(LEERLIJN_ENV=production …), `flask db upgrade`, `flask content load`,
`flask maintenance compile-templates`, create the
first admin, start gunicorn and `flask worker`, then check: the home page is Dutch,
the admin can log in (over "https" through the proxy headers nginx sends), and the
worker delivers mail. Everything started is stopped again.

Settings: SMOKE_POSTGRES_URL (a server URL; default TEST_DATABASE_URL or the local
server) and SMOKE_REDIS_URL (default redis://127.0.0.1:6379/11)."""
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
ADMIN_EMAIL = "beheer@smoke.example.nl"
ADMIN_PASSWORD = secrets.token_urlsafe(16)


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*args: str, env: dict) -> str:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise SystemExit(f"FAILED: {' '.join(args)}\n{result.stdout}\n{result.stderr}")
    return result.stdout


def flask(*args: str, env: dict) -> str:
    return run(str(ROOT / "deploy" / "flask.sh"), *args, env=env)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_url() -> sa.engine.URL:
    url = os.environ.get("SMOKE_POSTGRES_URL") or os.environ.get("TEST_DATABASE_URL") \
        or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    return sa.engine.make_url(url)


def write_env_file(path: Path, settings: dict, drop: set[str]) -> None:
    """/etc/leerlijn/leerlijn.env as the README makes it: deploy/leerlijn.env.example
    with this machine's values filled in."""
    lines = []
    for line in (ROOT / "deploy" / "leerlijn.env.example").read_text().splitlines():
        key = line.split("=", 1)[0]
        if line.startswith("#") or "=" not in line:
            lines.append(line)
        elif key not in drop:
            lines.append(f"{key}={settings.pop(key)}" if key in settings else line)
    lines += [f"{key}={value}" for key, value in settings.items()]
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)


def with_env_file(env_file: Path, *command: str) -> list[str]:
    """Run `command` with the env file loaded the way deploy/flask.sh loads it."""
    return ["/bin/sh", "-c", 'set -a; . "$0"; set +a; exec "$@"', str(env_file), *command]


class Browser:
    """Just enough of a browser behind nginx: keeps cookies (also Secure ones, as the
    connection is https for the app), sends the proxy headers, follows no redirects."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, dict]:
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1",
                   "Referer": f"https://{urllib.parse.urlsplit(self.base).netloc}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        opener = urllib.request.build_opener(NoRedirect)
        try:
            request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
            response = opener.open(request, timeout=10)  # noqa: S310  (our own loopback http URL)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.read().decode(), dict(response.headers)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"FAILED: {what} within {timeout} s")


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"FAILED: {message}")
    print(f"    ok: {message}", flush=True)


def smoke(workdir: Path, database_url: str, redis_url: str) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    step("Compile the translations")
    run(sys.executable, "scripts/compile_translations.py", env=dict(os.environ))
    step("Write the env file (LEERLIJN_ENV=production)")
    env_file = workdir / "leerlijn.env"
    queue = f"leerlijn-smoke-{secrets.token_hex(4)}"
    write_env_file(env_file, {
        "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": database_url, "REDIS_URL": redis_url,
        "BASE_URL": base, "MAIL_FROM": "'Leerlijn Smoke <noreply@smoke.example.nl>'",
        # Only for this sandbox: its own instance folder, mail as files, its own queue.
        "LEERLIJN_INSTANCE": str(workdir / "instance"), "MAIL_DIR": str(workdir / "mail"),
        "WORKER_QUEUE_NAME": queue, "MAIL_POLL_SECONDS": "0.5",
    }, drop={"MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME", "MAIL_PASSWORD"})
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "LEERLIJN_ENV_FILE": str(env_file)}
    step("flask db upgrade")
    flask("db", "upgrade", env=env)
    step("flask content load")
    flask("content", "load", env=env)
    step("flask maintenance compile-templates")
    flask("maintenance", "compile-templates", env=env)
    check(any((workdir / "instance" / "template-cache").glob("*.jinja")), "compiled templates are kept")
    step("Create the first admin")
    flask("users", "create", "--role", "admin", "--email", ADMIN_EMAIL, "--name", "Eerste Beheerder",
          "--password", ADMIN_PASSWORD, env=env)
    step(f"Start gunicorn on {base} and the worker")
    logs = {name: (workdir / f"{name}.log").open("wb") for name in ("gunicorn", "worker")}
    processes = {
        # The commands of deploy/leerlijn-web.service and deploy/leerlijn-worker.service.
        "gunicorn": subprocess.Popen(with_env_file(env_file, str(VENV_BIN / "gunicorn"), "--workers", "2",  # noqa: S603
                                                   "--bind", f"127.0.0.1:{port}", "app:app"),
                                     cwd=ROOT, env=env, stdout=logs["gunicorn"], stderr=subprocess.STDOUT),
        "worker": subprocess.Popen(with_env_file(env_file, str(VENV_BIN / "flask"), "--app", "app", "worker"),  # noqa: S603
                                   cwd=ROOT, env=env, stdout=logs["worker"], stderr=subprocess.STDOUT),
    }
    try:
        check_site(Browser(base), workdir)
    except SystemExit:
        for name in processes:
            print(f"--- {name} log ---\n{(workdir / f'{name}.log').read_text()[-4000:]}", flush=True)
        raise
    finally:
        step("Stop gunicorn and the worker")
        processes["gunicorn"].send_signal(signal.SIGTERM)
        processes["worker"].send_signal(signal.SIGINT)  # as the systemd unit does (KillSignal=SIGINT)
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs.values():
            log.close()
        forget_queue(redis_url, queue)


def forget_queue(redis_url: str, queue: str) -> None:
    """Remove this run's Huey keys from Redis (and nothing else)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"*{queue}*"):
        client.delete(key)
    client.close()


def check_site(browser: Browser, workdir: Path) -> None:
    wait_until(lambda: browser.request("/")[0] == 200, 30, "gunicorn answers")
    step("The home page is Dutch")
    status, html, headers = browser.request("/")
    check(status == 200, "GET / answers 200")
    check('<html lang="nl">' in html, 'the page says lang="nl"')
    check(">Inloggen<" in html, "the menu says 'Inloggen' (translations compiled)")
    check("Welzijn 2.0" in html, "the course content is loaded")
    check("Strict-Transport-Security" in headers, "production mode sends HSTS")
    step("The first admin logs in")
    status, html, _ = browser.request("/inloggen")
    status, _, headers = browser.request("/inloggen", {"csrf_token": csrf_token(html), "email": ADMIN_EMAIL,
                                                       "password": ADMIN_PASSWORD})
    check(status == 302, "the login form accepts the admin")
    status, html, _ = browser.request("/beheer")
    check(status == 200 and "Beheer" in html, "the admin reaches /beheer, in Dutch")
    step("The worker delivers mail")  # no MAIL_SERVER here: as files in MAIL_DIR
    status, html, _ = browser.request("/wachtwoord-vergeten")
    browser.request("/wachtwoord-vergeten", {"csrf_token": csrf_token(html), "email": ADMIN_EMAIL})
    wait_until(lambda: list((workdir / "mail").glob("*password_reset.eml")), 30, "the reset mail is written")
    [mail] = (workdir / "mail").glob("*password_reset.eml")
    check(b"From: Leerlijn Smoke <noreply@smoke.example.nl>" in mail.read_bytes(),
          "the worker wrote the reset mail, with MAIL_FROM from the env file")


def main() -> int:
    server = server_url()
    name = f"leerlijn_smoke_{secrets.token_hex(4)}"
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    step(f"Create the database {name}")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        with tempfile.TemporaryDirectory(prefix="leerlijn-smoke-") as workdir:
            smoke(Path(workdir), server.set(database=name).render_as_string(hide_password=False),
                  os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/11"))
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    print("Smoke test passed: a Dutch production site.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
