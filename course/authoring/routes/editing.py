"""What every editor view shares: the signed-in check, `Editing` (the course, its draft and
the draft's files, loaded or 404/403), the lock field, the checker's messages per field, and
the save/add/remove steps the module parts have in common."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from course import permissions
from course.content.messages import in_language, web_language
from course.content.spec import READING_FILE, SLUG
from course.forms import EmptyForm

from .. import bp, editors, folder, queries, services


@bp.before_request
@login_required
def _signed_in():
    """Every editor page needs an account; which course is decided per view."""


def _me():
    return current_user._get_current_object()


class Editing:
    """What every editor view works on: the course (None before its first publish),
    its draft and the draft's files."""

    def __init__(self, slug: str):
        if not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > 80:
            abort(404)
        self.slug = slug
        self.course = queries.course_by_slug(slug)
        if self.course is None:
            # A course that does not exist yet is only a draft: seen by who may start courses.
            if queries.draft_of(slug) is None or not permissions.can_edit_draft(current_user, None):
                abort(404)
        elif not permissions.can_edit_draft(current_user, self.course):
            abort(403)
        self.draft = services.ensure_draft(slug, self.course, _me())
        self.files = queries.draft_files(self.draft)
        self.locks = queries.draft_locks(self.draft)
        self._check = None

    @property
    def check(self) -> folder.Check:
        if self._check is None:
            self._check = folder.check_files(self.slug, self.files)
        return self._check

    @property
    def course_data(self) -> dict | None:
        return folder.course_yml(self.files)

    @property
    def title(self) -> str:
        data = self.course_data or {}
        return str(data.get("title") or (self.course.title if self.course else self.slug))

    def module_or_404(self, module: str) -> str:
        data = self.course_data
        listed = folder.module_list(data) + folder.retired_list(data) if data else []
        if module not in listed:
            abort(404)
        return module

    def module_title(self, module: str) -> str:
        return editors.reading_title(folder.text_of(self.files, f"{module}/{READING_FILE}"), module)


def _messages(problems) -> dict[str, list[str]]:
    """{key path: [message in the user's language]} for one file's problems."""
    language = web_language()
    result: dict[str, list[str]] = {}
    for problem in problems:
        result.setdefault(problem.key or "", []).append(in_language(problem.message, language))
    return result


def _lock(name: str = "lock") -> int:
    value = request.form.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else -1


def _overview(editing: Editing, anchor: str = ""):
    return redirect(url_for("authoring.overview", slug=editing.slug, _anchor=anchor or None))


def _conflict_message(error: services.EditConflict) -> None:
    flash(error.message, "error")


def _saved(url: str, editing: Editing, *paths: str):
    count = sum(len(editing.check.for_file(path)) for path in paths)
    if count:
        flash(_("Saved in the draft. The check found %(num)d problem(s): they are shown next to the fields.",
                num=count), "warning")
    else:
        flash(_("Saved in the draft. Publish the draft when you want learners to see it."), "success")
    return redirect(url)


# ---- modules ---------------------------------------------------------------------------


def _course_data_or_back(editing: Editing):
    data = editing.course_data
    if data is None:
        flash(_("course.yml cannot be read. Correct it first."), "error")
    return data


def _add_part(slug, module, filename, make, endpoint, message):
    editing = Editing(slug)
    module = editing.module_or_404(module)
    if not EmptyForm().validate_on_submit():
        abort(400)
    path = f"{module}/{filename}"
    if path not in editing.files:
        try:
            services.save_files(editing.draft, [(path, make(editing, module), 0)], _me())
        except services.EditConflict as error:
            _conflict_message(error)
        else:
            flash(message, "success")
    return redirect(url_for(endpoint, slug=slug, module=module))


def _remove_part(slug, module, filename, message):
    editing = Editing(slug)
    module = editing.module_or_404(module)
    if not EmptyForm().validate_on_submit():
        abort(400)
    path = f"{module}/{filename}"
    if path in editing.files:
        try:
            services.save_files(editing.draft, [(path, None, editing.locks[path])], _me())
        except services.EditConflict as error:
            _conflict_message(error)
        else:
            flash(message, "success")
    return _overview(editing, "modules")


def uploaded_image(form) -> tuple[str, bytes] | None:
    """(file name, bytes) of the image an ImageForm carries, checked as every image in a
    draft is (folder.image_problem); None after putting the problem on the file field."""
    upload = form.file.data
    data = upload.read(folder.MAX_IMAGE_BYTES + 1) if hasattr(upload, "read") else b""
    name = folder.clean_filename(getattr(upload, "filename", "") or "")
    problem = folder.image_problem(name, data)
    if problem is not None:
        form.file.errors.append(services.folder_message(problem))
        return None
    return name, data

