"""Factories for the team plan and the follow-up (issue 14): a group whose learners
have approved work, some of whom agreed to share it; completed enrolments for check-ins."""
from datetime import timedelta
from types import SimpleNamespace

from course.extensions import db
from course.models import FollowupCheckin, TeamPlanConsent, utcnow
from tests import factories
from tests.factories_review import add_review, make_submission


def approved_work(enrolment, module, trainer, fields):
    submission = make_submission(enrolment, module, fields=fields)
    add_review(submission, trainer, decision="approved", level="goed", feedback="Sterk.")
    return submission


def share(enrolment):
    db.session.add(TeamPlanConsent(enrolment_id=enrolment.id))
    db.session.commit()


def team_world(organisation=None) -> SimpleNamespace:
    """A group of Stichting Zorgzaam with trainer Tineke: Anna and Bram share their approved
    work, Chris has approved work but does not share, Dirk shares but nothing is approved."""
    w = SimpleNamespace()
    w.org = organisation or factories.make_organisation(name="Stichting Zorgzaam")
    w.org_admin = factories.make_user(org=w.org, org_role="admin", name="Olga Beheer")
    w.trainer = factories.make_user(role="trainer", name="Tineke Trainer")
    w.course = factories.make_course(open_enrolment=False, title="Sociale media in de zorg")
    w.module = w.course.modules[0]
    w.cohort = factories.make_cohort(w.org, w.course, name="Team Noord", trainers=[w.trainer])
    w.anna, w.bram, w.chris, w.dirk = (factories.make_user(org=w.org, name=n)
                                       for n in ("Anna Altena", "Bram Bos", "Chris Claes", "Dirk Dekker"))
    w.enrolments = {}
    for person in (w.anna, w.bram, w.chris, w.dirk):
        w.enrolments[person.name] = factories.make_enrolment(person, w.course, cohort=w.cohort)
    w.e_anna, w.e_bram, w.e_chris, w.e_dirk = (w.enrolments[p.name] for p in (w.anna, w.bram, w.chris, w.dirk))
    approved_work(w.e_anna, w.module, w.trainer, {"doelgroep": "Anna: mantelzorgers in Noord.",
                                                  "boodschap": "Anna: wij staan naast je."})
    approved_work(w.e_bram, w.module, w.trainer, {"doelgroep": "Bram: jongeren tot 23.",
                                                  "boodschap": "Bram: vraag het ons gewoon."})
    approved_work(w.e_chris, w.module, w.trainer, {"doelgroep": "Chris: GEHEIM-NIET-GEDEELD.",
                                                   "boodschap": "Chris: niet delen."})
    make_submission(w.e_dirk, w.module, fields={"doelgroep": "Dirk: NOG-NIET-GOEDGEKEURD.", "boodschap": "x"})
    for enrolment in (w.e_anna, w.e_bram, w.e_dirk):
        share(enrolment)
    return w


def key(module, field_id: str) -> str:
    return f"{module.id}:{field_id}"


def completed(user, course, days_ago: int, cohort=None):
    return factories.make_enrolment(user, course, cohort=cohort, completed_at=utcnow() - timedelta(days=days_ago))


def make_checkin(enrolment, stage, answered=False, **answers):
    checkin = FollowupCheckin(enrolment_id=enrolment.id, stage=stage)
    if answered:
        checkin.answered_at = utcnow()
        checkin.plan_md = answers.get("plan_md", "Ik post nu elke dinsdag.")
        checkin.goal_md = answers.get("goal_md", "Honderd volgers.")
        checkin.success_md = answers.get("success_md", "Een bewonersavond vol.")
        checkin.obstacles_md = answers.get("obstacles_md", "Te weinig tijd.")
    db.session.add(checkin)
    db.session.commit()
    return checkin
