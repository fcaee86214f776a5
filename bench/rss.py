"""`python -m bench.rss`: resident memory (VmRSS) per gunicorn worker, after boot and
after requests (issue 16: "memory under 100 MB RSS per gunicorn worker").

    PYTHONPATH=. .venv/bin/python -m bench.rss /work/cpu10k           # SQLite (a copy in /tmp)
    RSS_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_x \\
        PYTHONPATH=. .venv/bin/python -m bench.rss /work/cpu10k       # PostgreSQL, already loaded

Serves the app the way bench/serve.py does (gunicorn.conf.py, RSS_WORKERS (4) workers,
the environment of `make bench`) on a copy of DIR/bench.sqlite (the original is never
written), or on RSS_DATABASE_URL when set (a database holding the same data set as
DIR/world.json; the script writes to it when RSS_WRITES is on). Then, from one client,
each bench page (bench/pages.py) RSS_REQUESTS (200) times, and RSS_WRITES (30) of each
bench write (quiz submit, autosave, review save, session sign-up; 0: none). Prints, as
JSON, VmRSS of every worker right after boot and after the requests, their mean, and
also Pss/Private (from /proc/PID/smaps_rollup: the share of pages that are really each
worker's). The number `make bench` reports is the mean VmRSS after its run. Never
pass/fail. RSS_ENV="NAME=VALUE,..." adds environment variables for gunicorn (to compare
e.g. LEERLIJN_GC_FREEZE=0, or GUNICORN_CMD_ARGS=--preload). RSS_SMAPS=1 also prints one
worker's largest mappings (heap, anonymous, each shared library) on stderr.
"""
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

from bench import load, serve


def mappings(pid: int, top: int = 15) -> list[str]:
    """The largest resident mappings of one process (/proc/PID/smaps), by Rss: where it goes."""
    sizes: dict[str, int] = {}
    name = ""
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        fields = line.split()
        if "-" in fields[0] and len(fields) >= 5:  # a mapping's header line
            name = fields[5] if len(fields) > 5 else "[anon]"
        elif fields[0] == "Rss:":
            sizes[name] = sizes.get(name, 0) + int(fields[1])
    return [f"{kb / 1024:6.1f} MB {name}" for name, kb in sorted(sizes.items(), key=lambda x: -x[1])[:top]]


def snapshot(server: serve.Server) -> dict:
    workers = {pid: serve.process_memory(pid) for pid in sorted(serve._children(server.process.pid))}
    workers = {pid: m for pid, m in workers.items() if m}

    def mean(key):
        values = [m[key] for m in workers.values() if m.get(key) is not None]
        return round(sum(values) / len(values), 1) if values else None

    return {"mean_rss": mean("rss"), "mean_pss": mean("pss"), "mean_private": mean("private"),
            "workers": {str(pid): m for pid, m in workers.items()}}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    from bench.pages import WRITES, Sessions, pages
    from config import ProductionConfig
    from course import create_app

    folder = Path(argv[0])
    work = Path(tempfile.mkdtemp(prefix="leerlijn-rss-"))
    try:
        url = os.environ.get("RSS_DATABASE_URL")
        if not url:
            shutil.copy(folder / "bench.sqlite", work / "bench.sqlite")
            url = f"sqlite:///{work / 'bench.sqlite'}"
        secret = secrets.token_hex(32)
        world = json.loads((folder / "world.json").read_text())
        app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=url, SECRET_KEY=secret,
                         RATELIMIT_SINGLE_PROCESS=True, MAIL_DIR=str(work / "mail"))
        sessions = Sessions(app)
        env = {"LEERLIJN_ENV": "production", "SECRET_KEY": secret, "DATABASE_URL": url,
               "RATELIMIT_SINGLE_PROCESS": "1", "MAIL_DIR": str(work / "mail")}
        for pair in filter(None, os.environ.get("RSS_ENV", "").split(",")):
            name, _, value = pair.partition("=")
            env[name.strip()] = value
        workers = int(os.environ.get("RSS_WORKERS", 4))
        requests = int(os.environ.get("RSS_REQUESTS", 200))
        writes = int(os.environ.get("RSS_WRITES", 30))
        server = serve.start("app:app", env, workers, work / "gunicorn.log")
        try:
            time.sleep(1)
            booted = snapshot(server)
            timings = {}
            for page in pages(world):
                headers, _token = sessions.headers(world[page.role])
                result = load.run_python(server.base, islice(load.repeat(load.Request("GET", page.path, headers)),
                                                             requests), 3600, 1)
                timings[page.name] = {"p50_ms": result.p50, "errors": result.errors}
            for name, make in WRITES.items() if writes else ():
                result = load.run_python(server.base, islice(make(app, sessions, world), writes), 3600, 1)
                timings[name] = {"p50_ms": result.p50, "errors": result.errors}
            time.sleep(0.5)
            after = snapshot(server)
            if os.environ.get("RSS_SMAPS") == "1":
                print("\n".join(mappings(int(next(iter(after["workers"]))))), file=sys.stderr)
        finally:
            server.stop()
        print(json.dumps({"database": url.split(":")[0], "workers": workers, "requests_per_page": requests,
                          "writes_each": writes, "boot": booted, "after": after, "pages": timings}, indent=1))
        print(f"mean VmRSS per worker: boot {booted['mean_rss']} MB, after {after['mean_rss']} MB "
              f"(PSS {after['mean_pss']} MB, private {after['mean_private']} MB)", file=sys.stderr)
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
