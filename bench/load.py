"""Load generators: wrk for GET pages when it is installed (`apt-get install wrk`),
and a small threaded Python client (http.client, keep-alive) otherwise and for the
writes, which need a distinct body per request (each quiz attempt, each review)."""
import http.client
import json
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

USER_AGENT = "leerlijn-bench"
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "bytes": %d, "seconds": %f, "status_errors": %d, '
    .. '"socket_errors": %d, "p50": %f, "p95": %f, "p99": %f}\\n',
    summary.requests, summary.bytes, summary.duration / 1e6,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


@dataclass
class Request:
    method: str
    path: str
    headers: dict
    body: bytes = b""
    ok: tuple = ()  # the statuses that count as success; empty: any status below 400


@dataclass
class RoundResult:
    requests: int
    seconds: float
    errors: int        # non-2xx/3xx answers and socket errors
    bytes: int
    p50: float         # milliseconds
    p95: float
    p99: float
    tool: str


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(base: str, request: Request, seconds: float, connections: int) -> RoundResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
               "-s", script.name]
    for name, value in request.headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(base + request.path)
    try:
        output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True).stdout  # noqa: S603  (our own fixed command)
    finally:
        Path(script.name).unlink()
    data = json.loads(output.strip().splitlines()[-1])
    return RoundResult(data["requests"], data["seconds"], data["status_errors"] + data["socket_errors"],
                       data["bytes"], data["p50"], data["p95"], data["p99"], "wrk")


def run_python(base: str, requests: Iterator[Request], seconds: float, connections: int) -> RoundResult:
    """`connections` threads, each on its own keep-alive connection, taking the next
    request from `requests` until the time is up or the requests run out."""
    host, port = base.removeprefix("http://").split(":")
    # Production CSRF is SSL-strict behind the (TLS-terminating) proxy: a POST needs a same-origin Referer.
    referer = {"Referer": f"https://{host}:{port}/"}
    lock = threading.Lock()
    latencies: list[float] = []
    totals = {"errors": 0, "bytes": 0}
    deadline = time.perf_counter() + seconds

    def next_request():
        with lock:
            return next(requests, None)

    def worker():
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        while time.perf_counter() < deadline:
            request = next_request()
            if request is None:
                return
            start = time.perf_counter()
            try:
                headers = {**referer, **request.headers} if request.method == "POST" else request.headers
                connection.request(request.method, request.path, body=request.body or None, headers=headers)
                response = connection.getresponse()
                size = len(response.read())
                ok = response.status in request.ok if request.ok else response.status < 400
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
                size, ok = 0, False
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed * 1000)
                totals["bytes"] += size
                totals["errors"] += 0 if ok else 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return RoundResult(len(latencies), elapsed, totals["errors"], totals["bytes"], *_percentiles(latencies),
                       "python")


def _percentiles(latencies: list[float]) -> tuple[float, float, float]:
    if len(latencies) < 2:
        value = latencies[0] if latencies else 0.0
        return value, value, value
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return round(cuts[49], 2), round(cuts[94], 2), round(cuts[98], 2)


def repeat(request: Request) -> Iterator[Request]:
    while True:
        yield request


def combine(rounds: list[RoundResult]) -> dict:
    """Interleaved rounds of one page: rates from the totals, latencies as the
    median over rounds (each round's percentiles come from its own distribution)."""
    requests = sum(r.requests for r in rounds)
    seconds = sum(r.seconds for r in rounds)
    sampled = [r for r in rounds if r.requests]  # a round where no request finished has no latencies

    def median(name):
        return round(statistics.median(getattr(r, name) for r in sampled), 1) if sampled else None

    return {
        "req_s": round(requests / seconds, 1) if seconds else 0.0,
        "p50_ms": median("p50"),
        "p95_ms": median("p95"),
        "p99_ms": median("p99"),
        "requests": requests,
        "errors": sum(r.errors for r in rounds),
        "bytes_per_response": round(sum(r.bytes for r in rounds) / requests) if requests else 0,
        "tool": rounds[0].tool if rounds else "",
    }
