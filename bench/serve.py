"""Serve an app with gunicorn exactly as the README documents (gunicorn.conf.py, -w N)
on a free loopback port; measure cold start (start → first 200) and RSS per worker."""
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    cold_start_s: float
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_rss_mb(self) -> list[float]:
        """VmRSS of each worker (the master's children), from /proc."""
        return [m["rss"] for m in self.worker_memory() if m.get("rss") is not None]

    def worker_pss_mb(self) -> list[float]:
        """Pss of each worker: pages shared with the master and the other workers (the
        preloaded app) count a share each, so the sum is what the workers really use."""
        return [m["pss"] for m in self.worker_memory() if m.get("pss") is not None]

    def worker_memory(self) -> list[dict]:
        return [m for m in (process_memory(child) for child in _children(self.process.pid)) if m]

    def settle(self, quick_s: float = 0.1, limit_s: float = 60) -> None:
        """Wait until the requests still queued from the previous page are done (sync
        workers finish them after wrk has gone), so each page starts on an idle server."""
        deadline = time.perf_counter() + limit_s
        quick = 0
        while quick < 2 and time.perf_counter() < deadline:
            started = time.perf_counter()
            status = _status(self.port, "/healthz")
            quick = quick + 1 if status == 200 and time.perf_counter() - started < quick_s else 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def process_memory(pid: int) -> dict:
    """VmRSS, Pss and private memory of one process in MB ({} when it is gone)."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                out["rss"] = round(int(line.split()[1]) / 1024, 1)
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("Pss", "Private_Clean", "Private_Dirty"):
                out[name] = round(int(rest.split()[0]) / 1024, 1)
    except OSError:
        return {}
    out["private"] = round(out.pop("Private_Clean", 0) + out.pop("Private_Dirty", 0), 1)
    out["pss"] = out.pop("Pss", None)
    return out


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def start(app_spec: str, env: dict, workers: int, log: Path, probe_path: str = "/healthz") -> Server:
    port = free_port()
    command = [GUNICORN, "-c", str(ROOT / "gunicorn.conf.py"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
               "--log-level", "warning", app_spec]
    started = time.perf_counter()
    with open(log, "ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=out)  # noqa: S603  (our own fixed command)
    deadline = started + 60
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn {app_spec} exited; see {log}")
        if _status(port, probe_path) == 200:
            cold = time.perf_counter() - started
            server = Server(process, port, round(cold, 2), log)
            _wait_for_workers(server, workers)
            return server
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"gunicorn {app_spec} gave no 200 within 60 s; see {log}")


def _wait_for_workers(server: Server, workers: int) -> None:
    """The first 200 can come before every worker has loaded; wait for all of them."""
    for _ in range(200):
        if len(_children(server.process.pid)) >= workers:
            return
        time.sleep(0.05)


def _status(port: int, path: str) -> int | None:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", path)
        status = connection.getresponse().status
        connection.close()
        return status
    except OSError:
        return None


# ---- two instances behind nginx (issue 16: "Beyond one machine") ---------------------

NGINX_CONF = """
daemon off;
worker_processes 1;
{user}
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream leerlijn {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://leerlijn;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def find_nginx() -> str | None:
    """Debian's nginx; installed with apt-get (nginx-light) when missing and allowed (root)."""
    def found():
        return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

    if found() or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found()
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "install", "-y", "-qq", "nginx-light"], ["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "nginx-light"]):
        subprocess.run(command, env=env, capture_output=True, timeout=600, check=False)  # noqa: S603
        if found():
            return found()
    return None


def nginx_config(folder: Path, upstream_ports: list[int], port: int) -> Path:
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in upstream_ports)
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(folder=folder, servers=servers, port=port,
                                      user="user root;" if os.geteuid() == 0 else ""))
    (folder / "nginx-error.log").touch()
    return conf


def start_balancer(nginx: str, folder: Path, upstream_ports: list[int]) -> Server:
    """nginx on a free loopback port, round robin over the given app ports."""
    port = free_port()
    conf = nginx_config(folder, upstream_ports, port)
    started = time.perf_counter()
    process = subprocess.Popen([nginx, "-p", str(folder), "-c", str(conf)],  # noqa: S603
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = started + 30
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited; see {folder / 'nginx-error.log'}")
        if _status(port, "/healthz") == 200:
            return Server(process, port, round(time.perf_counter() - started, 2), folder / "nginx-error.log")
        time.sleep(0.05)
    process.kill()
    raise RuntimeError("nginx gave no 200 within 30 s")
