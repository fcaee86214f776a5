"""Follow-up pages: the learner's check-in, opting out (signed link or account page),
the trainer's overview and the organisation's counts. Load → check → service → render."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from course import permissions
from course.models import CheckinStage

from . import bp, queries, services
from .forms import CheckinForm, OptOutForm, PreferenceForm


@bp.route("/na-de-cursus/<public_id>", methods=["GET", "POST"])
@login_required
def answer(public_id):
    checkin = queries.find_checkin(public_id)
    if checkin is None or not permissions.can_answer_checkin(current_user, checkin):
        abort(404)
    form = CheckinForm(obj=checkin)
    if form.validate_on_submit():
        if not form.any_answer():
            form.plan_md.errors.append(_("Please answer at least one question."))
        else:
            services.answer(checkin, form.plan_md.data, form.goal_md.data, form.success_md.data,
                            form.obstacles_md.data)
            flash(_("Thank you! Your answers are in your workbook, in the chapter “After the course”."), "success")
            return redirect(url_for("workbook.my_workbook", course_slug=checkin.enrolment.course.slug)
                            + "#na-de-cursus")
    status = 400 if form.errors else 200
    return render_template("followup/answer.html", checkin=checkin, form=form), status


@bp.route("/na-de-cursus/afmelden/<token>", methods=["GET", "POST"])
def opt_out_link(token):
    """The mail's link: no login needed, the signature says who. GET asks, POST does it."""
    user = services.user_from_token(token)
    if user is None:
        return render_template("followup/opt_out_invalid.html"), 404
    form = OptOutForm()
    if form.validate_on_submit():
        services.opt_out(user)
        return render_template("followup/opt_out_done.html")
    return render_template("followup/opt_out.html", form=form, already=queries.opted_out(user))


@bp.post("/mijn-account/na-de-cursus")
@login_required
def preference():
    form = PreferenceForm()
    if not form.validate_on_submit():
        flash(_("Your choice could not be saved. Please try again."), "error")
    elif form.wants.data == "1":
        services.opt_in(current_user)
        flash(_("You will get the check-ins 30 and 90 days after a course again."), "success")
    else:
        services.opt_out(current_user)
        flash(_("You will get no more follow-up mail."), "success")
    return redirect(url_for("auth.profile") + "#na-de-cursus")


@bp.get("/na-de-cursus/overzicht")
@login_required
def overview():
    if not permissions.can_review(current_user):
        abort(403)
    return render_template("followup/overview.html", rows=queries.trainer_courses(current_user),
                           stages=list(CheckinStage))


@bp.get("/na-de-cursus/overzicht/<slug>")
@login_required
def course_overview(slug):
    course = queries.find_course(slug)
    if course is None or not permissions.can_view_followup_overview(current_user, course):
        abort(404)
    counts, rows = queries.course_overview(current_user, course)
    return render_template("followup/course_overview.html", course=course, counts=counts, rows=rows,
                           stages=list(CheckinStage))


@bp.get("/organisatie/na-de-cursus")
@login_required
def organisation_counts():
    if not permissions.can_view_followup_counts(current_user):
        abort(403)
    return render_template("followup/organisation_counts.html", rows=queries.organisation_counts(current_user),
                           stages=list(CheckinStage))
