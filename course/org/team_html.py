"""Team progress's table body, made in Python: a screen of learners cost more as Jinja,
looking up the same few names for every row, than everything else on the page together
(issue 16). The markup is what templates/org/view_cohort.html had."""
from flask_babel import gettext as _
from markupsafe import Markup, escape

from course.formatting import date_labels
from course.templating import mini_bars, status_pills

_ROW = ('<tr>\n<th scope="row"><a href="{url}">{name}</a><br><span class="muted">{email}</span></th>\n'
        '<td data-label="{l_status}">{pill}</td>\n<td data-label="{l_modules}">{bar}</td>\n'
        '<td data-label="{l_enrolled}">{enrolled}</td>\n<td data-label="{l_started}">{started}</td>\n'
        '<td data-label="{l_badges}">{badges}</td>\n<td data-label="{l_activity}">{activity}</td>\n'
        '<td data-label="{l_live}">{live}</td>\n</tr>\n')


def team_rows(rows, total_modules: int, learner_url: str) -> Markup:
    """The <tr> of every learner row (org/queries/team.py LearnerRow); `learner_url`
    holds `__id__` for the enrolment's public id."""
    labels = {key: escape(_(text)) for key, text in (
        ("l_status", "Status"), ("l_modules", "Modules completed"), ("l_enrolled", "Enrolled on"),
        ("l_started", "Started on"), ("l_badges", "Badges"), ("l_activity", "Last activity"),
        ("l_live", "Live sessions attended"))}
    not_started, none_yet = escape(_("Not started")), escape(_("None yet"))
    nobody_yet = Markup('<span class="muted">{}</span>').format(none_yet)
    before, after = (escape(part) for part in learner_url.split("__id__", 1))
    day, pill, bar = date_labels(), status_pills(), mini_bars()
    parts = []
    for r in rows:
        enrolment, days = r.enrolment, r.attendance.days if r.attendance else []
        parts.append(_ROW.format(
            url=f"{before}{escape(enrolment.public_id)}{after}", name=escape(r.user.name),
            email=escape(r.user.email), pill=pill(r.state), bar=bar(r.modules_completed, total_modules, r.user.name),
            enrolled=day(enrolment.enrolled_at), started=day(enrolment.started_at) if r.started else not_started,
            badges=r.badges, activity=day(enrolment.last_activity_at) if enrolment.last_activity_at else none_yet,
            live=", ".join(day(d) for d in days) if days else nobody_yet, **labels))
    return Markup("".join(parts))  # noqa: S704  (every value above is escaped)
