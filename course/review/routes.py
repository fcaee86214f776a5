"""The trainer dashboard: load → check the policy → call a service → render.

Non-trainers get 403 for the whole dashboard; anything outside a trainer's
scope answers 404, so its existence does not leak.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from course import permissions
from course.audit.services import record_export
from course.csvutil import csv_response
from course.errors import DomainError
from course.forms import EmptyForm, one_button_post
from course.models import SubmissionStatus, utcnow
from course.pagination import requested_page

from . import bp, charts, matrix_html, services
from .forms import ProgressFilterForm, QueueFilterForm, SnippetForm, review_form_for, tampered_fields
from .queries import grades as grade_queries
from .queries import matrix as matrix_queries
from .queries import queue as queue_queries
from .queries import quiz_analysis as quiz_queries
from .queries import scope as scope_queries
from .queries import waiting as waiting_queries

SCOPES = "any(groep, cursus)"


def _require_trainer() -> None:
    if not permissions.can_review(current_user):
        abort(403)


def _submission_or_404(public_id: str):
    _require_trainer()
    submission = queue_queries.load_submission(public_id)
    if submission is None or not permissions.can_review_submission(current_user, submission):
        abort(404)
    return submission


def _scope_or_404(kind: str, key: str):
    _require_trainer()
    scope = scope_queries.load_scope(current_user, kind, key)
    if scope is None:
        abort(404)
    return scope


# ---- the queue ------------------------------------------------------------------


@bp.get("/beoordelen")
@login_required
def queue():
    _require_trainer()
    form = QueueFilterForm(formdata=request.args)
    form.fill_choices(queue_queries.filter_options(current_user))
    filters = queue_queries.QueueFilters(**form.clean_data())
    page = queue_queries.queue_page(current_user, filters, page=requested_page(request.args))
    return render_template("review/queue.html", form=form, page=page, filters=filters)


# ---- reviewing ------------------------------------------------------------------


def _render_review(submission, form, status=200, message=None, conflict=None):
    context = queue_queries.review_context(submission, current_user, utcnow().date())
    return render_template("review/review_submission.html", ctx=context, form=form, message=message,
                           conflict=conflict, awaiting_review=submission.status == SubmissionStatus.SUBMITTED), status


@bp.route("/beoordelen/<public_id>", methods=["GET", "POST"])
@login_required
def review_submission(public_id):
    submission = _submission_or_404(public_id)
    rubric = services.rubric_of(submission.module)
    form = review_form_for(rubric)(lock_version=submission.lock_version)
    if request.method == "GET" or not form.is_submitted():
        return _render_review(submission, form)
    if tampered_fields(request.form, rubric):
        return _render_review(submission, form, 400, _("This form contains rubric criteria, levels or points "
                                                       "that do not belong to this assignment. Nothing was saved."))
    if not form.validate():
        return _render_review(submission, form)
    try:
        services.decide(submission, current_user, form.decision.data, form.scores(), form.feedback_md.data,
                        int(form.lock_version.data))
    except services.ReviewConflict as error:
        return _render_review(submission, form, 409, error.message, conflict=error.review)
    except DomainError as error:
        return _render_review(submission, form, 409 if isinstance(error, services.NotWaiting) else 400,
                              error.message)
    flash(_("Your decision on %(name)s's work has been saved.", name=submission.enrolment.user.name), "success")
    following = queue_queries.next_waiting(current_user, exclude_id=submission.id) if form.save_next.data else None
    if following is not None:
        return redirect(url_for("review.review_submission", public_id=following.public_id))
    return redirect(url_for("review.queue"))


# ---- feedback snippets -------------------------------------------------------------


@bp.route("/beoordelen/tekstblokken", methods=["GET", "POST"])
@login_required
def snippets():
    _require_trainer()
    form = SnippetForm()
    if form.validate_on_submit():
        services.create_snippet(current_user, form.title.data, form.body.data)
        flash(_("Snippet saved."), "success")
        return redirect(url_for("review.snippets"))
    return render_template("review/snippets.html", form=form, snippets=queue_queries.snippets_of(current_user),
                           delete_form=EmptyForm())


def _snippet_or_404(public_id):
    _require_trainer()
    snippet = queue_queries.load_snippet(public_id)
    if snippet is None or not permissions.can_manage_snippet(current_user, snippet):
        abort(404)
    return snippet


@bp.route("/beoordelen/tekstblokken/<public_id>", methods=["GET", "POST"])
@login_required
def edit_snippet(public_id):
    snippet = _snippet_or_404(public_id)
    form = SnippetForm(obj=snippet)
    if form.validate_on_submit():
        services.update_snippet(snippet, form.title.data, form.body.data)
        flash(_("Snippet saved."), "success")
        return redirect(url_for("review.snippets"))
    return render_template("review/edit_snippet.html", form=form, snippet=snippet)


@bp.post("/beoordelen/tekstblokken/<public_id>/verwijderen")
@login_required
def delete_snippet(public_id):
    snippet = _snippet_or_404(public_id)
    one_button_post(lambda: services.delete_snippet(snippet), _("Snippet deleted."))
    return redirect(url_for("review.snippets"))


# ---- progress overview -----------------------------------------------------------------


@bp.get("/voortgang")
@login_required
def progress_index():
    _require_trainer()
    series = waiting_queries.waiting_over_time(current_user)
    chart = charts.column_chart(
        "waiting-chart", _("Submissions waiting for review, last 30 days"),
        _("Number of submitted assignments waiting for feedback at the end of each day."),
        [(day.strftime("%d-%m"), value) for day, value in series])
    return render_template("review/progress_index.html", scopes=scope_queries.scopes_for(current_user),
                           chart=chart, series=series)


def _progress_filters():
    form = ProgressFilterForm(formdata=request.args)
    return form, form.clean_data()


@bp.get(f"/voortgang/<{SCOPES}:kind>/<key>")
@login_required
def progress_matrix(kind, key):
    scope = _scope_or_404(kind, key)
    form, filters = _progress_filters()
    matrix = matrix_queries.progress_matrix(current_user, scope, filters["show"], filters["days"],
                                            page=requested_page(request.args))
    funnel = charts.bar_chart(
        "funnel-chart", _("Completion per module"),
        _("Number of learners who completed each module, out of %(total)d enrolled.", total=matrix.total),
        [(m["module"].title, m["completed"]) for m in matrix.funnel], maximum=matrix.total)
    return render_template("review/progress_matrix.html", scope=scope, form=form, filters=filters,
                           matrix=matrix, funnel=funnel, cell_states=list(matrix_queries.CellState),
                           matrix_rows=matrix_html.matrix_rows)


def _scope_csv(kind: str, key: str, export: str, name: str, table):
    """A scope's `table(scope, filters)` as `<name>-<scope>.csv`, with its audit row."""
    scope = _scope_or_404(kind, key)
    _form, filters = _progress_filters()
    header, rows = table(scope, filters)
    filename = f"{name}-{scope.filename_base}.csv"  # before the audit row's commit expires the scope's objects
    record_export(current_user, export, course=scope.course, obj=scope.cohort,
                  organisation=scope.cohort.organisation_id if scope.cohort else None, rows=len(rows))
    return csv_response(filename, header, rows, filters["separator"])


@bp.get(f"/voortgang/<{SCOPES}:kind>/<key>/voortgang.csv")
@login_required
def progress_csv(kind, key):
    return _scope_csv(kind, key, "trainer_progress", "voortgang", lambda scope, filters: matrix_queries.matrix_table(
        matrix_queries.progress_matrix(current_user, scope, filters["show"], filters["days"])))


@bp.get(f"/voortgang/<{SCOPES}:kind>/<key>/beoordelingen")
@login_required
def grades(kind, key):
    scope = _scope_or_404(kind, key)
    form, _filters = _progress_filters()
    header, rows = grade_queries.grades_table(current_user, scope)
    return render_template("review/grades.html", scope=scope, form=form, header=header, rows=rows)


@bp.get(f"/voortgang/<{SCOPES}:kind>/<key>/beoordelingen.csv")
@login_required
def grades_csv(kind, key):
    return _scope_csv(kind, key, "trainer_grades", "beoordelingen",
                      lambda scope, _filters: grade_queries.grades_table(current_user, scope))


@bp.get(f"/voortgang/<{SCOPES}:kind>/<key>/quizanalyse")
@login_required
def quiz_analysis(kind, key):
    scope = _scope_or_404(kind, key)
    return render_template("review/quiz_analysis.html", scope=scope, flag_below=quiz_queries.FLAG_BELOW,
                           analysis=quiz_queries.quiz_analysis(current_user, scope))


@bp.get("/voortgang/deelnemer/<public_id>")
@login_required
def learner_detail(public_id):
    from .override_routes import enrolment_or_404, render_learner

    return render_learner(enrolment_or_404(public_id))
