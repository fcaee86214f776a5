"""A module's reading, its preview and its images (and the draft's media)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from course.content.spec import MEDIA_PREFIX, READING_FILE
from course.downloads import image_response
from course.forms import EmptyForm

from .. import bp, editors, folder, queries, services
from ..forms import ImageForm
from .editing import Editing, _conflict_message, _lock, _me, _messages, _saved, uploaded_image

# ---- reading ------------------------------------------------------------------------------


def _module_images(editing: Editing, module: str) -> list[str]:
    return sorted(p.split("/", 1)[1] for p in editing.files if p.startswith(module + "/") and folder.is_image(p))


def _draft_media(editing: Editing, module: str, html: str):
    from markupsafe import Markup

    base = url_for("authoring.draft_media", slug=editing.slug, module=module, filename="__file__")
    # Course content is trusted (modules/README.md) and rendered as learners see it.
    return Markup(html.replace(MEDIA_PREFIX, base.removesuffix("__file__")))  # noqa: S704


def _render_reading(editing: Editing, module: str, values: dict, lock: int, preview=None, status=200,
                    image_form=None):
    path = f"{module}/{READING_FILE}"
    return render_template(
        "authoring/reading.html", editing=editing, module=module, values=values, lock=lock, form=EmptyForm(),
        messages=_messages(editing.check.for_file(path)), images=_module_images(editing, module),
        image_form=image_form or ImageForm(), preview=preview, title=editing.module_title(module)), status


def _preview_html(editing: Editing, module: str, text: bytes) -> tuple:
    """The reading as learners see it, through the same reader as `flask content load`."""
    files = {p: d for p, d in folder.module_files(editing.files, module).items() if folder.is_image(p)}
    files[f"{module}/{READING_FILE}"] = text
    reading, problems = queries.render_reading(module, files)
    return _draft_media(editing, module, reading.html if reading else ""), problems


@bp.route("/auteur/<slug>/modules/<module>/leestekst", methods=["GET", "POST"])
def reading(slug, module):
    editing = Editing(slug)
    module = editing.module_or_404(module)
    path = f"{module}/{READING_FILE}"
    text = folder.text_of(editing.files, path)
    if request.method == "GET":
        values = editors.reading_values(text)
        if values is None:
            flash(_("The front matter of this reading cannot be read. Correct it in the file itself."), "warning")
            return redirect(url_for("authoring.edit_file", slug=slug, path=path))
        return _render_reading(editing, module, values, editing.locks.get(path, 0))
    values = editors.reading_from_form(request.form)
    if not EmptyForm().validate_on_submit():
        flash(_("The form had expired. Your changes are still here: save again."), "error")
        return _render_reading(editing, module, values, _lock(), status=400)
    new_text = editors.reading_file(text, values)
    if request.form.get("action") == "preview":
        html, problems = _preview_html(editing, module, new_text)
        return _render_reading(editing, module, values, _lock(), preview={"html": html, "problems": problems})
    try:
        services.save_files(editing.draft, [(path, new_text, _lock())], _me())
    except services.EditConflict as error:
        _conflict_message(error)
        return _render_reading(editing, module, values, editing.locks.get(path, 0), status=409)
    return _saved(url_for("authoring.reading", slug=slug, module=module), Editing(slug), path)


@bp.post("/auteur/<slug>/modules/<module>/voorbeeld")
def reading_preview(slug, module):
    """For static/js/authoring.js: the reading as learners will see it (an HTML fragment)."""
    editing = Editing(slug)
    module = editing.module_or_404(module)
    if not EmptyForm().validate_on_submit():
        abort(400)
    text = folder.text_of(editing.files, f"{module}/{READING_FILE}")
    html, problems = _preview_html(editing, module, editors.reading_file(text, editors.reading_from_form(
        request.form)))
    return render_template("authoring/_preview.html", editing=editing, html=html, problems=problems)


@bp.post("/auteur/<slug>/modules/<module>/afbeeldingen")
def upload_image(slug, module):
    editing = Editing(slug)
    module = editing.module_or_404(module)
    form = ImageForm()
    path = f"{module}/{READING_FILE}"
    values = editors.reading_values(folder.text_of(editing.files, path)) or editors.reading_from_form({})
    if not form.validate_on_submit():
        return _render_reading(editing, module, values, editing.locks.get(path, 0), image_form=form, status=400)
    uploaded = uploaded_image(form)
    if uploaded is None:
        return _render_reading(editing, module, values, editing.locks.get(path, 0), image_form=form, status=400)
    name, data = uploaded
    image_path = f"{module}/{name}"
    description = " ".join(form.description.data.split()).replace("]", ")").replace("[", "(")
    reading_text = folder.text_of(editing.files, path).rstrip("\n") + f"\n\n![{description}]({name})\n"
    changes = [(image_path, data, editing.locks.get(image_path, 0)), (path, reading_text.encode(),
                                                                       editing.locks.get(path, 0))]
    try:
        services.save_files(editing.draft, changes, _me())
    except services.EditConflict as error:
        _conflict_message(error)
        return redirect(url_for("authoring.reading", slug=slug, module=module))
    flash(_("Image saved. It has been added at the end of the reading with its description; move the line to "
            "where it belongs."), "success")
    return redirect(url_for("authoring.reading", slug=slug, module=module, _anchor="body"))


@bp.post("/auteur/<slug>/modules/<module>/afbeeldingen/<filename>/verwijderen")
def delete_image(slug, module, filename):
    editing = Editing(slug)
    module = editing.module_or_404(module)
    path = f"{module}/{filename}"
    if path not in editing.files or not folder.is_image(path):
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.save_files(editing.draft, [(path, None, editing.locks[path])], _me())
    except services.EditConflict as error:
        _conflict_message(error)
    else:
        flash(_("Image deleted from the draft. Remove it from the text too; the check shows where."), "success")
    return redirect(url_for("authoring.reading", slug=slug, module=module))


@bp.get("/auteur/<slug>/concept/<module>/<filename>")
def draft_media(slug, module, filename):
    editing = Editing(slug)
    data = editing.files.get(f"{module}/{filename}")
    if data is None or not folder.is_image(filename):
        abort(404)
    return image_response(data, filename, max_age=0)

