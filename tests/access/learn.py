"""The learner's path: public catalogue and course pages; "Mijn leren" pages are the
learner's own (both learners are enrolled in `world.course`), anyone else gets 404."""
from course.extensions import db
from course.models import QuizAttempt
from tests.factories_learn import SECOND_COURSE, correct_answers, field_form

from . import Row, everyone, logged_in, only

STUDENTS = ("learner", "other_learner")


def prepare(w):
    # Serve images from a real module folder, and give the learner one quiz attempt.
    w.course.source_path = str(SECOND_COURSE)
    db.session.add(QuizAttempt(enrolment_id=w.enrolment.id, module_id=w.module.id, number=1, content_version="v1",
                               answers={}, results={}, score=0, max_score=3, passed=False))
    db.session.commit()


def own(ok=200, **overrides):
    """Only someone enrolled in the course: their own pages. Others: 404."""
    return only(*STUDENTS, ok=ok, denied=404, **overrides)


def _module(w, suffix=""):
    return f"/mijn-leren/{w.course.slug}/{w.module.slug}{suffix}"


ROWS = [
    Row("learn.catalogue", lambda w: "/cursussen", everyone(200)),
    Row("learn.course_page", lambda w: f"/cursussen/{w.course.slug}", everyone(200)),
    Row("learn.enrol", lambda w: f"/cursussen/{w.course.slug}/inschrijven", everyone(302), method="POST",
        note="closed course: back to the course page with a message; anonymous to the login page"),
    Row("learn.media", lambda w: f"/cursussen/{w.course.slug}/media/goed-luisteren/luisteren.svg", everyone(200),
        note="course images are public, like the course page"),
    Row("learn.cover", lambda w: f"/cursussen/{w.course.slug}/omslag/omslag.svg", everyone(404),
        note="the world's course has no cover, so nobody gets a file; tests/test_one_look.py serves one"),
    Row("learn.my_learning", lambda w: "/mijn-leren", logged_in()),
    Row("learn.course_overview", lambda w: f"/mijn-leren/{w.course.slug}", own()),
    Row("learn.course_finished", lambda w: f"/mijn-leren/{w.course.slug}/afgerond", own(302),
        note="not completed yet: back to the course overview with a message"),
    Row("learn.module_page", lambda w: _module(w), own()),
    Row("learn.mark_read", lambda w: _module(w, "/gelezen"), own(302), method="POST"),
    Row("learn.quiz", lambda w: _module(w, "/quiz"), own()),
    Row("learn.quiz", lambda w: _module(w, "/quiz"), own(302), method="POST",
        data=lambda w: {"attempt": "1", **correct_answers(w.module)},
        note="other_learner stores attempt 1; learner's attempt 1 exists, so the stored result is shown"),
    Row("learn.quiz_result", lambda w: _module(w, "/quiz/poging-1"), own(other_learner=404),
        note="only the learner has an attempt 1"),
    Row("learn.assignment", lambda w: _module(w, "/opdracht"), own()),
    Row("learn.assignment", lambda w: _module(w, "/opdracht"), own(302), method="POST",
        data=lambda w: {"action": "save", **field_form(w.module)}),
    Row("learn.autosave", lambda w: _module(w, "/opdracht/autosave"), own(400), method="POST",
        data=lambda w: field_form(w.module), note="it takes JSON only; a form-encoded body is refused"),
    Row("learn.privacy_check", lambda w: _module(w, "/opdracht/privacy"), own(400), method="POST",
        data=lambda w: field_form(w.module), note="privacy hints: JSON only; a form-encoded body is refused"),
    Row("learn.preview", lambda w: "/mijn-leren/voorbeeld", logged_in(), method="POST"),
]
