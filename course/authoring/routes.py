"""The course editor (issue 11): thin views. Load (unknown → 404), check the policy,
call a service, render. Every save goes to the draft; only "Publish" changes what
learners see. The content checker's messages are shown next to their fields."""
from __future__ import annotations

import random

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from course import permissions
from course.content.messages import in_language, web_language
from course.content.spec import ASSIGNMENT_FILE, COURSE_FILE, MEDIA_PREFIX, QUIZ_FILE, READING_FILE, SLUG
from course.errors import DomainError
from course.forms import EmptyForm

from . import bp, editors, folder, queries, services
from .folder import FolderError
from .forms import AddModuleForm, FileForm, ImageForm, LockForm, NewCourseForm, PublishForm, ZipUploadForm

IMAGE_MIMETYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
                   ".webp": "image/webp", ".svg": "image/svg+xml"}


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


# ---- the list of courses ------------------------------------------------------------


@bp.get("/auteur")
def index():
    if not permissions.can_author_any_course(current_user):
        abort(403)
    return render_template("authoring/index.html", rows=queries.authored_courses(current_user),
                           form=NewCourseForm() if permissions.can_create_course(current_user) else None)


@bp.post("/auteur/nieuw")
def new_course():
    if not permissions.can_create_course(current_user):
        abort(403)
    form = NewCourseForm()
    if form.validate_on_submit():
        try:
            draft = services.start_new_course(form.slug.data, form.title.data, _me())
        except DomainError as error:
            form.slug.errors.append(error.message)
        else:
            flash(_("The course has been started as a draft. Learners see it once you publish it."), "success")
            return redirect(url_for("authoring.overview", slug=draft.course_slug))
    return render_template("authoring/index.html", rows=queries.authored_courses(current_user), form=form), 400


# ---- the draft's overview -------------------------------------------------------------


def _modules(editing: Editing) -> list[dict]:
    data = editing.course_data or {}
    rows = []
    retired = folder.retired_list(data)
    listed = folder.module_list(data)
    problems = editing.check.problems
    worked_on = services.modules_with_learner_data(editing.course)
    for position, slug in enumerate(listed + retired):
        prefix = slug + "/"
        rows.append({
            "slug": slug, "title": editing.module_title(slug), "retired": slug in retired,
            "first": position == 0, "last": position == len(listed) - 1, "position": position + 1,
            "has_quiz": f"{slug}/{QUIZ_FILE}" in editing.files,
            "has_assignment": f"{slug}/{ASSIGNMENT_FILE}" in editing.files,
            "problems": sum(1 for p in problems if p.path.startswith(prefix)),
            "learner_data": slug in worked_on,
        })
    return rows


def _problem_link(editing: Editing, path: str) -> str:
    parts = path.split("/")
    if path == COURSE_FILE:
        return url_for("authoring.settings", slug=editing.slug)
    if len(parts) == 2 and parts[1] == READING_FILE:
        return url_for("authoring.reading", slug=editing.slug, module=parts[0])
    if len(parts) == 2 and parts[1] == ASSIGNMENT_FILE:
        return url_for("authoring.assignment", slug=editing.slug, module=parts[0])
    if len(parts) == 2 and parts[1] == QUIZ_FILE:
        return url_for("authoring.quiz", slug=editing.slug, module=parts[0])
    return url_for("authoring.edit_file", slug=editing.slug, path=path)


def _render_overview(editing: Editing, publish_form=None, add_form=None, status=200, problems=None):
    base = editing.draft.base_version
    changed = base is None or queries.version_files(base) != editing.files
    language = web_language()
    listed = [(p, in_language(p.message, language), _problem_link(editing, p.path))
              for p in (problems if problems is not None else editing.check.problems)]
    return render_template(
        "authoring/overview.html", editing=editing, modules=_modules(editing), problems=listed,
        warnings=[(p, in_language(p.message, language)) for p in editing.check.warnings],
        publish_form=publish_form or PublishForm(), add_form=add_form or AddModuleForm(),
        lock_form=LockForm(), action_form=EmptyForm(), changed=changed, latest=queries.latest_version(editing.slug),
        course_lock=editing.locks.get(COURSE_FILE, 0)), status


@bp.get("/auteur/<slug>")
def overview(slug):
    return _render_overview(Editing(slug))


# ---- course settings -------------------------------------------------------------------


def _render_settings(editing: Editing, values: dict, lock: int, status=200):
    return render_template(
        "authoring/settings.html", editing=editing, groups=editors.SETTINGS_GROUPS, values=values,
        messages=_messages(editing.check.for_file(COURSE_FILE)), lock=lock, form=EmptyForm()), status


@bp.route("/auteur/<slug>/instellingen", methods=["GET", "POST"])
def settings(slug):
    editing = Editing(slug)
    data = editing.course_data
    if data is None:
        flash(_("course.yml cannot be read as settings. Correct it in the file itself; the messages show "
                "where."), "warning")
        return redirect(url_for("authoring.edit_file", slug=slug, path=COURSE_FILE))
    if request.method == "GET":
        return _render_settings(editing, editors.settings_values(data), editing.locks.get(COURSE_FILE, 0))
    values = editors.settings_from_form(request.form)
    if not EmptyForm().validate_on_submit():
        flash(_("The form had expired. Your changes are still here: save again."), "error")
        return _render_settings(editing, values, _lock(), 400)
    try:
        services.save_files(editing.draft, [(COURSE_FILE, editors.course_file(data, values), _lock())], _me())
    except services.EditConflict as error:
        _conflict_message(error)
        return _render_settings(editing, values, editing.locks.get(COURSE_FILE, 0), 409)
    return _saved(url_for("authoring.settings", slug=slug), Editing(slug), COURSE_FILE)


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
        if services.module_has_learner_data(editing.course, module):
            return _("Learners have worked on this module: it can only be retired, never deleted.")
        extra = [(path, None, editing.locks[path]) for path in editing.files if path.startswith(module + "/")]
        return ([m for m in modules if m != module], [m for m in retired if m != module], extra,
                _("Module deleted from the draft."))

    return _change_modules(editing, module, delete)


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
    reading, problems = services.render_reading(module, files)
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
    upload = form.file.data
    data = upload.read(folder.MAX_IMAGE_BYTES + 1) if hasattr(upload, "read") else b""
    name = folder.clean_filename(getattr(upload, "filename", "") or "")
    problem = folder.image_problem(name, data)
    if problem is not None:
        form.file.errors.append(services.folder_message(problem))
        return _render_reading(editing, module, values, editing.locks.get(path, 0), image_form=form, status=400)
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


def image_response(data: bytes, filename: str, max_age: int = 3600) -> Response:
    """An image with its type; an SVG may not run anything even when opened on its own."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower()
    response = Response(data, mimetype=IMAGE_MIMETYPES.get(suffix, "application/octet-stream"))
    response.headers["Cache-Control"] = f"private, max-age={max_age}" if max_age else "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    if suffix == ".svg":
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


# ---- quiz -----------------------------------------------------------------------------------


def _render_quiz(editing: Editing, module: str, pass_mark: str, lock: int, status=200):
    path = f"{module}/{QUIZ_FILE}"
    spec = editing.check.course.module(module) if editing.check.course else None
    return render_template(
        "authoring/quiz.html", editing=editing, module=module, title=editing.module_title(module),
        exists=path in editing.files, pass_mark=pass_mark, lock=lock, form=EmptyForm(),
        messages=_messages(editing.check.for_file(path)), quiz=spec.quiz if spec else None,
        questions=_question_rows(editing, module), types=_question_types(), lock_form=LockForm(),
        defaults=(editing.course_data or {}).get("quiz") or {}), status


def _question_types():
    from course.content.questions import QUESTION_TYPES

    return [(name, cls.LABEL) for name, cls in QUESTION_TYPES.items()]


def _question_rows(editing: Editing, module: str) -> list[dict]:
    """The questions as written in quiz.yml (also when they have problems), with their count."""
    from course.content.questions import question_type

    path = f"{module}/{QUIZ_FILE}"
    data = editors.quiz_data(folder.text_of(editing.files, path)) or {}
    items = data.get("questions") if isinstance(data.get("questions"), list) else []
    messages = _messages(editing.check.for_file(path))
    rows = []
    for index, q in enumerate(items):
        q = q if isinstance(q, dict) else {}
        cls = question_type(str(q.get("type", "")))
        rows.append({"number": index + 1, "id": q.get("id", ""), "text": editors.as_text(q.get("text")),
                     "label": cls.LABEL if cls else str(q.get("type", "")),
                     "problems": sum(len(ms) for ms in editors.question_messages(messages, index).values())})
    return rows


@bp.route("/auteur/<slug>/modules/<module>/quiz", methods=["GET", "POST"])
def quiz(slug, module):
    editing = Editing(slug)
    module = editing.module_or_404(module)
    path = f"{module}/{QUIZ_FILE}"
    data = editors.quiz_data(folder.text_of(editing.files, path)) if path in editing.files else None
    if path in editing.files and data is None:
        flash(_("This quiz file cannot be read. Correct it in the file itself; the messages show where."), "warning")
        return redirect(url_for("authoring.edit_file", slug=slug, path=path))
    if request.method == "GET":
        return _render_quiz(editing, module, editors.as_text((data or {}).get("pass_mark")),
                            editing.locks.get(path, 0))
    pass_mark = request.form.get("pass_mark", "")
    if data is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        flash(_("The form had expired. Your changes are still here: save again."), "error")
        return _render_quiz(editing, module, pass_mark, _lock(), 400)
    try:
        services.save_files(editing.draft, [(path, editors.quiz_file(data, pass_mark), _lock())], _me())
    except services.EditConflict as error:
        _conflict_message(error)
        return _render_quiz(editing, module, pass_mark, editing.locks.get(path, 0), 409)
    return _saved(url_for("authoring.quiz", slug=slug, module=module), Editing(slug), path)


def _quiz_or_404(editing: Editing, module: str) -> tuple[str, dict]:
    path = f"{module}/{QUIZ_FILE}"
    data = editors.quiz_data(folder.text_of(editing.files, path)) if path in editing.files else None
    if data is None:
        abort(404)
    if not isinstance(data.get("questions"), list):
        data["questions"] = []
    return path, data


def _render_question(editing: Editing, module: str, cls, number: int | None, values: dict, lock: int,
                     status=200):
    path = f"{module}/{QUIZ_FILE}"
    messages = editors.question_messages(_messages(editing.check.for_file(path)), number - 1) if number else {}
    shown = {f.name for f in cls.EDITOR.fields}
    rows = cls.EDITOR.rows
    count = editors.row_count(cls, values)
    blank = max(2, (rows.min_rows - count) if rows else 0)
    return render_template(
        "authoring/question.html", editing=editing, module=module, title=editing.module_title(module), cls=cls,
        number=number, values=values, messages=messages, lock=lock, form=EmptyForm(), rows=rows,
        row_indices=list(range(count + blank)) if rows else [], existing_rows=count,
        other=[m for key, ms in messages.items() if key not in shown and not (rows and key.startswith(rows.name))
               for m in ms],
        row_messages=[m for key, ms in messages.items() if rows and key == rows.name for m in ms]), status


@bp.route("/auteur/<slug>/modules/<module>/quiz/vragen/<int:number>", methods=["GET", "POST"])
def question(slug, module, number):
    """One question (number 0: a new one, its type from ?type=), edited through the
    question-type registry's editor hooks (course/content/questions)."""
    from course.content.questions import question_type

    editing = Editing(slug)
    module = editing.module_or_404(module)
    path, data = _quiz_or_404(editing, module)
    questions = data["questions"]
    if number:
        if number > len(questions) or not isinstance(questions[number - 1], dict):
            abort(404)
        cls = question_type(str(questions[number - 1].get("type", "")))
        if cls is None:
            flash(_("This question has a type the editor does not know. Correct it in the quiz file."), "warning")
            return redirect(url_for("authoring.edit_file", slug=slug, path=path))
    else:
        cls = question_type(request.values.get("type", "")) or abort(404)
    if request.method == "GET":
        values = editors.question_values(cls, questions[number - 1]) if number else {
            "id": editors.free_question_id(data)}
        return _render_question(editing, module, cls, number or None, values, editing.locks.get(path, 0))
    values = {key: request.form.get(key, "") for key in request.form if key not in ("csrf_token", "lock")}
    if not EmptyForm().validate_on_submit():
        flash(_("The form had expired. Your changes are still here: save again."), "error")
        return _render_question(editing, module, cls, number or None, values, _lock(), 400)
    mapping = editors.question_from_form(cls, request.form)
    index = number - 1 if number else None
    try:
        services.save_files(editing.draft, [(path, editors.quiz_with_question(data, index, mapping), _lock())],
                            _me())
    except services.EditConflict as error:
        _conflict_message(error)
        return _render_question(editing, module, cls, number or None, values, editing.locks.get(path, 0), 409)
    number = number or len(questions) + 1
    return _saved(url_for("authoring.question", slug=slug, module=module, number=number), Editing(slug), path)


@bp.post("/auteur/<slug>/modules/<module>/quiz/vragen/<int:number>/wijzigen")
def change_question(slug, module, number):
    """Move a question up or down, or delete it (a button each on the quiz page)."""
    editing = Editing(slug)
    module = editing.module_or_404(module)
    path, data = _quiz_or_404(editing, module)
    questions = data["questions"]
    if not 0 < number <= len(questions):
        abort(404)
    if not LockForm().validate_on_submit():
        abort(400)
    action, index = request.form.get("action"), number - 1
    if action == "delete":
        questions.pop(index)
        message = _("Question deleted from the draft.")
    elif action in ("up", "down"):
        other = index - 1 if action == "up" else index + 1
        if not 0 <= other < len(questions):
            return redirect(url_for("authoring.quiz", slug=slug, module=module))
        questions[index], questions[other] = questions[other], questions[index]
        message = _("Order changed in the draft.")
    else:
        abort(400)
    try:
        services.save_files(editing.draft, [(path, editors.quiz_file(data, editors.as_text(data.get("pass_mark"))),
                                             _lock())], _me())
    except services.EditConflict as error:
        _conflict_message(error)
    else:
        flash(message, "success")
    return redirect(url_for("authoring.quiz", slug=slug, module=module, _anchor="questions-title"))


@bp.post("/auteur/<slug>/modules/<module>/quiz/toevoegen")
def add_quiz(slug, module):
    return _add_part(slug, module, QUIZ_FILE, lambda editing, m: editors.new_quiz(), "authoring.quiz",
                     _("Quiz added to the draft with one example question. Replace it with your own questions."))


@bp.post("/auteur/<slug>/modules/<module>/quiz/verwijderen")
def remove_quiz(slug, module):
    return _remove_part(slug, module, QUIZ_FILE, _("Quiz removed from the draft. Earlier attempts are kept."))


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


# ---- any file, as text ---------------------------------------------------------------------------


@bp.route("/auteur/<slug>/bestand/<path:path>", methods=["GET", "POST"])
def edit_file(slug, path):
    editing = Editing(slug)
    if path not in editing.files or folder.safe_path(path) is None or folder.is_image(path):
        abort(404)
    form = FileForm()
    if request.method == "GET":
        form.text.data, form.lock.data = editing.files[path].decode("utf-8", errors="replace"), editing.locks[path]
        return _render_file(editing, path, form)
    if not form.validate_on_submit():
        return _render_file(editing, path, form, 400)
    data = (form.text.data or "").replace("\r\n", "\n").encode()
    if len(data) > folder.MAX_TEXT_BYTES:
        form.text.errors.append(_("The file is too long (at most 1 MB)."))
        return _render_file(editing, path, form, 400)
    try:
        services.save_files(editing.draft, [(path, data, _lock())], _me())
    except services.EditConflict as error:
        _conflict_message(error)
        form.lock.data = editing.locks[path]
        return _render_file(editing, path, form, 409)
    return _saved(url_for("authoring.edit_file", slug=slug, path=path), Editing(slug), path)


def _render_file(editing: Editing, path: str, form, status=200):
    language = web_language()
    problems = [(p.line, in_language(p.message, language)) for p in editing.check.for_file(path)]
    return render_template("authoring/file.html", editing=editing, path=path, form=form, problems=problems), status


# ---- preview as a learner ------------------------------------------------------------------------


@bp.get("/auteur/<slug>/bekijken")
def preview_course(slug):
    editing = Editing(slug)
    return render_template("authoring/preview_course.html", editing=editing, spec=editing.check.course,
                           problems=len(editing.check.problems))


@bp.get("/auteur/<slug>/bekijken/<module>")
def preview_module(slug, module):
    editing = Editing(slug)
    module = editing.module_or_404(module)
    spec = editing.check.course.module(module) if editing.check.course else None
    if spec is None:
        flash(_("This module cannot be shown yet: the check found problems in it."), "warning")
        return redirect(url_for("authoring.overview", slug=slug, _anchor="problems"))
    return render_template(
        "authoring/preview_module.html", editing=editing, course=editing.check.course, module=spec,
        questions=[q.display(random.Random(0)) for q in spec.quiz.questions] if spec.quiz else [],
        no_answers=MultiDict(),
        reading_html=_draft_media(editing, module, spec.reading.html),
        prompt_html=_draft_media(editing, module, spec.assignment.prompt_html if spec.assignment else ""))


# ---- publish, history, diff, roll back ----------------------------------------------------------


@bp.post("/auteur/<slug>/publiceren")
def publish(slug):
    editing = Editing(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        return _render_overview(editing, publish_form=form, status=400)
    try:
        version = services.publish(editing.draft, _me(), form.note.data or "")
    except services.DraftInvalid as error:
        flash(error.message, "error")
        for problem in error.check.problems:
            problem.key = problem.key or folder.problem_key(problem, editing.files)
        return _render_overview(Editing(slug), publish_form=form, status=400, problems=error.check.problems)
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
        version = services.roll_back(slug, number, _me())
    except services.DraftInvalid as error:
        flash(error.message, "error")
        return _render_overview(Editing(slug), status=400, problems=error.check.problems)
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
    response = Response(folder.to_zip(slug, files), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


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
