"""Issue 17's "done when": a second course, loaded from its own folder, runs with its own
trainer (appointed with `flask courses staff`), its own workbook name and its own issuer,
next to the default course and its trainer."""
import sqlalchemy as sa

from course.content.loader import load_content
from course.extensions import db
from course.models import Course
from tests import factories
from tests.factories_learn import SECOND_COURSE, load_default_course
from tests.factories_review import make_submission


def _second_course() -> Course:
    load_content(SECOND_COURSE)
    return db.session.scalar(sa.select(Course).where(Course.slug == "feedback-geven"))


def test_the_second_course_has_its_own_trainer_workbook_and_issuer(app, login_as):
    default, second = load_default_course(), _second_course()
    default_trainer = factories.make_user(role="trainer", name="Dana Standaard")
    own_trainer = factories.make_user(name="Fenna Feedback")  # a learner account until appointed
    learner = factories.make_user(name="Lotte Leerling")
    factories.assign_course_trainer(default, default_trainer)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["courses", "staff", "feedback-geven",
                                                "--add-trainer", own_trainer.email])
    assert result.exit_code == 0, result.output

    module = next(m for m in second.modules if m.has_assignment)
    enrolment = factories.make_enrolment(learner, second)  # self-enrolled: no group
    submission = make_submission(enrolment, module)
    db.session.commit()

    own_queue = login_as(own_trainer).get("/beoordelen").get_data(as_text=True)
    assert "Lotte Leerling" in own_queue
    assert "Lotte Leerling" not in login_as(default_trainer).get("/beoordelen").get_data(as_text=True)
    assert login_as(default_trainer).get(f"/beoordelen/{submission.public_id}").status_code == 404

    client = login_as(learner)
    page = client.get(f"/mijn-leren/{second.slug}/{module.slug}/opdracht").get_data(as_text=True)
    assert "zolang Fenna Feedback hem beoordeelt" in page and "Dana Standaard" not in page
    workbook = client.get(f"/mijn-werkboek/{second.slug}").get_data(as_text=True)
    assert "Mijn feedbackboek: gesprekken die aankomen" in workbook
    issuer = client.get(f"/ob/issuers/{second.slug}.json").get_json()
    assert issuer["name"] == "Testacademie"
