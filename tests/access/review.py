"""Trainer dashboard: non-trainers get 403, trainers outside their scope 404."""
from course.extensions import db
from course.models import FeedbackSnippet
from tests.factories_review import form_data, make_submission

from . import Row, only

TRAINERS = ("trainer", "other_trainer", "admin")


def prepare(w):
    w.submission = make_submission(w.enrolment, w.module)
    w.snippet = FeedbackSnippet(trainer_id=w.trainer.id, title="Sterk begin", body="Je begint sterk.")
    db.session.add(w.snippet)
    db.session.commit()


def scoped(**overrides):
    """The trainer of the learner's cohort and the admin may; the other trainer gets 404."""
    return only("trainer", "admin", other_trainer=404, **overrides)


def own_snippet(ok=200):
    return only("trainer", ok=ok, other_trainer=404, admin=404)


def _scope_rows():
    rows = []
    for endpoint, suffix in (("review.progress_matrix", ""), ("review.progress_csv", "/voortgang.csv"),
                             ("review.grades", "/beoordelingen"), ("review.grades_csv", "/beoordelingen.csv"),
                             ("review.quiz_analysis", "/quizanalyse")):
        rows.append(Row(endpoint, lambda w, s=suffix: f"/voortgang/groep/{w.cohort.public_id}{s}", scoped()))
        rows.append(Row(endpoint, lambda w, s=suffix: f"/voortgang/cursus/{w.course.slug}{s}",
                        only("trainer", "other_trainer", "admin"), id=f"GET {endpoint} (course)",
                        note="both trainers train a cohort of this course; each sees only their own learners"))
    return rows


ROWS = [
    Row("review.queue", lambda w: "/beoordelen", only(*TRAINERS)),
    Row("review.review_submission", lambda w: f"/beoordelen/{w.submission.public_id}", scoped()),
    Row("review.review_submission", lambda w: f"/beoordelen/{w.submission.public_id}", scoped(ok=302),
        method="POST", data=lambda w: form_data(w.submission)),
    Row("review.snippets", lambda w: "/beoordelen/tekstblokken", only(*TRAINERS)),
    Row("review.snippets", lambda w: "/beoordelen/tekstblokken", only(*TRAINERS, ok=302), method="POST",
        data=lambda w: {"title": "Nieuw", "body": "Tekst"}),
    Row("review.edit_snippet", lambda w: f"/beoordelen/tekstblokken/{w.snippet.public_id}", own_snippet()),
    Row("review.edit_snippet", lambda w: f"/beoordelen/tekstblokken/{w.snippet.public_id}", own_snippet(302),
        method="POST", data=lambda w: {"title": "Anders", "body": "Tekst"}),
    Row("review.delete_snippet", lambda w: f"/beoordelen/tekstblokken/{w.snippet.public_id}/verwijderen",
        own_snippet(302), method="POST"),
    Row("review.progress_index", lambda w: "/voortgang", only(*TRAINERS)),
    Row("review.learner_detail", lambda w: f"/voortgang/deelnemer/{w.enrolment.public_id}", scoped()),
    Row("review.learner_detail", lambda w: "/voortgang/deelnemer/bestaat-niet",
        only(*TRAINERS, ok=404), id="GET review.learner_detail (unknown)"),
    *_scope_rows(),
]
