"""The trainer's review screens as the trainer sees them (issue 12): the two-pane review page
with its queue position, the diff of the rendered text and the points total without JavaScript."""
import re
from datetime import datetime

import pytest

from course.extensions import db
from course.models import QuizAttempt
from course.review.diff import diff_fields, rendered_text
from tests import factories
from tests.factories_review import add_review, form_data, make_submission, resubmit


@pytest.fixture
def setup(app, trainer, learner, organisation):
    course = factories.make_course(title="Welzijn 2.0")
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    enrolment = factories.make_enrolment(learner, course, cohort=cohort)
    return course, cohort, enrolment


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# ---- the rendered text that the diff compares ------------------------------------------------


def test_rendered_text_drops_markdown_marks_and_keeps_paragraphs_and_list_items():
    assert rendered_text("**Mantelzorgers** in *de* wijk.") == "Mantelzorgers in de wijk."
    assert rendered_text("Een\n\nTwee") == "Een\n\nTwee"
    assert rendered_text("- eerste\n- **tweede**\n\n1. een\n2. twee") == "• eerste\n• tweede\n\n1. een\n2. twee"
    assert rendered_text("### Kop\ntekst") == "Kop\n\ntekst"
    assert rendered_text("[de site](https://example.org)") == "de site"


def test_typed_html_stays_text_in_the_rendered_text():
    assert rendered_text("<script>alert(1)</script> & co") == "<script>alert(1)</script> & co"


def test_a_change_of_markdown_alone_is_no_change_of_the_text(setup):
    course, _cohort, _enrolment = setup
    fields = course.modules[0].assignment_spec.fields
    diffs = diff_fields(fields, {"doelgroep": "Mantelzorgers in de wijk."},
                        {"doelgroep": "**Mantelzorgers** in de wijk."})
    assert diffs[0].changed is False


# ---- the review page ---------------------------------------------------------------------------


def test_the_page_shows_where_the_submission_stands_in_the_queue(setup, trainer, login_as, organisation,
                                                                  other_trainer):
    course, cohort, enrolment = setup
    first = make_submission(enrolment, course.modules[0], submitted_days_ago=5)
    second_learner = factories.make_enrolment(factories.make_user(name="Tweede"), course, cohort=cohort)
    second = make_submission(second_learner, course.modules[0], submitted_days_ago=3)
    third_learner = factories.make_enrolment(factories.make_user(name="Derde"), course, cohort=cohort)
    make_submission(third_learner, course.modules[0], submitted_days_ago=1)
    # Work another trainer reviews does not count in this trainer's queue.
    elsewhere = factories.make_cohort(organisation, course, trainers=[other_trainer])
    make_submission(factories.make_enrolment(factories.make_user(name="Elders"), course, cohort=elsewhere),
                    course.modules[0], submitted_days_ago=9)
    client = login_as(trainer)
    assert "1 van 3 te beoordelen" in client.get(f"/beoordelen/{first.public_id}").get_data(as_text=True)
    assert "2 van 3 te beoordelen" in client.get(f"/beoordelen/{second.public_id}").get_data(as_text=True)
    add_review(first, trainer, "approved")
    html = client.get(f"/beoordelen/{first.public_id}").get_data(as_text=True)
    assert 'class="review-position"' not in html  # decided: no position in the queue
    assert "1 van 2 te beoordelen" in client.get(f"/beoordelen/{second.public_id}").get_data(as_text=True)


def test_the_panel_has_the_rubric_a_total_and_two_decisions_before_save_and_next(setup, trainer, login_as):
    course, _cohort, enrolment = setup
    submission = make_submission(enrolment, course.modules[0])
    html = login_as(trainer).get(f"/beoordelen/{submission.public_id}").get_data(as_text=True)
    assert '<a href="#review-form" class="review-head__jump">Naar je beoordeling</a>' in html
    panel = html[html.index('id="review-form"'):]
    actions = panel[panel.index('class="review-panel__actions"'):]
    assert "0 van 6 punten" in _text(actions) and "nog 3 criteria zonder niveau" in _text(actions)
    assert re.findall(r'<span class="decision-option__title">([^<]+)</span>', actions) == ["Goedgekeurd", "Aanpassen"]
    assert actions.index('name="save_next"') < actions.index('name="save"')
    assert 'value="Opslaan en volgende"' in actions
    # The rubric levels carry their points for the live total (static/js/review.js).
    assert re.search(r'<input(?=[^>]*data-points="2")(?=[^>]*name="level__helderheid")(?=[^>]*value="goed")', panel)


def test_after_a_form_error_the_total_shows_the_levels_already_chosen(setup, trainer, login_as):
    course, _cohort, enrolment = setup
    submission = make_submission(enrolment, course.modules[0])
    data = form_data(submission, level="goed")
    del data["level__samenhang"]
    response = login_as(trainer).post(f"/beoordelen/{submission.public_id}", data=data)
    assert response.status_code == 200
    text = _text(response.get_data(as_text=True))
    assert "Totaal: 4 van 6 punten · nog 1 criterium zonder niveau" in text


def test_the_changes_compare_the_rendered_text_not_the_markdown(setup, trainer, login_as):
    course, _cohort, enrolment = setup
    submission = make_submission(enrolment, course.modules[0], fields={
        "doelgroep": "Mantelzorgers in de wijk.", "boodschap": "- Wij staan naast je."})
    add_review(submission, trainer)
    resubmit(submission, {"doelgroep": "**Mantelzorgers** van 50+ in de wijk.", "boodschap": "* Wij staan naast je."})
    html = login_as(trainer).get(f"/beoordelen/{submission.public_id}").get_data(as_text=True)
    diff = html[html.index('id="review-diff"'):html.index("</section>", html.index('id="review-diff"'))]
    assert "**" not in diff and "Mantelzorgers" in diff
    assert re.search(r"<ins><span class=\"visually-hidden\">\[toegevoegd: </span>\s*van 50\+", diff)
    assert "<del>" not in diff  # bold and another list mark change nothing a learner reads
    assert re.search(r"Kernboodschap <span class=\"status status--todo\">ongewijzigd</span>", diff)
    # The toggle is in the page for script to show; without script the changes stand below the answer.
    assert re.search(r'<button type="button"[^>]*id="diff-toggle"[^>]*aria-pressed="false"[^>]*hidden>Toon wijzigingen',
                     html.replace("\n", " "))


# ---- the progress heat map ------------------------------------------------------------------------


def test_the_matrix_has_a_legend_words_in_every_cell_short_dates_and_csv_options_behind_the_button(
        setup, trainer, login_as):
    course, cohort, enrolment = setup
    make_submission(enrolment, course.modules[0])
    enrolment.completed_at = datetime(2026, 3, 4, 10, 0)
    db.session.commit()
    html = login_as(trainer).get(f"/voortgang/groep/{cohort.public_id}", query_string={"show": "completed"}
                                 ).get_data(as_text=True)
    legend = _text(html[html.index('class="heat-legend"'):html.index("</ul>", html.index('class="heat-legend"'))])
    for words in ("Legenda", "Afgerond", "Opdracht goedgekeurd", "Te beoordelen", "Aanpassen gevraagd", "Bezig",
                  "Niet begonnen"):
        assert words in legend
    row = html[html.index("<tbody>"):html.index("</tbody>")]
    assert re.search(r'<td class="heat cell--waiting" title="Te beoordelen"><span class="heat-key heat-key--waiting" '
                     r'aria-hidden="true"></span><span class="visually-hidden">Te beoordelen</span></td>', row)
    assert "4 mrt 2026" in row and "2026-03-04" not in row  # short dates on screen
    # Totals and last activity come right after the name.
    header = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', html[html.index("<thead>"):html.index("</thead>")])
    assert header[:3] == ["Deelnemer", "Modules afgerond", "Laatste activiteit"]
    # The CSV choices sit in a <details> behind "Downloaden als CSV", keeping the filter.
    options = html[html.index('<details class="csv-options">'):html.index("</details>", html.index("csv-options"))]
    assert '<summary class="button button--secondary">Downloaden als CSV</summary>' in options
    assert f'action="/voortgang/groep/{cohort.public_id}/voortgang.csv"' in options
    assert '<input type="hidden" name="show" value="completed">' in options and 'name="separator"' in options
    assert 'name="separator"' not in html[:html.index('<details class="csv-options">')]  # not among the filters


def test_the_csv_keeps_iso_dates(setup, trainer, login_as):
    course, cohort, enrolment = setup
    enrolment.completed_at = datetime(2026, 3, 4, 10, 0)
    db.session.commit()
    body = login_as(trainer).get(f"/voortgang/groep/{cohort.public_id}/voortgang.csv").get_data(as_text=True)
    assert "2026-03-04" in body and "4 mrt" not in body


# ---- quiz analysis ----------------------------------------------------------------------------------


def test_the_quiz_analysis_draws_a_bar_per_question_and_flags_those_under_60_percent_in_words(
        setup, trainer, login_as):
    course, cohort, enrolment = setup
    module = course.modules[0]
    others = [factories.make_enrolment(factories.make_user(name=f"D{n}"), course, cohort=cohort) for n in range(2)]
    # m1q1: 1 of 3 right (33%, flagged); m1q2: 2 of 3 (67%); m1q3: 3 of 3.
    for who, q1, q2 in ((enrolment, True, True), (others[0], False, True), (others[1], False, False)):
        db.session.add(QuizAttempt(enrolment_id=who.id, module_id=module.id, number=1, content_version="v1",
                                   answers={"m1q1": ["a" if q1 else "b"], "m1q2": ["a", "b"] if q2 else ["a"],
                                            "m1q3": ["waar"]},
                                   results={"m1q1": q1, "m1q2": q2, "m1q3": True}, score=0, max_score=3,
                                   passed=False))
    db.session.commit()
    html = login_as(trainer).get(f"/voortgang/groep/{cohort.public_id}/quizanalyse").get_data(as_text=True)
    assert "1 vraag door minder dan 60% goed beantwoord" in _text(html)
    first_module = html[html.index("<tbody>"):html.index("</tbody>")]
    rows = re.findall(r"<tr( class=\"quiz-analysis__flagged\")?>(.*?)</tr>", first_module, re.S)
    assert len(rows) == 3
    flagged = [bool(css) for css, _row in rows]
    assert flagged == [True, False, False]
    assert "Onder 60%: bekijk deze vraag" in rows[0][1] and "Onder 60%" not in rows[1][1] + rows[2][1]
    bars = [re.search(r'<progress class="share-bar[^"]*" value="(\d+)" max="100" aria-hidden="true">', row).group(1)
            for _css, row in rows]
    assert bars == ["33", "67", "100"]
    assert "33% (1/3)" in rows[0][1] and "share-bar--low" in rows[0][1] and "share-bar--low" not in rows[1][1]


def test_the_grades_page_has_its_csv_options_behind_the_download_button_too(setup, trainer, login_as):
    _course, cohort, _enrolment = setup
    html = login_as(trainer).get(f"/voortgang/groep/{cohort.public_id}/beoordelingen").get_data(as_text=True)
    options = html[html.index('<details class="csv-options">'):html.index("</details>", html.index("csv-options"))]
    assert '<summary class="button button--secondary">Downloaden als CSV</summary>' in options
    assert f'action="/voortgang/groep/{cohort.public_id}/beoordelingen.csv"' in options
    assert 'name="separator"' in options
    assert html.count('name="separator"') == 1
