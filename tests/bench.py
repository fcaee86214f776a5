"""Benchmarks for list pages: `make bench`.

Builds two data sets (SMALL and LARGE learners in one cohort, each with a waiting
submission) on a temporary SQLite database, then times the pages trainers and
organisation admins open most. Reports per page: SQL statements per request
(should not grow with the data) and the median time, with the LARGE/SMALL time
ratio measured in the same run. Nothing here passes or fails: machines are noisy.
"""
import statistics
import sys
import tempfile
import time
from pathlib import Path

SMALL, LARGE = 10, 200
REPEATS = 7


def build(app, learners: int):
    from course.extensions import db
    from tests import factories
    from tests.factories_review import make_submission

    org = factories.make_organisation(name=f"Bench {learners}")
    trainer = factories.make_user(role="trainer", email=f"trainer{learners}@bench.test")
    org_admin = factories.make_user(email=f"admin{learners}@bench.test", org=org, org_role="admin")
    course = factories.make_course(modules=5)
    cohort = factories.make_cohort(org, course, trainers=[trainer])
    for n in range(learners):
        user = factories.make_user(email=f"l{learners}-{n}@bench.test", org=org)
        enrolment = factories.make_enrolment(user, course, cohort=cohort)
        make_submission(enrolment, course.modules[0], submitted_days_ago=n % 9)
    db.session.commit()
    return {"trainer": trainer, "org_admin": org_admin, "cohort": cohort}


def pages(world):
    cohort = world["cohort"].public_id
    return [
        ("trainer", "review queue", "/beoordelen"),
        ("trainer", "cohort progress matrix", f"/voortgang/groep/{cohort}"),
        ("trainer", "grades", f"/voortgang/groep/{cohort}/beoordelingen"),
        ("trainer", "progress CSV", f"/voortgang/groep/{cohort}/voortgang.csv"),
        ("org_admin", "organisation overview", "/organisatie"),
        ("org_admin", "team progress", f"/organisatie/groepen/{cohort}"),
        ("org_admin", "team CSV", f"/organisatie/groepen/{cohort}/voortgang.csv"),
    ]


def measure(web, world):
    """`web` is a second app on the same database: requests get their own app context."""
    from tests.querycount import count_queries

    results = {}
    for role, name, path in pages(world):
        client = web.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = world[role].get_id()
        client.get(path).close()  # warm-up
        with count_queries() as counter:
            response = client.get(path)
            response.close()
        assert response.status_code == 200, (path, response.status_code)
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            client.get(path).close()
            times.append(time.perf_counter() - start)
        results[name] = (counter.count, statistics.median(times))
    return results


def main() -> int:
    from config import TestConfig
    from course import create_app
    from course.extensions import db

    folder = Path(tempfile.mkdtemp(prefix="leerlijn-bench-"))
    runs = {}
    for size in (SMALL, LARGE):
        url = f"sqlite:///{folder / f'bench-{size}.sqlite'}"
        settings = {"SQLALCHEMY_DATABASE_URI": url, "MAIL_DIR": str(folder / "mail")}
        app, web = create_app(TestConfig, **settings), create_app(TestConfig, **settings)
        with app.app_context():
            db.create_all()
            world = build(app, size)
            runs[size] = measure(web, world)
            db.engine.dispose()
    print(f"{'page':28} {'queries':>9} {'ms @' + str(SMALL):>9} {'ms @' + str(LARGE):>10} {'ratio':>7}")
    for name, (queries_small, t_small) in runs[SMALL].items():
        queries_large, t_large = runs[LARGE][name]
        queries = f"{queries_small}/{queries_large}"
        print(f"{name:28} {queries:>9} {t_small * 1000:9.1f} {t_large * 1000:10.1f} {t_large / t_small:7.1f}")
    print(f"\n{LARGE // SMALL}x more learners. 'queries' is small/large: equal means no N+1. "
          "Times are medians of one run on this machine; compare the ratios, not the numbers.")
    from tests.privacy_hints_scoring import SENTENCES, score_corpus, summary_table

    tp, fp, fn, _differs = score_corpus()
    print(f"\nPrivacy hints on {len(SENTENCES)} corpus sentences (tests/fixtures/privacy_hints_corpus.yml):")
    print(summary_table(tp, fp, fn))
    return 0


if __name__ == "__main__":
    sys.exit(main())
