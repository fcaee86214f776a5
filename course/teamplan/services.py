"""Changing the team plan: the learner's sharing consent, the trainer's selection and
introduction, publishing. One commit per unit of work; publishing and changing a
published plan are in the audit log."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from course.audit.services import record_event
from course.errors import DomainError
from course.extensions import db
from course.models import (
    AuditAction,
    Cohort,
    Enrolment,
    TeamPlan,
    TeamPlanConsent,
    TeamPlanEntry,
    TeamPlanStatus,
    User,
    utcnow,
)

from . import queries

INTRO_MAX = 20_000
TITLE_MAX = 200


def give_consent(enrolment: Enrolment) -> None:
    """The learner agrees to share their approved work, with their name, in the group's plan."""
    if enrolment.cohort_id is None:
        raise DomainError(_("Only learners in a group can share their work in a team plan."))
    if db.session.get(TeamPlanConsent, enrolment.id) is None:
        db.session.add(TeamPlanConsent(enrolment_id=enrolment.id))
        try:
            db.session.commit()
        except IntegrityError:  # a double click: the consent is there already
            db.session.rollback()


def withdraw_consent(enrolment: Enrolment) -> int:
    """The consent goes, and with it every text of theirs in the team plan. Returns how
    many chapters lost their text."""
    plan_ids = list(db.session.scalars(sa.select(TeamPlanEntry.plan_id).where(
        TeamPlanEntry.enrolment_id == enrolment.id).distinct()))
    db.session.execute(sa.delete(TeamPlanConsent).where(TeamPlanConsent.enrolment_id == enrolment.id))
    removed = db.session.execute(sa.delete(TeamPlanEntry).where(TeamPlanEntry.enrolment_id == enrolment.id)
                                 .execution_options(synchronize_session=False)).rowcount
    if plan_ids:  # the living document changed: its date says so
        db.session.execute(sa.update(TeamPlan).where(TeamPlan.id.in_(plan_ids)).values(updated_at=utcnow())
                           .execution_options(synchronize_session=False))
    db.session.commit()
    return removed or 0


def _plan(cohort: Cohort) -> TeamPlan:
    plan = queries.plan_for(cohort)
    if plan is not None:
        return plan
    plan = TeamPlan(cohort_id=cohort.id)
    db.session.add(plan)
    try:
        db.session.flush()
    except IntegrityError:  # another trainer created it at the same moment
        db.session.rollback()
        plan = queries.plan_for(cohort)
    return plan


def save_plan(cohort: Cohort, actor: User, title: str, intro_md: str, choices: dict[str, str]) -> TeamPlan:
    """The selection per chapter ({"<module id>:<field id>": enrolment public id or ""})
    and the introduction. A choice must be a colleague's approved, shared text for that
    chapter; anything else is refused before anything is stored."""
    title = (title or "").strip()
    intro_md = (intro_md or "").strip()
    if len(title) > TITLE_MAX or len(intro_md) > INTRO_MAX:
        raise DomainError(_("The title or the introduction is too long."))
    compiled = queries.compile_plan(cohort, plan=None, with_candidates=True)
    sections = {s.key: s for c in compiled.chapters for s in c.sections}
    wanted: dict[str, str] = {}
    for key, public_id in choices.items():
        public_id = (public_id or "").strip()
        if not public_id:
            continue
        section = sections.get(key)
        if section is None or all(c.enrolment_public_id != public_id for c in section.candidates):
            raise DomainError(_("A chosen text is no longer available: its author withdrew their consent "
                                "or it is not approved. Please choose again."))
        wanted[key] = public_id
    enrolment_ids = dict(db.session.execute(
        sa.select(Enrolment.public_id, Enrolment.id).where(Enrolment.public_id.in_(list(wanted.values()) or ["-"]))
    ).all())
    plan = _plan(cohort)
    db.session.execute(sa.delete(TeamPlanEntry).where(TeamPlanEntry.plan_id == plan.id))
    for key, public_id in wanted.items():
        section = sections[key]
        db.session.add(TeamPlanEntry(plan_id=plan.id, module_id=section.module_id, field_id=section.field_id,
                                     enrolment_id=enrolment_ids[public_id]))
    plan.title = title
    plan.intro_md = intro_md
    plan.updated_at = utcnow()
    plan.updated_by_id = actor.id
    if plan.is_published:
        record_event(AuditAction.TEAM_PLAN_UPDATED, actor=actor, organisation=cohort.organisation_id,
                     course=cohort.course_id, obj=plan, details={"chapters": len(wanted)})
    db.session.commit()
    return plan


def set_published(cohort: Cohort, actor: User, publish: bool) -> TeamPlan:
    """Publish the plan to the group and the organisation, or take it back. Audited."""
    plan = _plan(cohort)
    if plan.is_published == publish:
        db.session.commit()
        return plan
    plan.status = TeamPlanStatus.PUBLISHED if publish else TeamPlanStatus.DRAFT
    plan.updated_at = utcnow()
    plan.updated_by_id = actor.id
    if publish:
        plan.published_at = plan.updated_at
    chosen = db.session.scalar(sa.select(sa.func.count(TeamPlanEntry.id)).where(TeamPlanEntry.plan_id == plan.id))
    record_event(AuditAction.TEAM_PLAN_PUBLISHED if publish else AuditAction.TEAM_PLAN_WITHDRAWN, actor=actor,
                 organisation=cohort.organisation_id, course=cohort.course_id, obj=plan,
                 details={"chapters": chosen or 0})
    db.session.commit()
    return plan
