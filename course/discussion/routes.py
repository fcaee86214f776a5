"""Discussion pages. Each view loads (a discussion the user does not read → 404),
checks the policy (reading but not allowed → 403), calls a service and renders."""
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from course import permissions
from course.errors import DomainError
from course.forms import EmptyForm
from course.models import MailMode
from course.pagination import requested_page
from course.privacy_hints.hints import hints_for, suggestions
from course.security import accepts_json

from . import bp, queries, services
from .forms import MAX_BODY, MAX_TITLE, ChoiceForm, EditForm, MailSettingForm, ReplyForm, ReportForm, ThreadForm

SEND_ANYWAY = "submit-anyway"  # the privacy warning's "Send anyway" button


# ---- loading: out of reach → 404 ------------------------------------------------------


def _space_or_404(course_slug, module_slug, group):
    space = queries.load_space(course_slug, module_slug, group)
    if space is None or not permissions.can_read_discussion(current_user, space):
        abort(404)
    return space


def _thread_or_404(thread_id):
    thread = queries.thread_by_public_id(thread_id)
    if thread is None or not permissions.can_read_discussion(current_user, thread):
        abort(404)
    return thread


def _post_or_404(post_id):
    post = queries.post_by_public_id(post_id)
    if post is None or not permissions.can_read_discussion(current_user, post.thread):
        abort(404)
    return post


def _thread_url(thread, **args):
    return url_for("discussion.thread", thread_id=thread.public_id, **args)


def _list_url(space):
    return url_for("discussion.thread_list", **space.url_args())


def _hints(form):
    """Privacy hints for a form sent with "submit" (not with "Send anyway")."""
    if request.form.get("action") == SEND_ANYWAY:
        return []
    return hints_for(form.privacy_fields(), form.privacy_labels())


def _hint_context(hints) -> dict:
    return {"privacy_hints": hints, "privacy_suggestions": suggestions(hints)}


# ---- the discussion of a module -----------------------------------------------------------


@bp.get("/discussie")
@login_required
def index():
    page = queries.overview_page(current_user, requested_page(request.args))
    reports = queries.open_report_count(current_user) if permissions.can_handle_discussion_reports(current_user) \
        else 0
    return render_template("discussion/index.html", page=page, open_reports=reports)


@bp.get("/discussie/cursus/<course_slug>/<module_slug>/<group>")
@login_required
def thread_list(course_slug, module_slug, group):
    space = _space_or_404(course_slug, module_slug, group)
    threads = queries.thread_page(space, current_user, requested_page(request.args))
    return render_template("discussion/thread_list.html", space=space, threads=threads,
                           mail_mode=queries.mail_mode(current_user))


@bp.route("/discussie/cursus/<course_slug>/<module_slug>/<group>/nieuw", methods=["GET", "POST"])
@login_required
def new_thread(course_slug, module_slug, group):
    space = _space_or_404(course_slug, module_slug, group)
    form = ThreadForm()
    if form.validate_on_submit():
        hints = _hints(form)
        if not hints:
            thread = services.start_thread(space, current_user, form.title.data, form.body.data)
            flash(_("Your thread has been posted. You follow it, so you hear about replies."), "success")
            return redirect(_thread_url(thread))
        return render_template("discussion/new_thread.html", space=space, form=form, **_hint_context(hints))
    return render_template("discussion/new_thread.html", space=space, form=form, **_hint_context([]))


# ---- one thread ---------------------------------------------------------------------------


def _render_thread(thread, reply_form, status=200, **extra):
    view = queries.thread_view(thread, current_user, requested_page(request.args))
    html = render_template("discussion/thread.html", thread=thread, space=queries.space_of(thread), view=view,
                           form=reply_form, opening_id=queries.opening_post_id(thread),
                           **{**_hint_context([]), **extra})
    services.mark_read(thread, current_user, view.posts.items)  # after rendering: the commit expires the posts
    return html, status


@bp.get("/discussie/draad/<thread_id>")
@login_required
def thread(thread_id):
    return _render_thread(_thread_or_404(thread_id), ReplyForm(formdata=None))


@bp.post("/discussie/draad/<thread_id>/reageren")
@login_required
def reply(thread_id):
    thread = _thread_or_404(thread_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _render_thread(thread, form, 400)
    if thread.locked:
        return _render_thread(thread, form, 409, refused_text=form.body.data)
    if hints := _hints(form):
        return _render_thread(thread, form, **_hint_context(hints))
    try:
        post = services.reply(thread, current_user, form.body.data)
    except services.ThreadLocked:
        return _render_thread(thread, form, 409, refused_text=form.body.data)
    flash(_("Your reply has been posted."), "success")
    return redirect(url_for("discussion.go_to_post", post_id=post.public_id))


@bp.get("/discussie/bericht/<post_id>")
@login_required
def go_to_post(post_id):
    """The link in mail: the thread's page that shows the post, scrolled to it."""
    post = _post_or_404(post_id)
    return redirect(_thread_url(post.thread, page=queries.page_of_post(post), _anchor=f"bericht-{post.public_id}"))


@bp.post("/discussie/draad/<thread_id>/volgen")
@login_required
def follow(thread_id):
    thread = _thread_or_404(thread_id)
    form = ChoiceForm(("follow", "unfollow"))
    if not form.validate_on_submit():
        abort(400)
    services.set_following(thread, current_user, form.action.data == "follow")
    flash(_("You follow this thread.") if form.action.data == "follow" else _("You no longer follow this thread."),
          "success")
    return redirect(_thread_url(thread))


@bp.post("/discussie/draad/<thread_id>/beheer")
@login_required
def moderate_thread(thread_id):
    thread = _thread_or_404(thread_id)
    if not permissions.can_moderate_discussion(current_user, thread):
        abort(403)
    form = ChoiceForm(services.THREAD_ACTIONS)
    if not form.validate_on_submit():
        abort(400)
    services.moderate_thread(thread, current_user, form.action.data)
    flash({"lock": _("The thread is locked: nobody can reply any more."),
           "unlock": _("The thread is open again for replies."),
           "pin": _("The thread is pinned to the top of the list."),
           "unpin": _("The thread is no longer pinned.")}[form.action.data], "success")
    return redirect(_thread_url(thread))


# ---- one post -----------------------------------------------------------------------------


@bp.route("/discussie/bericht/<post_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_post(post_id):
    post = _post_or_404(post_id)
    if post.thread.locked and post.author_id == current_user.id:
        flash(services.ThreadLocked(services._locked_message()).message, "warning")
        return redirect(_thread_url(post.thread))
    if not permissions.can_edit_post(current_user, post):
        abort(403)
    opening = services.is_opening_post(post)
    form = EditForm(obj=None if request.method == "POST" else post,
                    data=None if request.method == "POST" else {"title": post.thread.title})
    if not opening:
        del form.title
    if form.validate_on_submit():
        if not (hints := _hints(form)):
            services.edit_post(post, current_user, form.body.data, form.title.data if opening else None)
            flash(_("Your post has been changed."), "success")
            return redirect(url_for("discussion.go_to_post", post_id=post.public_id))
        return render_template("discussion/edit_post.html", post=post, form=form, **_hint_context(hints))
    return render_template("discussion/edit_post.html", post=post, form=form, **_hint_context([]))


@bp.post("/discussie/bericht/<post_id>/verwijderen")
@login_required
def delete_post(post_id):
    post = _post_or_404(post_id)
    if not permissions.can_delete_post(current_user, post):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    space = queries.space_of(post.thread)
    thread = post.thread
    if services.delete_post(post):
        flash(_("Your thread has been deleted."), "success")
        return redirect(_list_url(space))
    flash(_("Your post has been deleted. The thread shows that a post was removed."), "success")
    return redirect(_thread_url(thread))


@bp.route("/discussie/bericht/<post_id>/melden", methods=["GET", "POST"])
@login_required
def report_post(post_id):
    post = _post_or_404(post_id)
    if not permissions.can_report_post(current_user, post):
        abort(403)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            services.report_post(post, current_user, form.reason.data)
        except DomainError as error:
            flash(error.message, "info")
        else:
            flash(_("Thank you. The trainer has been told and will look at the post."), "success")
        return redirect(url_for("discussion.go_to_post", post_id=post.public_id))
    return render_template("discussion/report_post.html", post=post, form=form)


@bp.post("/discussie/bericht/<post_id>/zichtbaarheid")
@login_required
def post_visibility(post_id):
    post = _post_or_404(post_id)
    if not permissions.can_moderate_discussion(current_user, post.thread):
        abort(403)
    form = ChoiceForm(("hide", "unhide"))
    if not form.validate_on_submit():
        abort(400)
    services.set_hidden(post, current_user, form.action.data == "hide")
    flash(_("The post is hidden. Learners see that it was hidden by the trainer.") if form.action.data == "hide"
          else _("The post is shown again."), "success")
    return redirect(url_for("discussion.go_to_post", post_id=post.public_id))


# ---- the trainer's list of reports ---------------------------------------------------------


@bp.get("/discussie/gemelde-berichten")
@login_required
def reports():
    if not permissions.can_handle_discussion_reports(current_user):
        abort(403)
    resolved = request.args.get("show") == "afgehandeld"
    page = queries.reports_page(current_user, requested_page(request.args), resolved=resolved)
    return render_template("discussion/reports.html", page=page, resolved=resolved)


@bp.post("/discussie/gemelde-berichten/<report_id>/afhandelen")
@login_required
def resolve_report(report_id):
    report = queries.report_by_public_id(report_id)
    if report is None or not permissions.can_read_discussion(current_user, report.post.thread):
        abort(404)
    if not permissions.can_moderate_discussion(current_user, report.post.thread):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if services.resolve_report(report, current_user):
        flash(_("The report is marked as handled."), "success")
    return redirect(url_for("discussion.reports"))


# ---- mail settings ---------------------------------------------------------------------------


@bp.route("/discussie/e-mail", methods=["GET", "POST"])
@login_required
def settings():
    form = MailSettingForm(data={"mail_mode": queries.mail_mode(current_user).value})
    if form.validate_on_submit():
        services.set_mail_mode(current_user, MailMode(form.mail_mode.data))
        flash(_("Your e-mail setting for discussions has been saved."), "success")
        return redirect(url_for("discussion.settings"))
    return render_template("discussion/settings.html", form=form)


# ---- privacy hints before sending (static/js/privacy-hints.js) ---------------------------------


@bp.post("/discussie/privacy")
@accepts_json
@login_required
def privacy_check():
    """JSON {fields: {title?, body}}: the findings and the warning as HTML, checked in
    memory and answered to the writer only (nothing is stored or logged)."""
    data = request.get_json(silent=True)
    fields = data.get("fields") if isinstance(data, dict) else None
    labels = ThreadForm.privacy_labels()
    if (not isinstance(fields, dict) or not fields or not set(fields) <= set(labels)
            or not all(isinstance(v, str) for v in fields.values()) or sum(map(len, fields.values())) > 50_000):
        return jsonify(error=_("The text could not be read.")), 400
    # text past a field's limit cannot be posted, and is not checked: the check stays quick
    limits = {"title": MAX_TITLE, "body": MAX_BODY}
    hints = hints_for({key: value[:limits[key]] for key, value in fields.items()},
                      {key: labels[key] for key in labels if key in fields})
    response = jsonify(
        findings=[{"field": h.field_id, "label": h.field_label, "kind": h.kind, "kind_label": h.kind_label,
                   "excerpt": h.excerpt, "start": h.start, "end": h.end} for h in hints],
        html=render_template("privacy_hints/_warning.html", hints=hints, suggestions=suggestions(hints))
        if hints else "")
    response.headers["Cache-Control"] = "private, no-store"
    return response
