"""The trainer sees the assignment prompt's images, as the learner does."""
from sqlalchemy.orm.attributes import flag_modified

from course.extensions import db
from tests import factories
from tests.factories_review import make_submission


def test_images_in_the_assignment_prompt_point_at_the_media_route(app, login_as, trainer):
    course = factories.make_course(slug="beeld")
    module = course.modules[0]
    module.assignment["prompt_html"] = '<p><img alt="Schema" src="leerlijn-media:schema.svg"></p>'
    flag_modified(module, "assignment")
    db.session.commit()
    factories.assign_course_trainer(course, trainer)
    learner = factories.make_user()
    submission = make_submission(factories.make_enrolment(learner, course), module)
    html = login_as(trainer).get(f"/beoordelen/{submission.public_id}").get_data(as_text=True)
    assert 'src="/cursussen/beeld/media/module-1/schema.svg"' in html
    assert "leerlijn-media:" not in html
