"""Query budgets (issue 16): every learner page runs at most 6 SQL statements, every
trainer and organisation page at most 10, and the number does not grow with the data.

Each page is measured on a small world (2 learners, modules, submissions, badges, ...)
and on a larger one (20 of each); both counts must be within the budget and equal.
Timings are never tested here: `make bench` measures them."""
from types import SimpleNamespace

import pytest

from course.extensions import db
from course.models import QuizAttempt, utcnow
from tests import factories, factories_badges, factories_org, factories_review
from tests.querycount import count_queries

LEARNER_BUDGET = 6
STAFF_BUDGET = 10


def build_world(n: int) -> SimpleNamespace:
    """A course of n modules; one cohort of n learners besides "the learner", each with
    the first module complete, a badge, and a submission waiting on module 2 with n
    versions; the learner has n quiz attempts on module 2 and a badge per completed
    module; the trainer has n snippets' worth of queue (n waiting submissions)."""
    organisation = factories.make_organisation(name=f"Stichting {n}")
    org_admin = factories.make_user(email=f"admin{n}@example.org", org=organisation, org_role="admin")
    trainer = factories.make_user(role="trainer", email=f"trainer{n}@example.org")
    course, licence, cohort = factories_org.make_team(organisation, seats=n + 5, trainers=[trainer], modules=n,
                                                    quiz_max_attempts=50)  # so the overrides count
    first, second = course.modules[0], course.modules[1]
    learner = factories.make_user(email=f"learner{n}@example.org", name="Lotte Leerling", org=organisation)
    enrolment = factories_org.enrol_with_seat(learner, cohort, licence, started_at=utcnow())
    factories_badges.complete_module(enrolment, first, reviewer=trainer)
    factories_badges.award_module_badge(enrolment, first)
    for number in range(1, n + 1):
        db.session.add(QuizAttempt(enrolment_id=enrolment.id, module_id=second.id, number=number,
                                   content_version="v1", answers={}, results={}, score=0, max_score=3,
                                   passed=False))
    db.session.commit()
    # The learner's own work on module 2 has n versions, the last one waiting.
    own = factories_review.make_submission(enrolment, second)
    for number in range(1, n):
        factories_review.add_review(own, trainer)
        factories_review.resubmit(own, {"doelgroep": f"Versie {number + 1}", "boodschap": "Samen."})
    others = []
    for i in range(n):
        user = factories.make_user(email=f"l{n}-{i}@example.org", name=f"Deelnemer {i:02d}", org=organisation)
        other = factories_org.enrol_with_seat(user, cohort, licence, started_at=utcnow())
        factories_badges.complete_module(other, first, reviewer=trainer)
        factories_badges.award_module_badge(other, first)
        factories_review.make_submission(other, second)
        others.append(other)
    return SimpleNamespace(organisation=organisation, org_admin=org_admin, trainer=trainer, course=course,
                           cohort=cohort, learner=learner, enrolment=enrolment, first=first, second=second,
                           own=own, others=others)


def learner_pages(w) -> dict[str, str]:
    course, module = w.course.slug, w.second.slug
    return {
        "Mijn leren": "/mijn-leren",
        "course overview": f"/mijn-leren/{course}",
        "course page": f"/cursussen/{course}",
        "module page": f"/mijn-leren/{course}/{module}",
        "quiz": f"/mijn-leren/{course}/{module}/quiz",
        "assignment": f"/mijn-leren/{course}/{module}/opdracht",
        "workbook": f"/mijn-werkboek/{course}",
        "badges": "/mijn-badges",
    }


def trainer_pages(w) -> dict[str, str]:
    return {
        "review queue": "/beoordelen",
        "review page": f"/beoordelen/{w.own.public_id}",
        "matrix (cohort)": f"/voortgang/groep/{w.cohort.public_id}",
        "matrix (course)": f"/voortgang/cursus/{w.course.slug}",
        "progress CSV": f"/voortgang/groep/{w.cohort.public_id}/voortgang.csv",
    }


def org_pages(w) -> dict[str, str]:
    return {
        "organisation overview": "/organisatie",
        "team progress (cohort page)": f"/organisatie/groepen/{w.cohort.public_id}",
        "attendance list": f"/groepen/{w.cohort.public_id}/presentielijst.csv",
    }


def measure(login_as, user, paths: dict[str, str]) -> dict[str, tuple[int, list[str]]]:
    client = login_as(user)
    counts = {}
    for name, path in paths.items():
        assert client.get(path).status_code == 200, f"{name}: {path}"  # warm-up (and: the page works)
        with count_queries() as counter:
            response = client.get(path)
            response.get_data()
        assert response.status_code == 200, name
        counts[name] = (counter.count, counter.statements)
    return counts


def _report(small, large, name) -> str:
    lines = [f"{name}: {small[name][0]} queries with 2, {large[name][0]} with 20"]
    lines += [f"  {s.split(chr(10))[0][:160]}" for s in large[name][1]]
    return "\n".join(lines)


@pytest.fixture
def worlds(app, login_as):
    """Counts per role and page, measured at size 2 and size 20."""
    results = {}
    for n in (2, 20):
        w = build_world(n)
        results[n] = {
            "learner": measure(login_as, w.learner, learner_pages(w)),
            "trainer": measure(login_as, w.trainer, trainer_pages(w)),
            "org": measure(login_as, w.org_admin, org_pages(w)),
        }
    return results


def test_pages_stay_within_their_query_budget_whatever_the_data_size(worlds):
    problems = []
    for role, budget in (("learner", LEARNER_BUDGET), ("trainer", STAFF_BUDGET), ("org", STAFF_BUDGET)):
        small, large = worlds[2][role], worlds[20][role]
        for name in small:
            if small[name][0] != large[name][0] or large[name][0] > budget or small[name][0] > budget:
                problems.append(f"[budget {budget}] " + _report(small, large, name))
    assert not problems, "\n\n".join(problems)
