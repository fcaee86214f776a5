"""Live sessions: thin views. Load (out of scope → 404), check the policy, call a
service, render."""
import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from course import permissions
from course.attendance import queries as attendance_queries
from course.attendance import services as attendance_services
from course.downloads import attachment
from course.errors import ConflictError, DomainError
from course.extensions import db
from course.forms import EmptyForm
from course.models import Cohort, Course, LiveSession, Organisation, RegistrationStatus, User
from course.urls import external_url

from . import bp, feeds, ics, queries, services
from .forms import FeedForm, NewSessionForm, SessionForm

PUBLIC = "public"


def _me() -> User:
    return current_user._get_current_object()


def _load(public_id: str) -> LiveSession:
    session = db.session.scalar(sa.select(LiveSession).where(LiveSession.public_id == public_id[:40]))
    if session is None or not permissions.can_view_live_session(current_user, session):
        abort(404)
    return session


def _managed(public_id: str) -> LiveSession:
    session = _load(public_id)
    if not permissions.can_manage_live_session(current_user, session):
        abort(404)
    return session


def _detail_url(session: LiveSession) -> str:
    return url_for("live.detail", public_id=session.public_id)


# ---- the session page, sign-up, cancel, .ics ------------------------------------------


@bp.get("/sessies/<public_id>")
def detail(public_id):
    session = _load(public_id)
    registration = queries.registration_of(current_user, session)
    has_place = registration is not None and registration.status == RegistrationStatus.REGISTERED
    sees_people = permissions.can_view_live_session_participants(current_user, session)
    return render_template(
        "live/detail.html", session=session, parts=queries.display_parts(session), registration=registration,
        has_place=has_place, position=queries.waiting_position(registration),
        taken=services.registered_count(session.id), open=services.sign_up_open(session),
        deadline_passed=services.utcnow() >= session.registration_deadline,
        manages=permissions.can_manage_live_session(current_user, session),
        people=queries.participants(session) if sees_people else None, form=EmptyForm(),
        shows_attendance=sees_people and attendance_services.can_be_marked(session),
        may_remove=services.may_remove_participants(session) and permissions.can_manage_live_session(
            current_user, session),
        format_hours=attendance_queries.format_hours)


@bp.route("/sessies/<public_id>/aanmelden", methods=["GET", "POST"])
@login_required
def sign_up(public_id):
    """GET: the confirmation page (a visitor comes back here after logging in or
    registering); POST: sign up."""
    session = _load(public_id)
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            registration = services.sign_up(_me(), session)
        except DomainError as error:
            flash(error.message, "warning")
        else:
            if registration.status == RegistrationStatus.REGISTERED:
                flash(_("You are signed up. We sent you a confirmation with a calendar invitation."), "success")
            else:
                flash(_("The session is full: you are on the waiting list. When a place comes free, "
                        "it goes to the first person waiting, and we mail you."), "info")
        return redirect(_detail_url(session))
    registration = queries.registration_of(current_user, session)
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        return redirect(_detail_url(session))
    return render_template("live/sign_up.html", session=session, parts=queries.display_parts(session),
                           taken=services.registered_count(session.id), open=services.sign_up_open(session),
                           may_join=permissions.can_join_live_session(current_user, session), form=form)


@bp.post("/sessies/<public_id>/afmelden")
@login_required
def cancel_registration(public_id):
    session = _load(public_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.cancel_registration(_me(), session)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        flash(_("You have cancelled your registration."), "success")
    return redirect(_detail_url(session))


def _ics_response(body: bytes, filename: str) -> Response:
    response = attachment(body, "text/calendar", filename)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    return response


@bp.get("/sessies/<public_id>/sessie.ics")
def download_ics(public_id):
    session = _load(public_id)
    registration = queries.registration_of(current_user, session)
    with_link = (registration is not None and registration.status == RegistrationStatus.REGISTERED) \
        or permissions.can_manage_live_session(current_user, session)
    return _ics_response(ics.calendar_for([session], with_link=with_link), "sessie.ics")


@bp.get("/agenda/<token>.ics")
def feed(token):
    user = feeds.feed_owner(token)
    if user is None:
        abort(404)
    sessions = queries.feed_sessions(user)
    body = ics.calendar_for(sessions, with_link=True, name=_("Leerlijn sessions"))
    return _ics_response(body, "leerlijn.ics")


# ---- my sessions and the calendar link ----------------------------------------------------


@bp.get("/mijn-sessies")
@login_required
def my_sessions():
    return render_template("live/my_sessions.html", rows=queries.my_sessions(_me(), limit=50),
                           has_feed=feeds.has_feed(_me()), feed_url=None, form=FeedForm(),
                           action_form=EmptyForm())


@bp.post("/mijn-sessies/agenda")
@login_required
def new_feed():
    if not FeedForm().validate_on_submit():
        abort(400)
    token = feeds.new_feed(_me())
    flash(_("Your new calendar link is ready. Any earlier link no longer works."), "success")
    return render_template("live/my_sessions.html", rows=queries.my_sessions(_me(), limit=50), has_feed=True,
                           feed_url=external_url("live.feed", token=token), form=FeedForm(),
                           action_form=EmptyForm())


@bp.post("/mijn-sessies/agenda/intrekken")
@login_required
def revoke_feed():
    if not EmptyForm().validate_on_submit():
        abort(400)
    feeds.revoke_feeds(_me())
    flash(_("Your calendar link no longer works."), "success")
    return redirect(url_for("live.my_sessions"))


# ---- planning (trainers, admins) and the organisation's view -------------------------------


@bp.get("/sessies")
@login_required
def planning():
    if not permissions.can_view_session_list(current_user):
        abort(403)
    rows = queries.managed_sessions(_me()) if permissions.can_plan_live_sessions(current_user) else []
    org_rows = []
    if permissions.is_org_admin(current_user):
        organisations = db.session.scalars(sa.select(Organisation).where(permissions.organisations_visible_to(
            current_user)).order_by(Organisation.name)).all()
        org_rows = [(org, queries.org_sessions(org.id)) for org in organisations
                    if permissions.is_org_admin(current_user, org)]
    can_create = bool(db.session.scalar(sa.select(sa.exists().where(
        permissions.courses_planned_by(current_user), Course.is_active.is_(True)))))
    return render_template("live/planning.html", rows=rows, org_rows=org_rows, can_create=can_create)


def _courses():
    return db.session.scalars(sa.select(Course).where(permissions.courses_planned_by(current_user),
                                                      Course.is_active.is_(True)).order_by(Course.title)).all()


def _cohorts(course_ids):
    return db.session.execute(
        sa.select(Cohort, Organisation.name).join(Organisation, Organisation.id == Cohort.organisation_id)
        .where(Cohort.course_id.in_(course_ids or [-1])).order_by(Organisation.name, Cohort.name)).all()


def _trainers():
    return db.session.scalars(sa.select(User).where(permissions.acting_trainer(User)).order_by(User.name)).all()


def _prepare(form: SessionForm, session: LiveSession | None = None):
    """Fill the choices. Returns (courses by public key, cohorts, trainers by public id)."""
    if session is None:
        courses = _courses()
    else:
        courses = [db.session.get(Course, session.course_id)]
    cohorts = _cohorts([c.id for c in courses]) if session is None else (
        [(session.cohort, session.cohort.organisation.name)] if session.cohort else [])
    trainers = _trainers()
    form.course.choices = [(c.slug, c.title) for c in courses]
    form.cohort.choices = [(PUBLIC, _("Open registration (public)"))] + [
        (cohort.public_id, f"{org_name} — {cohort.name} ({cohort.course.title})") for cohort, org_name in cohorts]
    form.trainers.choices = [(t.public_id, t.name) for t in trainers]
    return ({c.slug: c for c in courses}, {c.public_id: c for c, _n in cohorts}, {t.public_id: t for t in trainers})


def _chosen(form, courses, cohorts, trainers):
    course = courses.get(form.course.data)
    cohort = cohorts.get(form.cohort.data) if form.cohort.data and form.cohort.data != PUBLIC else None
    if course is not None and cohort is not None and cohort.course_id != course.id:
        form.cohort.errors = [*form.cohort.errors, _("This group follows another course.")]
        return None
    return course, cohort, tuple(trainers[t].id for t in (form.trainers.data or []) if t in trainers)


@bp.route("/sessies/nieuw", methods=["GET", "POST"])
@login_required
def create():
    if not permissions.can_plan_live_sessions(current_user):
        abort(403)
    form = NewSessionForm()
    courses, cohorts, trainers = _prepare(form)
    if not courses:
        abort(403)
    if request.method == "GET":
        form.course.data = request.args.get("cursus") if request.args.get("cursus") in courses else None
        form.cohort.data = PUBLIC
        form.trainers.data = [current_user.public_id] if current_user.public_id in trainers else []
    if form.validate_on_submit():
        chosen = _chosen(form, courses, cohorts, trainers)
        if chosen is not None:
            course, cohort, trainer_ids = chosen
            session = services.create_session(_me(), course, form.session_data(
                cohort_id=cohort.id if cohort else None, trainer_ids=trainer_ids))
            flash(_("The session has been planned."), "success")
            return redirect(_detail_url(session))
    return render_template("live/edit.html", form=form, session=None), 400 if request.method == "POST" else 200


@bp.route("/sessies/<public_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(public_id):
    session = _managed(public_id)
    if session.is_cancelled:
        flash(_("This session has been cancelled and can no longer be changed."), "warning")
        return redirect(_detail_url(session))
    form = SessionForm()
    courses, cohorts, trainers = _prepare(form, session)
    # Course and group are fixed once planned: people signed up for exactly this.
    form.course.data = session.course.slug
    form.cohort.data = session.cohort.public_id if session.cohort else PUBLIC
    if request.method == "GET":
        form.fill_from(session)
    elif form.validate_on_submit():
        chosen = _chosen(form, courses, cohorts, trainers)
        try:
            version = int(form.version.data or 0)
        except ValueError:
            version = 0
        if chosen is not None:
            try:
                services.update_session(_me(), session, form.session_data(
                    cohort_id=session.cohort_id, trainer_ids=chosen[2]), version)
            except ConflictError as error:
                form.version.data = str(db.session.get(LiveSession, session.id).version)
                flash(error.message, "warning")
            except DomainError as error:
                form.capacity.errors = [*form.capacity.errors, error.message]
            else:
                flash(_("The session has been saved."), "success")
                return redirect(_detail_url(session))
    return render_template("live/edit.html", form=form, session=session), 400 if request.method == "POST" else 200


@bp.post("/sessies/<public_id>/annuleren")
@login_required
def cancel(public_id):
    session = _managed(public_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        mailed = services.cancel_session(_me(), session)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        flash(_("The session has been cancelled. %(num)d people have been mailed.", num=mailed), "success")
    return redirect(_detail_url(session))


@bp.post("/sessies/<public_id>/deelnemers/<registration_id>/afmelden")
@login_required
def remove_participant(public_id, registration_id):
    session = _managed(public_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        registration = services.remove_participant(_me(), session, registration_id)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        flash(_("%(name)s has been taken off the list and mailed.", name=registration.user.name), "success")
    return redirect(_detail_url(session) + "#people-title")


@bp.post("/sessies/<public_id>/dupliceren")
@login_required
def duplicate(public_id):
    session = _managed(public_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    copy = services.duplicate_session(_me(), session)
    weeks = (copy.starts_at - session.starts_at).days // 7
    if weeks == 1:
        flash(_("A copy has been planned one week later. Check its dates and save."), "success")
    else:
        flash(_("A copy has been planned %(num)d weeks later, the first week in which sign-up is open. "
                "Check its dates and save.", num=weeks), "success")
    return redirect(url_for("live.edit", public_id=copy.public_id))
