"""`make bench` (python -m bench): build the data, serve, load, report.

Settings (environment): BENCH_LEARNERS (2000; the issue's size is 10000),
BENCH_ROUNDS (2), BENCH_SECONDS (5 s per page per round), BENCH_CONNECTIONS (16),
BENCH_WORKERS (4, as the README), BENCH_GC_COMPARE (1: also measure without gc.freeze()),
BENCH_TWO_INSTANCES (1: also two instances of half the workers behind nginx),
BENCH_SINGLE_CLIENT (1: also each page with one client, in the first round, for the
throughput at 16 connections against one),
BENCH_NOTE (a sentence for the report, e.g. how busy the machine was),
BENCH_DATABASE_URL or TEST_DATABASE_URL (a PostgreSQL server: the bench creates and
drops its own database there). Timings are never pass/fail.
"""
import os
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from bench import data, load, report, serve
from bench.pages import LEARNER, WRITES, Sessions, count_queries, pages

CEILING = {"ceiling: template only": "/template", "ceiling: one select": "/select", "ceiling: 50-row join": "/join"}
GC_PAGES = ("cohort matrix (500)", "team progress (500)", "review queue")
TWO_PAGES = ("Mijn leren", "module page", "review queue", "cohort matrix (500)")


def setting(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def main() -> int:
    options = {"learners": setting("BENCH_LEARNERS", 2000), "rounds": setting("BENCH_ROUNDS", 2),
               "seconds": setting("BENCH_SECONDS", 5), "connections": setting("BENCH_CONNECTIONS", 16),
               "workers": setting("BENCH_WORKERS", 4), "gc_compare": setting("BENCH_GC_COMPARE", 1),
               "two_instances": setting("BENCH_TWO_INSTANCES", 1),
               "single_client": setting("BENCH_SINGLE_CLIENT", 1)}
    folder = Path(tempfile.mkdtemp(prefix="leerlijn-bench-"))
    backends = {"SQLite": f"sqlite:///{folder / 'bench.sqlite'}"}
    server_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if server_url and server_url.startswith("postgresql"):
        backends["PostgreSQL"] = server_url
    else:
        print("No BENCH_DATABASE_URL/TEST_DATABASE_URL (PostgreSQL): only SQLite is measured.")
    result = {"meta": _meta(options), "backends": {}}
    for backend, url in backends.items():
        print(f"== {backend}", flush=True)
        if backend == "PostgreSQL":
            with _fresh_postgres(url) as bench_url:
                result["backends"][backend] = measure(bench_url, options, folder, result["meta"])
        else:
            result["backends"][backend] = measure(url, options, folder, result["meta"])
    json_path, md_path = report.write(result)
    print(md_path.read_text())
    print(f"Written: {json_path} and {md_path}")
    _privacy_hint_scores()
    return 0


def _privacy_hint_scores() -> None:
    """Precision and recall of the privacy hints on their corpus (issue 14), in the same report run."""
    from tests.privacy_hints_scoring import SENTENCES, score_corpus, summary_table

    tp, fp, fn, _differs = score_corpus()
    print(f"\nPrivacy hints on {len(SENTENCES)} corpus sentences (tests/fixtures/privacy_hints_corpus.yml):")
    print(summary_table(tp, fp, fn))


def _meta(options: dict) -> dict:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,  # noqa: S607
                            cwd=serve.ROOT).stdout.strip()
    return {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "cores": os.cpu_count(),
            "get_tool": "wrk" if load.have_wrk() else "the Python client (wrk not installed)",
            "commit": commit or "unknown", **options, "counts_note": "",
            "note": os.environ.get("BENCH_NOTE", "")}


class _fresh_postgres:
    """A database of its own on the server, dropped afterwards."""

    def __init__(self, url: str):
        self.admin_url = sa.engine.make_url(url).set(database="postgres")
        self.name = f"leerlijn_bench_{os.getpid()}"

    def __enter__(self) -> str:
        self._run(f'DROP DATABASE IF EXISTS "{self.name}"', f'CREATE DATABASE "{self.name}"')
        return self.admin_url.set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc):
        self._run(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _run(self, *statements):
        engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            for statement in statements:
                connection.execute(sa.text(statement))
        engine.dispose()


def measure(url: str, options: dict, folder: Path, meta: dict) -> dict:
    secret = secrets.token_hex(32)
    app = _app(url, secret, folder)
    started = time.perf_counter()
    with app.app_context():
        from course.content.loader import load_content
        from course.extensions import db

        db.create_all()
        load_content(app.config["CONTENT_DIR"])
        world = data.build(options["learners"]).as_dict()
        from course.review.summary import rebuild  # bulk inserts bypass the events: what `make run` does

        rebuild(db.session)
        data.analyse()
        from course.warmup import compile_templates  # the deploy step (README: Production)

        compile_templates(app)
        db.session.remove()
        db.engine.dispose()
    print(f"data built in {time.perf_counter() - started:.1f} s: {world['counts']}", flush=True)
    meta["counts_note"] = ", ".join(f"{n:,} {table}" for table, n in world["counts"].items())
    sessions = Sessions(app)
    page_list = pages(world)
    queries = count_queries(app, sessions, world, page_list)
    writes = {name: make(app, sessions, world) for name, make in WRITES.items()}
    env = {"LEERLIJN_ENV": "production", "SECRET_KEY": secret, "DATABASE_URL": url, "RATELIMIT_SINGLE_PROCESS": "1",
           "MAIL_DIR": str(folder / "mail"), "BENCH_CEILING_DATABASE_URL": url,
           "TEMPLATE_CACHE_DIR": app.config["TEMPLATE_CACHE_DIR"]}
    log = folder / "gunicorn.log"
    empty_cache_start = _cold_start_without_template_cache(env, options, folder, log)
    app_server = serve.start("app:app", env, options["workers"], log)
    ceiling_server = serve.start("bench.ceiling_app:app", env, options["workers"], log)
    plain_server = None
    try:
        rows = _rounds(app_server, ceiling_server, page_list, writes, sessions, world, options)
        gc_rows = {}
        if options["gc_compare"]:
            plain_server = serve.start("app:app", {**env, "LEERLIJN_GC_FREEZE": "0"}, options["workers"], log)
            gc_rows = _gc_compare(app_server, plain_server, page_list, sessions, world, options)
        rss = {"app": _mean(app_server.worker_rss_mb()), "ceiling": _mean(ceiling_server.worker_rss_mb())}
        pss = {"app": _mean(app_server.worker_pss_mb()), "ceiling": _mean(ceiling_server.worker_pss_mb())}
        two = _two_instances(app_server, env, page_list, sessions, world, options, folder, log)
    finally:
        for server in (app_server, ceiling_server, plain_server):
            if server is not None:
                server.stop()
    for page in page_list:
        rows[page.name].update(queries[page.name])
        ceiling = rows["ceiling: template only" if page.kind == LEARNER else "ceiling: 50-row join"]["req_s"]
        rows[page.name]["share"] = round(rows[page.name]["req_s"] / ceiling, 3) if ceiling else None
    return {"pages": rows, "rss_mb": rss, "pss_mb": pss, "gc_freeze": gc_rows, "two_instances": two,
            "cold_start_s": {"app": app_server.cold_start_s, "app_empty_template_cache": empty_cache_start,
                             "ceiling": ceiling_server.cold_start_s}}


def _cold_start_without_template_cache(env: dict, options: dict, folder: Path, log: Path) -> float:
    """Start to first 200 when the deploy step was skipped: the master compiles every template."""
    empty = Path(tempfile.mkdtemp(prefix="empty-template-cache-", dir=folder))
    server = serve.start("app:app", {**env, "TEMPLATE_CACHE_DIR": str(empty)}, options["workers"], log)
    server.stop()
    return server.cold_start_s


def _app(url: str, secret: str, folder: Path):
    from config import ProductionConfig
    from course import create_app

    return create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=url, SECRET_KEY=secret,
                      RATELIMIT_SINGLE_PROCESS=True, MAIL_DIR=str(folder / "mail"),
                      TEMPLATE_CACHE_DIR=str(folder / "template-cache"))


def _rounds(app_server, ceiling_server, page_list, writes, sessions, world, options) -> dict:
    """Every page, write and ceiling page once per round, rounds interleaved, so a
    slow moment of the machine touches all of them alike."""
    collected: dict[str, list] = {}
    single: dict[str, list] = {}
    for number in range(options["rounds"]):
        print(f"round {number + 1}/{options['rounds']}", flush=True)
        for name, path in CEILING.items():
            request = load.Request("GET", path, {"User-Agent": load.USER_AGENT})
            collected.setdefault(name, []).append(_get(ceiling_server, request, options))
        for page in page_list:
            headers, _token = sessions.headers(world[page.role])
            request = load.Request("GET", page.path, headers)
            collected.setdefault(page.name, []).append(_get(app_server, request, options))
            if number == 0 and options["single_client"]:
                single.setdefault(page.name, []).append(_get(app_server, request, {**options, "connections": 1}))
        for name, stream in writes.items():
            app_server.settle()
            collected.setdefault(name, []).append(
                load.run_python(app_server.base, stream, options["seconds"], options["connections"]))
    rows = {name: load.combine(rounds) for name, rounds in collected.items()}
    for name, rounds in single.items():
        alone = load.combine(rounds)
        rows[name].update(single_req_s=alone["req_s"], single_p50_ms=alone["p50_ms"],
                          scaling=round(rows[name]["req_s"] / alone["req_s"], 2) if alone["req_s"] else None)
    return rows


def _get(server, request, options):
    server.settle()
    if load.have_wrk():
        return load.run_wrk(server.base, request, options["seconds"], options["connections"])
    return load.run_python(server.base, load.repeat(request), options["seconds"], options["connections"])


def _gc_compare(frozen, plain, page_list, sessions, world, options) -> dict:
    """p95 of the big pages with and without gc.freeze(), interleaved in one run."""
    rounds: dict[str, dict[str, list]] = {}
    for _ in range(options["rounds"]):
        for page in (p for p in page_list if p.name in GC_PAGES):
            headers, _token = sessions.headers(world[page.role])
            request = load.Request("GET", page.path, headers)
            for label, server in (("with", frozen), ("without", plain)):
                rounds.setdefault(page.name, {}).setdefault(label, []).append(_get(server, request, options))
    out = {}
    for name, pair in rounds.items():
        with_ms, without_ms = load.combine(pair["with"])["p95_ms"], load.combine(pair["without"])["p95_ms"]
        out[name] = {"with_ms": with_ms, "without_ms": without_ms,
                     "ratio": round(with_ms / without_ms, 2) if with_ms and without_ms else None}
    return out


def _two_instances(one, env, page_list, sessions, world, options, folder, log) -> dict:
    """req/s of a few pages through two instances behind nginx (each with half the
    workers, so the same total) against the one instance, interleaved in one run.
    Skipped (empty) when nginx is missing or BENCH_TWO_INSTANCES=0."""
    nginx = serve.find_nginx() if options["two_instances"] else None
    if nginx is None:
        return {}
    half = max(1, options["workers"] // 2)
    instances, balancer = [], None
    try:
        instances = [serve.start("app:app", env, half, log) for _ in range(2)]
        balancer = serve.start_balancer(nginx, folder / "nginx", [s.port for s in instances])
        rounds: dict[str, dict[str, list]] = {}
        for _ in range(options["rounds"]):
            for page in (p for p in page_list if p.name in TWO_PAGES):
                headers, _token = sessions.headers(world[page.role])
                request = load.Request("GET", page.path, headers)
                for label, server in (("one", one), ("two", balancer)):
                    rounds.setdefault(page.name, {}).setdefault(label, []).append(_get(server, request, options))
    finally:
        for server in (balancer, *instances):
            if server is not None:
                server.stop()
    out = {}
    for name, pair in rounds.items():
        a, b = load.combine(pair["one"]), load.combine(pair["two"])
        out[name] = {"one_req_s": a["req_s"], "two_req_s": b["req_s"], "one_p95_ms": a["p95_ms"],
                     "two_p95_ms": b["p95_ms"], "errors": b["errors"],
                     "ratio": round(b["req_s"] / a["req_s"], 2) if a["req_s"] else None}
    return {"workers_each": half, "pages": out}


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


if __name__ == "__main__":
    sys.exit(main())
