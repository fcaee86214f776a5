"""The matrix's table body, made in Python: a screen of 200 learners × modules was
about half of the page's cost as Jinja, spent on looking up the same few names for
every row (issue 16). The markup is what templates/review/progress_matrix.html had."""
from flask_babel import gettext as _
from markupsafe import Markup, escape

from course.formatting import date_labels

from .queries.matrix import Matrix, attendance_text

_ROW = ('<tr>\n<th scope="row" class="matrix-name"><a href="{url}">{name}</a></th>\n'
        '<td class="matrix-total"><progress value="{done}" max="{count_or_one}" aria-hidden="true"></progress>'
        ' {done}/{count}</td>\n<td>{last}</td>\n{cells}\n<td>{group}</td>\n<td>{completed}</td>\n{attendance}</tr>\n')


def matrix_rows(matrix: Matrix, learner_url: str) -> Markup:
    """The <tr> of every row of `matrix`; `learner_url` holds `__id__` for the enrolment's public id.
    Every row is in the trainer's scope already (the matrix query filters on it)."""
    count = len(matrix.modules)
    no_group = escape(_("No group"))
    before, after = (escape(part) for part in learner_url.split("__id__", 1))
    day = date_labels()
    parts = []
    for row in matrix.rows:
        attendance = f"<td>{escape(attendance_text(row.attendance))}</td>\n" if matrix.show_attendance else ""
        parts.append(_ROW.format(
            url=f"{before}{escape(row.enrolment.public_id)}{after}", name=escape(row.learner.name),
            done=row.modules_done, count_or_one=count or 1, count=count,
            last=day(row.last_activity), cells="".join(cell.html for cell in row.cells),
            group=escape(row.cohort.name) if row.cohort else no_group,
            completed=day(row.enrolment.completed_at), attendance=attendance))
    return Markup("".join(parts))  # noqa: S704  (every value above is escaped)
