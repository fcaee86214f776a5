"""The platform admin's course staff pages. Load → check → service → render."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from course import permissions
from course.errors import DomainError
from course.extensions import db
from course.forms import EmptyForm
from course.models import User

from . import bp, services
from .forms import AddAuthorForm, AddTrainerForm, ReviewSettingForm


@bp.before_request
@login_required
def _platform_admins_only():
    if not permissions.can_administer_platform(current_user):
        abort(403)


def _course(slug: str):
    course = services.load_course(slug)
    if course is None:
        abort(404)
    if not permissions.can_manage_course_staff(current_user, course):
        abort(403)
    return course


def _user(public_id: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.public_id == public_id))
    if user is None:
        abort(404)
    return user


def _staff_url(course, anchor: str = "") -> str:
    return url_for("staff.course_staff", slug=course.slug) + (f"#{anchor}" if anchor else "")


@bp.get("/beheer/cursussen")
def courses():
    return render_template("staff/courses.html", rows=services.course_rows())


def _render(course, trainer_form=None, author_form=None, status=200):
    return render_template(
        "staff/course_staff.html", course=course, trainers=services.course_trainers(course),
        authors=services.course_authors(course), trainer_form=trainer_form or AddTrainerForm(prefix="trainer"),
        author_form=author_form or AddAuthorForm(prefix="author"),
        setting_form=ReviewSettingForm(course_trainers_see_cohorts=course.course_trainers_see_cohorts),
        action_form=EmptyForm(), without_trainer=services.waiting_without_trainer(course)), status


@bp.get("/beheer/cursussen/<slug>")
def course_staff(slug):
    return _render(_course(slug))


def _appoint(course, form, anchor: str, appoint, form_key: str):
    """Add a trainer or an author by e-mail address; `appoint` returns the success messages."""
    if form.validate_on_submit():
        try:
            messages = appoint(form.email.data)
        except DomainError as error:
            form.email.errors.append(error.message)
        else:
            for message in messages:
                flash(message, "success")
            return redirect(_staff_url(course, anchor))
    return _render(course, status=400, **{form_key: form})


def _dismiss(slug: str, user_id: str, remove, message, anchor: str):
    course, user = _course(slug), _user(user_id)
    if EmptyForm().validate_on_submit() and remove(course, user, actor=_me()):
        flash(message(user.name), "success")
    return redirect(_staff_url(course, anchor))


@bp.post("/beheer/cursussen/<slug>/trainers")
def add_trainer(slug):
    course = _course(slug)

    def appoint(email):
        user, promoted = services.add_course_trainer(course, email, actor=_me())
        yield _("%(name)s now reviews the self-enrolled learners of this course.", name=user.name)
        if promoted:
            yield _("%(name)s had a learner account and now has the role trainer.", name=user.name)

    return _appoint(course, AddTrainerForm(prefix="trainer"), "trainers", lambda e: list(appoint(e)),
                    "trainer_form")


@bp.post("/beheer/cursussen/<slug>/trainers/<user_id>/verwijderen")
def remove_trainer(slug, user_id):
    return _dismiss(slug, user_id, services.remove_course_trainer,
                    lambda name: _("%(name)s is no longer a trainer of this course.", name=name), "trainers")


@bp.post("/beheer/cursussen/<slug>/auteurs")
def add_author(slug):
    course = _course(slug)

    def appoint(email):
        user = services.add_course_author(course, email, actor=_me())
        return [_("%(name)s is now an author of this course.", name=user.name)]

    return _appoint(course, AddAuthorForm(prefix="author"), "auteurs", appoint, "author_form")


@bp.post("/beheer/cursussen/<slug>/auteurs/<user_id>/verwijderen")
def remove_author(slug, user_id):
    return _dismiss(slug, user_id, services.remove_course_author,
                    lambda name: _("%(name)s is no longer an author of this course.", name=name), "auteurs")


@bp.post("/beheer/cursussen/<slug>/instelling")
def save_setting(slug):
    course = _course(slug)
    form = ReviewSettingForm()
    if form.validate_on_submit():
        services.set_course_trainers_see_cohorts(course, form.course_trainers_see_cohorts.data,
                                                 actor=_me())
        flash(_("The setting has been saved."), "success")
    return redirect(_staff_url(course, "instelling"))


def _me():
    """The signed-in admin as a model object (for the audit log)."""
    return current_user._get_current_object()
