"""Publish, history, diff, roll back, discard the draft, and the course as a ZIP (down and up)."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from course.downloads import attachment
from course.errors import DomainError
from course.forms import EmptyForm

from .. import bp, folder, publishing, queries, services
from ..folder import FolderError
from ..forms import PublishForm, ZipUploadForm
from .courses import _render_overview
from .editing import Editing, _me, _overview

# ---- publish, history, diff, roll back ----------------------------------------------------------


@bp.post("/auteur/<slug>/publiceren")
def publish(slug):
    editing = Editing(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        return _render_overview(editing, publish_form=form, status=400)
    try:
        version = publishing.publish(editing.draft, _me(), form.note.data or "")
    except services.DraftInvalid as error:
        flash(error.message, "error")
        for problem in error.check.problems:
            problem.key = problem.key or folder.problem_key(problem, editing.files)
        return _render_overview(Editing(slug), publish_form=form, status=400, problems=error.check.problems)
    except publishing.PublishConflict as error:
        flash(error.message, "error")
        return _render_overview(Editing(slug), publish_form=form, status=409)
    flash(_("Published as version %(number)d. Learners see it now; their progress is kept.",
            number=version.number), "success")
    return redirect(url_for("authoring.history", slug=slug))


@bp.get("/auteur/<slug>/geschiedenis")
def history(slug):
    editing = Editing(slug)
    return render_template("authoring/history.html", editing=editing, versions=queries.history(slug),
                           form=EmptyForm())


def _number(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@bp.get("/auteur/<slug>/verschil")
def diff(slug):
    editing = Editing(slug)
    versions = queries.history(slug)
    old_number, new_number = _number("van"), _number("naar")
    old = queries.version_by_number(slug, old_number) if old_number else None
    if new_number:
        new = queries.version_by_number(slug, new_number)
        new_files = queries.version_files(new) if new else None
    else:
        new, new_files = None, editing.files  # the draft
    if old_number and old is None or new_number and new is None:
        abort(404)
    if old is None:
        old = editing.draft.base_version if not new_number else queries.version_by_number(slug, new_number - 1)
    old_files = queries.version_files(old) if old else {}
    return render_template("authoring/diff.html", editing=editing, versions=versions, old=old, new=new,
                           changes=folder.diff(old_files, new_files or {}))


@bp.post("/auteur/<slug>/versies/<int:number>/terugzetten")
def roll_back(slug, number):
    editing = Editing(slug)
    if queries.version_by_number(slug, number) is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        version = publishing.roll_back(slug, number, _me())
    except services.DraftInvalid as error:
        flash(error.message, "error")
        return _render_overview(Editing(slug), status=400, problems=error.check.problems)
    except publishing.PublishConflict as error:
        flash(error.message, "error")
        return _render_overview(Editing(slug), status=409)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("authoring.history", slug=slug))
    flash(_("Version %(old)d is published again, as version %(number)d.", old=number, number=version.number),
          "success")
    if editing.draft.base_version is not None and queries.draft_of(slug).base_version_id != version.id:
        flash(_("Your draft had unpublished changes: it has been kept as it was."), "warning")
    return redirect(url_for("authoring.history", slug=slug))


@bp.post("/auteur/<slug>/concept/weggooien")
def discard(slug):
    editing = Editing(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.discard_draft(editing.draft, _me())
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(_("The draft is the published version again."), "success")
    return _overview(editing)


# ---- ZIP -------------------------------------------------------------------------------------------


@bp.get("/auteur/<slug>/download.zip")
def download(slug):
    editing = Editing(slug)
    return _zip_response(slug, editing.files, f"{slug}-concept.zip")


@bp.get("/auteur/<slug>/versies/<int:number>/download.zip")
def download_version(slug, number):
    Editing(slug)
    version = queries.version_by_number(slug, number) or abort(404)
    return _zip_response(slug, queries.version_files(version), f"{slug}-versie-{number}.zip")


def _zip_response(slug: str, files: dict[str, bytes], name: str) -> Response:
    return attachment(folder.to_zip(slug, files), "application/zip", name, cache="no-store")


@bp.route("/auteur/<slug>/upload", methods=["GET", "POST"])
def upload(slug):
    editing = Editing(slug)
    form = ZipUploadForm()
    if request.method == "GET":
        return render_template("authoring/upload.html", editing=editing, form=form)
    if not form.validate_on_submit():
        return render_template("authoring/upload.html", editing=editing, form=form), 400
    data = form.file.data.read(folder.MAX_ZIP_BYTES + 1) if hasattr(form.file.data, "read") else b""
    try:
        check, top = services.upload_zip(editing.draft, data, _me())
    except FolderError as error:
        form.file.errors.append(services.folder_message(str(error)))
        return render_template("authoring/upload.html", editing=editing, form=form), 400
    if top and top != slug:
        flash(_("The folder in the ZIP is called %(name)s; its content is now the draft of %(slug)s (a course "
                "id never changes).", name=top, slug=slug), "warning")
    if check.problems:
        flash(_("Uploaded as the draft. The check found %(num)d problem(s); nothing is published.",
                num=len(check.problems)), "warning")
    else:
        flash(_("Uploaded as the draft. Nothing is published until you publish it."), "success")
    return _overview(editing)
