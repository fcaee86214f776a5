"""Feedback snippets: personal to each trainer, listed on the review page for copying
(and inserting with JavaScript)."""
import sqlalchemy as sa

from course.extensions import db
from course.models import FeedbackSnippet
from tests import factories
from tests.factories_review import make_submission


def _snippet(trainer, title="Sterk begin", body="Je begint sterk."):
    snippet = FeedbackSnippet(trainer_id=trainer.id, title=title, body=body)
    db.session.add(snippet)
    db.session.commit()
    return snippet


def test_a_trainer_creates_edits_and_deletes_snippets(app, trainer, login_as):
    client = login_as(trainer)
    response = client.post("/beoordelen/tekstblokken", data={"title": "Concreter", "body": "Maak het *concreter*."})
    assert response.status_code == 302
    snippet = db.session.scalar(sa.select(FeedbackSnippet))
    assert (snippet.trainer_id, snippet.title) == (trainer.id, "Concreter")
    assert "Maak het *concreter*." in client.get("/beoordelen/tekstblokken").get_data(as_text=True)
    client.post(f"/beoordelen/tekstblokken/{snippet.public_id}", data={"title": "Concreet", "body": "Nieuw"})
    assert (snippet.title, snippet.body) == ("Concreet", "Nieuw")
    client.post(f"/beoordelen/tekstblokken/{snippet.public_id}/verwijderen")
    assert db.session.scalar(sa.select(sa.func.count(FeedbackSnippet.id))) == 0


def test_an_empty_snippet_gets_a_form_error(app, trainer, login_as):
    html = login_as(trainer).post("/beoordelen/tekstblokken", data={"title": "", "body": ""}).get_data(as_text=True)
    assert 'id="form-errors"' in html
    assert db.session.scalar(sa.select(sa.func.count(FeedbackSnippet.id))) == 0


def test_another_trainers_snippet_is_not_found(app, trainer, other_trainer, login_as):
    snippet = _snippet(trainer)
    client = login_as(other_trainer)
    assert client.get(f"/beoordelen/tekstblokken/{snippet.public_id}").status_code == 404
    assert client.post(f"/beoordelen/tekstblokken/{snippet.public_id}/verwijderen").status_code == 404
    assert "Sterk begin" not in client.get("/beoordelen/tekstblokken").get_data(as_text=True)
    assert db.session.get(FeedbackSnippet, snippet.id) is not None


def test_snippets_are_listed_on_the_review_page_for_copy_and_insert(app, trainer, other_trainer, learner,
                                                                   organisation, login_as):
    course = factories.make_course()
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    submission = make_submission(factories.make_enrolment(learner, course, cohort=cohort), course.modules[0])
    mine = _snippet(trainer, "Sterk begin", "Je begint <sterk>.")
    _snippet(other_trainer, "Niet van mij", "Andermans tekst")
    html = login_as(trainer).get(f"/beoordelen/{submission.public_id}").get_data(as_text=True)
    assert f'id="snippet-{mine.public_id}">Je begint &lt;sterk&gt;.</pre>' in html
    assert f'data-snippet="snippet-{mine.public_id}" data-target="feedback_md"' in html
    assert "Andermans tekst" not in html
    assert "js/review.js" in html
