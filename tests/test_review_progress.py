"""Progress overview: the learners × modules matrix with text status, its filters,
the learner detail page, quiz item analysis, SVG charts and CSV exports that are
identical to the screen."""
import csv
import html as htmllib
import io
import re
from datetime import date, timedelta

import pytest
from babel.dates import format_date

from course.extensions import db
from course.models import EventKind, ModuleProgress, ProgressEvent, QuizAttempt, utcnow
from course.review.queries import matrix as matrix_queries
from course.review.queries import quiz_analysis as quiz_queries
from course.review.queries import scope as scope_queries
from course.review.queries import waiting as waiting_queries
from tests import factories
from tests.factories_review import add_review, make_submission, resubmit
from tests.querycount import count_queries


def _attempt(enrolment, module, number, answers, results, passed=False):
    attempt = QuizAttempt(enrolment_id=enrolment.id, module_id=module.id, number=number, content_version="v1",
                          answers=answers, results=results, score=sum(results.values()), max_score=len(results),
                          passed=passed)
    db.session.add(attempt)
    return attempt


@pytest.fixture
def world(app, trainer, organisation):
    course = factories.make_course(title="Welzijn 2.0", modules=2)
    cohort = factories.make_cohort(organisation, course, name="Groep Noord", trainers=[trainer])
    m1, m2 = course.modules
    now = utcnow()
    done = factories.make_enrolment(factories.make_user(name="Aziz Afgerond"), course, cohort=cohort,
                                    started_at=now - timedelta(days=30), completed_at=now - timedelta(days=2))
    busy = factories.make_enrolment(factories.make_user(name="Bea Bezig"), course, cohort=cohort,
                                    started_at=now - timedelta(days=40), last_activity_at=now - timedelta(days=20))
    fresh = factories.make_enrolment(factories.make_user(name="=Cees Nieuw"), course, cohort=cohort)
    for module in (m1, m2):
        db.session.add(ModuleProgress(enrolment_id=done.id, module_id=module.id, read_at=now, quiz_passed_at=now,
                                      assignment_approved_at=now, completed_at=now))
    db.session.add(ModuleProgress(enrolment_id=busy.id, module_id=m1.id, read_at=now - timedelta(days=20)))
    db.session.add(ProgressEvent(enrolment_id=busy.id, module_id=m1.id, kind=EventKind.READING_DONE,
                                 created_at=now - timedelta(days=20)))
    _attempt(busy, m1, 1, {"m1q1": ["b"], "m1q2": ["a", "b"], "m1q3": ["niet-waar"]},
             {"m1q1": False, "m1q2": True, "m1q3": False})
    _attempt(busy, m1, 2, {"m1q1": ["b"], "m1q2": ["a"], "m1q3": ["waar"]},
             {"m1q1": False, "m1q2": False, "m1q3": True})
    _attempt(done, m1, 1, {"m1q1": ["a"], "m1q2": ["a", "b"], "m1q3": ["waar"]},
             {"m1q1": True, "m1q2": True, "m1q3": True}, passed=True)
    db.session.commit()
    submission = make_submission(busy, m1, fields={"doelgroep": "Eerste versie", "boodschap": "Boodschap"})
    return course, cohort, done, busy, fresh, submission


def _table(html: str, caption: str) -> list[list[str]]:
    """The text of a table's header and body rows, found by its caption."""
    table = re.split(rf"<caption[^>]*>{re.escape(caption)}</caption>", html, maxsplit=1)[1].split("</table>", 1)[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([htmllib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


def _csv(response, separator=";"):
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=separator))


def test_the_matrix_shows_a_text_status_per_learner_and_module(world, trainer, login_as):
    course, cohort, done, busy, fresh, submission = world
    html = login_as(trainer).get(f"/voortgang/groep/{cohort.public_id}").get_data(as_text=True)
    rows = _table(html, "Deelnemers en modules: status per module")
    # Totals and last activity first, then one cell per module (issue 12).
    assert rows[0][:6] == ["Deelnemer", "Modules afgerond", "Laatste activiteit", "Module 1", "Module 2", "Groep"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Aziz Afgerond"][1] == "2/2" and by_name["Aziz Afgerond"][3:5] == ["Afgerond", "Afgerond"]
    assert by_name["Bea Bezig"][1] == "0/2" and by_name["Bea Bezig"][3:5] == ["Te beoordelen", "Niet begonnen"]
    assert by_name["=Cees Nieuw"][3:6] == ["Niet begonnen", "Niet begonnen", "Groep Noord"]


@pytest.mark.parametrize(("show", "expected"), [
    ("completed", ["Aziz Afgerond"]),
    ("not_started", ["=Cees Nieuw"]),
    ("stuck", ["Bea Bezig"]),
    ("", ["=Cees Nieuw", "Aziz Afgerond", "Bea Bezig"]),
])
def test_the_matrix_filters_stuck_not_started_and_completed(world, trainer, login_as, show, expected):
    course, cohort, done, busy, fresh, submission = world
    html = login_as(trainer).get(f"/voortgang/groep/{cohort.public_id}",
                                 query_string={"show": show, "days": 14}).get_data(as_text=True)
    names = [r[0] for r in _table(html, "Deelnemers en modules: status per module")[1:]] if expected else []
    assert sorted(names) == sorted(expected)


def test_stuck_uses_the_number_of_days_given(world, trainer):
    course, cohort, done, busy, fresh, submission = world
    scope = scope_queries.load_scope(trainer, "groep", cohort.public_id)
    assert [r.learner.name for r in matrix_queries.progress_matrix(trainer, scope, "stuck", 30).rows] == []
    assert [r.learner.name for r in matrix_queries.progress_matrix(trainer, scope, "stuck", 10).rows] == ["Bea Bezig"]


def test_the_progress_csv_is_identical_to_the_screen_and_neutralises_formulas(world, trainer, login_as):
    course, cohort, done, busy, fresh, submission = world
    client = login_as(trainer)
    for args in ({}, {"show": "completed"}):
        html = client.get(f"/voortgang/groep/{cohort.public_id}", query_string=args).get_data(as_text=True)
        screen = _table(html, "Deelnemers en modules: status per module")
        rows = _csv(client.get(f"/voortgang/groep/{cohort.public_id}/voortgang.csv", query_string=args))
        # The same columns and values; the screen puts totals first and writes dates short.
        assert sorted(rows[0]) == sorted(screen[0]) and len(rows) == len(screen)
        for csv_row, screen_row in zip(rows[1:], screen[1:], strict=True):
            on_screen = dict(zip(screen[0], screen_row, strict=True))
            for column, value in zip(rows[0], csv_row, strict=True):
                value = value.removeprefix("'")
                if column in ("Laatste activiteit", "Cursus afgerond op") and value:
                    value = format_date(date.fromisoformat(value), "medium", locale="nl")
                assert on_screen[column] == value, (column, on_screen, csv_row)
    rows = _csv(client.get(f"/voortgang/groep/{cohort.public_id}/voortgang.csv"))
    assert [r[0] for r in rows if "Cees" in r[0]] == ["'=Cees Nieuw"]
    comma = _csv(client.get(f"/voortgang/groep/{cohort.public_id}/voortgang.csv", query_string={"separator": ","}),
                 ",")
    assert comma[0][0] == "Deelnemer"


def test_the_grades_csv_is_identical_to_the_screen(world, trainer, login_as):
    course, cohort, done, busy, fresh, submission = world
    add_review(submission, trainer, "revision_requested", level="voldoende")
    client = login_as(trainer)
    html = client.get(f"/voortgang/groep/{cohort.public_id}/beoordelingen").get_data(as_text=True)
    screen = _table(html, "Het laatste besluit per deelnemer en opdracht")
    assert screen[1][:8] == ["Bea Bezig", "Groep Noord", "Module 1", "Aanpassen gevraagd", "1", "1", "3", "6"]
    assert screen[1][8] == trainer.name
    assert _csv(client.get(f"/voortgang/groep/{cohort.public_id}/beoordelingen.csv")) == screen


def test_the_grades_of_a_waiting_resubmission_say_which_version_was_scored(world, trainer, login_as):
    course, cohort, done, busy, fresh, submission = world
    add_review(submission, trainer, "revision_requested", level="voldoende")
    resubmit(submission, {"doelgroep": "Tweede versie", "boodschap": "Boodschap"})
    html = login_as(trainer).get(f"/voortgang/groep/{cohort.public_id}/beoordelingen").get_data(as_text=True)
    header, row = _table(html, "Het laatste besluit per deelnemer en opdracht")[:2]
    assert header[4:6] == ["Versie", "Beoordeelde versie"]
    assert row[3:7] == ["Te beoordelen", "2", "1", "3"]


def test_the_funnel_and_waiting_charts_are_accessible_svg_with_a_table(world, trainer, login_as):
    course, cohort, done, busy, fresh, submission = world
    client = login_as(trainer)
    html = client.get(f"/voortgang/groep/{cohort.public_id}").get_data(as_text=True)
    assert re.search(r'<svg[^>]+role="img"[^>]+aria-labelledby="funnel-chart-title funnel-chart-desc"', html)
    assert '<title id="funnel-chart-title">Afgerond per module</title>' in html
    assert "van de 3 ingeschreven deelnemers" in html
    funnel = _table(html, "Trechter per module")
    assert funnel[1] == ["Module 1", "3", "2", "1", "1", "1", "1"]
    index = client.get("/voortgang").get_data(as_text=True)
    assert '<title id="waiting-chart-title">' in index and "<desc id=\"waiting-chart-desc\">" in index
    waiting = _table(index, "Inzendingen die op beoordeling wachten, laatste 30 dagen")
    assert len(waiting) == 31 and waiting[-1][1] == "1"
    assert "style=" not in index and "<script>" not in index


def test_waiting_over_time_counts_versions_until_their_review(world, trainer):
    course, cohort, done, busy, fresh, submission = world
    series = waiting_queries.waiting_over_time(trainer, days=3)
    assert [n for _day, n in series][-1] == 1
    add_review(submission, trainer, "approved")
    assert [n for _day, n in waiting_queries.waiting_over_time(trainer, days=3)][-1] == 0


def test_quiz_item_analysis_per_question(world, trainer, login_as):
    course, cohort, done, busy, fresh, submission = world
    scope = scope_queries.load_scope(trainer, "groep", cohort.public_id)
    (module, attempts, stats), *_rest = quiz_queries.quiz_analysis(trainer, scope)
    assert attempts == 3
    q1, q2, q3 = stats
    assert (q1.attempts, q1.correct, q1.share_correct, str(q1.wrong_option), q1.wrong_option_count) == (
        3, 1, 33, "Fout", 2)
    assert (q2.share_correct, q2.wrong_option) == (67, None)
    assert str(q3.wrong_option) == "Niet waar"
    html = login_as(trainer).get(f"/voortgang/groep/{cohort.public_id}/quizanalyse").get_data(as_text=True)
    assert "33% (1/3)" in html and "Fout (2 keer)" in html


def test_the_learner_detail_shows_timeline_attempts_and_all_versions(world, trainer, login_as):
    course, cohort, done, busy, fresh, submission = world
    add_review(submission, trainer, "revision_requested", feedback="Graag **concreter**.")
    html = login_as(trainer).get(f"/voortgang/deelnemer/{busy.public_id}").get_data(as_text=True)
    assert "Tekst van Module 1 gelezen" in html
    assert "poging 1" in html and "poging 2" in html and "Niet waar" in html
    assert "Versie 1" in html and "Eerste versie" in html
    assert "<strong>concreter</strong>" in html


def test_out_of_scope_groups_courses_and_learners_are_not_found(world, other_trainer, login_as, learner):
    course, cohort, done, busy, fresh, submission = world
    client = login_as(other_trainer)
    assert client.get(f"/voortgang/groep/{cohort.public_id}").status_code == 404
    assert client.get(f"/voortgang/cursus/{course.slug}").status_code == 404
    assert client.get(f"/voortgang/groep/{cohort.public_id}/voortgang.csv").status_code == 404
    assert client.get(f"/voortgang/deelnemer/{busy.public_id}").status_code == 404
    assert client.get("/voortgang/groep/bestaat-niet").status_code == 404
    assert login_as(learner).get(f"/voortgang/groep/{cohort.public_id}").status_code == 403


def test_a_cohort_trainer_sees_only_their_learners_in_the_course_view(world, trainer, other_trainer,
                                                                      other_organisation, login_as):
    course, cohort, done, busy, fresh, submission = world
    elsewhere = factories.make_cohort(other_organisation, course, trainers=[other_trainer])
    factories.make_enrolment(factories.make_user(name="Elders"), course, cohort=elsewhere)
    html = login_as(trainer).get(f"/voortgang/cursus/{course.slug}").get_data(as_text=True)
    assert "Bea Bezig" in html and "Elders" not in html
    html = login_as(other_trainer).get(f"/voortgang/cursus/{course.slug}").get_data(as_text=True)
    assert "Elders" in html and "Bea Bezig" not in html


def test_the_matrix_uses_a_fixed_number_of_queries(world, trainer, login_as, app):
    course, cohort, done, busy, fresh, submission = world
    client = login_as(trainer)
    url = f"/voortgang/groep/{cohort.public_id}"
    client.get(url)
    with count_queries() as small:
        client.get(url)
    for i in range(15):
        enrolment = factories.make_enrolment(factories.make_user(name=f"Extra {i}"), course, cohort=cohort)
        make_submission(enrolment, course.modules[1])
    with count_queries() as large:
        client.get(url)
    assert small.count == large.count, "\n".join(s[:150] for s in large.statements)
