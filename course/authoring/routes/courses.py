"""The list of courses, a draft's overview, the course settings, any file as text, and the
preview as a learner."""
from __future__ import annotations

import random

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from course import permissions
from course.content.messages import in_language, web_language
from course.content.spec import ASSIGNMENT_FILE, COURSE_FILE, QUIZ_FILE, READING_FILE
from course.downloads import image_response
from course.errors import DomainError
from course.forms import EmptyForm

from .. import bp, editors, folder, queries, services
from ..forms import AddModuleForm, FileForm, ImageForm, LockForm, NewCourseForm, PublishForm
from .editing import Editing, _conflict_message, _lock, _me, _messages, _saved, uploaded_image
from .readings import _draft_media

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
    worked_on = queries.modules_with_learner_data(editing.course)
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


def _render_settings(editing: Editing, values: dict, lock: int, status=200, cover_form=None):
    return render_template(
        "authoring/settings.html", editing=editing, groups=editors.SETTINGS_GROUPS, values=values,
        messages=_messages(editing.check.for_file(COURSE_FILE)), lock=lock, form=EmptyForm(),
        cover_form=cover_form or ImageForm(), cover=_draft_cover(editing, values)), status


def _draft_cover(editing: Editing, values: dict) -> str | None:
    """The draft's cover file, when course.yml names one that is in the draft."""
    name = (values.get("cover") or "").strip()
    return name if name and "/" not in name and name in editing.files and folder.is_image(name) else None


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


@bp.post("/auteur/<slug>/omslag")
def upload_cover(slug):
    """The cover image beside course.yml, with its required description; course.yml names
    both (`cover`, `cover_alt`). An earlier cover file stays in the draft until deleted."""
    editing = Editing(slug)
    data = editing.course_data
    if data is None:
        return redirect(url_for("authoring.settings", slug=slug))
    values = editors.settings_values(data)
    form = ImageForm()
    if not form.validate_on_submit():
        return _render_settings(editing, values, editing.locks.get(COURSE_FILE, 0), 400, cover_form=form)
    uploaded = uploaded_image(form)
    if uploaded is None:
        return _render_settings(editing, values, editing.locks.get(COURSE_FILE, 0), 400, cover_form=form)
    name, image = uploaded
    values.update(cover=name, cover_alt=" ".join(form.description.data.split()))
    changes = [(name, image, editing.locks.get(name, 0)),
               (COURSE_FILE, editors.course_file(data, values), editing.locks.get(COURSE_FILE, 0))]
    try:
        services.save_files(editing.draft, changes, _me())
    except services.EditConflict as error:
        _conflict_message(error)
        return redirect(url_for("authoring.settings", slug=slug))
    flash(_("Cover image saved in the draft, with its description."), "success")
    return redirect(url_for("authoring.settings", slug=slug, _anchor="cover-image"))


@bp.get("/auteur/<slug>/concept-omslag/<filename>")
def draft_cover(slug, filename):
    editing = Editing(slug)
    data = editing.files.get(filename)
    if data is None or "/" in filename or not folder.is_image(filename):
        abort(404)
    return image_response(data, filename, max_age=0)


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
    return _render_preview(editing, module, spec)


@bp.post("/auteur/<slug>/bekijken/<module>/quiz")
def preview_quiz(slug, module):
    """The draft's quiz answered as a learner would: graded and explained, nothing recorded."""
    from course.learn.grading import QuizFormTampered, Unanswered, grade_quiz, parse_answers

    editing = Editing(slug)
    module = editing.module_or_404(module)
    spec = editing.check.course.module(module) if editing.check.course else None
    if spec is None or spec.quiz is None:
        flash(_("This module cannot be shown yet: the check found problems in it."), "warning")
        return redirect(url_for("authoring.preview_module", slug=slug, module=module))
    if not EmptyForm().validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
        return _render_preview(editing, module, spec, values=request.form, status=400)
    try:
        answers = parse_answers(spec.quiz, request.form)
    except QuizFormTampered:
        abort(400)
    except Unanswered as unanswered:
        return _render_preview(editing, module, spec, values=request.form, unanswered=unanswered, status=400)
    mark = spec.quiz.pass_mark if spec.quiz.pass_mark is not None else editing.check.course.settings["pass_mark"]
    result = grade_quiz(spec.quiz, answers, mark)
    return _render_preview(editing, module, spec, values=request.form, result=result)


def _render_preview(editing: Editing, module: str, spec, values=None, unanswered=None, result=None, status=200):
    return render_template(
        "authoring/preview_module.html", editing=editing, course=editing.check.course, module=spec,
        questions=[q.display(random.Random(0)) for q in spec.quiz.questions] if spec.quiz else [],
        no_answers=values if values is not None else MultiDict(), form=EmptyForm(),
        unanswered=unanswered.question_ids if unanswered else [], reasons=unanswered.reasons if unanswered else {},
        result=result, graded=dict(zip([q.id for q in spec.quiz.questions], result.questions, strict=True))
        if result else {}, full={q.id: q for q in spec.quiz.questions} if spec.quiz else {},
        reading_html=_draft_media(editing, module, spec.reading.html),
        prompt_html=_draft_media(editing, module, spec.assignment.prompt_html if spec.assignment else "")), status
