"""The workbook ("Mijn werkboek: mijn social-media plan"): one document compiled
from the learner's assignments, in course order.

For each module: the latest text of each field (the draft when it is being
worked on), the trainer's latest feedback and rubric scores, and the module's
"wat je moet onthouden". Anything not yet approved is marked as draft. The same
compiled structure feeds the HTML page, the PDF and the Markdown export.
"""
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import format_date
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
    status: str  # "not_started", "draft", "submitted", "revision_requested", "approved"
    answers: list[Answer] = field(default_factory=list)
    feedback_md: str = ""
    reviewer: str = ""
    reviewed_at: datetime | None = None
    scores: list[Score] = field(default_factory=list)
    version_number: int | None = None
    remember: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.module.title

    @property
    def has_assignment(self) -> bool:
        return self.module.has_assignment

    @property
    def is_draft(self) -> bool:
        return self.has_assignment and self.status != "approved"

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

    @property
    def complete(self) -> bool:
        return all(not c.is_draft for c in self.chapters)

    @property
    def approved_count(self) -> int:
        return sum(1 for c in self.chapters if c.has_assignment and not c.is_draft)

    @property
    def assignment_count(self) -> int:
        return sum(1 for c in self.chapters if c.has_assignment)


def status_label(status: str) -> str:
    return {
        "not_started": _("Not started yet"),
        "draft": _("Draft, not yet submitted"),
        "submitted": _("Submitted, waiting for feedback"),
        "revision_requested": _("Revision requested"),
        "approved": _("Approved"),
    }[status]


def find_enrolment(public_id: str) -> Enrolment | None:
    return db.session.scalar(sa.select(Enrolment).where(Enrolment.public_id == public_id))


def own_enrolment(user: User, course_slug: str) -> Enrolment | None:
    return db.session.scalar(
        sa.select(Enrolment).join(Course)
        .where(Enrolment.user_id == user.id, Course.slug == course_slug)
    )


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
    if submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.REVISION_REQUESTED):
        for key, value in (submission.draft_fields or {}).items():
            if value and value.strip():
                texts[key] = value
    return texts, latest.number if latest else None


def _chapter(number: int, module: CourseModule, submission: Submission | None) -> Chapter:
    chapter = Chapter(number=number, module=module, status="not_started", remember=list(module.remember or []))
    texts: dict = {}
    if submission is not None:
        chapter.status = str(submission.status.value)
        texts, chapter.version_number = _latest_texts(submission)
        review = _latest_review(submission)
        if review is not None:
            chapter.feedback_md = review.feedback_md or ""
            chapter.reviewer = review.reviewer.name if review.reviewer else ""
            chapter.reviewed_at = review.created_at
            chapter.scores = _scores(module, review)
    for spec in (module.assignment or {}).get("fields", []):
        chapter.answers.append(Answer(label=spec.get("label", spec["id"]), help=spec.get("help", ""),
                                      text=(texts.get(spec["id"]) or "").strip()))
    return chapter


def _scores(module: CourseModule, review: Review) -> list[Score]:
    rubric = {c["id"]: c for c in (module.assignment or {}).get("rubric", [])}
    scores = []
    for score in review.scores:
        criterion = rubric.get(score.criterion_id, {})
        levels = {lv["id"]: lv for lv in criterion.get("levels", [])}
        scores.append(Score(criterion=criterion.get("title", score.criterion_id),
                            level=levels.get(score.level_id, {}).get("title", score.level_id),
                            points=score.points, comment=score.comment or ""))
    order = list(rubric)
    return sorted(scores, key=lambda s: order.index(s.criterion) if s.criterion in order else len(order))


def compile_workbook(enrolment: Enrolment) -> Workbook:
    """The learner's workbook for one course, in course order. Reads only."""
    course = enrolment.course
    submissions = {
        s.module_id: s for s in db.session.scalars(
            sa.select(Submission).where(Submission.enrolment_id == enrolment.id)
            .options(sa.orm.selectinload(Submission.versions).joinedload(SubmissionVersion.review)
                     .selectinload(Review.scores),
                     sa.orm.selectinload(Submission.versions).joinedload(SubmissionVersion.review)
                     .joinedload(Review.reviewer))
        )
    }
    chapters = [
        _chapter(number, module, submissions.get(module.id))
        for number, module in enumerate(course.active_modules, start=1)
    ]
    return Workbook(enrolment=enrolment, learner=enrolment.user, course=course, chapters=chapters,
                    generated_at=utcnow())


def filename(workbook: Workbook, extension: str) -> str:
    return f"werkboek-{workbook.course.slug}.{extension}"


# ---- Markdown export -----------------------------------------------------


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.strip().splitlines())


def to_markdown(workbook: Workbook) -> str:
    """A Markdown document the learner can take into their own tools."""
    out = [
        f"# {_('My workbook: my social-media plan')}",
        "",
        f"**{_('Course')}:** {workbook.course.title}  ",
        f"**{_('Participant')}:** {workbook.learner.name}  ",
        f"**{_('Compiled on')}:** {format_date(workbook.generated_at, 'long')}",
        "",
    ]
    for chapter in workbook.chapters:
        out += [f"## {chapter.number}. {chapter.title}", ""]
        if chapter.has_assignment:
            marker = _("DRAFT") + " – " if chapter.is_draft else ""
            out += [f"*{_('Status')}: {marker}{status_label(chapter.status)}*", ""]
            for answer in chapter.answers:
                out += [f"### {answer.label}", "", answer.text or f"*{_('(not filled in yet)')}*", ""]
            if chapter.feedback_md or chapter.scores:
                out += [f"### {_('Feedback from your trainer')}", ""]
                if chapter.feedback_md:
                    out += [_quote(chapter.feedback_md), ""]
                for score in chapter.scores:
                    comment = f": {score.comment}" if score.comment else ""
                    out.append(f"- **{score.criterion}**: {score.level} ({score.points}){comment}")
                if chapter.scores:
                    out.append("")
        if chapter.remember:
            out += [f"### {_('What to remember')}", ""] + [f"- {item}" for item in chapter.remember] + [""]
    return "\n".join(out).rstrip() + "\n"


# ---- PDF -----------------------------------------------------------------


def to_pdf(workbook: Workbook) -> bytes:
    from course.badges.certificate import MUTED, hex_rgb, new_pdf
    from course.badges.fonts import FAMILY, clean

    pdf = new_pdf("P")
    pdf.set_title(_("My workbook: my social-media plan"))
    pdf.set_author(clean(workbook.learner.name))
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_margins(20, 18, 20)
    colour = hex_rgb(workbook.course.colour_primary, (11, 93, 107))
    pdf.add_page()
    width = pdf.w - 40

    def text(size, value, style="", height=None, rgb=(29, 36, 40), indent=0):
        pdf.set_font(FAMILY, style, size)
        pdf.set_text_color(*rgb)
        pdf.set_x(20 + indent)
        pdf.multi_cell(width - indent, height or size * 0.5, clean(value), new_x="LMARGIN", new_y="NEXT")

    text(22, _("My workbook: my social-media plan"), "B", rgb=colour)
    text(13, workbook.course.title, "B")
    text(11, f"{_('Participant')}: {workbook.learner.name}")
    text(10, f"{_('Compiled on')}: {format_date(workbook.generated_at, 'long')}", rgb=MUTED)
    pdf.ln(4)
    for chapter in workbook.chapters:
        pdf.ln(3)
        pdf.set_draw_color(*colour)
        pdf.line(20, pdf.get_y(), pdf.w - 20, pdf.get_y())
        pdf.ln(2)
        text(16, f"{chapter.number}. {chapter.title}", "B", rgb=colour)
        if chapter.has_assignment:
            label = status_label(chapter.status)
            if chapter.is_draft:
                text(10, f"{_('DRAFT')} – {label}", "B", rgb=(164, 38, 44))
            else:
                text(10, label, "B", rgb=(30, 107, 52))
            for answer in chapter.answers:
                pdf.ln(1)
                text(11, answer.label, "B")
                text(10.5, answer.text or _("(not filled in yet)"), height=5.2)
            if chapter.feedback_md or chapter.scores:
                pdf.ln(1)
                text(11, _("Feedback from your trainer"), "B", rgb=colour)
                if chapter.feedback_md:
                    text(10, chapter.feedback_md, height=5, indent=4)
                for score in chapter.scores:
                    comment = f": {score.comment}" if score.comment else ""
                    text(10, f"• {score.criterion}: {score.level} ({score.points}){comment}", height=5, indent=4)
        if chapter.remember:
            pdf.ln(1)
            text(11, _("What to remember"), "B")
            for item in chapter.remember:
                text(10, f"• {item}", height=5, indent=4)
    return bytes(pdf.output())
