"""The draft's modules: add, move, retire, restore, delete."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from course.content.spec import COURSE_FILE, READING_FILE, RESERVED_MODULE_IDS, SLUG

from .. import bp, editors, folder, queries, services
from ..forms import AddModuleForm, LockForm
from .courses import _render_overview
from .editing import Editing, _conflict_message, _course_data_or_back, _lock, _me, _overview


@bp.post("/auteur/<slug>/modules")
def add_module(slug):
    editing = Editing(slug)
    form = AddModuleForm()
    data = _course_data_or_back(editing)
    if data is None:
        return _overview(editing)
    if not form.validate_on_submit():
        return _render_overview(editing, add_form=form, status=400)
    module = (form.slug.data or "").strip() or folder.slug_from_title(form.title.data)
    listed = folder.module_list(data) + folder.retired_list(data)
    if not SLUG.match(module or "-") or len(module) > 80:
        form.slug.errors.append(_("Use lowercase letters, digits and dashes for the module id."))
        return _render_overview(editing, add_form=form, status=400)
    if module in RESERVED_MODULE_IDS:
        form.slug.errors.append(_("The course uses this id for a page of its own. Choose another id."))
        return _render_overview(editing, add_form=form, status=400)
    if module in listed or any(path.startswith(module + "/") for path in editing.files):
        form.slug.errors.append(_("This course already has a module with this id. Choose another id."))
        return _render_overview(editing, add_form=form, status=400)
    changes = [(COURSE_FILE, editors.with_modules(data, folder.module_list(data) + [module],
                                                  folder.retired_list(data)), _lock()),
               (f"{module}/{READING_FILE}", editors.new_reading(form.title.data.strip()), 0)]
    try:
        services.save_files(editing.draft, changes, _me())
    except services.EditConflict as error:
        _conflict_message(error)
        return _render_overview(Editing(slug), add_form=form, status=409)
    flash(_("Module added to the draft. Write its reading now."), "success")
    return redirect(url_for("authoring.reading", slug=slug, module=module))


def _change_modules(editing: Editing, module: str, change) -> Response:
    data = _course_data_or_back(editing)
    if data is None or not LockForm().validate_on_submit():
        if data is not None:
            flash(_("The form had expired. Please try again."), "error")
        return _overview(editing, "modules")
    modules, retired = folder.module_list(data), folder.retired_list(data)
    if module not in modules + retired:
        abort(404)
    result = change(modules, retired)
    if isinstance(result, str):
        flash(result, "error")
        return _overview(editing, "modules")
    modules, retired, extra, message = result
    try:
        services.save_files(editing.draft, [(COURSE_FILE, editors.with_modules(data, modules, retired), _lock()),
                                            *extra], _me())
    except services.EditConflict as error:
        _conflict_message(error)
    else:
        flash(message, "success")
    return _overview(editing, "modules")


@bp.post("/auteur/<slug>/modules/<module>/verplaatsen")
def move_module(slug, module):
    editing = Editing(slug)
    step = -1 if request.form.get("direction") == "up" else 1

    def move(modules, retired):
        if module not in modules:
            return _("A retired module has no place in the order.")
        index = modules.index(module)
        other = index + step
        if not 0 <= other < len(modules):
            return _("The module is already there.")
        modules[index], modules[other] = modules[other], modules[index]
        return modules, retired, [], _("Order changed in the draft.")

    return _change_modules(editing, module, move)


@bp.post("/auteur/<slug>/modules/<module>/uit-gebruik")
def retire_module(slug, module):
    editing = Editing(slug)

    def retire(modules, retired):
        if module not in modules:
            return _("This module is already retired.")
        return ([m for m in modules if m != module], retired + [module], [],
                _("Module retired in the draft: after publishing learners no longer see it; their work is kept."))

    return _change_modules(editing, module, retire)


@bp.post("/auteur/<slug>/modules/<module>/terug-in-gebruik")
def restore_module(slug, module):
    editing = Editing(slug)

    def restore(modules, retired):
        if module not in retired:
            return _("This module is not retired.")
        if f"{module}/{READING_FILE}" not in editing.files:
            return _("This module has no reading any more; it cannot be put back.")
        return (modules + [module], [m for m in retired if m != module], [],
                _("Module back in the course (in the draft), at the end."))

    return _change_modules(editing, module, restore)


@bp.post("/auteur/<slug>/modules/<module>/verwijderen")
def delete_module(slug, module):
    editing = Editing(slug)

    def delete(modules, retired):
        if queries.module_has_learner_data(editing.course, module):
            return _("Learners have worked on this module: it can only be retired, never deleted.")
        extra = [(path, None, editing.locks[path]) for path in editing.files if path.startswith(module + "/")]
        return ([m for m in modules if m != module], [m for m in retired if m != module], extra,
                _("Module deleted from the draft."))

    return _change_modules(editing, module, delete)
