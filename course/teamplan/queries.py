"""The read side of the team plan: who agreed to share, their approved texts per
chapter, and the compiled plan (one structure for the HTML page, the PDF and Markdown).
A fixed number of queries whatever the size of the group."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from course import permissions
from course.extensions import db, get_by_key, prime_lookups
from course.models import (
    Cohort,
    Enrolment,
    ReviewDecision,
    Submission,
    SubmissionVersion,
    TeamPlan,
    TeamPlanConsent,
    TeamPlanEntry,
    User,
    utcnow,
)

prime_lookups(TeamPlanConsent)  # the workbook of a learner in a cohort asks it first


@dataclass
class Contribution:
    enrolment_public_id: str
    author: str
    text: str
    version_number: int


@dataclass
class TeamSection:
    """One chapter of the protocol: one field of one module's assignment."""

    key: str  # "<module id>:<field id>", the form's and the entries' key
    module_id: int
    field_id: str
    label: str
    help: str
    candidates: list[Contribution] = field(default_factory=list)
    chosen: Contribution | None = None

    @property
    def anchor(self) -> str:
        return "hoofdstuk-" + self.key.replace(":", "-")


@dataclass
class TeamChapter:
    number: int
    title: str
    sections: list[TeamSection]


@dataclass
class TeamWorkbook:
    cohort: Cohort
    plan: TeamPlan | None
    chapters: list[TeamChapter]
    generated_at: datetime

    @property
    def contributors(self) -> list[str]:
        names = {s.chosen.author for c in self.chapters for s in c.sections if s.chosen}
        return sorted(names, key=str.casefold)

    @property
    def chosen_count(self) -> int:
        return sum(1 for c in self.chapters for s in c.sections if s.chosen)

    @property
    def section_count(self) -> int:
        return sum(len(c.sections) for c in self.chapters)

    @property
    def intro_md(self) -> str:
        return self.plan.intro_md if self.plan else ""

    @property
    def updated_at(self) -> datetime | None:
        return self.plan.updated_at if self.plan else None

    @property
    def published(self) -> bool:
        return self.plan is not None and self.plan.is_published


def find_cohort(public_id: str) -> Cohort | None:
    return db.session.scalar(sa.select(Cohort).where(Cohort.public_id == str(public_id)[:64])
                             .options(joinedload(Cohort.organisation), joinedload(Cohort.course)))


def plan_for(cohort: Cohort) -> TeamPlan | None:
    return db.session.scalar(sa.select(TeamPlan).where(TeamPlan.cohort_id == cohort.id)
                             .options(joinedload(TeamPlan.updated_by)))


def consent_of(enrolment: Enrolment) -> TeamPlanConsent | None:
    if enrolment is None or enrolment.cohort_id is None:
        return None
    return get_by_key(TeamPlanConsent, enrolment.id)


def _latest_approved(submission: Submission) -> SubmissionVersion | None:
    for version in reversed(submission.versions):
        if version.review is not None and version.review.decision == ReviewDecision.APPROVED:
            return version
    return None


def contributions(cohort: Cohort) -> dict[tuple[int, str], list[Contribution]]:
    """{(module id, field id): [Contribution]}: the approved texts of the group members who
    agreed to share, newest approval per person. Two queries."""
    shared = (sa.select(Enrolment.id).join(TeamPlanConsent, TeamPlanConsent.enrolment_id == Enrolment.id)
              .join(User, User.id == Enrolment.user_id)
              .where(Enrolment.cohort_id == cohort.id, User.erased_at.is_(None)))
    submissions = db.session.scalars(
        sa.select(Submission).where(Submission.enrolment_id.in_(shared))
        .options(selectinload(Submission.versions).joinedload(SubmissionVersion.review),
                 joinedload(Submission.enrolment).joinedload(Enrolment.user))
        .order_by(Submission.id)).unique().all()
    found: dict[tuple[int, str], list[Contribution]] = {}
    for submission in submissions:
        version = _latest_approved(submission)
        if version is None:
            continue
        enrolment = submission.enrolment
        for field_id, text in (version.fields or {}).items():
            if isinstance(text, str) and text.strip():
                found.setdefault((submission.module_id, field_id), []).append(Contribution(
                    enrolment_public_id=enrolment.public_id, author=enrolment.user.name, text=text.strip(),
                    version_number=version.number))
    for items in found.values():
        items.sort(key=lambda c: c.author.casefold())
    return found


def compile_plan(cohort: Cohort, plan: TeamPlan | None = None, with_candidates: bool = False) -> TeamWorkbook:
    """The team plan in course order: per module with an assignment, one section per field,
    with the chosen contribution (only while its author still agrees)."""
    plan = plan if plan is not None else plan_for(cohort)
    found = contributions(cohort)
    chosen: dict[tuple[int, str], str] = {}
    if plan is not None:
        rows = db.session.execute(
            sa.select(TeamPlanEntry.module_id, TeamPlanEntry.field_id, Enrolment.public_id)
            .join(Enrolment, Enrolment.id == TeamPlanEntry.enrolment_id).where(TeamPlanEntry.plan_id == plan.id))
        chosen = {(module_id, field_id): public_id for module_id, field_id, public_id in rows}
    chapters = []
    for module in cohort.course.active_modules:
        if not module.has_assignment:
            continue
        sections = []
        for spec in module.assignment_spec.fields:
            key = (module.id, spec.id)
            candidates = found.get(key, [])
            pick = next((c for c in candidates if c.enrolment_public_id == chosen.get(key)), None)
            sections.append(TeamSection(key=f"{module.id}:{spec.id}", module_id=module.id, field_id=spec.id,
                                        label=spec.label, help=spec.help,
                                        candidates=candidates if with_candidates else [], chosen=pick))
        chapters.append(TeamChapter(number=len(chapters) + 1, title=module.title, sections=sections))
    return TeamWorkbook(cohort=cohort, plan=plan, chapters=chapters, generated_at=utcnow())


def readable_cohorts(user) -> list[tuple[Cohort, TeamPlan | None, bool]]:
    """The groups whose team plan this user may open, with their plan and whether they
    compose it: for the list page.
    Unpublished plans show only to those who compose them. Two queries."""
    cohorts = db.session.scalars(
        sa.select(Cohort).where(permissions.cohorts_with_team_plan_for(user))
        .options(joinedload(Cohort.organisation), joinedload(Cohort.course))
        .order_by(Cohort.created_at.desc(), Cohort.id.desc()).limit(200)).unique().all()
    plans = {p.cohort_id: p for p in db.session.scalars(
        sa.select(TeamPlan).where(TeamPlan.cohort_id.in_([c.id for c in cohorts] or [-1])))}
    composing = {c.id for c in db.session.scalars(
        sa.select(Cohort).where(Cohort.id.in_([c.id for c in cohorts] or [-1]),
                                permissions.cohorts_reviewed_by(user)))}
    result = []
    for cohort in cohorts:
        plan = plans.get(cohort.id)
        if cohort.id in composing or (plan is not None and plan.is_published):
            result.append((cohort, plan, cohort.id in composing))
    return result


def export_for(enrolment_ids: list[int]) -> list[dict]:
    """The data export (AVG art. 15/20): the person's sharing consents and the chapters of
    team plans their text was chosen for. Two queries."""
    consents = db.session.execute(
        sa.select(TeamPlanConsent.given_at, Cohort.name).join(Enrolment, Enrolment.id == TeamPlanConsent.enrolment_id)
        .join(Cohort, Cohort.id == Enrolment.cohort_id).where(TeamPlanConsent.enrolment_id.in_(enrolment_ids))
        .order_by(TeamPlanConsent.given_at)).all()
    chosen = db.session.execute(
        sa.select(Cohort.name, TeamPlanEntry.module_id, TeamPlanEntry.field_id, TeamPlanEntry.chosen_at)
        .join(TeamPlan, TeamPlan.id == TeamPlanEntry.plan_id).join(Cohort, Cohort.id == TeamPlan.cohort_id)
        .where(TeamPlanEntry.enrolment_id.in_(enrolment_ids)).order_by(TeamPlanEntry.chosen_at)).all()
    by_group: dict[str, dict] = {}
    for given_at, group in consents:
        by_group[group] = {"group": group, "consent_given_at": given_at.isoformat(), "chosen_chapters": []}
    for group, module_id, field_id, chosen_at in chosen:
        by_group.setdefault(group, {"group": group, "consent_given_at": None, "chosen_chapters": []})
        by_group[group]["chosen_chapters"].append({"module_id": module_id, "field": field_id,
                                                   "chosen_at": chosen_at.isoformat()})
    return list(by_group.values())
