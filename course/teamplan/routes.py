"""The team plan's pages: load → check → service → render. Another organisation's or
group's plan, and a plan not yet published for anyone but its trainers, answer 404."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from course import permissions
from course.downloads import document
from course.errors import DomainError
from course.forms import EmptyForm
from course.workbook.queries import find_enrolment

from . import bp, documents, queries, services
from .forms import ConsentForm, compose_form


def _cohort(public_id: str):
    cohort = queries.find_cohort(public_id)
    if cohort is None:
        abort(404)
    return cohort


def _readable(public_id: str) -> queries.TeamWorkbook:
    cohort = _cohort(public_id)
    plan = queries.plan_for(cohort)
    if not permissions.can_read_team_plan(current_user, cohort, plan):
        abort(404)
    return queries.compile_plan(cohort, plan)


def _composable(public_id: str):
    cohort = _cohort(public_id)
    if not permissions.can_compose_team_plan(current_user, cohort):
        abort(404)
    return cohort


@bp.get("/teamplannen")
@login_required
def index():
    return render_template("teamplan/index.html", rows=queries.readable_cohorts(current_user))


@bp.get("/groepen/<public_id>/teamplan")
@login_required
def view(public_id):
    book = _readable(public_id)
    return render_template("teamplan/view.html", book=book, title=documents.plan_title(book),
                           composer=permissions.can_compose_team_plan(current_user, book.cohort))


@bp.get("/groepen/<public_id>/teamplan.pdf")
@login_required
def download_pdf(public_id):
    return document(_readable(public_id), "pdf", documents.to_pdf, documents.to_markdown, documents.filename)


@bp.get("/groepen/<public_id>/teamplan.md")
@login_required
def download_markdown(public_id):
    return document(_readable(public_id), "md", documents.to_pdf, documents.to_markdown, documents.filename)


def _render_compose(cohort, form, names, book, status=200):
    return render_template("teamplan/compose.html", cohort=cohort, form=form, names=names, book=book,
                           title=documents.plan_title(book), action_form=EmptyForm()), status


@bp.route("/groepen/<public_id>/teamplan/samenstellen", methods=["GET", "POST"])
@login_required
def compose(public_id):
    cohort = _composable(public_id)
    book = queries.compile_plan(cohort, with_candidates=True)
    form, names = compose_form(book, formdata=request.form if request.method == "POST" else None)
    if request.method == "POST":
        if not form.validate_on_submit():
            return _render_compose(cohort, form, names, book, status=400)
        choices = {section.key: form[name].data or "" for name, section, _chapter in names}
        try:
            services.save_plan(cohort, current_user, form.title.data, form.intro_md.data, choices)
        except DomainError as error:
            flash(error.message, "error")
            return _render_compose(cohort, form, names, book, status=409)
        flash(_("The team plan has been saved."), "success")
        return redirect(url_for("teamplan.compose", public_id=cohort.public_id))
    return _render_compose(cohort, form, names, book)


def _set_published(public_id: str, published: bool, message: str):
    cohort = _composable(public_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.set_published(cohort, current_user, published)
    flash(message, "success")
    return redirect(url_for("teamplan.compose", public_id=cohort.public_id))


@bp.post("/groepen/<public_id>/teamplan/publiceren")
@login_required
def publish(public_id):
    message = _("The team plan is published: the group and the organisation can read it.")
    return _set_published(public_id, True, message)


@bp.post("/groepen/<public_id>/teamplan/intrekken")
@login_required
def withdraw(public_id):
    message = _("The team plan is no longer published. Only the group's trainers can see it.")
    return _set_published(public_id, False, message)


@bp.post("/werkboek/<public_id>/delen")
@login_required
def consent(public_id):
    enrolment = find_enrolment(public_id)
    if enrolment is None or not permissions.can_share_in_team_plan(current_user, enrolment):
        abort(404)
    form = ConsentForm()
    back = url_for("workbook.my_workbook", course_slug=enrolment.course.slug) + "#teamplan-delen"
    if not form.validate_on_submit():
        flash(_("Your choice could not be saved. Please try again."), "error")
        return redirect(back)
    if form.share.data == "1":
        services.give_consent(enrolment)
        flash(_("Thank you. Your trainer may now use your approved work, with your name, in the team plan."),
              "success")
    else:
        removed = services.withdraw_consent(enrolment)
        flash(_("You no longer share your work. Your texts have been taken out of the team plan.")
              if removed else _("You no longer share your work in the team plan."), "success")
    return redirect(back)
