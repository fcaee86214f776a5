"""`python -m bench.profile`: where the time goes, in-process (issue 16: "profile
before you change"). Builds the bench data set (BENCH_LEARNERS, default 1000) on a
fresh SQLite file, then for each page runs PROFILE_REQUESTS (20) requests through the
test client under pyinstrument (cProfile when pyinstrument is missing). Writes
bench/results/profile-<date>.md: mean ms per request and the heaviest frames per page.
Never pass/fail."""
import os
import secrets
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import data
from bench.pages import Sessions, pages
from bench.report import RESULTS

REQUESTS = int(os.environ.get("PROFILE_REQUESTS", 20))
PROFILED = ("module page", "review page", "review queue", "cohort matrix (500)", "team progress (500)")


def _app(url: str, folder: Path):
    from config import ProductionConfig
    from course import create_app

    return create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=url, SECRET_KEY=secrets.token_hex(32),
                      RATELIMIT_SINGLE_PROCESS=True, MAIL_DIR=str(folder / "mail"))


def build(app, learners: int) -> dict:
    with app.app_context():
        from course.content.loader import load_content
        from course.extensions import db

        db.create_all()
        load_content(app.config["CONTENT_DIR"])
        world = data.build(learners).as_dict()
        _summarise(db)
        data.analyse()
        db.session.remove()
    return world


def _summarise(db) -> None:
    try:
        from course.review.summary import rebuild
    except ImportError:  # a checkout from before the progress summary
        return
    rebuild(db.session)


def _profiler():
    try:
        from pyinstrument import Profiler
    except ImportError:
        return None
    return Profiler(interval=0.0005)


def profile_pages(app, world: dict) -> list[tuple[str, float, str]]:
    sessions = Sessions(app)
    client = app.test_client(use_cookies=False)
    out = []
    for page in pages(world):
        headers, _token = sessions.headers(world[page.role])
        for _ in range(3):  # warm-up
            client.get(page.path, headers=headers).get_data()
        started = time.perf_counter()
        profiler = _profiler() if page.name in PROFILED else None
        if profiler is not None:
            profiler.start()
        size = 0
        for _ in range(REQUESTS):
            response = client.get(page.path, headers=headers)
            size = len(response.get_data())
        if profiler is not None:
            profiler.stop()
        mean_ms = (time.perf_counter() - started) * 1000 / REQUESTS
        text = ""
        if profiler is not None:
            text = profiler.output_text(unicode=False, color=False, show_all=False, short_mode=False)
            text = "\n".join(line for line in text.splitlines()[:60])
        out.append((f"{page.name} ({size:,} bytes)", round(mean_ms, 1), text))
    return out


def main() -> int:
    learners = int(os.environ.get("BENCH_LEARNERS", 1000))
    folder = Path(tempfile.mkdtemp(prefix="leerlijn-profile-"))
    app = _app(f"sqlite:///{folder / 'profile.sqlite'}", folder)
    started = time.perf_counter()
    world = build(app, learners)
    print(f"data built in {time.perf_counter() - started:.1f} s", flush=True)
    results = profile_pages(app, world)
    label = os.environ.get("PROFILE_LABEL", "")
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M")
    lines = [f"# Profile {label} ({stamp} UTC, {learners} learners, SQLite, in-process, "
             f"{REQUESTS} requests per page)", "", "| page | mean ms per request |", "|---|---:|"]
    lines += [f"| {name} | {ms} |" for name, ms, _text in results]
    for name, _ms, text in results:
        if text:
            lines += ["", f"## {name}", "", "```", text, "```"]
    RESULTS.mkdir(exist_ok=True)
    path = Path(os.environ.get("PROFILE_OUT") or RESULTS / f"profile-{stamp}{('-' + label) if label else ''}.md")
    path.write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:20]))
    print(f"Written: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
