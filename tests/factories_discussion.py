"""A cohort with a discussion: two learners and their trainer, plus another
organisation's cohort of the same course, and a course with self-enrolled learners."""
from types import SimpleNamespace

import sqlalchemy as sa

from course.discussion import services
from course.discussion.queries import SELF_ENROLLED, Space
from course.extensions import db
from course.models import DiscussionPost
from tests import factories


def make_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.org = factories.make_organisation()
    w.other_org = factories.make_organisation()
    w.trainer = factories.make_user(role="trainer", name="Tessa Trainer")
    w.other_trainer = factories.make_user(role="trainer")
    w.admin = factories.make_user(role="admin")
    w.org_admin = factories.make_user(org=w.org, org_role="admin")
    w.course = factories.make_course(modules=2, open_enrolment=False, sequential=False)
    w.module = w.course.modules[0]
    w.cohort = factories.make_cohort(w.org, w.course, trainers=[w.trainer])
    w.other_cohort = factories.make_cohort(w.other_org, w.course, trainers=[w.other_trainer])
    w.anna = factories.make_user(org=w.org, name="Anna Aarts")
    w.bram = factories.make_user(org=w.org, name="Bram Bos")
    w.outsider = factories.make_user(org=w.other_org, name="Olga Elders")
    for user in (w.anna, w.bram):
        factories.make_enrolment(user, w.course, cohort=w.cohort)
    factories.make_enrolment(w.outsider, w.course, cohort=w.other_cohort)
    w.space = Space(w.course, w.module, w.cohort)
    w.open_course = factories.make_course(modules=1, open_enrolment=True)
    w.solo = factories.make_user(name="Sanne Solo")
    factories.make_enrolment(w.solo, w.open_course)
    w.self_space = Space(w.open_course, w.open_course.modules[0], None)
    return w


def posts_of(thread) -> list[DiscussionPost]:
    return db.session.scalars(sa.select(DiscussionPost).where(DiscussionPost.thread_id == thread.id)
                              .order_by(DiscussionPost.created_at, DiscussionPost.id)).all()


def list_url(space) -> str:
    group = space.cohort.public_id if space.cohort else SELF_ENROLLED
    return f"/discussie/cursus/{space.course.slug}/{space.module.slug}/{group}"


def start(space, author, title="Vraag over de doelgroep", body="Hoe bereik ik jongeren?"):
    return services.start_thread(space, author, title, body)
