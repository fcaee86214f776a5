"""Cold start and memory per worker (issue 16: under 2 s to the first 200, under 100 MB
RSS per worker), measured apart from the load rounds: `python -m bench.startup`.

- import: `import app` in a fresh interpreter, N times: CPU seconds (the machine may be
  shared, so CPU time says more than wall time) and RSS right after the import;
- gunicorn: started as `make bench` starts it (gunicorn.conf.py, -w STARTUP_WORKERS),
  the time to the first 200, then RSS per worker after a few requests to real pages; the
  framework-ceiling app is started in the same rounds, so the ratio survives a busy machine.

Settings: STARTUP_ROUNDS (3), STARTUP_WORKERS (2). Never pass/fail.
"""
import http.client
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import serve

IMPORT_PROBE = """
import resource, time
wall, cpu = time.perf_counter(), time.process_time()
import app
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS:"))
print(f"{cpu:.3f} {wall:.3f} {rss / 1024:.1f}")
"""
PAGES = ("/healthz", "/inloggen", "/", "/privacy", "/cursussen")


def _setting(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'startup.sqlite'}"
    from config import ProductionConfig
    from course import create_app
    from course.content.loader import load_content
    from course.extensions import db

    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=url, SECRET_KEY="x" * 32,
                     RATELIMIT_SINGLE_PROCESS=True)
    with app.app_context():
        db.create_all()
        load_content(app.config["CONTENT_DIR"])
        db.session.remove()
        db.engine.dispose()
    return url


def measure_import(env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", IMPORT_PROBE], cwd=serve.ROOT, env={**os.environ, **env},  # noqa: S603
                         capture_output=True, text=True, check=True).stdout.split()
    cpu, wall, rss = (float(x) for x in out[-3:])
    return {"cpu_s": cpu, "wall_s": wall, "rss_mb": rss}


def _touch(server: serve.Server, times: int = 5) -> None:
    for _ in range(times):
        for path in PAGES:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            connection.request("GET", path)
            connection.getresponse().read()
            connection.close()


def main() -> int:
    rounds, workers = _setting("STARTUP_ROUNDS", 3), _setting("STARTUP_WORKERS", 2)
    folder = Path(tempfile.mkdtemp(prefix="leerlijn-startup-"))
    url = _database(folder)
    env = {"LEERLIJN_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": url,
           "RATELIMIT_SINGLE_PROCESS": "1", "MAIL_DIR": str(folder / "mail"), "BENCH_CEILING_DATABASE_URL": url}
    log = folder / "gunicorn.log"
    imports, cold, ceiling_cold, rss, ceiling_rss = [], [], [], [], []
    for number in range(rounds):
        print(f"round {number + 1}/{rounds}", flush=True)
        imports.append(measure_import(env))
        for spec, starts, sizes in (("app:app", cold, rss), ("bench.ceiling_app:app", ceiling_cold, ceiling_rss)):
            server = serve.start(spec, env, workers, log)
            try:
                if spec == "app:app":
                    _touch(server)
                starts.append(server.cold_start_s)
                sizes += server.worker_rss_mb()
            finally:
                server.stop()
    median = statistics.median
    print(f"\nimport app ({rounds}x): CPU {median(i['cpu_s'] for i in imports):.2f} s, "
          f"wall {median(i['wall_s'] for i in imports):.2f} s, RSS {median(i['rss_mb'] for i in imports):.1f} MB")
    print(f"gunicorn -w {workers}, start to first 200 (median): app {median(cold):.2f} s, "
          f"ceiling {median(ceiling_cold):.2f} s, ratio {median(cold) / median(ceiling_cold):.2f}")
    print(f"RSS per worker after {5 * len(PAGES)} requests (median): app {median(rss):.1f} MB, "
          f"ceiling {median(ceiling_rss):.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
