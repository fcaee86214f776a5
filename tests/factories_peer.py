"""A cohort with peer feedback on: a trainer, learners of one organisation, and the
first module's assignment chosen. Built through the services, as the app writes it."""
from types import SimpleNamespace

from course.learn import services as learn
from course.peer import services as peer
from tests import factories
from tests.factories_learn import filled_fields


def peer_cohort(learners=3, per_learner=2, anonymous=False, use_rubric=False, org=None, names=None):
    org = org or factories.make_organisation()
    trainer = factories.make_user(role="trainer", name="Trainer Tineke")
    course = factories.make_course(modules=2, sequential=False, open_enrolment=False)
    cohort = factories.make_cohort(org, course, trainers=[trainer])
    module = course.modules[0]
    peer.save_setting(course, cohort, trainer, enabled=True, module_ids=[module.id], per_learner=per_learner,
                      anonymous=anonymous, use_rubric=use_rubric)
    people = []
    for i in range(learners):
        name = names[i] if names else f"Deelnemer {i + 1}"
        user = factories.make_user(org=org, name=name)
        people.append((user, factories.make_enrolment(user, course, cohort=cohort)))
    return SimpleNamespace(org=org, trainer=trainer, course=course, cohort=cohort, module=module,
                           users=[u for u, _e in people], enrolments=[e for _u, e in people])


def submit(enrolment, module, consent=True, text=None):
    fields = filled_fields(module, text or f"Werk van {enrolment.user.name}.")
    submission, _created = learn.submit_assignment(enrolment, module, fields, enrolment.user, peer_consent=consent)
    return submission
