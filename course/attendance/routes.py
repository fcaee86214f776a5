"""The trainer's attendance pages. Load (404 when missing or not theirs) → check → act → render."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from course import permissions
from course.audit.services import record_export
from course.csvutil import csv_response
from course.downloads import attachment
from course.errors import DomainError
from course.live.queries import display_parts

from . import bp, exports, queries, services, sheet
from .forms import attendance_form


def _session_or_404(public_id: str):
    session = queries.load_session(public_id[:64])
    if session is None or not permissions.can_take_attendance(current_user, session):
        abort(404)
    return session


@bp.get("/aanwezigheid")
@login_required
def index():
    if not permissions.can_review(current_user):
        abort(403)
    return render_template("attendance/index.html", links=queries.sessions_for_trainer(current_user),
                           can_be_marked=services.can_be_marked)


@bp.route("/sessies/<public_id>/aanwezigheid", methods=["GET", "POST"])
@login_required
def take(public_id):
    session = _session_or_404(public_id)
    registrations = queries.participants(session)
    form = attendance_form(registrations, queries.session_minutes(session))
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                changed = services.mark_attendance(session, form.marks(), current_user)
            except DomainError as error:
                flash(error.message, "error")
            else:
                flash(_("Attendance saved (%(count)d changed).", count=changed), "success")
                return redirect(url_for("attendance.take", public_id=session.public_id))
        elif not form.errors:
            flash(_("The form had expired. Your choices are still here: save again."), "error")
    status = 400 if form.errors else 200
    return render_template("attendance/take.html", session=session, form=form, parts=display_parts(session),
                           open=services.can_be_marked(session), minutes=queries.session_minutes(session),
                           format_hours=queries.format_hours), status


@bp.get("/sessies/<public_id>/tekenlijst.pdf")
@login_required
def sheet_pdf(public_id):
    session = _session_or_404(public_id)
    return attachment(sheet.render(session, queries.participants(session)), "application/pdf",
                      f"tekenlijst-{session.public_id}.pdf")


@bp.get("/sessies/<public_id>/presentielijst.csv")
@login_required
def export_csv(public_id):
    session = _session_or_404(public_id)
    header, rows = exports.session_list(session)
    record_export(current_user, "session_attendance", organisation=session.cohort.organisation_id
                  if session.cohort else None, course=session.course_id, obj=session, rows=len(rows))
    return csv_response(f"presentielijst-{session.public_id}.csv", header, rows,
                        separator="," if request.args.get("sep") == "," else ";")
