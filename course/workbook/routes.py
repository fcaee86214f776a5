"""The learner's workbook: a printable page, a PDF and a Markdown export.

Only the learner and their trainers may open it; anyone else gets a 404, so
its existence does not leak.
"""
from flask import abort, render_template
from flask_login import current_user, login_required

from course import permissions
from course.downloads import document
from course.learn.queries.progress import enrolment_for

from . import bp, documents, queries


def _workbook_or_404(enrolment_public_id: str) -> queries.Workbook:
    enrolment = queries.find_enrolment(enrolment_public_id)
    if enrolment is None or not permissions.can_view_workbook(current_user, enrolment):
        abort(404)
    return queries.compile_workbook(enrolment, current_user)


@bp.get("/mijn-werkboek/<course_slug>")
@login_required
def my_workbook(course_slug):
    enrolment = enrolment_for(current_user, course_slug)
    if enrolment is None or not permissions.can_view_workbook(current_user, enrolment):
        abort(404)
    return render_template("workbook/view_workbook.html", workbook=queries.compile_workbook(enrolment, current_user),
                           status_label=queries.status_label)


@bp.get("/werkboek/<public_id>")
@login_required
def view_workbook(public_id):
    workbook = _workbook_or_404(public_id)
    return render_template("workbook/view_workbook.html", workbook=workbook, status_label=queries.status_label)


@bp.get("/werkboek/<public_id>/werkboek.pdf")
@login_required
def download_pdf(public_id):
    return document(_workbook_or_404(public_id), "pdf", documents.to_pdf, documents.to_markdown, queries.filename)


@bp.get("/werkboek/<public_id>/werkboek.md")
@login_required
def download_markdown(public_id):
    return document(_workbook_or_404(public_id), "md", documents.to_pdf, documents.to_markdown, queries.filename)
