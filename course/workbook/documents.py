"""The workbook as documents: the Markdown export and the A4 PDF, both from the
structure that queries.compile_workbook builds."""
import logging

from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from course.text import markdown_as_text

from .queries import Workbook, status_label, workbook_title

log = logging.getLogger(__name__)


# ---- Markdown export -----------------------------------------------------


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.strip().splitlines())


def to_markdown(workbook: Workbook) -> str:
    """A Markdown document the learner can take into their own tools."""
    out = [
        f"# {workbook_title(workbook.course)}",
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
                out += [f"### {answer.label}", "", markdown_as_text(answer.text) or f"*{_('(not filled in yet)')}*",
                        ""]
            if chapter.feedback_md or chapter.scores:
                out += [f"### {_('Feedback from your trainer')}", ""]
                if chapter.feedback_md:
                    out += [_quote(markdown_as_text(chapter.feedback_md)), ""]
                for score in chapter.scores:
                    comment = f": {score.comment}" if score.comment else ""
                    out.append(f"- **{score.criterion}**: {score.level} ({score.points}){comment}")
                if chapter.scores:
                    out.append("")
            for item in chapter.peer_feedback:
                out += [f"### {_('Feedback from %(name)s', name=item.reviewer_name)}", "",
                        f"**{_('What is strong?')}**", "", _quote(markdown_as_text(item.review.strengths)), "",
                        f"**{_('What could be sharper?')}**", "", _quote(markdown_as_text(item.review.improvements)),
                        ""]
        if chapter.remember:
            out += [f"### {_('What to remember')}", ""] + [f"- {item}" for item in chapter.remember] + [""]
    from course.followup import documents as followup

    out += followup.to_markdown(workbook.after_course)
    return "\n".join(out).rstrip() + "\n"


# ---- PDF -----------------------------------------------------------------
DRAFT_RED = (164, 38, 44)
APPROVED_GREEN = (30, 107, 52)


def to_pdf(workbook: Workbook) -> bytes:
    """The workbook as an A4 PDF: a title page block, a table of contents, then one
    chapter per module with the learner's Markdown rendered (not shown as raw text).
    Should fpdf2 fail on some Markdown, the learner still gets the PDF, with the texts as typed."""
    from course.pdf.booklet import with_plain_fallback

    return with_plain_fallback(lambda rich: _render_pdf(workbook, rich), log, "Workbook")


def _render_pdf(workbook: Workbook, rich: bool) -> bytes:
    from course.pdf.booklet import Booklet
    from course.pdf.document import MUTED

    title = workbook_title(workbook.course)
    book = Booklet(title=f"{title} – {workbook.course.title}", author=workbook.learner.name,
                   footer=f"{title} · {workbook.learner.name}", colour_hex=workbook.course.colour_primary, rich=rich)
    pdf, colour, text, markdown = book.pdf, book.colour, book.text, book.markdown
    book.title_block(workbook.course.title, title)
    text(11, f"{_('Participant')}: {workbook.learner.name}")
    text(10, f"{_('Compiled on')}: {format_date(workbook.generated_at, 'long')}", rgb=MUTED)
    text(10, _("%(done)s of %(total)s chapters approved", done=workbook.approved_count,
               total=workbook.assignment_count), rgb=MUTED, after=2)
    if not workbook.complete:
        text(10, _("Parts marked “Draft” have not been approved by a trainer yet."), "B", rgb=DRAFT_RED)
    pdf.ln(4)
    book.contents(f"{c.number}.  {c.title}" + (f"  ({_('Draft')})" if c.is_draft else "") for c in workbook.chapters)

    for chapter in workbook.chapters:
        book.chapter(chapter.number, chapter.title)
        if chapter.has_assignment:
            label = status_label(chapter.status)
            version = f" · {_('version %(n)s', n=chapter.version_number)}" if chapter.version_number else ""
            if chapter.is_draft:
                text(10, f"{_('DRAFT')} – {label}{version}", "B", rgb=DRAFT_RED, after=2)
            else:
                text(10, f"{label}{version}", "B", rgb=APPROVED_GREEN, after=2)
            for answer in chapter.answers:
                text(12, answer.label, "B", height=6, after=0.5)
                if answer.text:
                    markdown(answer.text)
                else:
                    text(10.5, _("(not filled in yet)"), rgb=MUTED)
                pdf.ln(3)
            if chapter.feedback_md or chapter.scores:
                pdf.ln(1)
                pdf.set_draw_color(*colour)
                top = pdf.get_y()
                text(12, _("Feedback from your trainer"), "B", height=6, rgb=colour, indent=5)
                if chapter.reviewer:
                    when = f", {format_date(chapter.reviewed_at, 'long')}" if chapter.reviewed_at else ""
                    text(9.5, f"{chapter.reviewer}{when}", rgb=MUTED, indent=5, after=1)
                if chapter.feedback_md:
                    markdown(chapter.feedback_md, size=10, indent=5)
                for score in chapter.scores:
                    points = ngettext("%(num)d point", "%(num)d points", score.points)
                    comment = f". {score.comment}" if score.comment else ""
                    text(10, f"• {score.criterion}: {score.level} ({points}){comment}", height=5.2, indent=5)
                if pdf.get_y() > top:  # a bar beside the feedback, when it stayed on one page
                    pdf.set_line_width(1.2)
                    pdf.line(21, top, 21, pdf.get_y())
                pdf.ln(3)
            for item in chapter.peer_feedback:
                text(12, _("Feedback from %(name)s", name=item.reviewer_name), "B", height=6, rgb=colour, indent=5)
                text(10, _("What is strong?"), "B", height=5.2, indent=5)
                markdown(item.review.strengths, size=10, indent=5)
                text(10, _("What could be sharper?"), "B", height=5.2, indent=5)
                markdown(item.review.improvements, size=10, indent=5)
                pdf.ln(3)
        if chapter.remember:
            pdf.ln(1)
            text(12, _("What to remember"), "B", height=6, rgb=colour, after=0.5)
            for item in chapter.remember:
                text(10.5, f"• {item}", height=5.4, indent=2)
    if workbook.after_course:  # the chapter "Na de cursus": the answered follow-up check-ins (issue 14)
        from course.followup.documents import answers

        pdf.add_page()
        text(18, _("After the course"), "B", height=8.5, rgb=colour, after=3)
        for checkin in workbook.after_course:
            text(12, f"{checkin.stage.label} ({format_date(checkin.answered_at, 'long')})", "B", height=6,
                 rgb=colour, after=1)
            for question, answer in answers(checkin):
                text(11, question, "B", height=5.6, after=0.5)
                markdown(answer)
                pdf.ln(2)
    return book.output()
