"""The workbook: one document compiled from the learner's assignments, in course order
(the read side; documents.py lays it out as Markdown and PDF). Its name comes from
the course (course.yml `workbook: {title, subtitle}`), else the neutral "Mijn
werkboek" (`workbook_title`).

For each module: the latest text of each field (the draft when it is being
worked on), the trainer's latest feedback and rubric scores, and the module's
"wat je moet onthouden". Anything not yet approved is marked as draft. The same
compiled structure feeds the HTML page, the PDF and the Markdown export.
"""
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from course.extensions import db
from course.models import (
    Course,
    CourseModule,
    Enrolment,
    Review,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
    User,
    utcnow,
)
from course.statements import built_once


@dataclass
class Answer:
    label: str
    help: str
    text: str


@dataclass
class Score:
    criterion: str
    level: str
    points: int
    comment: str


@dataclass
class Chapter:
    number: int
    module: CourseModule
    status: SubmissionStatus | None  # None: not started yet
    answers: list[Answer] = field(default_factory=list)
    feedback_md: str = ""
    reviewer: str = ""
    reviewed_at: datetime | None = None
    scores: list[Score] = field(default_factory=list)
    version_number: int | None = None
    remember: list[str] = field(default_factory=list)
    # Colleagues' feedback (course/peer), only when the learner chose to include it.
    peer_feedback: list = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.module.title

    @property
    def has_assignment(self) -> bool:
        return self.module.has_assignment

    @property
    def is_draft(self) -> bool:
        return self.has_assignment and self.status != SubmissionStatus.APPROVED

    @property
    def anchor(self) -> str:
        return f"module-{self.module.slug}"


@dataclass
class Workbook:
    enrolment: Enrolment
    learner: User
    course: Course
    chapters: list[Chapter]
    generated_at: datetime
    after_course: list = field(default_factory=list)  # answered follow-up check-ins (issue 14)

    @property
    def complete(self) -> bool:
        return all(not c.is_draft for c in self.chapters)

    @property
    def approved_count(self) -> int:
        return sum(1 for c in self.chapters if c.has_assignment and not c.is_draft)

    @property
    def assignment_count(self) -> int:
        return sum(1 for c in self.chapters if c.has_assignment)


def status_label(status: SubmissionStatus | None) -> str:
    return str(status.label_for("learner")) if status else _("Not started yet")


def find_enrolment(public_id: str) -> Enrolment | None:
    return db.session.scalar(sa.select(Enrolment).where(Enrolment.public_id == public_id))


def _latest_review(submission: Submission) -> Review | None:
    for version in reversed(submission.versions):
        if version.review is not None:
            return version.review
    return None


def _latest_texts(submission: Submission) -> tuple[dict, int | None]:
    """The latest text per field: the draft while the learner is working on it,
    else the last submitted version."""
    latest: SubmissionVersion | None = submission.versions[-1] if submission.versions else None
    texts = dict(latest.fields or {}) if latest else {}
    if submission.status.is_editable:
        for key, value in (submission.draft_fields or {}).items():
            if value and value.strip():
                texts[key] = value
    return texts, latest.number if latest else None


def _chapter(number: int, module: CourseModule, submission: Submission | None) -> Chapter:
    chapter = Chapter(number=number, module=module, status=None, remember=list(module.remember or []))
    texts: dict = {}
    if submission is not None:
        chapter.status = submission.status
        texts, chapter.version_number = _latest_texts(submission)
        review = _latest_review(submission)
        if review is not None:
            chapter.feedback_md = review.feedback_md or ""
            chapter.reviewer = review.reviewer.name if review.reviewer else ""
            chapter.reviewed_at = review.created_at
            chapter.scores = _scores(module, review)
    assignment = module.assignment_spec
    for spec in assignment.fields if assignment else []:
        chapter.answers.append(Answer(label=spec.label or spec.id, help=spec.help,
                                      text=(texts.get(spec.id) or "").strip()))
    return chapter


def _scores(module: CourseModule, review: Review) -> list[Score]:
    assignment = module.assignment_spec
    rubric = {c.id: c for c in (assignment.rubric if assignment else [])}
    scores = []
    for score in review.scores:
        criterion = rubric.get(score.criterion_id)
        level = criterion.level(score.level_id) if criterion else None
        scores.append(Score(criterion=criterion.title if criterion else score.criterion_id,
                            level=level.title if level else score.level_id,
                            points=score.points, comment=score.comment or ""))
    order = list(rubric)
    return sorted(scores, key=lambda s: order.index(s.criterion) if s.criterion in order else len(order))


@built_once()
def _submissions_statement() -> sa.Select:
    """The enrolment's submissions with their versions, reviews, scores and reviewers:
    built once per process, with the enrolment id bound (issue 16)."""
    review = sa.orm.joinedload(Submission.versions).joinedload(SubmissionVersion.review)
    return (sa.select(Submission).where(Submission.enrolment_id == sa.bindparam("enrolment_id"))
            .options(review.joinedload(Review.scores), review.joinedload(Review.reviewer)))


@built_once()
def _modules_statement() -> sa.Select:
    """The course's active modules in course order (what `course.active_modules` gives),
    without their reading and quiz, which no workbook shows: decoding the quiz JSON of
    every module was a quarter of the page's CPU (issue 16). They stay loadable, one
    query each, if something asks."""
    return (sa.select(CourseModule)
            .where(CourseModule.course_id == sa.bindparam("course_id"), CourseModule.is_active.is_(True))
            .order_by(CourseModule.position)
            .options(*(sa.orm.defer(column) for column in (
                CourseModule.reading_html, CourseModule.reading_md, CourseModule.reading_toc,
                CourseModule.media, CourseModule.quiz))))


def compile_workbook(enrolment: Enrolment, viewer=None) -> Workbook:
    """The learner's workbook for one course, in course order, as `viewer` may read it
    (default: the learner). Reads only."""
    course = enrolment.course
    submissions = {  # one query: versions, reviews, scores and reviewers joined
        s.module_id: s for s in db.session.execute(
            _submissions_statement(), {"enrolment_id": enrolment.id}).unique().scalars()
    }
    chapters = [
        _chapter(number, module, submissions.get(module.id))
        for number, module in enumerate(db.session.scalars(_modules_statement(), {"course_id": course.id}), start=1)
    ]
    from course.followup.queries import answered_checkins
    from course.peer.queries import workbook_feedback

    peer = workbook_feedback(enrolment)
    for chapter in chapters:
        chapter.peer_feedback = peer.get(chapter.module.id, [])
    return Workbook(enrolment=enrolment, learner=enrolment.user, course=course, chapters=chapters,
                    generated_at=utcnow(), after_course=answered_checkins(enrolment, viewer or enrolment.user))


def filename(workbook: Workbook, extension: str) -> str:
    return f"werkboek-{workbook.course.slug}.{extension}"


def workbook_title(course: Course) -> str:
    """The workbook's full name: "<title>: <subtitle>" from course.yml, else "My workbook"."""
    title = (course.workbook_title or "").strip() or _("My workbook")
    subtitle = (course.workbook_subtitle or "").strip()
    return f"{title}: {subtitle}" if subtitle else title
