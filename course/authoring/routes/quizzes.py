"""A module's quiz: the pass mark, its questions one by one, add and remove the quiz."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from course.content.spec import QUIZ_FILE
from course.forms import EmptyForm

from .. import bp, editors, folder, services
from ..forms import LockForm
from .editing import Editing, _add_part, _conflict_message, _lock, _me, _messages, _remove_part, _saved

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
