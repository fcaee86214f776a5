"""A module's assignment: its fields, rubric and "wat je moet onthouden"; add and remove it."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from course.content.spec import ASSIGNMENT_FILE, READING_FILE
from course.forms import EmptyForm

from .. import bp, editors, folder, services
from .editing import Editing, _add_part, _conflict_message, _lock, _me, _messages, _remove_part, _saved

# ---- assignment --------------------------------------------------------------------------------


def _render_assignment(editing: Editing, module: str, values: dict, remember: str, locks: dict, status=200):
    path = f"{module}/{ASSIGNMENT_FILE}"
    reading_messages = _messages(editing.check.for_file(f"{module}/{READING_FILE}"))
    return render_template(
        "authoring/assignment.html", editing=editing, module=module, title=editing.module_title(module),
        exists=path in editing.files, values=values, remember=remember, locks=locks, form=EmptyForm(),
        messages=_messages(editing.check.for_file(path)),
        remember_messages=[m for key, ms in reading_messages.items() if key.startswith("remember") for m in ms]
    ), status


@bp.route("/auteur/<slug>/modules/<module>/opdracht", methods=["GET", "POST"])
def assignment(slug, module):
    editing = Editing(slug)
    module = editing.module_or_404(module)
    path, reading_path = f"{module}/{ASSIGNMENT_FILE}", f"{module}/{READING_FILE}"
    text, reading_text = folder.text_of(editing.files, path), folder.text_of(editing.files, reading_path)
    locks = {"assignment": editing.locks.get(path, 0), "reading": editing.locks.get(reading_path, 0)}
    reading_values = editors.reading_values(reading_text) or {"remember": ""}
    if path in editing.files and editors.assignment_values(text) is None:
        flash(_("The front matter of this assignment cannot be read. Correct it in the file itself."), "warning")
        return redirect(url_for("authoring.edit_file", slug=slug, path=path))
    if request.method == "GET":
        values = editors.assignment_values(text) if path in editing.files else None
        return _render_assignment(editing, module, values, reading_values["remember"], locks)
    if path not in editing.files:
        abort(404)
    values = editors.assignment_from_form(request.form)
    remember = request.form.get("remember", "")
    posted = {"assignment": _lock("lock_assignment"), "reading": _lock("lock_reading")}
    if not EmptyForm().validate_on_submit():
        flash(_("The form had expired. Your changes are still here: save again."), "error")
        return _render_assignment(editing, module, values, remember, posted, 400)
    changes = [(path, editors.assignment_file(text, values), posted["assignment"])]
    if editors.reading_values(reading_text) is not None and remember.strip() != reading_values["remember"].strip():
        changes.append((reading_path, editors.with_remember(reading_text, remember), posted["reading"]))
    try:
        services.save_files(editing.draft, changes, _me())
    except services.EditConflict as error:
        _conflict_message(error)
        return _render_assignment(editing, module, values, remember, locks, 409)
    return _saved(url_for("authoring.assignment", slug=slug, module=module), Editing(slug), path, reading_path)


@bp.post("/auteur/<slug>/modules/<module>/opdracht/toevoegen")
def add_assignment(slug, module):
    return _add_part(slug, module, ASSIGNMENT_FILE, lambda editing, m: editors.new_assignment(editing.module_title(m)),
                     "authoring.assignment",
                     _("Assignment added to the draft with one field and three criteria. Make them your own."))


@bp.post("/auteur/<slug>/modules/<module>/opdracht/verwijderen")
def remove_assignment(slug, module):
    return _remove_part(slug, module, ASSIGNMENT_FILE,
                        _("Assignment removed from the draft. Work already handed in is kept."))
