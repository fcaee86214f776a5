"""Demo step: learning together and after the course (issue 14), so the pages have
something to show. In Team Noord, Aziz (who finished) shares his approved work for the
team plan, and the trainer composes it from his texts and publishes it; Lotte asks a
question in the first module's discussion and the trainer answers; Aziz answered his
30-day check-in. Idempotent: each part looks at the current state first, and all of it
goes through the areas' services."""
from datetime import timedelta

import sqlalchemy as sa

from course.discussion import services as discussion
from course.discussion.queries import Space
from course.extensions import db
from course.followup import services as followup
from course.models import (
    CheckinStage,
    Cohort,
    Course,
    DiscussionThread,
    Enrolment,
    FollowupCheckin,
    TeamPlanConsent,
    User,
    utcnow,
)
from course.teamplan import queries as teamplan_queries
from course.teamplan import services as teamplan

from .teams import COURSE_SLUG, TRAINER

GROUP = "Team Noord"
SHARER = "afgerond@example.org"
ASKER = "leerling@example.org"
THREAD_TITLE = "Hoe vaak posten jullie?"


def _user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _enrolment(user: User, course: Course) -> Enrolment | None:
    return db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == user.id,
                                                        Enrolment.course_id == course.id))


def _team_plan(cohort: Cohort, trainer: User, sharer: Enrolment) -> int:
    if db.session.get(TeamPlanConsent, sharer.id) is None:
        teamplan.give_consent(sharer)
    plan = teamplan_queries.plan_for(cohort)
    if plan is not None and plan.is_published:
        return 0
    compiled = teamplan_queries.compile_plan(cohort, with_candidates=True)
    choices = {s.key: s.candidates[0].enrolment_public_id
               for chapter in compiled.chapters for s in chapter.sections if s.candidates}
    teamplan.save_plan(cohort, trainer, f"Ons socialemediaprotocol ({GROUP})",
                       "Afspraken van ons team, samengesteld uit het werk van collega's die het wilden delen.",
                       choices)
    teamplan.set_published(cohort, trainer, True)
    return len(choices)


def _discussion(cohort: Cohort, course: Course, asker: User, trainer: User) -> bool:
    module = course.active_modules[0]
    if db.session.scalar(sa.select(DiscussionThread.id).where(DiscussionThread.cohort_id == cohort.id,
                                                              DiscussionThread.title == THREAD_TITLE)):
        return False
    thread = discussion.start_thread(Space(course, module, cohort), asker, THREAD_TITLE,
                                     "Wij twijfelen tussen twee en vier berichten per week. Hoe doen jullie dat?")
    discussion.reply(thread, trainer, "Begin met wat je elke week kunt volhouden; twee goede berichten "
                                      "zijn beter dan vier haastige.")
    return True


def _checkin(sharer: Enrolment) -> bool:
    if sharer.completed_at is None or db.session.scalar(sa.select(FollowupCheckin.id).where(
            FollowupCheckin.enrolment_id == sharer.id, FollowupCheckin.stage == CheckinStage.DAY_30)):
        return False
    checkin = FollowupCheckin(enrolment_id=sharer.id, stage=CheckinStage.DAY_30,
                              sent_at=utcnow() - timedelta(days=2))
    db.session.add(checkin)
    db.session.flush()
    followup.answer(checkin, plan="We posten twee keer per week op Instagram.",
                    goal="Meer jongeren bij de inloop op woensdag.",
                    success="De eerste drie berichten haalden samen veertig reacties.",
                    obstacles="Foto's met toestemming regelen kost meer tijd dan gedacht.")
    return True


def seed() -> str:
    course = db.session.scalar(sa.select(Course).where(Course.slug == COURSE_SLUG))
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == GROUP)) if course else None
    trainer, sharer_user, asker = _user(TRAINER), _user(SHARER), _user(ASKER)
    if cohort is None or None in (trainer, sharer_user, asker):
        return "Learning-together demo skipped: no course, group or demo accounts."
    sharer = _enrolment(sharer_user, course)
    if sharer is None or sharer.cohort_id != cohort.id:
        return "Learning-together demo skipped: the sharing learner is not in the group."
    chapters = _team_plan(cohort, trainer, sharer)
    thread = _discussion(cohort, course, asker, trainer)
    checkin = _checkin(sharer)
    return (f"Learning-together demo ready: team plan of {GROUP} published ({chapters} chapters new), "
            f"{'a' if thread else 'no new'} discussion thread, {'a' if checkin else 'no new'} check-in answered.")
