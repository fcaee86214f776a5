"""The workbook's chapter "Na de cursus" (After the course): the learner's answered
check-ins, for the workbook's Markdown and PDF (the HTML is templates/followup/)."""
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from course.text import markdown_as_text

QUESTIONS = (
    ("plan_md", _l("What did you do with your plan?")),
    ("goal_md", _l("Which goal did you reach?")),
    ("success_md", _l("One success to celebrate")),
    ("obstacles_md", _l("What got in the way?")),
)


def answers(checkin) -> list[tuple[str, str]]:
    """[(question, answer)] for the questions the learner answered."""
    return [(str(label), getattr(checkin, key)) for key, label in QUESTIONS if (getattr(checkin, key) or "").strip()]


def to_markdown(checkins) -> list[str]:
    if not checkins:
        return []
    out = [f"## {_('After the course')}", ""]
    for checkin in checkins:
        out += [f"### {checkin.stage.label} ({format_date(checkin.answered_at, 'long')})", ""]
        for question, text in answers(checkin):
            out += [f"**{question}**", "", markdown_as_text(text), ""]
    return out
