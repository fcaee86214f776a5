"""`python -m bench.cpu`: CPU milliseconds per request of the bench pages, in-process
(issue 16). On a machine shared with other work, wall time is noise; the CPU time of
this process (`time.process_time`) around test-client requests is not.

    python -m bench.cpu build DIR     # the bench data set (BENCH_LEARNERS) in DIR/bench.sqlite
    python -m bench.cpu measure DIR   # CPU ms per request per page, as JSON on stdout
    python -m bench.cpu instructions DIR   # instructions per request per page (valgrind)

`measure` works on a copy of the database, so two checkouts (before and after a change)
can be measured alternately on the same data: run it from each checkout with
PYTHONPATH set to that checkout. CPU_ROUNDS (5) rounds of CPU_REQUESTS (20) requests per
page after 3 warm-ups; the fastest round counts (another process on the same cores only
ever slows a round down);
CPU_PAGES (comma-separated page names) to measure only some, CPU_PROFILE=1 for a
pyinstrument tree per page on stderr, CPU_DUMP=DIR to write each page's body there
(to check that two checkouts answer the same). Never pass/fail.

CPU_DATABASE_URL (a PostgreSQL database, created and empty) puts the data set there
instead of in DIR/bench.sqlite: `build DIR` fills it (and writes DIR/world.json),
`measure DIR` and `instructions DIR` then run on it directly (no copy: the few writes of
the GET pages land in it; the database server's own CPU time is not counted). E.g.:

    createdb -h 127.0.0.1 -U postgres cpu_pg
    CPU_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/cpu_pg \
        python -m bench.cpu build /tmp/cpu-pg && ... python -m bench.cpu measure /tmp/cpu-pg

`instructions` counts what a request costs without any noise from the machine: each page
runs in its own process under valgrind's callgrind, which counts only inside
`operator.call` (nothing else in the app calls it), around CPU_REQUESTS (5) requests after
3 warm-ups, with PYTHONHASHSEED=0. The same checkout gives the same count within about
0.1 %; a run takes a minute or two per page, two pages at a time."""
import contextlib
import json
import os
import secrets
import shutil
import sys
import time
from pathlib import Path


def _database_url() -> str | None:
    return os.environ.get("CPU_DATABASE_URL") or None


def _app(database: Path, folder: Path):
    from config import ProductionConfig
    from course import create_app

    return create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=_database_url() or f"sqlite:///{database}",
                      SECRET_KEY=os.environ.get("CPU_SECRET", secrets.token_hex(32)),
                      RATELIMIT_SINGLE_PROCESS=True, MAIL_DIR=str(folder / "mail"))


def build(folder: Path) -> None:
    from bench.profile import build as build_world

    folder.mkdir(parents=True, exist_ok=True)
    app = _app(folder / "bench.sqlite", folder)
    world = build_world(app, int(os.environ.get("BENCH_LEARNERS", 1000)))
    (folder / "world.json").write_text(json.dumps(world))


def _profiler():
    """CPU_PROFILE=1: after the timed requests, the same number again under pyinstrument
    (its text tree on stderr), so the timing itself is not slowed by the profiler."""
    if os.environ.get("CPU_PROFILE") != "1":
        return None
    from pyinstrument import Profiler

    return Profiler(interval=0.0005)


@contextlib.contextmanager
def _scratch_app(folder: Path):
    """(app, world) on a copy of DIR's database, removed afterwards: two checkouts can be
    measured on the same data, and a request's writes never change it."""
    work = folder / f"run-{os.getpid()}"
    work.mkdir()
    try:
        if not _database_url():
            shutil.copy(folder / "bench.sqlite", work / "bench.sqlite")
        yield _app(work / "bench.sqlite", work), json.loads((folder / "world.json").read_text())
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(folder: Path) -> dict:
    from bench.pages import Sessions, pages

    with _scratch_app(folder) as (app, world):
        only = {name.strip() for name in os.environ.get("CPU_PAGES", "").split(",") if name.strip()}
        requests = int(os.environ.get("CPU_REQUESTS", 20))
        rounds = int(os.environ.get("CPU_ROUNDS", 5))
        sessions = Sessions(app)
        client = app.test_client(use_cookies=False)
        out = {}
        for page in pages(world):
            if only and page.name not in only:
                continue
            headers, _token = sessions.headers(world[page.role])
            for _ in range(3):
                client.get(page.path, headers=headers).get_data()
            profiler = _profiler()
            per_round = []
            for _ in range(rounds):  # the least disturbed round counts: others share the machine
                started = time.process_time()
                for _ in range(requests):
                    response = client.get(page.path, headers=headers)
                    body = response.get_data()
                per_round.append((time.process_time() - started) * 1000 / requests)
            cpu_ms = min(per_round)
            if os.environ.get("CPU_DUMP"):  # the last body per page, to compare two checkouts' output
                Path(os.environ["CPU_DUMP"]).mkdir(parents=True, exist_ok=True)
                (Path(os.environ["CPU_DUMP"]) / f"{page.name}.html").write_bytes(body)
            out[page.name] = {"cpu_ms": round(cpu_ms, 2), "bytes": len(body), "status": response.status_code}
            if profiler is not None:
                profiler.start()
                for _ in range(requests):
                    client.get(page.path, headers=headers).get_data()
                profiler.stop()
                text = profiler.output_text(unicode=False, color=False, show_all=False)
                print(f"## {page.name}: {cpu_ms:.2f} CPU ms per request\n{text}", file=sys.stderr)
        return out


def _count_one(folder: Path, name: str) -> None:
    """The process callgrind watches: one page, its requests inside operator.call."""
    import operator

    from bench.pages import Sessions, pages

    with _scratch_app(folder) as (app, world):
        page = next(p for p in pages(world) if p.name == name)
        headers, _token = Sessions(app).headers(world[page.role])
        client = app.test_client(use_cookies=False)
        for _ in range(3):
            client.get(page.path, headers=headers).get_data()

        def requests():
            for _ in range(int(os.environ.get("CPU_REQUESTS", 5))):
                client.get(page.path, headers=headers).get_data()

        operator.call(requests)


def _instructions(folder: Path, name: str) -> int:
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        command = [shutil.which("valgrind") or "valgrind", "--tool=callgrind", "--collect-atstart=no",
                   "--toggle-collect=_operator_call", f"--callgrind-out-file={out}",
                   sys.executable, "-m", "bench.cpu", "_count", str(folder), name]
        subprocess.run(command, check=True, capture_output=True,  # noqa: S603  (our own fixed command)
                       env={**os.environ, "PYTHONHASHSEED": "0"})
        for line in out.read_text().splitlines():
            if line.startswith("totals:") or line.startswith("summary:"):
                return int(line.split()[1])
    raise RuntimeError(f"no totals in callgrind's output for {name}")


def instructions(folder: Path) -> dict:
    from concurrent.futures import ThreadPoolExecutor

    from bench.pages import pages

    only = {name.strip() for name in os.environ.get("CPU_PAGES", "").split(",") if name.strip()}
    world = json.loads((folder / "world.json").read_text())
    names = [p.name for p in pages(world) if not only or p.name in only]
    requests = int(os.environ.get("CPU_REQUESTS", 5))
    with ThreadPoolExecutor(max_workers=2) as pool:
        totals = list(pool.map(lambda name: _instructions(folder, name), names))
    return {name: {"instructions_per_request": total // requests} for name, total in zip(names, totals, strict=True)}


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "_count":
        _count_one(Path(argv[1]), argv[2])
        return 0
    if len(argv) != 2 or argv[0] not in ("build", "measure", "instructions"):
        print(__doc__)
        return 2
    folder = Path(argv[1])
    if argv[0] == "build":
        build(folder)
    elif argv[0] == "instructions":
        print(json.dumps(instructions(folder)))
    else:
        print(json.dumps(measure(folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
