"""Two app instances behind nginx on loopback (issue 16), for tests/test_two_instances.py.

`Cluster` starts two gunicorn instances (the README's command, two workers each)
sharing one database, one Redis, one SECRET_KEY and one instance folder (uploads,
mail), two `flask worker` processes, and Debian's nginx balancing round robin in
front, adding the answering upstream as `X-Upstream` to each response. `Browser` is
a small client with its own cookie jar that fills in the CSRF token of the page it
last read, as a browser would.

Other areas add their own concurrent checks to `CONCURRENT_SCENARIOS` (a function
`scenario(cluster, world) -> None` that asserts); the test runs each of them once
through both instances (e.g. live-session sign-ups up to the capacity)."""
import http.client
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from bench.serve import find_nginx, nginx_config  # noqa: F401  (one nginx configuration for both)

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
CONCURRENT_SCENARIOS: list = []

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status(port: int, path: str = "/healthz") -> int | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def _wait_up(port: int, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"a process stopped while starting:\n{log.read_text()[-3000:]}")
        if _status(port) == 200:
            return
        time.sleep(0.1)
    raise AssertionError(f"no 200 on port {port} within {seconds} s:\n{log.read_text()[-3000:]}")


class Cluster:
    def __init__(self, folder: Path, nginx: str, env: dict, workers: int = 2):
        self.folder, self.nginx, self.env = folder, nginx, env
        self.processes: list[subprocess.Popen] = []
        self.app_ports = [free_port(), free_port()]
        self.port = free_port()
        self.workers = workers

    def __enter__(self) -> "Cluster":
        try:
            for number, port in enumerate(self.app_ports):
                log = self.folder / f"app-{number}.log"
                with log.open("ab") as out:
                    process = subprocess.Popen(  # noqa: S603  (our own fixed command)
                        [GUNICORN, "-c", str(ROOT / "gunicorn.conf.py"), "-w", "2", "-b", f"127.0.0.1:{port}",
                         "app:app"], cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
                self.processes.append(process)
            for number, (port, process) in enumerate(zip(self.app_ports, self.processes, strict=True)):
                _wait_up(port, process, self.folder / f"app-{number}.log")
            for number in range(self.workers):
                log = self.folder / f"worker-{number}.log"
                with log.open("ab") as out:
                    self.processes.append(subprocess.Popen(  # noqa: S603
                        [sys.executable, "-m", "flask", "--app", "app", "worker"], cwd=ROOT, env=self.env,
                        stdout=out, stderr=subprocess.STDOUT))
            conf = nginx_config(self.folder, self.app_ports, self.port)
            log = self.folder / "nginx-error.log"
            self.processes.append(subprocess.Popen(  # noqa: S603
                [self.nginx, "-p", str(self.folder), "-c", str(conf)], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL))
            _wait_up(self.port, self.processes[-1], log)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGINT if "flask" in process.args else signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def browser(self) -> "Browser":
        return Browser(self.port)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-2000:]}" for p in sorted(self.folder.glob("*.log")))


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    """One person's browser: cookies, the CSRF token of the last page, and which
    instance answered each request."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.token: str | None = None
        self.token_from: str | None = None  # the instance that rendered the form
        self.served: list[tuple[str, str, int, str]] = []  # (method, path, status, upstream)
        self.crossed = 0  # form posts answered by another instance than the one that rendered the form

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"User-Agent": "leerlijn-two-instances-test"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(data, doseq=True)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value and "expires=thu, 01 jan 1970" not in value.lower():
                    self.cookies[key] = cookie_value
                else:
                    self.cookies.pop(key, None)
        upstream = response.getheader("X-Upstream") or ""
        self.served.append((method, path, response.status, upstream))
        return response.status, dict(response.getheaders()), text

    def get(self, path: str, expect: int = 200) -> str:
        status, _headers, text = self.request("GET", path)
        assert status == expect, f"GET {path}: {status}\n{text[:1500]}"
        found = CSRF.search(text)
        if found:
            self.token, self.token_from = found.group(1), self.served[-1][3]
        return text

    def post(self, path: str, data: dict, expect=(302, 303)) -> tuple[int, dict, str]:
        status, headers, text = self.request("POST", path, {**data, "csrf_token": self.token or ""})
        if self.served[-1][3] != self.token_from:
            self.crossed += 1
        expected = expect if isinstance(expect, tuple) else (expect,)
        assert status in expected, f"POST {path}: {status}\n{text[:1500]}"
        return status, headers, text

    def login(self, email: str, password: str) -> None:
        self.get("/inloggen")
        self.post("/inloggen", {"email": email, "password": password})

    def upstreams(self) -> set[str]:
        return {upstream for *_rest, upstream in self.served if upstream}
